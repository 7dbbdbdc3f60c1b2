/*
 * conn.c - one client: its bytes in, its commands run in order, its
 * replies out. Pipelining is the normal case: every whole command in
 * the input is run, and the replies queue in the output buffer in the
 * same order. Nothing here waits (the socket is nonblocking) and
 * nothing here is sent before the poll round's log batch is durable:
 * server.c calls client_send only after its commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "resp.h"
#include "server.h"

/* One parse at a time: the server's one thread runs every client. */
static struct resp_cmd cmd;

int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t epoch_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct client *client_new(int fd, uint32_t peer)
{
	struct client *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->in = malloc(QUERY_START);
	if (c->in == NULL) {
		free(c);
		return NULL;
	}
	c->incap = QUERY_START;
	c->fd = fd;
	c->peer = peer;
	kv.connections++;
	return c;
}

void client_free(struct client *c)
{
	close(c->fd);
	outbuf_free(&c->out);
	free(c->in);
	free(c);
	kv.connections--;
}

static void closing_line(const struct client *c, const char *why)
{
	const unsigned char *a = (const unsigned char *)&c->peer;

	printf("kv: client %u.%u.%u.%u closed: %s\n", a[0], a[1], a[2], a[3],
	       why);
}

/* Room for more input: a command longer than the buffer doubles it. */
static int make_room(struct client *c)
{
	size_t cap = c->incap * 2;
	char *p;

	if (c->inlen < c->incap)
		return 0;
	if (c->incap >= QUERY_MAX) {
		closing_line(c, "a request over the query buffer limit");
		return -1;
	}
	p = realloc(c->in, cap);
	if (p == NULL) {
		closing_line(c, "out of memory for its request");
		return -1;
	}
	c->in = p;
	c->incap = cap;
	return 0;
}

int client_read(struct client *c)
{
	ssize_t n;

	if (make_room(c) < 0)
		return -1;
	n = recv(c->fd, c->in + c->inlen, c->incap - c->inlen, 0);
	if (n == 0)
		return -1;
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	c->inlen += (size_t)n;
	c->partial = 0;
	return 0;
}

int client_runnable(const struct client *c)
{
	return c->inlen > 0 && !c->closing && !c->partial &&
	       c->out.len - c->out.sent < OUT_PAUSE;
}

void client_run(struct client *c)
{
	size_t off = 0;

	if (c->partial)
		return; /* nothing new since the last parse */
	while (off < c->inlen && !c->closing &&
	       c->out.len - c->out.sent < OUT_PAUSE) {
		long n = resp_parse(c->in + off, c->inlen - off, &cmd);

		if (n == 0) {
			c->partial = 1;
			break;
		}
		if (n < 0) {
			char tmp[64];

			/* Where the next command starts is unknown: answer,
			 * then close, as Redis does. */
			reply_errorf(&c->out, "%s",
				     resp_strerror((int)-n, cmd.bad, tmp,
						   sizeof(tmp)));
			c->closing = 1;
			c->round_replies++;
			off = c->inlen;
			break;
		}
		off += (size_t)n;
		if (cmd.argc > 0) {
			struct call call = { &c->out, cmd.argc, cmd.argv,
					     cmd.argl, 0 };

			cmd_exec(&call);
			c->closing = call.quit;
			c->round_replies++;
		}
	}
	c->inlen -= off;
	memmove(c->in, c->in + off, c->inlen);
	/* A big request's buffer goes back once it is done with. */
	if (c->inlen < QUERY_START && c->incap > QUERY_START) {
		char *p = realloc(c->in, QUERY_START);

		if (p != NULL) {
			c->in = p;
			c->incap = QUERY_START;
		}
	}
}

int client_send(struct client *c, int64_t now)
{
	if (c->out.overflow) {
		closing_line(c, "its replies passed the output limit");
		return -1;
	}
	while (c->out.sent < c->out.len) {
		ssize_t n = send(c->fd, c->out.buf + c->out.sent,
				 c->out.len - c->out.sent, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (c->deadline == 0)
				c->deadline = now + SEND_TIMEOUT_MS;
			return 0;
		}
		if (n <= 0)
			return -1;
		outbuf_consumed(&c->out, (size_t)n);
		c->deadline = 0;
	}
	return c->closing ? -1 : 0;
}
