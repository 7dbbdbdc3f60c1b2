/*
 * conn.c - one TCP connection of examples/echo, nonblocking: each call
 * of conn_ready does a bounded amount of work, so that one busy client
 * cannot starve the others in the poll loop.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "chargen.h"
#include "echo.h"

/* Reads or writes per call: 16 KiB each, so at most 256 KiB a turn. */
#define BURST 16

/* Two periods of the chargen stream: any offset starts a whole period. */
static unsigned char chargen[2 * CHARGEN_PERIOD];

static int would_block(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
}

/*
 * The connection failed: say how, unless the peer reset it or left
 * (an ordinary way for a client to go). ECONNABORTED is our own
 * stack ending it: its interface went away (xl network-detach).
 */
static int failed(const struct conn *c)
{
	if (errno != ECONNRESET && errno != EPIPE)
		printf("echo: %s connection: %s\n", services[c->svc].name,
		       strerror(errno));
	return -1;
}

struct conn *conn_new(int fd, enum service svc)
{
	struct conn *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = fd;
	c->svc = svc;
	c->len = c->off = 0;
	c->sent = 0;
	if (svc == CHARGEN && chargen[0] == 0)
		for (size_t i = 0; i < sizeof(chargen); i++)
			chargen[i] = chargen_byte(i);
	counts.conns[svc]++;
	counts.open++;
	return c;
}

void conn_free(struct conn *c)
{
	close(c->fd);
	counts.open--;
	free(c);
}

short conn_events(const struct conn *c)
{
	switch (c->svc) {
	case ECHO:
		return c->len > 0 ? POLLOUT : POLLIN;
	case CHARGEN:
		return POLLIN | POLLOUT; /* input is read and dropped */
	default:
		return POLLIN;
	}
}

/* Read into c->buf: its length, or 0 at end of stream, or -1 (errno;
 * EAGAIN when nothing is there yet). */
static ssize_t take(struct conn *c)
{
	ssize_t n = recv(c->fd, c->buf, sizeof(c->buf), 0);

	if (n > 0)
		counts.bytes_in[c->svc] += (unsigned long long)n;
	return n;
}

/* Write back what is held; -1 on a dead connection. */
static int echo_flush(struct conn *c)
{
	while (c->off < c->len) {
		ssize_t n = send(c->fd, c->buf + c->off, c->len - c->off,
				 MSG_NOSIGNAL);

		if (n < 0)
			return would_block() ? 0 : failed(c);
		c->off += (size_t)n;
		counts.bytes_out[ECHO] += (unsigned long long)n;
	}
	c->len = c->off = 0;
	return 0;
}

static int echo_ready(struct conn *c)
{
	for (int i = 0; i < BURST && c->len == 0; i++) {
		ssize_t n = take(c);

		if (n == 0)
			return -1;
		if (n < 0)
			return would_block() ? 0 : failed(c);
		c->len = (size_t)n;
		if (echo_flush(c) < 0)
			return -1;
	}
	return echo_flush(c);
}

static int discard_ready(struct conn *c)
{
	for (int i = 0; i < BURST; i++) {
		ssize_t n = take(c);

		if (n == 0)
			return -1;
		if (n < 0)
			return would_block() ? 0 : failed(c);
	}
	return 0;
}

static int chargen_ready(struct conn *c, short revents)
{
	if (revents & (POLLIN | POLLHUP | POLLERR)) {
		ssize_t n = take(c); /* RFC 864: what comes in is dropped */

		if (n == 0)
			return -1; /* the client has had enough */
		if (n < 0 && !would_block())
			return failed(c);
	}
	for (int i = 0; i < BURST; i++) {
		size_t at = (size_t)(c->sent % CHARGEN_PERIOD);
		ssize_t n =
			send(c->fd, chargen + at, CHARGEN_PERIOD, MSG_NOSIGNAL);

		if (n < 0)
			return would_block() ? 0 : failed(c);
		c->sent += (unsigned long long)n;
		counts.bytes_out[CHARGEN] += (unsigned long long)n;
	}
	return 0;
}

int conn_ready(struct conn *c, short revents)
{
	switch (c->svc) {
	case ECHO:
		return echo_ready(c);
	case CHARGEN:
		return chargen_ready(c, revents);
	default:
		return discard_ready(c);
	}
}
