/*
 * server.h - examples/kv's clients as the poll loop sees them (conn.c,
 * server.c), and the parts that touch the guest: the disk under the
 * log (disk.c) and what only xenlet has (xen.c).
 */
#ifndef KV_SERVER_H
#define KV_SERVER_H

#include <stdint.h>
#include "kv.h"

#define KV_PORT 6379
/* Clients at once: each holds an input buffer of 16 KiB or more and
 * its replies; lwIP has 160 sockets (net/lwip/lwipopts.h). More wait
 * in the listen backlog. */
#define MAX_CLIENTS 128
/* A client's input buffer grows to hold one whole command, up to
 * QUERY_MAX (Redis's client-query-buffer-limit is 1 GB; the guest's
 * memory is tens of MB): past it the client is closed, as Redis does. */
#define QUERY_START (16u << 10)
#define QUERY_MAX   (2u << 20)
/* Replies not yet taken by the client: above OUT_PAUSE its input is
 * left unread (TCP then holds the client back), and output that has
 * not moved for SEND_TIMEOUT_MS ends the connection: a client that
 * never reads cannot hold memory without bound, or forever. */
#define OUT_PAUSE	(64u << 10)
#define SEND_TIMEOUT_MS 30000

struct client {
	int fd;
	char *in;
	size_t inlen, incap;
	struct outbuf out;
	int closing;	  /* QUIT or a protocol error: close once sent */
	int partial;	  /* the input ends in a part of a command */
	int64_t deadline; /* ms, monotonic: output stalled until then */
	uint32_t peer;
	/* This round's replies start at out.len == round_mark; how many:
	 * taken back if the round's log write fails (server.c). */
	size_t round_mark;
	unsigned round_replies;
};

int64_t mono_ms(void);
int64_t epoch_ms(void);

struct client *client_new(int fd, uint32_t peer);
void client_free(struct client *c);
/* Read what the client sent; -1 when it closed or failed. */
int client_read(struct client *c);
/* Run its whole commands while its output is below OUT_PAUSE. */
void client_run(struct client *c);
/* Commands may wait in its input and may run now. */
int client_runnable(const struct client *c);
/* Send its replies; -1: close it now. */
int client_send(struct client *c, int64_t now);

/* The poll loop (server.c). */
void serve(int listen_fd);

/* disk.c: the log's device over a file of the POSIX layer. */
int disk_open(const char *path, struct log_dev *dev);

/* xen.c: the bytes of memory free now. */
size_t free_memory(void);

#endif
