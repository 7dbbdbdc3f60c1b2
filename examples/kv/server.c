/*
 * server.c - the poll loop, and group commit.
 *
 * One round: poll; read from every client that has input and run its
 * whole commands (their changes go to the data set and to the log's
 * batch, their replies to the clients' output buffers); write the
 * batch to the disk in one write, and with appendfsync always (the
 * default) flush the disk's cache; only then send the replies. So no
 * reply leaves before the change it acknowledges is durable, and all
 * the clients of a round share one flush. With appendfsync everysec
 * the batch is written at once and flushed at most a second later
 * (Redis's policy of the same name): a crash may lose that second.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "server.h"

/* Active expiry: buckets looked at per round, and the longest a poll
 * sleeps so that rounds keep coming (Redis runs its cycle 10 times a
 * second). */
#define SWEEP_BUCKETS 64
#define SWEEP_MS      100

static struct client *clients[MAX_CLIENTS];
static int nclients, listen_fd;

static void accept_all(void)
{
	while (nclients < MAX_CLIENTS) {
		struct sockaddr_in sin;
		socklen_t len = sizeof(sin);
		int one = 1, fd = accept4(listen_fd, (struct sockaddr *)&sin,
					  &len, SOCK_NONBLOCK);
		struct client *c;

		if (fd < 0)
			return;
		/* Replies go out whole after each round: Nagle would hold
		 * a reply's last segment for the ACK of the one before. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = client_new(fd, sin.sin_addr.s_addr);
		if (c == NULL) {
			close(fd);
			return;
		}
		clients[nclients++] = c;
	}
}

static void drop(int j)
{
	client_free(clients[j]);
	clients[j] = clients[--nclients];
}

/* The poll timeout: 0 while commands wait to run or a rewrite of the
 * log has keys left to dump (each round dumps a bounded step: a rewrite
 * of an idle server goes as fast as the disk), else until the next
 * sweep, the next everysec flush or the nearest send deadline. */
static int next_timeout(int64_t now)
{
	int64_t t = SWEEP_MS;

	if (kv.log && kv.log->rw.active)
		return 0;

	for (int j = 0; j < nclients; j++) {
		if (client_runnable(clients[j]) &&
		    clients[j]->out.len == clients[j]->out.sent)
			return 0;
		if (clients[j]->deadline && clients[j]->deadline - now < t)
			t = clients[j]->deadline - now;
	}
	if (kv.log && kv.log->unsynced && kv.fsync == FSYNC_EVERYSEC &&
	    kv.synced_at + EVERYSEC_MS - now < t)
		t = kv.synced_at + EVERYSEC_MS - now;
	return t < 0 ? 0 : (int)t;
}

/* The round's batch to the disk (commit.c). If it failed, every reply
 * of the round is taken back: each becomes a MISCONF error when the
 * round was undone on the disk too, and its client is closed without
 * them when the disk's state is unknown (kv.h, COMMIT_LOST). */
static void commit(int64_t now)
{
	enum commit_result r = store_commit(now);

	if (r == COMMIT_FATAL) {
		printf("kv: the data set is lost: stopping\n");
		exit(1);
	}
	for (int j = 0; r != COMMIT_OK && j < nclients; j++) {
		struct client *c = clients[j];

		if (commit_replies(&c->out, c->round_mark, c->round_replies, r))
			c->closing = 1;
	}
}

static void round_once(void)
{
	static struct pollfd fds[1 + MAX_CLIENTS];
	int64_t now = mono_ms();
	int j;

	fds[0] = (struct pollfd){ nclients == MAX_CLIENTS ? -1 : listen_fd,
				  POLLIN, 0 };
	for (j = 0; j < nclients; j++) {
		struct client *c = clients[j];
		short ev = c->out.len > c->out.sent ? POLLOUT : 0;

		if (c->out.len - c->out.sent < OUT_PAUSE && !c->closing)
			ev |= POLLIN;
		fds[1 + j] = (struct pollfd){ c->fd, ev, 0 };
	}
	if (poll(fds, (nfds_t)(1 + nclients), next_timeout(now)) < 0) {
		perror("kv: poll");
		exit(1);
	}
	kv.db.now = epoch_ms();
	now = mono_ms();
	for (j = nclients - 1; j >= 0; j--) {
		if ((fds[1 + j].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    client_read(clients[j]) < 0) {
			drop(j);
			continue;
		}
		clients[j]->round_mark = clients[j]->out.len;
		clients[j]->round_replies = 0;
		client_run(clients[j]);
	}
	if (kv.log)
		commit(now);
	db_sweep(&kv.db, SWEEP_BUCKETS);
	for (j = nclients - 1; j >= 0; j--) {
		struct client *c = clients[j];

		if (client_send(c, now) < 0 ||
		    (c->deadline && now >= c->deadline))
			drop(j);
	}
	if (fds[0].revents)
		accept_all();
}

void serve(int fd)
{
	listen_fd = fd;
	kv.synced_at = mono_ms();
	for (;;)
		round_once();
}
