/*
 * ipstack.h - the IP stack's sockets as the POSIX layer sees them.
 *
 * net/lwip/socket.c implements it on lwIP's socket API, with lwIP's
 * headers; lib/posix/socket.c uses it with the program-visible ones
 * (Linux's layout and constants). Neither side's definitions cross:
 * what passes here is plain integers, this header's own constants and
 * addresses in network byte order. A socket is named by a handle >= 0.
 *
 * The stack comes up on first use (ipstack_start, called by socket()
 * and getaddrinfo()): it connects every vif and gives it its address
 * (net/lwip/netif.c says how), so a program that never opens a socket
 * never touches the network. A guest with no vif gets -ENETDOWN.
 *
 * Errors are negative errno values of the C library (newlib's numbers).
 */
#ifndef XENLET_IPSTACK_H
#define XENLET_IPSTACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct ipstack_addr {
	uint32_t addr; /* IPv4, network byte order */
	uint16_t port; /* network byte order */
};

struct ipstack_iov {
	void *base;
	size_t len;
};
#define IPSTACK_IOV_MAX 64 /* pieces of one sendmsg/recvmsg */

#define IPSTACK_STREAM 1
#define IPSTACK_DGRAM  2

/* Flags of send and receive. */
#define IPSTACK_MSG_PEEK     1
#define IPSTACK_MSG_DONTWAIT 2
#define IPSTACK_MSG_MORE     4

/* Readiness. */
#define IPSTACK_POLLIN	1
#define IPSTACK_POLLOUT 2
#define IPSTACK_POLLERR 4

/* Options: int values; timeouts in ms (0: for ever), linger in s (-1:
 * off), keepalive times in s. SO_SNDBUF bounds the bytes a stream may
 * have unacknowledged, for nonblocking sends and POLLOUT (accepted
 * sockets inherit it). */
enum ipstack_opt {
	IPSTACK_SO_REUSEADDR = 1,
	IPSTACK_SO_KEEPALIVE,
	IPSTACK_SO_BROADCAST,
	IPSTACK_SO_RCVTIMEO,
	IPSTACK_SO_SNDTIMEO,
	IPSTACK_SO_ERROR,
	IPSTACK_SO_RCVBUF,
	IPSTACK_SO_SNDBUF,
	IPSTACK_SO_TYPE,
	IPSTACK_SO_ACCEPTCONN,
	IPSTACK_SO_LINGER,
	IPSTACK_TCP_NODELAY,
	IPSTACK_TCP_KEEPIDLE,
	IPSTACK_TCP_KEEPINTVL,
	IPSTACK_TCP_KEEPCNT,
};

int ipstack_start(void);

int ipstack_socket(int type);
int ipstack_close(int s);
int ipstack_bind(int s, const struct ipstack_addr *a);
int ipstack_listen(int s, int backlog);
/* The new socket's handle; *peer its address. */
int ipstack_accept(int s, struct ipstack_addr *peer, int nonblock);
/* Nonblocking: -EINPROGRESS, then poll for IPSTACK_POLLOUT and read
 * IPSTACK_SO_ERROR. A refused connection is -ECONNREFUSED. */
int ipstack_connect(int s, const struct ipstack_addr *a, int nonblock);
/* to: NULL for a connected socket. */
ssize_t ipstack_send(int s, const struct ipstack_iov *iov, int n,
		     const struct ipstack_addr *to, int flags);
/* from: NULL if not wanted. *truncated: a datagram was cut. */
ssize_t ipstack_recv(int s, const struct ipstack_iov *iov, int n,
		     struct ipstack_addr *from, int flags, int *truncated);
int ipstack_shutdown(int s, int rd, int wr);
/* The local (peer = 0) or remote address. */
int ipstack_name(int s, int peer, struct ipstack_addr *a);
int ipstack_setopt(int s, enum ipstack_opt opt, int value);
int ipstack_getopt(int s, enum ipstack_opt opt, int *value);
/* IPSTACK_POLL* bits ready now; never waits. */
int ipstack_poll(int s);
/* Bytes that recv would return now (FIONREAD). */
int ipstack_nread(int s);
/* A host name to its IPv4 address by DNS (or a dotted quad): 0,
 * -ENOENT if there is none, -EAGAIN if the server did not answer. */
int ipstack_resolve(const char *name, uint32_t *addr);
/*
 * One line (newline included) of what became of the frames: received,
 * dropped for want of buffers (the pbuf pool) or of room in the stack's
 * queue, sent frames dropped for want of tx slots, the pools' free
 * entries now, and the TCP connections by state (handshakes, open,
 * closing, TIME_WAIT, waiting for accept(); free pcbs). Up to about
 * 250 characters. Its length, as snprintf's but at most size - 1.
 */
int ipstack_status(char *buf, size_t size);

#endif
