/*
 * halfclose - two socket-layer questions a poll() server depends on,
 * answered against dom0's clients (cases/halfclose.sh):
 *
 *   halfclose fin N | halfclose sndbuf
 *
 * 1. FIN after SHUT_WR (port 7001, second): N connections are accepted and held
 *    at once; then each is sent "bye\n" and shut for writing. The peer
 *    (socat -u, which reads until our FIN and then closes) sends its
 *    FIN; poll() must report POLLIN for every socket and read() return
 *    0 (end of file). Prints "halfclose: fin N of N at eof, ..." with
 *    what was left waiting when the deadline came.
 * 2. SO_SNDBUF (port 7002, first): of two connections whose peer does not read
 *    yet, the first is given SO_SNDBUF 16384 and filled by nonblocking
 *    sends until EAGAIN: what it takes must stay within 16384 and poll
 *    must not call it writable; the second, with the stack's own bound,
 *    takes far more. When the peer reads, POLLOUT must come back, and
 *    all of SEND_TOTAL bytes get through.
 *
 * Every wait has a deadline by the clock (DEADLINE_S): a stuck socket
 * is reported, never waited for.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN   150 /* lwIP has 160 sockets (net/lwip/lwipopts.h) */
#define DEADLINE_S 60  /* for each phase: ample under emulation */
#define SNDBUF	   16384
#define SEND_TOTAL (256 * 1024)

static char buf[4096];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ms left until deadline, for poll(). */
static int left_ms(double deadline)
{
	double d = deadline - now();

	return d > 0 ? (int)(d * 1000) + 1 : 0;
}

static int listener(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, MAX_CONN) < 0) {
		printf("halfclose: listen %d: %s\n", port, strerror(errno));
		exit(1);
	}
	return fd;
}

/* The next connection on l (nonblocking), or -1 at the deadline. */
static int accept_by(int l, double deadline)
{
	struct pollfd p = { l, POLLIN, 0 };

	while (poll(&p, 1, left_ms(deadline)) > 0) {
		int c = accept4(l, NULL, NULL, SOCK_NONBLOCK);

		if (c >= 0)
			return c;
		/* A connection reset before it was taken is not ours to
		 * report (Linux: ECONNABORTED); anything else ends it. */
		if (errno != EAGAIN && errno != ECONNABORTED) {
			printf("halfclose: accept: %s\n", strerror(errno));
			return -1;
		}
	}
	return -1;
}

/* Phase 1: n connections held at once, shut for writing, then each
 * must become readable and read 0 when its peer's FIN comes. */
static void fin_after_shutwr(int n)
{
	static struct pollfd fds[MAX_CONN];
	int l = listener(7001), got = 0, eof = 0, errs = 0, spurious = 0;
	int data = 0, open;
	double deadline = now() + DEADLINE_S;

	printf("halfclose: fin: listening\n");
	fflush(stdout);
	while (got < n) {
		int c = accept_by(l, deadline);

		if (c < 0)
			break;
		fds[got++] = (struct pollfd){ c, POLLIN, 0 };
	}
	for (int i = 0; i < got; i++) {
		if (send(fds[i].fd, "bye\n", 4, 0) != 4 ||
		    shutdown(fds[i].fd, SHUT_WR) < 0)
			errs++;
	}
	deadline = now() + DEADLINE_S;
	for (open = got; open > 0;) {
		if (poll(fds, (nfds_t)got, left_ms(deadline)) <= 0)
			break; /* the deadline: those left never saw EOF */
		for (int i = 0; i < got; i++) {
			ssize_t r;

			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			r = read(fds[i].fd, buf, sizeof(buf));
			if (r < 0 && errno == EAGAIN) {
				spurious++; /* readable, yet nothing */
				continue;
			}
			if (r > 0) {
				data++; /* the peer sends nothing */
				continue;
			}
			if (r == 0)
				eof++;
			else
				errs++;
			close(fds[i].fd);
			fds[i].fd = -1;
			open--;
		}
	}
	printf("halfclose: fin %d of %d at eof, %d accepted, %d still "
	       "waiting, errors %d, data %d, spurious %d\n",
	       eof, n, got, open, errs, data, spurious);
	for (int i = 0; i < got; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	close(l);
}

/* Nonblocking sends of buf until EAGAIN (or max); the bytes taken. */
static long fill(int c, long max)
{
	long total = 0;

	while (total < max) {
		size_t want = max - total < (long)sizeof(buf)
				      ? (size_t)(max - total)
				      : sizeof(buf);
		ssize_t r = send(c, buf, want, 0);

		if (r <= 0)
			break;
		total += r;
	}
	return total;
}

/* The rest of SEND_TOTAL, as POLLOUT allows; the bytes sent. */
static long send_rest(int c, long sent, double deadline)
{
	struct pollfd p = { c, POLLOUT, 0 };

	while (sent < SEND_TOTAL && poll(&p, 1, left_ms(deadline)) > 0)
		sent += fill(c, SEND_TOTAL - sent);
	return sent;
}

/* Our FIN after what is queued, then wait for the peer's (socat -u
 * closes at our FIN): everything queued has been delivered before the
 * guest exits, which does not wait for lwIP's queues to drain. */
static void drain_close(int c, double deadline)
{
	struct pollfd p = { c, POLLIN, 0 };
	char b[256];

	shutdown(c, SHUT_WR);
	while (poll(&p, 1, left_ms(deadline)) > 0 && read(c, b, sizeof(b)) > 0)
		;
	close(c);
}

static void sndbuf_bound(void)
{
	int l = listener(7002), v = SNDBUF, c1, c2, got = 0;
	socklen_t len = sizeof(got);
	double deadline = now() + DEADLINE_S, t0;
	long small, big, sent;
	struct pollfd p;

	memset(buf, 'x', sizeof(buf));
	printf("halfclose: sndbuf: listening\n");
	fflush(stdout);
	c1 = accept_by(l, deadline);
	c2 = accept_by(l, deadline);
	if (c1 < 0 || c2 < 0) {
		printf("halfclose: sndbuf: no peers\n");
		return;
	}
	if (setsockopt(c1, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) < 0 ||
	    getsockopt(c1, SOL_SOCKET, SO_SNDBUF, &got, &len) < 0)
		printf("halfclose: sndbuf: option: %s\n", strerror(errno));
	small = fill(c1, SEND_TOTAL);
	p = (struct pollfd){ c1, POLLOUT, 0 };
	poll(&p, 1, 0);
	big = fill(c2, 4 * 1024 * 1024);
	printf("halfclose: sndbuf %d (set %d): took %ld bytes, then %s; "
	       "default took %ld\n",
	       got, v, small, (p.revents & POLLOUT) ? "writable" : "full", big);
	fflush(stdout);
	/* The peers read now (after a pause of theirs): POLLOUT returns
	 * as the ACKs free the buffer. */
	t0 = now();
	sent = send_rest(c1, small, now() + DEADLINE_S);
	printf("halfclose: sndbuf: sent %ld of %d in %.1f s\n", sent,
	       SEND_TOTAL, now() - t0);
	deadline = now() + DEADLINE_S;
	drain_close(c1, deadline);
	drain_close(c2, deadline);
	close(l);
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0;

	/* One part a boot: each starts from a fresh guest, so that one
	 * part's clients cannot spoil the other's (cases/halfclose.sh). */
	if (argc == 2 && strcmp(argv[1], "sndbuf") == 0) {
		sndbuf_bound();
	} else if (argc == 3 && strcmp(argv[1], "fin") == 0 && n >= 1 &&
		   n <= MAX_CONN) {
		fin_after_shutwr(n);
	} else {
		printf("halfclose: usage: halfclose fin N (1..%d) | sndbuf\n",
		       MAX_CONN);
		return 2;
	}
	printf("halfclose: done\n");
	return 0;
}
