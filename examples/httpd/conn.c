/*
 * conn.c - one client connection: read requests, send their answers in
 * order, and end it when the client is done, idle or too slow.
 *
 * A connection is READING (a request's bytes go into in[]), WRITING
 * (an answer goes out: its head from head[], then the file from its
 * descriptor in chunks), or LINGERING (the last answer is sent and our
 * side shut: what the client still sends is read and dropped until it
 * closes). Pipelined requests wait in in[] while an answer is written:
 * one answer at a time keeps them in order. The socket is nonblocking;
 * nothing here waits, main.c's poll() does.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "httpd.h"

/* Files go out through this one buffer: lwIP copies what send() takes,
 * so no connection needs a buffer of its own, and no file is ever in
 * memory whole. */
static char chunk[16384];

struct conn *conn_new(int fd, uint32_t peer)
{
	struct conn *c = malloc(sizeof(*c));

	if (c == NULL)
		return NULL;
	c->fd = fd;
	c->peer = peer;
	c->state = READING;
	c->deadline = now_ms() + IDLE_TIMEOUT_MS;
	c->close_after = c->linger = 0;
	c->head_len = c->head_off = 0;
	c->file = -1;
	c->in_len = 0;
	counts.open++;
	return c;
}

void conn_free(struct conn *c)
{
	if (c->file >= 0)
		close(c->file);
	close(c->fd);
	counts.open--;
	free(c);
}

short conn_events(const struct conn *c)
{
	return c->state == WRITING ? POLLOUT : POLLIN;
}

/* The next request in in[], if whole, gets its answer started. */
static void next_request(struct conn *c)
{
	struct http_request req;
	int n = http_parse(c->in, c->in_len, &req);

	if (n == 0) {
		/* in[] holds HTTP_HEAD_MAX, so n == 0 means it is not full. */
		return;
	}
	c->state = WRITING;
	c->deadline = now_ms() + SEND_TIMEOUT_MS;
	if (n < 0) {
		/* A malformed request: where the next one would start is
		 * unknown, so this answer is the last. */
		respond(c, NULL, -n);
		c->close_after = c->linger = 1;
		c->in_len = 0;
		return;
	}
	respond(c, &req, 0);
	if (!req.keep_alive || req.has_body)
		c->close_after = 1;
	if (req.has_body)
		c->linger = 1; /* the body is left unread */
	c->in_len -= (size_t)n;
	memmove(c->in, c->in + n, c->in_len);
}

/* Read what the client sent; -1 when it closed or failed. */
static int read_in(struct conn *c)
{
	ssize_t n;

	if (c->in_len == sizeof(c->in))
		return 0; /* a whole head fits: http_parse has answered */
	n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	if (n == 0)
		return -1;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n < 0) {
		counts.failed++;
		return -1;
	}
	/* A request's first bytes start its header deadline; later bytes
	 * do not move it. */
	if (c->in_len == 0)
		c->deadline = now_ms() + config.header_timeout;
	c->in_len += (size_t)n;
	return 0;
}

/* Send from head[], then from the file; -1 on a failed send. */
static int write_out(struct conn *c)
{
	while (c->head_off < c->head_len) {
		ssize_t n = send(c->fd, c->head + c->head_off,
				 c->head_len - c->head_off, MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		c->head_off += (size_t)n;
		counts.bytes += (unsigned long long)n;
		c->deadline = now_ms() + SEND_TIMEOUT_MS;
	}
	while (c->file >= 0 && c->off < c->end) {
		size_t want = (size_t)(c->end - c->off) < sizeof(chunk)
				      ? (size_t)(c->end - c->off)
				      : sizeof(chunk);
		ssize_t got = pread(c->file, chunk, want, c->off), n;

		if (got <= 0)
			return -1; /* the file shrank or failed: the
				      Content-Length cannot be kept */
		n = send(c->fd, chunk, (size_t)got, MSG_NOSIGNAL);
		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		/* What send() did not take is read again next time. */
		c->off += n;
		counts.bytes += (unsigned long long)n;
		c->deadline = now_ms() + SEND_TIMEOUT_MS;
	}
	return 0;
}

/* The answer is out: the next request, or the end of the connection
 * (-1: close it now). */
static int answered(struct conn *c)
{
	if (c->file >= 0) {
		close(c->file);
		c->file = -1;
	}
	/* Nothing unread: close() sends a FIN after the answer, and lwIP
	 * finishes the connection without the socket (its PCB is then
	 * reclaimable: a lingering socket would hold it). */
	if (c->close_after && !c->linger && c->in_len == 0)
		return -1;
	if (c->close_after) {
		shutdown(c->fd, SHUT_WR);
		c->state = LINGERING;
		c->deadline = now_ms() + LINGER_TIMEOUT_MS;
		return 0;
	}
	c->state = READING;
	c->deadline = now_ms() +
		      (c->in_len ? config.header_timeout : IDLE_TIMEOUT_MS);
	next_request(c);
	return 0;
}

/* Drop what the client still sends; -1 once it has closed. */
static int linger(struct conn *c)
{
	ssize_t n = recv(c->fd, c->in, sizeof(c->in), 0);

	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return n > 0 ? 0 : -1;
}

int conn_ready(struct conn *c, short revents)
{
	if (revents & POLLNVAL)
		return -1;
	if (c->state == LINGERING)
		return linger(c);
	if (c->state == READING) {
		if (read_in(c) < 0)
			return -1;
		next_request(c);
	}
	/* Answers are sent at once, not after another poll: most fit the
	 * send buffer. Pipelined requests are answered one after another
	 * while the client takes them. */
	while (c->state == WRITING) {
		size_t head_left;

		if (write_out(c) < 0) {
			counts.failed++;
			return -1;
		}
		head_left = c->head_len - c->head_off;
		if (head_left > 0 || (c->file >= 0 && c->off < c->end))
			return 0; /* the send buffer is full: poll */
		if (answered(c) < 0)
			return -1;
	}
	return 0;
}
