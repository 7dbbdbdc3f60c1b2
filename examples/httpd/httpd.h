/*
 * httpd.h - examples/httpd's connections, as main.c's poll loop sees
 * them (conn.c), the answer to one request (respond.c), and what it
 * says of itself (stop.c: its figures, xenlet's pages among them).
 */
#ifndef HTTPD_HTTPD_H
#define HTTPD_HTTPD_H

#include <stdint.h>
#include <sys/types.h>
#include "http.h"

/* How long a client may keep a connection without progress (ms). Each
 * is a deadline by the clock, so a client trickling bytes gains nothing:
 *  - IDLE: between requests on a kept-alive connection (nginx: 75 s;
 *    shorter here, as a guest has fewer connections to spare);
 *  - HEADER: from a request's first byte to its empty line, however
 *    slowly the bytes come (a request that never ends);
 *  - SEND: with no byte of an answer taken by the client;
 *  - LINGER: reading what a client still sends after our last answer,
 *    so that closing does not reset the connection before it has read
 *    that answer (lwIP, like Linux, sends RST when unread data is left).
 * The environment's header_timeout= (ms) shortens HEADER for tests. */
#define IDLE_TIMEOUT_MS	  15000
#define HEADER_TIMEOUT_MS 10000
#define SEND_TIMEOUT_MS	  15000
#define LINGER_TIMEOUT_MS 2000

enum conn_state { READING, WRITING, LINGERING };

struct conn {
	int fd;
	enum conn_state state;
	int64_t deadline; /* ms on the monotonic clock */
	int close_after;  /* the answer being sent is the last */
	int linger;	  /* ... and the client may have sent more */
	uint32_t peer;	  /* the client's IPv4 address, for the log */
	/* the answer: head (and small bodies) from head[], then the file */
	size_t head_len, head_off;
	int file; /* -1: none */
	off_t off, end;
	size_t in_len;
	char head[2048];
	char in[HTTP_HEAD_MAX];
};

struct httpd_config {
	int log;		/* an access-log line per request */
	int status;		/* GET /.httpd/status answers the counts */
	int64_t header_timeout; /* ms */
};
extern struct httpd_config config;

struct httpd_counts {
	unsigned long requests, open, refused;
	unsigned long timeouts; /* connections ended by a deadline */
	unsigned long failed;	/* ... by a failed send or receive */
	unsigned long long bytes;
};
extern struct httpd_counts counts;

int64_t now_ms(void);

struct conn *conn_new(int fd, uint32_t peer);
void conn_free(struct conn *c);
short conn_events(const struct conn *c);
/* The events poll found; 0 to keep the connection, -1 to free it. */
int conn_ready(struct conn *c, short revents);

/* Fill c's answer to req, or to a bad request (status != 0). */
void respond(struct conn *c, const struct http_request *req, int status);

/* The status line of /.httpd/status and of xl shutdown. */
int status_line(char *buf, size_t size);
/* The network's line: frames received, dropped and why (xenlet's). */
int net_status_line(char *buf, size_t size);
void memory_sample(void);

#endif
