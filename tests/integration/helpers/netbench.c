/*
 * netbench - the dom0 client of make bench's network section, run
 * against xenlet's examples/echo and against the Linux baseline guest
 * (tests/bench/linux-guest/services.c): both serve TCP echo (7),
 * discard (9), source (19) and UDP echo (7).
 *
 *   netbench send ADDR PORT MIB        MIB MiB into discard; the time
 *                                      runs from the connection's set-up
 *                                      until the peer has read it all
 *                                      and closed (its FIN)
 *   netbench recv ADDR PORT MIB        MIB MiB from source (from set-up
 *                                      to the last byte)
 *   netbench echo ADDR PORT BYTES      TCP echo of BYTES, checked
 *   netbench uecho ADDR PORT BYTES     one UDP datagram echoed, checked
 *   netbench firstconn ADDR PORT START_MS TIMEOUT_S
 *                                      connect until a SYN is answered;
 *                                      prints the ms since START_MS
 *                                      (CLOCK_REALTIME, as bash's
 *                                      EPOCHREALTIME: taken just before
 *                                      `xl create`)
 *   netbench first200 ADDR PORT START_MS TIMEOUT_S
 *                                      the same, then GET / until the
 *                                      answer's status is 200; prints
 *                                      both times (a server may listen
 *                                      before it serves)
 *
 * send also prints what dom0's TCP saw of the connection (TCP_INFO):
 * the round trip, the congestion window and the peer's advertised
 * window, sampled after each write, retransmits, and how long the
 * sender was held back by the peer's window or by its own send buffer
 * (the kernel's "chrono" counters): where a slow receiver's time goes.
 *
 * One result line, "netbench: ..." (MB = 10^6 bytes); exit 0 on
 * success, 1 with one "netbench: ... error" line otherwise. Every wait
 * has a deadline: a guest that stops answering ends the run with an
 * error, never a hang.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
/* struct tcp_info as Linux 6.1 fills it (glibc's stops before the
 * chrono counters and snd_wnd). */
#include <linux/tcp.h>

#include "../pattern.h"

#define MiB (1024 * 1024)
/* A transfer that makes no progress for this long has failed: under
 * emulation a busy test host stalls for seconds, never for this long. */
#define STALL_S 30
/* The whole of one command, whatever it does. */
#define DEADLINE_S 600
/* firstconn: how long one attempt waits for the SYN's answer before a
 * fresh SYN (TCP would retransmit only after its 1 s initial RTO). */
#define ATTEMPT_MS 20
/* ... and attempts start at least this far apart: a refused one (RST:
 * up but not listening yet) ends at once and must not spin. */
#define PERIOD_US 5000
/* first200: one GET's deadline (connect, send, status line), and the
 * spacing of GETs (a 503 or a reset must not spin). */
#define GET_S	   2
#define GET_GAP_US 20000
#define SEED	   10

static struct sockaddr_in peer;
static char buf[MiB];

static void fail(const char *what)
{
	printf("netbench: %s error: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_us(clockid_t clk)
{
	struct timespec t;

	clock_gettime(clk, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* A number argument in [min, max], or exit. */
static uint64_t number(const char *s, uint64_t min, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		printf("netbench: bad number '%s' (%llu..%llu)\n", s,
		       (unsigned long long)min, (unsigned long long)max);
		exit(2);
	}
	return v;
}

static void set_peer(const char *addr, const char *port)
{
	peer.sin_family = AF_INET;
	peer.sin_port = htons((uint16_t)number(port, 1, 65535));
	if (inet_pton(AF_INET, addr, &peer.sin_addr) != 1) {
		printf("netbench: bad IPv4 address '%s'\n", addr);
		exit(2);
	}
}

static void timeouts(int fd)
{
	struct timeval tv = { .tv_sec = STALL_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* A blocking socket of TYPE connected to the peer, with STALL_S
 * deadlines on every read and write (and on connect, by SO_SNDTIMEO).
 * Up to 5 tries, 200 ms apart, while dom0 finds no route: its ARP entry
 * for a guest slow to answer under emulation may have just failed. */
static int dial(int type)
{
	int fd, try;

	for (try = 0; try < 5; try++) {
		fd = socket(AF_INET, type, 0);
		if (fd < 0)
			fail("socket");
		timeouts(fd);
		if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) == 0)
			return fd;
		if (errno != EHOSTUNREACH)
			break;
		close(fd);
		usleep(200000);
	}
	fail("connect");
	return -1;
}

/* Integers only: in the test host's dom0 a figure printed with %f once
 * came out as 0.000 beside a right one (the emulated FPU state of a PV
 * process is not to be trusted). bytes/us is MB/s (MB = 10^6 bytes). */
static void result(const char *what, uint64_t bytes, uint64_t us)
{
	uint64_t tenths;

	if (us == 0)
		us = 1;
	tenths = bytes * 10 / us;
	printf("netbench: %s %llu bytes %llu.%03llu s %llu.%llu MB/s\n", what,
	       (unsigned long long)bytes, (unsigned long long)(us / 1000000),
	       (unsigned long long)(us / 1000 % 1000),
	       (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10));
}

/* The samples of one connection's TCP_INFO taken during a send. */
struct tcp_samples {
	unsigned long n;
	uint64_t cwnd_sum, wnd_sum, rtt_sum;
	uint32_t cwnd_min, cwnd_max, wnd_min, wnd_max;
};

static int tcp_info_of(int fd, struct tcp_info *ti)
{
	socklen_t len = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	return getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &len);
}

static void tcp_sample(int fd, struct tcp_samples *s)
{
	struct tcp_info ti;

	if (tcp_info_of(fd, &ti) < 0)
		return;
	if (s->n == 0 || ti.tcpi_snd_cwnd < s->cwnd_min)
		s->cwnd_min = ti.tcpi_snd_cwnd;
	if (s->n == 0 || ti.tcpi_snd_wnd < s->wnd_min)
		s->wnd_min = ti.tcpi_snd_wnd;
	if (ti.tcpi_snd_cwnd > s->cwnd_max)
		s->cwnd_max = ti.tcpi_snd_cwnd;
	if (ti.tcpi_snd_wnd > s->wnd_max)
		s->wnd_max = ti.tcpi_snd_wnd;
	s->cwnd_sum += ti.tcpi_snd_cwnd;
	s->wnd_sum += ti.tcpi_snd_wnd;
	s->rtt_sum += ti.tcpi_rtt;
	s->n++;
}

/* One line of what the sender saw: means of the samples, and the
 * kernel's totals for the connection (times in ms). */
static void tcp_report(int fd, const struct tcp_samples *s)
{
	struct tcp_info ti;
	unsigned long n = s->n ? s->n : 1;

	if (tcp_info_of(fd, &ti) < 0)
		return;
	printf("netbench: send tcp: %lu samples; rtt mean %llu us; cwnd "
	       "%u/%llu/%u segments of %u bytes (min/mean/max); peer "
	       "window %u/%llu/%u KiB; retransmitted %u; busy %llu ms, "
	       "of it limited by the peer's window %llu ms, by the send "
	       "buffer %llu ms\n",
	       s->n, (unsigned long long)(s->rtt_sum / n), s->cwnd_min,
	       (unsigned long long)(s->cwnd_sum / n), s->cwnd_max,
	       ti.tcpi_snd_mss, s->wnd_min / 1024,
	       (unsigned long long)(s->wnd_sum / n / 1024), s->wnd_max / 1024,
	       ti.tcpi_total_retrans,
	       (unsigned long long)(ti.tcpi_busy_time / 1000),
	       (unsigned long long)(ti.tcpi_rwnd_limited / 1000),
	       (unsigned long long)(ti.tcpi_sndbuf_limited / 1000));
}

static int do_send(uint64_t mib)
{
	/* Writes of 256 KiB: a sample of TCP_INFO after each. */
	const size_t chunk = 256 * 1024;
	struct tcp_samples samples = { 0 };
	uint64_t t0, left = mib * MiB;
	ssize_t n;
	int fd;

	fd = dial(SOCK_STREAM);
	t0 = now_us(CLOCK_MONOTONIC);
	while (left > 0) {
		n = write(fd, buf, left < chunk ? left : chunk);
		if (n <= 0)
			fail("send");
		left -= (uint64_t)n;
		tcp_sample(fd, &samples);
	}
	/* Discard reads until our FIN, then closes: its FIN says all of
	 * it has arrived, not merely left our socket buffer. */
	shutdown(fd, SHUT_WR);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		fail("send: waiting for the peer to close:");
	result("send", mib * MiB, now_us(CLOCK_MONOTONIC) - t0);
	tcp_report(fd, &samples);
	close(fd);
	return 0;
}

static int do_recv(uint64_t mib)
{
	uint64_t t0, left = mib * MiB;
	ssize_t n;
	int fd;

	fd = dial(SOCK_STREAM);
	t0 = now_us(CLOCK_MONOTONIC);
	while (left > 0) {
		n = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (n == 0)
			errno = ECONNRESET; /* the stream ended early */
		if (n <= 0)
			fail("recv");
		left -= (uint64_t)n;
	}
	result("recv", mib * MiB, now_us(CLOCK_MONOTONIC) - t0);
	close(fd);
	return 0;
}

/* TCP echo: write and read at once (an echo peer that buffers less than
 * BYTES would otherwise deadlock us), then check every byte. */
static int do_echo(uint64_t bytes)
{
	static char back[MiB];
	uint64_t sent = 0, got = 0, i, t0;
	struct pollfd p;
	ssize_t n;

	for (i = 0; i < bytes; i++)
		buf[i] = (char)pattern(SEED, i);
	t0 = now_us(CLOCK_MONOTONIC);
	p.fd = dial(SOCK_STREAM);
	fcntl(p.fd, F_SETFL, O_NONBLOCK);
	while (got < bytes) {
		p.events = POLLIN | (sent < bytes ? POLLOUT : 0);
		if (poll(&p, 1, STALL_S * 1000) <= 0) {
			errno = ETIMEDOUT;
			fail("echo");
		}
		if (sent < bytes && (p.revents & POLLOUT)) {
			n = write(p.fd, buf + sent, bytes - sent);
			if (n < 0 && errno != EAGAIN)
				fail("echo: write");
			sent += n > 0 ? (uint64_t)n : 0;
		}
		n = read(p.fd, back + got, bytes - got);
		if (n == 0)
			errno = ECONNRESET;
		if (n == 0 || (n < 0 && errno != EAGAIN))
			fail("echo: read");
		got += n > 0 ? (uint64_t)n : 0;
	}
	close(p.fd);
	if (memcmp(buf, back, bytes) != 0) {
		printf("netbench: echo error: %llu bytes came back changed\n",
		       (unsigned long long)bytes);
		return 1;
	}
	result("echo", bytes, now_us(CLOCK_MONOTONIC) - t0);
	return 0;
}

/* UDP echo of one datagram: up to 5 tries, 2 s each (UDP may drop it). */
static int do_uecho(uint64_t bytes)
{
	static char back[65536];
	struct timeval tv = { .tv_sec = 2 };
	uint64_t i, t0;
	ssize_t n = -1;
	int fd, try;

	for (i = 0; i < bytes; i++)
		buf[i] = (char)pattern(SEED, i);
	fd = dial(SOCK_DGRAM);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	t0 = now_us(CLOCK_MONOTONIC);
	for (try = 0; try < 5 && n < 0; try++) {
		if (send(fd, buf, bytes, 0) < 0)
			fail("uecho: send");
		n = recv(fd, back, sizeof(back), 0);
	}
	if (n < 0)
		fail("uecho: no answer");
	if ((uint64_t)n != bytes || memcmp(buf, back, bytes) != 0) {
		printf("netbench: uecho error: sent %llu bytes, got %zd "
		       "back%s\n",
		       (unsigned long long)bytes, n,
		       (uint64_t)n == bytes ? " changed" : "");
		return 1;
	}
	printf("netbench: uecho %llu bytes ok, %llu us, %d tries\n",
	       (unsigned long long)bytes,
	       (unsigned long long)(now_us(CLOCK_MONOTONIC) - t0), try);
	close(fd);
	return 0;
}

/* One connect attempt: 1 if the SYN was answered by a SYN-ACK within
 * ATTEMPT_MS. A refusal or no route yet (ARP unanswered) is 0, like
 * silence. */
static int attempt(void)
{
	struct pollfd p;
	int err = 0, ok = 0;
	socklen_t len = sizeof(err);

	p.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (p.fd < 0)
		fail("socket");
	p.events = POLLOUT;
	if (connect(p.fd, (struct sockaddr *)&peer, sizeof(peer)) == 0)
		ok = 1;
	else if (errno == EINPROGRESS && poll(&p, 1, ATTEMPT_MS) == 1 &&
		 getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0)
		ok = err == 0;
	close(p.fd);
	return ok;
}

/* ms since START_MS by the wall clock (START_MS is bash's). */
static long long since(uint64_t start_ms)
{
	return (long long)(now_us(CLOCK_REALTIME) / 1000) - (long long)start_ms;
}

/* Attempts until a SYN is answered, for TIMEOUT_S at most. */
static int do_firstconn(uint64_t start_ms, uint64_t timeout_s)
{
	uint64_t end = now_us(CLOCK_MONOTONIC) + timeout_s * 1000000;
	uint64_t t;
	unsigned long tries = 0;
	int64_t wait;

	while ((t = now_us(CLOCK_MONOTONIC)) < end) {
		tries++;
		if (attempt()) {
			printf("netbench: first answer %lld ms, %lu attempts\n",
			       since(start_ms), tries);
			return 0;
		}
		wait = (int64_t)(t + PERIOD_US) -
		       (int64_t)now_us(CLOCK_MONOTONIC);
		if (wait > 0)
			usleep((useconds_t)wait);
	}
	printf("netbench: firstconn error: no answer in %llu s, %lu attempts\n",
	       (unsigned long long)timeout_s, tries);
	return 1;
}

/* One GET /: 1 if the status line says 200. Each step has GET_S. */
static int get200(const char *host)
{
	char req[128], st[16];
	size_t got = 0;
	ssize_t n;
	int fd, len, ok = 0;
	struct timeval tv = { .tv_sec = GET_S };

	len = snprintf(
		req, sizeof(req),
		"GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n",
		host);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		fail("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) == 0 &&
	    write(fd, req, (size_t)len) == len) {
		/* "HTTP/1.1 200": 12 bytes, which may come in pieces. */
		while (got < 12 && (n = read(fd, st + got, 12 - got)) > 0)
			got += (size_t)n;
		ok = got == 12 && memcmp(st, "HTTP/1.", 7) == 0 &&
		     memcmp(st + 8, " 200", 4) == 0;
	}
	close(fd);
	return ok;
}

/* firstconn, then GETs until a 200; TIMEOUT_S for both together. */
static int do_first200(const char *host, uint64_t start_ms, uint64_t timeout_s)
{
	uint64_t end = now_us(CLOCK_MONOTONIC) + timeout_s * 1000000;
	unsigned long tries = 0;

	if (do_firstconn(start_ms, timeout_s))
		return 1;
	while (now_us(CLOCK_MONOTONIC) < end) {
		tries++;
		if (get200(host)) {
			printf("netbench: first 200 %lld ms, %lu GETs\n",
			       since(start_ms), tries);
			return 0;
		}
		usleep(GET_GAP_US);
	}
	printf("netbench: first200 error: no 200 in %llu s, %lu GETs\n",
	       (unsigned long long)timeout_s, tries);
	return 1;
}

static void usage(void)
{
	fprintf(stderr, "usage: netbench send|recv ADDR PORT MIB\n"
			"       netbench echo|uecho ADDR PORT BYTES\n"
			"       netbench firstconn|first200 ADDR PORT START_MS "
			"TIMEOUT_S\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (argc < 5)
		usage();
	signal(SIGPIPE, SIG_IGN);
	/* The last word on deadlines: SIGALRM ends the process. */
	alarm(DEADLINE_S);
	set_peer(argv[2], argv[3]);
	memset(buf, 'n', sizeof(buf));
	if (strcmp(cmd, "send") == 0 && argc == 5)
		return do_send(number(argv[4], 1, 1 << 20));
	if (strcmp(cmd, "recv") == 0 && argc == 5)
		return do_recv(number(argv[4], 1, 1 << 20));
	if (strcmp(cmd, "echo") == 0 && argc == 5)
		return do_echo(number(argv[4], 1, MiB));
	if (strcmp(cmd, "uecho") == 0 && argc == 5)
		return do_uecho(number(argv[4], 1, 65507));
	if (strcmp(cmd, "firstconn") == 0 && argc == 6)
		return do_firstconn(number(argv[4], 1, UINT64_MAX / 2),
				    number(argv[5], 1, DEADLINE_S - 10));
	if (strcmp(cmd, "first200") == 0 && argc == 6)
		return do_first200(argv[2], number(argv[4], 1, UINT64_MAX / 2),
				   number(argv[5], 1, DEADLINE_S - 10));
	usage();
	return 2;
}
