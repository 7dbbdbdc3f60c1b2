/*
 * echoclient - dom0's client for examples/echo: moves data through the
 * guest's services, checks every byte that comes back, and times it.
 *
 *   echoclient echo HOST BYTES           one connection, BYTES each way
 *   echoclient concurrent HOST N BYTES   N connections at once
 *   echoclient sequential HOST N BYTES   N connections, one after another
 *   echoclient rounds HOST R N BYTES     R rounds of N at once (churn)
 *   echoclient discard HOST BYTES        BYTES to discard (port 9)
 *   echoclient chargen HOST BYTES        BYTES from chargen (port 19)
 *   echoclient udp HOST BURST            UDP echo: sizes up to 1472, a burst
 *   echoclient systat HOST               the status line (port 11)
 *
 * HOST may be ADDR:PORT (another port than the service's, to test this
 * client against other servers). Each connection sends its own stream:
 * a table of pattern.h's bytes (a prime length, so shifted or swapped
 * data shows) from a start of its own; what comes back is compared
 * with what was sent, every byte (stronger than a checksum of both).
 * chargen's stream is checked against RFC 864's (examples/echo/chargen.h).
 *
 * Prints "echoclient MODE: ok ..." with its figures and exits 0, or
 * "echoclient MODE: FAIL why" and exits 1. Every wait has a deadline:
 * -t SECONDS for the whole run (default 600), and no single wait for
 * the guest longer than 60 s, or -s SECONDS (1 to 60; after -t), so
 * that a stall is a failure, not a hang (a case that takes the guest's
 * link away ends its client sooner that way).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../pattern.h"
#include "../../../examples/echo/chargen.h"

#define TABLE	    65521 /* a prime: the stream's period */
#define CHUNK	    65536 /* the most one send or compare covers */
#define STALL_MS    60000 /* the longest wait for any progress */
#define MAX_STREAMS 1000

static uint8_t table[TABLE + CHUNK];
static uint8_t chargen[2 * CHARGEN_PERIOD];
static const char *mode;
static double deadline; /* on the monotonic clock */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("echoclient %s: FAIL ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

/* The longest wait for any progress (-s). */
static int stall_ms = STALL_MS;

/* poll with the smaller of the stall bound and what is left of the run. */
static int wait_for(struct pollfd *fds, nfds_t n)
{
	double left = deadline - now();
	int ms = left * 1000 < stall_ms ? (int)(left * 1000) : stall_ms;
	int r;

	if (ms <= 0)
		fail("the run's deadline (-t) passed");
	r = poll(fds, n, ms);
	if (r < 0 && errno != EINTR)
		fail("poll: %s", strerror(errno));
	if (r == 0)
		fail("no progress for %d s", ms / 1000);
	return r;
}

static struct sockaddr_in peer;

static void set_peer(const char *arg, int port)
{
	char host[64];
	const char *colon = strchr(arg, ':');
	size_t len = colon ? (size_t)(colon - arg) : strlen(arg);

	if (len >= sizeof(host))
		fail("bad address %s", arg);
	memcpy(host, arg, len);
	host[len] = '\0';
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_port =
		htons(colon ? (uint16_t)atoi(colon + 1) : (uint16_t)port);
	if (inet_pton(AF_INET, host, &peer.sin_addr) != 1)
		fail("bad address %s", arg);
}

/* A nonblocking TCP socket to peer, its connection under way. */
static int dial_start(void)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0 &&
	    errno != EINPROGRESS)
		fail("connect: %s", strerror(errno));
	return fd;
}

/* Wait until the n connections under way are all made: together, so
 * that n handshakes cost one round trip, not n. */
static void dial_finish(const int *fds, int n)
{
	static struct pollfd p[MAX_STREAMS];
	int left = n;

	for (int i = 0; i < n; i++)
		p[i] = (struct pollfd){ fds[i], POLLOUT, 0 };
	while (left > 0) {
		wait_for(p, (nfds_t)n);
		for (int i = 0; i < n; i++) {
			int err = 0;
			socklen_t len = sizeof(err);

			if (p[i].fd < 0 || p[i].revents == 0)
				continue;
			getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err != 0)
				fail("connect: %s", strerror(err));
			p[i].fd = -1; /* made: poll ignores it now */
			left--;
		}
	}
}

static int dial(void)
{
	int fd = dial_start();

	dial_finish(&fd, 1);
	return fd;
}

/* --- echo streams ---------------------------------------------------- */

struct stream {
	int fd;
	size_t start;	    /* where in the table this stream begins */
	uint64_t sent, got; /* bytes so far, each way */
};

static uint8_t rbuf[CHUNK];

static const uint8_t *stream_at(const struct stream *s, uint64_t off)
{
	return table + (s->start + off) % TABLE;
}

static void stream_send(struct stream *s, uint64_t want)
{
	size_t n = want - s->sent < CHUNK ? (size_t)(want - s->sent) : CHUNK;
	ssize_t r = send(s->fd, stream_at(s, s->sent), n, MSG_NOSIGNAL);

	if (r < 0 && errno != EAGAIN)
		fail("send after %llu bytes: %s", (unsigned long long)s->sent,
		     strerror(errno));
	if (r > 0)
		s->sent += (uint64_t)r;
}

static void stream_recv(struct stream *s, uint64_t want)
{
	ssize_t r = recv(s->fd, rbuf, sizeof(rbuf), 0);

	if (r < 0 && errno == EAGAIN)
		return;
	if (r < 0)
		fail("recv after %llu bytes: %s", (unsigned long long)s->got,
		     strerror(errno));
	if (r == 0)
		fail("closed by the server after %llu of %llu bytes",
		     (unsigned long long)s->got, (unsigned long long)want);
	if (s->got + (uint64_t)r > want)
		fail("%llu bytes came back, %llu were sent",
		     (unsigned long long)(s->got + (uint64_t)r),
		     (unsigned long long)want);
	if (memcmp(rbuf, stream_at(s, s->got), (size_t)r) != 0) {
		size_t i = 0;

		while (rbuf[i] == stream_at(s, s->got)[i])
			i++;
		fail("byte %llu came back wrong",
		     (unsigned long long)(s->got + i));
	}
	s->got += (uint64_t)r;
}

/* Send want bytes on each stream and check what comes back, all at
 * once (sending only, or reading only, would deadlock once the
 * windows fill). */
static void run_streams(struct stream *s, int n, uint64_t want)
{
	static struct pollfd p[MAX_STREAMS];
	int live = 0;

	for (int i = 0; i < n; i++)
		live += s[i].got < want;

	while (live > 0) {
		int k = 0;

		for (int i = 0; i < n; i++) {
			if (s[i].got == want)
				continue;
			p[k++] = (struct pollfd){
				s[i].fd,
				s[i].sent < want ? POLLIN | POLLOUT : POLLIN, 0
			};
		}
		wait_for(p, (nfds_t)k);
		k = 0;
		for (int i = 0; i < n; i++) {
			short rev;

			if (s[i].got == want)
				continue;
			rev = p[k++].revents;
			if (rev & POLLOUT)
				stream_send(&s[i], want);
			if (rev & (POLLIN | POLLHUP | POLLERR))
				stream_recv(&s[i], want);
			if (s[i].got == want)
				live--;
		}
	}
}

static struct stream streams[MAX_STREAMS];

/* n streams, each from its own start, of want bytes each way. */
static void echo_round(int n, uint64_t want, int first)
{
	static int fds[MAX_STREAMS];

	for (int i = 0; i < n; i++)
		fds[i] = dial_start();
	dial_finish(fds, n);
	for (int i = 0; i < n; i++) {
		streams[i] = (struct stream){ fds[i], 0, 0, 0 };
		streams[i].start =
			(size_t)(((uint64_t)(first + i) * 7919) % TABLE);
	}
	run_streams(streams, n, want);
	for (int i = 0; i < n; i++)
		close(streams[i].fd);
}

static void report(const char *what, double t0, uint64_t bytes,
		   unsigned long conns)
{
	double dt = now() - t0;

	printf("echoclient %s: ok %s bytes=%llu conns=%lu seconds=%.2f "
	       "MBps=%.2f conns_per_s=%.1f\n",
	       mode, what, (unsigned long long)bytes, conns, dt,
	       dt > 0 ? (double)bytes / dt / 1e6 : 0.0,
	       dt > 0 ? (double)conns / dt : 0.0);
}

/* --- one-way services ------------------------------------------------ */

/* discard: send everything, then wait for the server to close, which
 * it does once it has read our end of stream: so all was taken. */
static void discard(uint64_t want)
{
	struct stream s = { dial(), 0, 0, 0 };
	struct pollfd p;
	double t0 = now();

	while (s.sent < want) {
		p = (struct pollfd){ s.fd, POLLOUT, 0 };
		wait_for(&p, 1);
		stream_send(&s, want);
	}
	shutdown(s.fd, SHUT_WR);
	for (;;) {
		ssize_t r;

		p = (struct pollfd){ s.fd, POLLIN, 0 };
		wait_for(&p, 1);
		r = recv(s.fd, rbuf, sizeof(rbuf), 0);
		if (r == 0)
			break;
		if (r > 0)
			fail("discard sent back %zd bytes", r);
		if (errno != EAGAIN)
			fail("recv: %s", strerror(errno));
	}
	close(s.fd);
	report("discard", t0, want, 1);
}

static void chargen_stream(uint64_t want)
{
	int fd = dial();
	uint64_t got = 0;
	double t0 = now();

	while (got < want) {
		struct pollfd p = { fd, POLLIN, 0 };
		size_t n = want - got < CHUNK ? (size_t)(want - got) : CHUNK;
		ssize_t r;

		if (n > CHARGEN_PERIOD)
			n = CHARGEN_PERIOD;
		wait_for(&p, 1);
		r = recv(fd, rbuf, n, 0);
		if (r < 0 && errno == EAGAIN)
			continue;
		if (r <= 0)
			fail("chargen stopped after %llu bytes: %s",
			     (unsigned long long)got,
			     r == 0 ? "closed" : strerror(errno));
		if (memcmp(rbuf, chargen + got % CHARGEN_PERIOD, (size_t)r))
			fail("chargen byte after %llu is wrong",
			     (unsigned long long)got);
		got += (uint64_t)r;
	}
	close(fd);
	report("chargen", t0, got, 1);
}

static void systat(void)
{
	int fd = dial();
	size_t len = 0;
	ssize_t r;

	do {
		struct pollfd p = { fd, POLLIN, 0 };

		wait_for(&p, 1);
		r = recv(fd, rbuf + len, sizeof(rbuf) - 1 - len, 0);
		if (r < 0 && errno != EAGAIN)
			fail("recv: %s", strerror(errno));
		if (r > 0)
			len += (size_t)r;
	} while (r != 0 && len < sizeof(rbuf) - 1);
	close(fd);
	rbuf[len] = '\0';
	printf("echoclient systat: ok %s", (char *)rbuf);
	if (len == 0 || rbuf[len - 1] != '\n')
		printf("\n");
}

/* --- UDP --------------------------------------------------------------- */

/* Datagram k of a test: its index, then the table from there. */
static void datagram(uint8_t *d, size_t len, uint32_t k)
{
	memcpy(d, table + (k * 7919u) % TABLE, len);
	if (len >= 4)
		memcpy(d, &k, 4);
}

/* One datagram of len bytes, sent up to 3 times until it comes back. */
static void udp_one(int fd, size_t len, uint32_t k)
{
	static uint8_t out[65536], in[65536];

	datagram(out, len, k);
	for (int tries = 0; tries < 3; tries++) {
		double until = now() + 5;

		if (send(fd, out, len, 0) != (ssize_t)len)
			fail("udp send %zu: %s", len, strerror(errno));
		while (now() < until) {
			struct pollfd p = { fd, POLLIN, 0 };
			ssize_t r;

			if (poll(&p, 1, 500) <= 0)
				continue;
			r = recv(fd, in, sizeof(in), 0);
			if (r == (ssize_t)len && memcmp(in, out, len) == 0)
				return;
			if (r >= 0 &&
			    (r < 4 || len < 4 || memcmp(in, out, 4) == 0))
				fail("udp: %zu bytes came back for %zu", r,
				     len);
		}
	}
	fail("udp: no answer to %zu bytes, 3 tries", len);
}

/* The burst's answers: each must be the datagram of its index. */
struct burst {
	int n, got, bad;
	uint8_t seen[MAX_STREAMS];
};

/* Take the answers waiting, for up to ms milliseconds. */
static void burst_take(int fd, struct burst *b, int ms)
{
	static uint8_t in[65536], want[1472];
	struct pollfd p = { fd, POLLIN, 0 };
	uint32_t k;
	ssize_t r;

	while (poll(&p, 1, ms) > 0) {
		r = recv(fd, in, sizeof(in), MSG_DONTWAIT);
		if (r < 4)
			continue;
		memcpy(&k, in, 4);
		if (k >= (uint32_t)b->n)
			continue; /* a late answer to udp_one */
		datagram(want, sizeof(want), k);
		if (r != sizeof(want) || memcmp(in, want, sizeof(want)) != 0)
			b->bad++;
		else if (!b->seen[k]++)
			b->got++;
	}
}

/* The sizes one by one, then a burst of 1472-byte datagrams sent back
 * to back (answers are taken as they come, so that our own receive
 * buffer does not drop them). */
static void udp(int n)
{
	static const size_t sizes[] = { 1, 4, 100, 1000, 1472 };
	static uint8_t out[1472];
	static struct burst b;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 8 << 20;
	double t0, until;

	if (fd < 0 || connect(fd, (struct sockaddr *)&peer, sizeof(peer)) < 0)
		fail("udp socket: %s", strerror(errno));
	/* Room for the whole burst's answers (FORCE: as root, beyond
	 * net.core.rmem_max). */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		udp_one(fd, sizes[i], 1000000 + (uint32_t)i);
	b.n = n < MAX_STREAMS ? n : MAX_STREAMS;
	t0 = now();
	for (int k = 0; k < b.n; k++) {
		datagram(out, sizeof(out), (uint32_t)k);
		if (send(fd, out, sizeof(out), 0) != sizeof(out))
			fail("udp burst send: %s", strerror(errno));
		burst_take(fd, &b, 0);
	}
	for (until = now() + 10; b.got < b.n && now() < until;)
		burst_take(fd, &b, 500);
	close(fd);
	printf("echoclient udp: %s sizes=1..1472 burst=%d back=%d bad=%d "
	       "seconds=%.2f\n",
	       b.got == b.n && b.bad == 0 ? "ok" : "FAIL", b.n, b.got, b.bad,
	       now() - t0);
	exit(b.got == b.n && b.bad == 0 ? 0 : 1);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: echoclient [-t SECONDS] [-s SECONDS] echo|concurrent|"
		"sequential|rounds|discard|chargen|udp|systat "
		"HOST[:PORT] [R] [N] [BYTES]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	double t0;
	int a = 1;

	deadline = now() + 600;
	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		deadline = now() + atof(argv[2]);
		a = 3;
	}
	if (argc - a > 2 && strcmp(argv[a], "-s") == 0) {
		stall_ms = atoi(argv[a + 1]) * 1000;
		if (stall_ms < 1000 || stall_ms > STALL_MS)
			usage();
		a += 2;
	}
	if (argc - a < 2)
		usage();
	mode = argv[a];
	for (size_t i = 0; i < sizeof(table); i++)
		table[i] = pattern(0x6563686f, i % TABLE);
	for (size_t i = 0; i < sizeof(chargen); i++)
		chargen[i] = chargen_byte(i);
	t0 = now();
	if (strcmp(mode, "echo") == 0 && argc - a == 3) {
		set_peer(argv[a + 1], 7);
		echo_round(1, strtoull(argv[a + 2], NULL, 0), 0);
		report("echo", t0, strtoull(argv[a + 2], NULL, 0), 1);
	} else if (strcmp(mode, "concurrent") == 0 && argc - a == 4) {
		int n = atoi(argv[a + 2]);
		uint64_t want = strtoull(argv[a + 3], NULL, 0);

		if (n < 1 || n > MAX_STREAMS)
			usage();
		set_peer(argv[a + 1], 7);
		echo_round(n, want, 0);
		report("concurrent", t0, want * (uint64_t)n, (unsigned long)n);
	} else if (strcmp(mode, "sequential") == 0 && argc - a == 4) {
		int n = atoi(argv[a + 2]);
		uint64_t want = strtoull(argv[a + 3], NULL, 0);

		set_peer(argv[a + 1], 7);
		for (int i = 0; i < n; i++)
			echo_round(1, want, i);
		report("sequential", t0, want * (uint64_t)n, (unsigned long)n);
	} else if (strcmp(mode, "rounds") == 0 && argc - a == 5) {
		int r = atoi(argv[a + 2]), n = atoi(argv[a + 3]);
		uint64_t want = strtoull(argv[a + 4], NULL, 0);

		if (n < 1 || n > MAX_STREAMS)
			usage();
		set_peer(argv[a + 1], 7);
		for (int i = 0; i < r; i++)
			echo_round(n, want, i * n);
		report("rounds", t0, want * (uint64_t)r * (uint64_t)n,
		       (unsigned long)r * (unsigned long)n);
	} else if (strcmp(mode, "discard") == 0 && argc - a == 3) {
		set_peer(argv[a + 1], 9);
		discard(strtoull(argv[a + 2], NULL, 0));
	} else if (strcmp(mode, "chargen") == 0 && argc - a == 3) {
		set_peer(argv[a + 1], 19);
		chargen_stream(strtoull(argv[a + 2], NULL, 0));
	} else if (strcmp(mode, "udp") == 0 && argc - a == 3) {
		set_peer(argv[a + 1], 7);
		udp(atoi(argv[a + 2]));
	} else if (strcmp(mode, "systat") == 0 && argc - a == 2) {
		set_peer(argv[a + 1], 11);
		systat();
	} else {
		usage();
	}
	return 0;
}
