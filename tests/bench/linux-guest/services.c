/*
 * services - the network peer of the Linux baseline guest of make bench:
 * the classic services xenlet's examples/echo offers, so that one dom0
 * client (tests/integration/helpers/netbench.c) drives both guests:
 *
 *   TCP echo     port 7    (RFC 862) sends back what it reads
 *   UDP echo     port 7    (RFC 862) sends each datagram back
 *   TCP discard  port 9    (RFC 863) reads and drops
 *   TCP source   port 19   writes a continuous stream until the peer
 *                          closes (chargen, RFC 864, without its lines)
 *
 *   services [-o OFFSET]   listen on each port + OFFSET (tests on a
 *                          build machine, where ports below 1024 need root)
 *
 * One thread, one poll() loop, non-blocking sockets: any number of
 * clients at once, none of them able to stall another. It prints one
 * line once it serves. Static, so the guest's initramfs needs no C
 * library for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define ECHO_PORT    7
#define DISCARD_PORT 9
#define SOURCE_PORT  19
/* More clients than this wait in the listen backlog. */
#define MAX_CONNS 64
#define BUF_SIZE  (256 * 1024)

enum service { ECHO, DISCARD, SOURCE, UDP_ECHO };

struct conn {
	int fd;
	enum service svc;
	/* echo: bytes read and not yet written back, from off to len. */
	size_t off, len;
	char *buf;
};

/* pfd[0..NLISTEN-1] are the listeners, then one per connection. */
#define NLISTEN 4
static struct pollfd pfd[NLISTEN + MAX_CONNS];
static struct conn conns[NLISTEN + MAX_CONNS];
static int nfds;
static char scratch[BUF_SIZE]; /* discard reads into it, source sends it */
static char dgram[65536];

static void die(const char *what)
{
	fprintf(stderr, "services: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void nonblocking(int fd)
{
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		die("fcntl");
}

static int listener(int type, int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((unsigned short)port),
				   .sin_addr.s_addr = htonl(INADDR_ANY) };
	int one = 1, fd;

	fd = socket(AF_INET, type, 0);
	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("bind");
	if (type == SOCK_STREAM && listen(fd, 128) < 0)
		die("listen");
	nonblocking(fd);
	return fd;
}

/* What a connection waits for: echo reads only when its buffer is
 * empty, so a client that never reads cannot make it buffer more. */
static short events_of(const struct conn *c)
{
	switch (c->svc) {
	case ECHO:
		return c->len > c->off ? POLLOUT : POLLIN;
	case SOURCE:
		return POLLOUT | POLLIN;
	default:
		return POLLIN;
	}
}

static void add_conn(int fd, enum service svc)
{
	struct conn *c = &conns[nfds];

	nonblocking(fd);
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->svc = svc;
	if (svc == ECHO && !(c->buf = malloc(BUF_SIZE))) {
		close(fd);
		return;
	}
	pfd[nfds].fd = fd;
	pfd[nfds].events = events_of(c);
	pfd[nfds].revents = 0; /* not served before the next poll */
	nfds++;
}

static void drop_conn(int i)
{
	close(conns[i].fd);
	free(conns[i].buf);
	nfds--;
	conns[i] = conns[nfds];
	pfd[i] = pfd[nfds];
}

/* One step of connection i; returns 0 when it has ended. */
static int serve(int i, short revents)
{
	struct conn *c = &conns[i];
	ssize_t n;

	if (c->svc == SOURCE) {
		/* The peer closing (or sending anything) ends the stream. */
		if (revents & (POLLIN | POLLERR | POLLHUP))
			return 0;
		n = write(c->fd, scratch, sizeof(scratch));
	} else if (c->svc == ECHO && c->len > c->off) {
		n = write(c->fd, c->buf + c->off, c->len - c->off);
		if (n > 0)
			c->off += (size_t)n;
	} else {
		n = read(c->fd, c->svc == ECHO ? c->buf : scratch, BUF_SIZE);
		if (n == 0)
			return 0; /* the peer closed */
		if (n > 0 && c->svc == ECHO) {
			c->off = 0;
			c->len = (size_t)n;
		}
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return 0;
	pfd[i].events = events_of(c);
	return 1;
}

static void accept_on(int i)
{
	int fd;

	while (nfds < NLISTEN + MAX_CONNS &&
	       (fd = accept(pfd[i].fd, NULL, NULL)) >= 0)
		add_conn(fd, conns[i].svc);
}

static void udp_echo(int fd)
{
	struct sockaddr_storage from;
	socklen_t len = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(fd, dgram, sizeof(dgram), 0,
			     (struct sockaddr *)&from, &len)) >= 0) {
		sendto(fd, dgram, (size_t)n, 0, (struct sockaddr *)&from, len);
		len = sizeof(from);
	}
}

static void open_listeners(int offset)
{
	static const struct {
		int type, port;
		enum service svc;
	} ls[NLISTEN] = { { SOCK_STREAM, ECHO_PORT, ECHO },
			  { SOCK_STREAM, DISCARD_PORT, DISCARD },
			  { SOCK_STREAM, SOURCE_PORT, SOURCE },
			  { SOCK_DGRAM, ECHO_PORT, UDP_ECHO } };
	int i;

	for (i = 0; i < NLISTEN; i++) {
		pfd[i].fd = listener(ls[i].type, ls[i].port + offset);
		pfd[i].events = POLLIN;
		conns[i].svc = ls[i].svc;
	}
	nfds = NLISTEN;
}

int main(int argc, char **argv)
{
	int offset = 0, i;

	if (argc == 3 && strcmp(argv[1], "-o") == 0)
		offset = atoi(argv[2]);
	else if (argc != 1) {
		fprintf(stderr, "usage: services [-o PORT-OFFSET]\n");
		return 2;
	}
	if (offset < 0 || offset > 65535 - SOURCE_PORT) {
		fprintf(stderr, "services: bad offset %d\n", offset);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	memset(scratch, 'x', sizeof(scratch));
	open_listeners(offset);
	printf("services: tcp echo %d, discard %d, source %d, udp echo %d\n",
	       ECHO_PORT + offset, DISCARD_PORT + offset, SOURCE_PORT + offset,
	       ECHO_PORT + offset);
	fflush(stdout);
	for (;;) {
		if (poll(pfd, (nfds_t)nfds, -1) < 0 && errno != EINTR)
			die("poll");
		for (i = 0; i < NLISTEN; i++)
			if (pfd[i].revents & POLLIN)
				conns[i].svc == UDP_ECHO ? udp_echo(pfd[i].fd)
							 : accept_on(i);
		/* Backwards: drop_conn moves the last entry into slot i. */
		for (i = nfds - 1; i >= NLISTEN; i--)
			if (pfd[i].revents && !serve(i, pfd[i].revents))
				drop_conn(i);
	}
}
