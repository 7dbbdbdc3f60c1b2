/*
 * httpd - an HTTP/1.1 static file server on port 80, serving the guest's
 * root file system (the xl ramdisk, built from examples/httpd/rootfs/).
 *
 *   xl create config/httpd.cfg       (extra = "ip=10.99.0.2/24")
 *   curl http://10.99.0.2/           (from dom0)
 *
 * GET and HEAD, keep-alive and pipelining, Last-Modified and
 * If-Modified-Since. Words of extra=: log=1 prints an access-log line
 * per request; status=1 answers GET /.httpd/status with the counts and
 * the heap's figures; header_timeout=MS shortens the header deadline.
 * "status" typed at the console prints the counts and memory figures.
 *
 * An ordinary POSIX program: nonblocking sockets and one poll() loop
 * over every connection (xenlet's threads are cooperative, so a thread
 * per connection would buy no parallelism, only a stack each). Only
 * stop.c (xenlet's page figures) and control_on_stop (`xl shutdown`)
 * know it runs on xenlet.
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
#include <time.h>
#include <unistd.h>
#include <xenlet/control.h>
#include "httpd.h"

#ifndef PORT
#define PORT 80 /* (a host build for debugging may choose another) */
#endif
/* Connections served at once: about 10 KiB each here, plus lwIP's
 * buffers; lwIP has 160 sockets (net/lwip/lwipopts.h). More wait in the
 * listen backlog (128), and are taken as others end. */
#define MAX_CONNS 128
/* accept() ran out of descriptors or memory: the listener sits out one
 * poll of PAUSE_MS (polling it would spin on the backlog). */
#define PAUSE_MS 100
/* SO_SNDBUF of each connection (the listener's, inherited): what one
 * client may have in flight. Queued bytes are heap, and the stack's own
 * bound (512 KiB, for a fast single stream) would let 10 downloads of
 * a large file take 3 MiB or more; 64 KiB each keeps 10 parallel
 * downloads under 1 MiB and still fills a round trip of a few ms on
 * the vif. */
#define SNDBUF (64 * 1024)

struct httpd_config config = { .header_timeout = HEADER_TIMEOUT_MS };
struct httpd_counts counts;
static struct conn *conns[MAX_CONNS];
static int nconns, listen_fd, accept_paused;

int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int listener(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, sndbuf = SNDBUF,
	    fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)) <
		    0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void accept_all(void)
{
	while (nconns < MAX_CONNS) {
		struct sockaddr_in sin;
		socklen_t len = sizeof(sin);
		int one = 1, fd = accept4(listen_fd, (struct sockaddr *)&sin,
					  &len, SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOMEM || errno == ENOBUFS)
				accept_paused = 1;
			return;
		}
		/* An answer is written whole, then the next request is
		 * awaited: Nagle's algorithm would hold an answer's last
		 * segment for the ACK of its first, which the client delays
		 * (40 ms on Linux) while it waits for the rest. */
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c = conn_new(fd, sin.sin_addr.s_addr);
		if (c == NULL) {
			counts.refused++;
			close(fd);
			accept_paused = 1;
			return;
		}
		conns[nconns++] = c;
	}
}

/*
 * Lines typed at the console (stdin; `xl console`, or `make run`'s
 * terminal): "status" prints the status line. Anything else is
 * answered with the one word known. A console that ends or fails is
 * polled no more; a line longer than line[] is dropped.
 */
static int console_open = 1;

static void console_command(const char *cmd)
{
	char out[320];

	if (strcmp(cmd, "status") == 0) {
		status_line(out, sizeof(out));
		printf("%s", out);
		net_status_line(out, sizeof(out));
		printf("%s", out);
	} else if (cmd[0] != '\0') {
		printf("httpd: console: '%.40s'? (status)\n", cmd);
	}
	fflush(stdout);
}

static void console_input(void)
{
	static char line[64];
	static size_t n;
	ssize_t r = read(0, line + n, sizeof(line) - 1 - n);
	char *end;

	if (r <= 0) {
		if (r == 0 || (errno != EAGAIN && errno != EINTR))
			console_open = 0;
		return;
	}
	n += (size_t)r;
	line[n] = '\0';
	/* A console sends CR (a terminal's Enter) or LF. */
	while ((end = strpbrk(line, "\r\n")) != NULL) {
		*end = '\0';
		console_command(line);
		n -= (size_t)(end + 1 - line);
		memmove(line, end + 1, n + 1);
	}
	if (n == sizeof(line) - 1)
		n = 0;
}

/* The poll timeout: until the nearest connection deadline. */
static int next_timeout(int64_t now)
{
	int64_t t = accept_paused ? PAUSE_MS : -1;

	for (int j = 0; j < nconns; j++) {
		int64_t left = conns[j]->deadline - now;

		if (left < 0)
			left = 0;
		if (t < 0 || left < t)
			t = left;
	}
	return (int)t;
}

static void drop(int j)
{
	conn_free(conns[j]);
	conns[j] = conns[--nconns];
}

static void serve_once(void)
{
	static struct pollfd fds[2 + MAX_CONNS];
	int64_t now = now_ms();
	int j, full = nconns == MAX_CONNS || accept_paused;

	fds[0] = (struct pollfd){ full ? -1 : listen_fd, POLLIN, 0 };
	fds[1] = (struct pollfd){ console_open ? 0 : -1, POLLIN, 0 };
	for (j = 0; j < nconns; j++)
		fds[2 + j] = (struct pollfd){ conns[j]->fd,
					      conn_events(conns[j]), 0 };
	if (poll(fds, (nfds_t)(2 + nconns), next_timeout(now)) < 0) {
		perror("httpd: poll");
		exit(1);
	}
	accept_paused = 0;
	memory_sample();
	now = now_ms();
	/* Backwards: a dropped connection takes the last one's place. */
	for (j = nconns - 1; j >= 0; j--) {
		short rev = fds[2 + j].revents;

		if (rev && conn_ready(conns[j], rev) < 0) {
			drop(j);
		} else if (!rev && now >= conns[j]->deadline) {
			counts.timeouts++; /* idle, or too slow: see httpd.h */
			drop(j);
		}
	}
	if (fds[0].revents)
		accept_all();
	if (fds[1].revents)
		console_input();
}

/*
 * This guest's address, as a program finds it with POSIX calls alone:
 * a UDP socket connected to an address off the local network (which
 * sends nothing) is given the source address of the route there by
 * getsockname(), as on Linux. By then the stack is up: socket() has
 * waited for the address (DHCP, or ip=). 0 if there is none.
 */
static uint32_t own_address(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	uint32_t a = 0;

	/* 192.0.2.1: TEST-NET-1 (RFC 5737), routed, never answered. */
	sin.sin_addr.s_addr = htonl(0xc0000201);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		a = sin.sin_addr.s_addr;
	if (fd >= 0)
		close(fd);
	return a;
}

/* The URL, once the address is known (from extra='s ip=, xl's vif ip=
 * or DHCP: the stack waited for it before the first socket). */
static void print_url(void)
{
	char addr[INET_ADDRSTRLEN];
	struct in_addr a = { own_address() };

	if (a.s_addr != 0 && inet_ntop(AF_INET, &a, addr, sizeof(addr)))
		printf("httpd: serving http://%s/\n", addr);
	else
		printf("httpd: serving on port %d (no address yet)\n", PORT);
	fflush(stdout);
}

static void report(void)
{
	char line[320];

	status_line(line, sizeof(line));
	printf("%s", line);
	net_status_line(line, sizeof(line));
	printf("%s", line);
}

static int flag(const char *name)
{
	const char *v = getenv(name);

	return v != NULL && strcmp(v, "1") == 0;
}

int main(void)
{
	const char *t = getenv("header_timeout");

	config.log = flag("log");
	config.status = flag("status");
	if (t != NULL && atoi(t) > 0)
		config.header_timeout = atoi(t);
	listen_fd = listener();
	if (listen_fd < 0) {
		fprintf(stderr, "httpd: tcp port %d: %s\n", PORT,
			strerror(errno));
		return 1;
	}
	control_on_stop(report);
	print_url();
	for (;;)
		serve_once();
}
