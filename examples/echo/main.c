/*
 * echo - the classic small services, so that any client (nc, socat,
 * telnet) can talk to a xenlet guest over its vif: TCP and UDP echo
 * (port 7, RFC 862), TCP discard (9, RFC 863), TCP chargen (19, RFC
 * 864: a stream until the client closes) and TCP systat (11, RFC 866:
 * one status line, here the counts and the heap's figures).
 *
 *   xl create config/echo.cfg        (extra = "ip=10.99.0.2/24")
 *   nc 10.99.0.2 7                   (from dom0)
 *
 * An ordinary POSIX program: sockets, nonblocking, one poll() loop over
 * every connection and the console (console.c). Only the last words on
 * `xl shutdown` (control_on_stop, with the stack's counts) know it runs
 * on xenlet.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xenlet/control.h>
#include <xenlet/ipstack.h>
#include "echo.h"

/* Connections served at once. More wait in the listen backlog: memory
 * stays bounded, at about MAX_CONNS * CONN_BUF. (xenlet's descriptor
 * table and lwIP's sockets have room for this many and the listeners.) */
#define MAX_CONNS 128
#define LISTENERS (NSERVICES + 1) /* the TCP services and UDP echo */
#define CONSOLE	  LISTENERS	  /* the poll slot of console input */
#define FIXED	  (LISTENERS + 1) /* the slots before the connections */

const struct service_info services[NSERVICES] = {
	[ECHO] = { "echo", 7 },
	[DISCARD] = { "discard", 9 },
	[CHARGEN] = { "chargen", 19 },
	[SYSTAT] = { "systat", 11 },
};

struct counts counts;
static struct conn *conns[MAX_CONNS];
static int nconns;
static int listen_fd[LISTENERS];
/* accept() ran out of descriptors or memory: the listeners sit out one
 * poll of at most PAUSE_MS (polling them would spin on the backlog),
 * then are tried again. */
static int accept_paused;
#define PAUSE_MS 100

/* A nonblocking socket of type bound to port on every address. */
static int bound_socket(int type, int port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons((in_port_t)port),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, fd = socket(AF_INET, type | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    (type == SOCK_STREAM && listen(fd, SOMAXCONN) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* systat: the status line, and the connection is closed. */
static void systat(int fd)
{
	char line[256];
	int n = status_line(line, sizeof(line));

	printf("%s", line);
	fflush(stdout);
	if (send(fd, line, (size_t)n, MSG_NOSIGNAL) == n)
		counts.bytes_out[SYSTAT] += (unsigned long long)n;
	close(fd);
}

/* Take the connections waiting on svc's listener, while there is room. */
static void accept_all(enum service svc)
{
	while (nconns < MAX_CONNS) {
		int fd = accept4(listen_fd[svc], NULL, NULL, SOCK_NONBLOCK);
		struct conn *c;

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOMEM || errno == ENOBUFS)
				accept_paused = 1;
			return; /* EAGAIN: none left; else try next turn */
		}
		if (svc == SYSTAT) {
			counts.conns[SYSTAT]++;
			systat(fd);
			continue;
		}
		c = conn_new(fd, svc);
		if (c == NULL) {
			counts.turned_away++;
			close(fd);
			accept_paused = 1;
			return;
		}
		conns[nconns++] = c;
	}
}

/* UDP echo: every datagram waiting goes back to its sender, whole. */
static void udp_echo(int fd)
{
	static unsigned char buf[65536]; /* the largest UDP payload */

	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fromlen);

		if (n < 0)
			return;
		counts.datagrams++;
		counts.udp_bytes += (unsigned long long)n;
		sendto(fd, buf, (size_t)n, 0, (struct sockaddr *)&from,
		       fromlen);
	}
}

/* One poll over everything, and the work it found. */
static void serve_once(void)
{
	static struct pollfd fds[FIXED + MAX_CONNS];
	int i, n, j;

	for (i = 0; i < LISTENERS; i++) {
		/* A full table leaves connections in the backlog. */
		int full =
			i < NSERVICES && (nconns == MAX_CONNS || accept_paused);

		fds[i] = (struct pollfd){ full ? -1 : listen_fd[i], POLLIN, 0 };
	}
	fds[CONSOLE] = (struct pollfd){ console_client_fd(), POLLIN, 0 };
	for (j = 0; j < nconns; j++)
		fds[FIXED + j] = (struct pollfd){ conns[j]->fd,
						  conn_events(conns[j]), 0 };
	n = poll(fds, (nfds_t)(FIXED + nconns), accept_paused ? PAUSE_MS : -1);
	accept_paused = 0;
	if (n < 0) {
		perror("echo: poll");
		exit(1);
	}
	/* Connections first (their indexes shift as they close), then
	 * the listeners. */
	for (j = nconns - 1; j >= 0; j--) {
		short rev = fds[FIXED + j].revents;

		if (rev == 0 || conn_ready(conns[j], rev) == 0)
			continue;
		conn_free(conns[j]);
		conns[j] = conns[--nconns];
	}
	for (i = 0; i < NSERVICES; i++)
		if (fds[i].revents)
			accept_all((enum service)i);
	if (fds[NSERVICES].revents)
		udp_echo(listen_fd[NSERVICES]);
	if (fds[CONSOLE].revents)
		console_client_ready();
}

static void report(void)
{
	char net[320];

	printf("echo: served %lu echo (%llu bytes), %lu discard (%llu bytes), "
	       "%lu chargen (%llu bytes), %lu systat; %lu udp datagrams "
	       "(%llu bytes); %lu turned away\n",
	       counts.conns[ECHO], counts.bytes_in[ECHO], counts.conns[DISCARD],
	       counts.bytes_in[DISCARD], counts.conns[CHARGEN],
	       counts.bytes_out[CHARGEN], counts.conns[SYSTAT],
	       counts.datagrams, counts.udp_bytes, counts.turned_away);
	/* What became of the frames on their way through the stack
	 * (drops for want of pbufs or of room in its queue): make bench
	 * reads it to say where a slow transfer's time went. */
	if (ipstack_status(net, sizeof(net)) > 0)
		printf("%s", net); /* "net: rx ..." */
}

int main(void)
{
	for (int i = 0; i < NSERVICES; i++) {
		listen_fd[i] = bound_socket(SOCK_STREAM, services[i].port);
		if (listen_fd[i] < 0) {
			fprintf(stderr, "echo: tcp port %d: %s\n",
				services[i].port, strerror(errno));
			return 1;
		}
	}
	listen_fd[NSERVICES] = bound_socket(SOCK_DGRAM, services[ECHO].port);
	if (listen_fd[NSERVICES] < 0) {
		fprintf(stderr, "echo: udp port 7: %s\n", strerror(errno));
		return 1;
	}
	control_on_stop(report);
	console_client_init();
	printf("echo: serving tcp echo 7, discard 9, chargen 19, systat 11; "
	       "udp echo 7\n");
	fflush(stdout);
	for (;;)
		serve_once();
}
