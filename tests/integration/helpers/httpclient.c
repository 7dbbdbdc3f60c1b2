/*
 * httpclient - dom0's many-connection client for examples/httpd, where
 * curl processes would be too slow to start by the hundred under
 * emulation:
 *
 *   httpclient concurrent ADDR PATH N LEN      N connections at once, one
 *                                              GET each (Connection: close)
 *   httpclient keepalive ADDR PATH C R LEN     C connections at once, R GETs
 *                                              one after another on each
 *   httpclient stall ADDR N SECONDS            N requests that never end
 *                                              (half of them trickling a
 *                                              byte every 0.5 s): each must
 *                                              be closed by the server in
 *                                              SECONDS (+ 10), unanswered
 *
 * Every answer must be "HTTP/1.1 200" with a Content-Length of LEN and
 * LEN bytes of body. Prints "httpclient MODE: ok ..." with its figures
 * and exits 0, or "httpclient MODE: FAIL why" and exits 1. Every wait
 * has a deadline: -t SECONDS for the whole run (default 300). -p PORT
 * asks another port than 80 (to try the client on other servers).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 1000
#define HEAD_MAX  4096

struct conn {
	int fd;
	int left;	  /* requests still to send on it */
	int sent;	  /* the current request is sent */
	size_t head_len;  /* bytes of the answer's head so far */
	long long body;	  /* body bytes still expected; -1: in the head */
	double closed_at; /* stall: when the server closed it */
	int trickle;	  /* stall: bytes of the partial request sent */
	char head[HEAD_MAX];
};

static const char *mode;
static struct sockaddr_in server;
static double deadline;
static char req[512];
static size_t req_len;
static long long want_len;
static struct conn conns[MAX_CONNS];
static const char *why = ""; /* how a connection ended */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("httpclient %s: FAIL ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(1);
}

static int connect_to(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0)
		fail("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0)
		fail("connect: %s", strerror(errno));
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* The answer's head is whole: check it, and expect its body. */
static void check_head(struct conn *c)
{
	char *cl;

	c->head[c->head_len] = '\0';
	if (strncmp(c->head, "HTTP/1.1 200 ", 13) != 0)
		fail("answer: %.80s", c->head);
	cl = strstr(c->head, "\r\nContent-Length: ");
	if (cl == NULL || atoll(cl + 18) != want_len)
		fail("no Content-Length %lld: %.200s", want_len, c->head);
	c->body = want_len;
}

/* Read what came; 1 once the current answer is whole, -1 at EOF. */
static int take(struct conn *c)
{
	char buf[65536], *end;
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
	size_t used = 0;

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n <= 0) {
		why = n == 0 ? "closed" : strerror(errno);
		return -1;
	}
	if (c->body < 0) {
		size_t room = HEAD_MAX - 1 - c->head_len;
		size_t k = (size_t)n < room ? (size_t)n : room;

		memcpy(c->head + c->head_len, buf, k);
		c->head_len += k;
		c->head[c->head_len] = '\0';
		end = strstr(c->head, "\r\n\r\n");
		if (end == NULL) {
			if (c->head_len == HEAD_MAX - 1)
				fail("head too long");
			return 0;
		}
		used = (size_t)(end + 4 - c->head) - (c->head_len - k);
		c->head_len = (size_t)(end + 4 - c->head);
		check_head(c);
	}
	c->body -= (long long)((size_t)n - used);
	if (c->body < 0)
		fail("%lld bytes more than Content-Length", -c->body);
	return c->body == 0;
}

static void send_request(struct conn *c)
{
	if (send(c->fd, req, req_len, MSG_NOSIGNAL) != (ssize_t)req_len)
		fail("send: %s", strerror(errno));
	c->sent = 1;
	c->head_len = 0;
	c->body = -1;
}

/* n connections, each asking reqs times; returns the seconds taken. */
static double run(int n, int reqs)
{
	static struct pollfd fds[MAX_CONNS];
	double t0 = now();
	int open = n, done = 0;

	for (int i = 0; i < n; i++) {
		conns[i].fd = connect_to();
		conns[i].left = reqs;
		send_request(&conns[i]);
	}
	while (open > 0) {
		int k = 0, ms = (int)((deadline - now()) * 1000);

		for (int i = 0; i < n; i++)
			if (conns[i].fd >= 0)
				fds[k++] = (struct pollfd){ conns[i].fd, POLLIN,
							    0 };
		if (ms <= 0 || poll(fds, (nfds_t)k, ms) <= 0)
			fail("%d of %d requests answered in time", done,
			     n * reqs);
		for (int i = 0; i < n; i++) {
			struct conn *c = &conns[i];
			int r;

			if (c->fd < 0)
				continue;
			r = take(c);
			if (r < 0)
				fail("connection %d %s before its answer "
				     "(%d of %d answered)",
				     i, why, done, n * reqs);
			if (r == 0)
				continue;
			done++;
			if (--c->left > 0) {
				send_request(c);
				continue;
			}
			close(c->fd);
			c->fd = -1;
			open--;
		}
	}
	return now() - t0;
}

static void set_request(const char *path, int keep)
{
	req_len = (size_t)snprintf(req, sizeof(req),
				   "GET %s HTTP/1.1\r\nHost: httpd\r\n%s\r\n",
				   path, keep ? "" : "Connection: close\r\n");
}

/* Each stalled connection: the head of a request that never ends. */
static const char partial[] = "GET / HTTP/1.1\r\nHost: httpd\r\nX-Slow: ";

/* Returns the seconds the last one stayed open; *first those of the
 * first to close. */
static double stall(int n, int timeout, double *first)
{
	double t0 = now(), next = t0, last = 0;
	int open = n;

	for (int i = 0; i < n; i++) {
		conns[i].fd = connect_to();
		conns[i].trickle = 0;
		if (send(conns[i].fd, partial, sizeof(partial) - 1,
			 MSG_NOSIGNAL) < 0)
			fail("send: %s", strerror(errno));
	}
	while (open > 0) {
		char b;

		if (now() > t0 + timeout + 10 || now() > deadline)
			fail("%d of %d stalled requests still open after %.1f "
			     "s",
			     open, n, now() - t0);
		for (int i = 0; i < n; i++) {
			struct conn *c = &conns[i];
			ssize_t r;

			if (c->fd < 0)
				continue;
			r = recv(c->fd, &b, 1, 0);
			if (r > 0)
				fail("an answer to a request that never ended");
			if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
				close(c->fd);
				c->fd = -1;
				c->closed_at = now() - t0;
				if (open == n)
					*first = c->closed_at;
				last = c->closed_at;
				open--;
			} else if (i % 2 == 1 && now() >= next) {
				send(c->fd, "x", 1, MSG_NOSIGNAL);
				c->trickle++;
			}
		}
		if (now() >= next)
			next = now() + 0.5;
		usleep(20000);
	}
	for (int i = 0; i < n; i++)
		if (conns[i].closed_at < timeout - 1)
			fail("a stalled request closed after %.1f s, before "
			     "the %d s deadline",
			     conns[i].closed_at, timeout);
	return last;
}

int main(int argc, char **argv)
{
	int opt, total = 300, port = 80;
	double t;

	while ((opt = getopt(argc, argv, "t:p:")) != -1)
		if (opt == 't')
			total = atoi(optarg);
		else if (opt == 'p')
			port = atoi(optarg);
	argv += optind;
	argc -= optind;
	deadline = now() + total;
	mode = argc > 0 ? argv[0] : "?";
	server.sin_family = AF_INET;
	server.sin_port = htons((in_port_t)port);
	if (argc < 3 || inet_pton(AF_INET, argv[1], &server.sin_addr) != 1)
		fail("usage: see the comment at the top of httpclient.c");
	if (strcmp(mode, "concurrent") == 0 && argc == 5) {
		int n = atoi(argv[3]);

		if (n < 1 || n > MAX_CONNS)
			fail("N from 1 to %d", MAX_CONNS);
		set_request(argv[2], 0);
		want_len = atoll(argv[4]);
		t = run(n, 1);
		printf("httpclient concurrent: ok %d requests at once in "
		       "%.2f s\n",
		       n, t);
	} else if (strcmp(mode, "keepalive") == 0 && argc == 6) {
		int c = atoi(argv[3]), r = atoi(argv[4]);

		if (c < 1 || c > MAX_CONNS || r < 1)
			fail("C from 1 to %d, R from 1", MAX_CONNS);
		set_request(argv[2], 1);
		want_len = atoll(argv[5]);
		t = run(c, r);
		printf("httpclient keepalive: ok %d requests on %d "
		       "connections in %.2f s (%.0f requests/s)\n",
		       c * r, c, t, c * r / t);
	} else if (strcmp(mode, "stall") == 0 && argc == 4) {
		int n = atoi(argv[2]), timeout = atoi(argv[3]);

		if (n < 1 || n > MAX_CONNS || timeout < 1)
			fail("N from 1 to %d, SECONDS from 1", MAX_CONNS);
		double first = 0;

		t = stall(n, timeout, &first);
		printf("httpclient stall: ok %d stalled requests all closed "
		       "by the server, after %.1f to %.1f s\n",
		       n, first, t);
	} else {
		fail("usage: see the comment at the top of httpclient.c");
	}
	return 0;
}
