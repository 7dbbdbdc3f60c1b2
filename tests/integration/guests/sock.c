/*
 * sock - BSD sockets over lwIP, driven from dom0 (cases/sock.sh).
 *
 *   sock [-r ADDR] [-n NAME] [-s PORT] [-w]
 *
 * It first opens a socket (which brings the network up: the address
 * line comes from net/lwip), then:
 *   -r ADDR  connects to ADDR's closed port 1, blocking and not, and
 *            says what it got (ECONNREFUSED both ways is right);
 *   -n NAME  resolves NAME with getaddrinfo (DNS from DHCP or dns=);
 *   -s PORT  serves TCP echo on PORT, with poll() over the listening
 *            socket, every connection and the console together: each
 *            console line is echoed to the console, each connection's
 *            bytes back to it; a connection that sends "quit" ends it;
 *   -w       waits for xl shutdown.
 * Options, getsockname/getpeername, FIONREAD and fcntl are checked on
 * the way, each with one line. First of all it prints its own address
 * as a program learns it (getsockname of a connected UDP socket).
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define MAX_CONN 16

static const char *errname(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ECONNRESET:
		return "ECONNRESET";
	case EINPROGRESS:
		return "EINPROGRESS";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EAGAIN:
		return "EAGAIN";
	case ENETDOWN:
		return "ENETDOWN";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	}
	return "other";
}

static void ipstr(const struct sockaddr_in *sin, char *buf, size_t size)
{
	uint32_t a = ntohl(sin->sin_addr.s_addr);

	snprintf(buf, size, "%u.%u.%u.%u:%u", (unsigned)(a >> 24),
		 (unsigned)(a >> 16 & 255), (unsigned)(a >> 8 & 255),
		 (unsigned)(a & 255), (unsigned)ntohs(sin->sin_port));
}

static int parse_addr(const char *s, struct sockaddr_in *sin, int port)
{
	unsigned a, b, c, d;

	if (sscanf(s, "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
		return -1;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	sin->sin_addr.s_addr = htonl(a << 24 | b << 16 | c << 8 | d);
	return 0;
}

/* Blocking, then nonblocking with poll and SO_ERROR. */
static void refused(const char *addr)
{
	struct sockaddr_in sin;
	struct pollfd p;
	int s, rc, err = 0;
	socklen_t len = sizeof(err);

	if (parse_addr(addr, &sin, 1) < 0)
		return;
	s = socket(AF_INET, SOCK_STREAM, 0);
	rc = connect(s, (struct sockaddr *)&sin, sizeof(sin));
	printf("sock: connect to a closed port: %d %s\n", rc,
	       rc < 0 ? errname(errno) : "connected");
	close(s);

	s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	rc = connect(s, (struct sockaddr *)&sin, sizeof(sin));
	printf("sock: nonblocking connect: %d %s\n", rc,
	       rc < 0 ? errname(errno) : "connected");
	p = (struct pollfd){ .fd = s, .events = POLLOUT };
	rc = poll(&p, 1, 30000);
	getsockopt(s, SOL_SOCKET, SO_ERROR, &err, &len);
	printf("sock: poll %d revents%s%s, SO_ERROR %s\n", rc,
	       (p.revents & POLLOUT) ? " POLLOUT" : "",
	       (p.revents & POLLERR) ? " POLLERR" : "", errname(err));
	close(s);
}

static void resolve(const char *name)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM },
			*res;
	char buf[32];
	int rc = getaddrinfo(name, "7", &hints, &res);

	if (rc != 0) {
		printf("sock: getaddrinfo %s: error %d\n", name, rc);
		return;
	}
	ipstr((struct sockaddr_in *)res->ai_addr, buf, sizeof(buf));
	printf("sock: getaddrinfo %s: %s\n", name, buf);
	freeaddrinfo(res);
}

/* Options on an accepted connection: set, then read back. */
static void check_options(int c)
{
	struct timeval tv = { 5, 0 }, got;
	int one = 1, v = 0, n = -1;
	socklen_t len = sizeof(v);
	struct sockaddr_in peer;
	socklen_t plen = sizeof(peer);
	char buf[32];

	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len);
	printf("sock: TCP_NODELAY %d\n", v != 0);
	setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	len = sizeof(v);
	getsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, &len);
	printf("sock: SO_KEEPALIVE %d\n", v != 0);
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	len = sizeof(got);
	getsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &got, &len);
	printf("sock: SO_RCVTIMEO %lds\n", (long)got.tv_sec);
	len = sizeof(v);
	getsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, &len);
	printf("sock: SO_SNDBUF %s\n", v > 0 ? "positive" : "zero");
	getpeername(c, (struct sockaddr *)&peer, &plen);
	ipstr(&peer, buf, sizeof(buf));
	printf("sock: peer %.*s\n", (int)(strchr(buf, ':') - buf), buf);
	ioctl(c, FIONREAD, &n);
	printf("sock: FIONREAD %s\n", n >= 0 ? "ok" : "failed");
}

static int listener(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons((uint16_t)port) };
	struct sockaddr_in got;
	socklen_t len = sizeof(got);
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(l, 8) < 0) {
		printf("sock: bind/listen: errno %d\n", errno);
		exit(1);
	}
	getsockname(l, (struct sockaddr *)&got, &len);
	printf("sock: listening on port %u\n", (unsigned)ntohs(got.sin_port));
	fcntl(l, F_SETFL, fcntl(l, F_GETFL) | O_NONBLOCK);
	return l;
}

/* One connection readable: echo what came; 1 if it said quit. */
static int serve_one(int *c, unsigned long *bytes)
{
	char buf[2048];
	ssize_t n = recv(*c, buf, sizeof(buf), 0);

	if (n <= 0) {
		close(*c);
		*c = -1;
		return 0;
	}
	*bytes += (unsigned long)n;
	send(*c, buf, (size_t)n, 0);
	return n >= 4 && memcmp(buf, "quit", 4) == 0;
}

static void serve(int port)
{
	struct pollfd p[MAX_CONN + 2];
	int conns[MAX_CONN], i, quit = 0, nconn = 0, served = 0;
	unsigned long bytes = 0;
	char line[128];
	int l = listener(port);

	for (i = 0; i < MAX_CONN; i++)
		conns[i] = -1;
	printf("sock: ready\n");
	while (!quit) {
		p[0] = (struct pollfd){ .fd = l, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = 0, .events = POLLIN };
		for (i = 0; i < MAX_CONN; i++)
			p[i + 2] = (struct pollfd){ .fd = conns[i],
						    .events = POLLIN };
		if (poll(p, MAX_CONN + 2, 120000) <= 0) {
			printf("sock: poll timed out\n");
			break;
		}
		if (p[1].revents & POLLIN) {
			ssize_t n = read(0, line, sizeof(line) - 1);

			line[n > 0 ? n : 0] = '\0';
			line[strcspn(line, "\r\n")] = '\0';
			printf("sock: console said '%s'\n", line);
		}
		if (p[0].revents & POLLIN) {
			int c = accept(l, NULL, NULL);

			if (c >= 0 && nconn < MAX_CONN) {
				for (i = 0; conns[i] >= 0; i++)
					;
				conns[i] = c;
				nconn++;
				if (served++ == 0)
					check_options(c);
			} else if (c >= 0)
				close(c);
		}
		for (i = 0; i < MAX_CONN; i++)
			if (conns[i] >= 0 &&
			    (p[i + 2].revents & (POLLIN | POLLERR))) {
				quit |= serve_one(&conns[i], &bytes);
				if (conns[i] < 0)
					nconn--;
			}
	}
	printf("sock: served %d connections, %lu bytes\n", served, bytes);
}

/* getsockname() of a UDP socket connected off-link (sends nothing):
 * the route's source address, as on Linux. */
static void own_address(void)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(9) };
	socklen_t len = sizeof(sin);
	char buf[32];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	sin.sin_addr.s_addr = htonl(0xc0000201); /* 192.0.2.1, TEST-NET-1 */
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		printf("sock: own address: %s\n", errname(errno));
	} else {
		ipstr(&sin, buf, sizeof(buf));
		buf[strcspn(buf, ":")] = '\0'; /* the port is not the point */
		printf("sock: own address %s\n", buf);
	}
	if (fd >= 0)
		close(fd);
}

int main(int argc, char **argv)
{
	int opt, s;

	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0) {
		printf("sock: socket: %s\n", errname(errno));
		return 1;
	}
	close(s);
	own_address();
	while ((opt = getopt(argc, argv, "r:n:s:w")) != -1) {
		switch (opt) {
		case 'r':
			refused(optarg);
			break;
		case 'n':
			resolve(optarg);
			break;
		case 's':
			serve(atoi(optarg));
			break;
		case 'w':
			printf("sock: waiting\n");
			for (;;)
				sleep(3600);
		}
	}
	return 0;
}
