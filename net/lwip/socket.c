/*
 * socket.c - include/xenlet/ipstack.h on lwIP's socket API.
 *
 * This file alone sees both lwIP's socket headers and ipstack.h: it
 * turns the neutral calls into lwip_* calls with lwIP's own sockaddr
 * layout and constants, and lwIP's errno (newlib's, set by lwIP with
 * LWIP_ERRNO_STDINCLUDE) into a negative return.
 *
 * lwIP's sockets keep their own "nonblocking" flag; the descriptor's
 * O_NONBLOCK (fcntl, FIONBIO, SOCK_NONBLOCK) is the one that counts,
 * so each call that could wait sets lwIP's flag from it first.
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <xenlet/ipstack.h>
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#include "lwip/api.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include "lwip/ip4.h"
#include "lwip/netif.h"
#include "lwip/priv/sockets_priv.h"
#include "port.h"

/* Sockets whose connect() is under way: lwIP reports a refusal as a
 * reset (ERR_RST); a program expects ECONNREFUSED. */
static unsigned char connecting[MEMP_NUM_NETCONN];

/*
 * SO_SNDBUF of each stream socket: the bytes it may have queued and not
 * yet acknowledged (0: lwIP's own bound, TCP_SND_BUF). lwIP has one
 * send buffer size for every connection, sized for throughput (512 KiB,
 * lwipopts.h), and queued bytes are heap: a server with many clients
 * downloading at once sets it smaller. Enforced here, on nonblocking
 * sends and on poll's POLLOUT (the pair a poll() loop uses); a blocking
 * send still waits only for lwIP's bound. Accepted sockets inherit the
 * listener's, as on Linux.
 */
static int sndbuf[MEMP_NUM_NETCONN];

static int fail(void)
{
	return errno ? -errno : -EIO;
}

static int valid(int s)
{
	return s >= 0 && s < MEMP_NUM_NETCONN;
}

/* A reset while connecting is a refusal. */
static int connect_error(int s, int err)
{
	if (valid(s) && connecting[s] && err == ECONNRESET)
		err = ECONNREFUSED;
	if (valid(s) && err != EINPROGRESS && err != EALREADY)
		connecting[s] = 0;
	return err;
}

static void set_nonblock(int s, int nonblock)
{
	int on = nonblock != 0;

	lwip_ioctl(s, (long)FIONBIO, &on);
}

static void to_lwip(const struct ipstack_addr *a, struct sockaddr_in *sin)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_len = sizeof(*sin);
	sin->sin_family = AF_INET;
	sin->sin_port = a->port;
	sin->sin_addr.s_addr = a->addr;
}

static void from_lwip(const struct sockaddr_in *sin, struct ipstack_addr *a)
{
	a->addr = sin->sin_addr.s_addr;
	a->port = sin->sin_port;
}

int ipstack_start(void)
{
	return lwip_port_start();
}

int ipstack_socket(int type)
{
	int s = lwip_socket(
		AF_INET, type == IPSTACK_STREAM ? SOCK_STREAM : SOCK_DGRAM, 0);

	if (s < 0)
		return errno == ENFILE ? -EMFILE : fail();
	if (valid(s))
		connecting[s] = sndbuf[s] = 0;
	return s;
}

int ipstack_close(int s)
{
	if (valid(s))
		connecting[s] = sndbuf[s] = 0;
	return lwip_close(s) < 0 ? fail() : 0;
}

int ipstack_bind(int s, const struct ipstack_addr *a)
{
	struct sockaddr_in sin;

	to_lwip(a, &sin);
	return lwip_bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0 ? fail()
								      : 0;
}

int ipstack_listen(int s, int backlog)
{
	return lwip_listen(s, backlog) < 0 ? fail() : 0;
}

int ipstack_accept(int s, struct ipstack_addr *peer, int nonblock)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int ns;

	set_nonblock(s, nonblock);
	ns = lwip_accept(s, (struct sockaddr *)&sin, &len);
	if (ns < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : fail();
	if (valid(ns))
		connecting[ns] = 0;
	if (valid(ns))
		sndbuf[ns] = valid(s) ? sndbuf[s] : 0;
	if (peer != NULL)
		from_lwip(&sin, peer);
	return ns;
}

int ipstack_connect(int s, const struct ipstack_addr *a, int nonblock)
{
	struct sockaddr_in sin;

	to_lwip(a, &sin);
	set_nonblock(s, nonblock);
	if (valid(s))
		connecting[s] = 1;
	if (lwip_connect(s, (struct sockaddr *)&sin, sizeof(sin)) == 0) {
		connecting[s] = 0;
		return 0;
	}
	return -connect_error(s, errno ? errno : EIO);
}

static int lwip_flags(int flags)
{
	return ((flags & IPSTACK_MSG_PEEK) ? MSG_PEEK : 0) |
	       ((flags & IPSTACK_MSG_DONTWAIT) ? MSG_DONTWAIT : 0) |
	       ((flags & IPSTACK_MSG_MORE) ? MSG_MORE : 0);
}

static int to_lwip_iov(const struct ipstack_iov *iov, int n, struct iovec *out)
{
	int i;

	if (n < 0 || n > IPSTACK_IOV_MAX)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		out[i].iov_base = iov[i].base;
		out[i].iov_len = iov[i].len;
	}
	return 0;
}

/* Bytes stream socket s has queued and not had acknowledged; 0 for
 * other sockets. pcb->snd_buf is what TCP_SND_BUF leaves (tcp_sndbuf()
 * would cut it to 16 bits). Read under the core lock: the tcpip thread
 * frees the pcb. */
static long unacked(int s)
{
	struct lwip_sock *k = lwip_socket_dbg_get_socket(s);
	long n = 0;

	LOCK_TCPIP_CORE();
	if (k != NULL && k->conn != NULL &&
	    NETCONNTYPE_GROUP(netconn_type(k->conn)) == NETCONN_TCP &&
	    k->conn->pcb.tcp != NULL)
		n = (long)TCP_SND_BUF - (long)k->conn->pcb.tcp->snd_buf;
	UNLOCK_TCPIP_CORE();
	return n > 0 ? n : 0;
}

/* What a nonblocking send on s may queue now under its SO_SNDBUF (-1:
 * no bound of ours). */
static long sndbuf_room(int s)
{
	long room;

	if (!valid(s) || sndbuf[s] == 0)
		return -1;
	room = sndbuf[s] - unacked(s);
	return room > 0 ? room : 0;
}

/* Cut v[0..n) to at most max bytes; returns the new count of pieces. */
static int cut_iov(struct iovec *v, int n, size_t max)
{
	int i;

	for (i = 0; i < n; i++) {
		if (v[i].iov_len >= max) {
			v[i].iov_len = max;
			return i + 1;
		}
		max -= v[i].iov_len;
	}
	return n;
}

ssize_t ipstack_send(int s, const struct ipstack_iov *iov, int n,
		     const struct ipstack_addr *to, int flags)
{
	struct iovec v[IPSTACK_IOV_MAX];
	struct sockaddr_in sin;
	struct msghdr m = { 0 };
	ssize_t rc;
	long room = (flags & IPSTACK_MSG_DONTWAIT) ? sndbuf_room(s) : -1;

	if (to_lwip_iov(iov, n, v) < 0)
		return -EINVAL;
	if (room == 0)
		return -EAGAIN;
	if (room > 0)
		n = cut_iov(v, n, (size_t)room);
	m.msg_iov = v;
	m.msg_iovlen = n;
	if (to != NULL) {
		to_lwip(to, &sin);
		m.msg_name = &sin;
		m.msg_namelen = sizeof(sin);
	}
	/* lwIP's sendmsg waits unless told otherwise, whatever its
	 * socket flag says: the descriptor's O_NONBLOCK decides. */
	set_nonblock(s, flags & IPSTACK_MSG_DONTWAIT);
	rc = lwip_sendmsg(s, &m, lwip_flags(flags));
	if (rc < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : fail();
	return rc;
}

/*
 * The error that ended s's connection, not yet reported (ERR_OK if
 * none). lwIP 2.1.3's TCP recv returns the data it holds before an
 * error, "trusting in getting the same error from netconn layer again
 * next time" (sockets.c), but reading the error there (netconn_err)
 * cleared it: the next recv would say ENOTCONN instead of, say, the
 * ECONNABORTED of a detached interface. ipstack_recv puts it back.
 */
static err_t pending_error(int s)
{
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(s);

	return ls != NULL && ls->conn != NULL ? ls->conn->pending_err : ERR_OK;
}

static void keep_error(int s, err_t err)
{
	struct lwip_sock *ls = lwip_socket_dbg_get_socket(s);

	if (err != ERR_OK && ls != NULL && ls->conn != NULL &&
	    ls->conn->pending_err == ERR_OK)
		ls->conn->pending_err = err;
}

ssize_t ipstack_recv(int s, const struct ipstack_iov *iov, int n,
		     struct ipstack_addr *from, int flags, int *truncated)
{
	err_t pending = pending_error(s);

	struct iovec v[IPSTACK_IOV_MAX];
	struct sockaddr_in sin;
	struct msghdr m = { 0 };
	ssize_t rc;

	if (to_lwip_iov(iov, n, v) < 0)
		return -EINVAL;
	m.msg_iov = v;
	m.msg_iovlen = n;
	m.msg_name = &sin;
	m.msg_namelen = sizeof(sin);
	memset(&sin, 0, sizeof(sin));
	set_nonblock(s, flags & IPSTACK_MSG_DONTWAIT);
	rc = lwip_recvmsg(s, &m, lwip_flags(flags));
	if (rc < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : fail();
	if (rc > 0)
		keep_error(s, pending);
	if (from != NULL)
		from_lwip(&sin, from);
	if (truncated != NULL)
		*truncated = (m.msg_flags & MSG_TRUNC) != 0;
	return rc;
}

int ipstack_shutdown(int s, int rd, int wr)
{
	int how = rd && wr ? SHUT_RDWR : rd ? SHUT_RD : SHUT_WR;

	return lwip_shutdown(s, how) < 0 ? fail() : 0;
}

/*
 * The source address lwIP would send from to the connected peer of s,
 * or 0. A connected UDP socket bound to INADDR_ANY keeps ANY in lwIP
 * (it picks the source per datagram, by route), where Linux's
 * getsockname() gives the route's address: the usual way for a program
 * to learn its own address (a UDP connect sends nothing).
 */
static uint32_t route_source(int s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct netif *nif;
	ip4_addr_t dest;
	uint32_t src = 0;

	memset(&sin, 0, sizeof(sin));
	if (lwip_getpeername(s, (struct sockaddr *)&sin, &len) < 0)
		return 0;
	ip4_addr_set_u32(&dest, sin.sin_addr.s_addr);
	LOCK_TCPIP_CORE();
	nif = ip4_route(&dest);
	if (nif != NULL)
		src = ip4_addr_get_u32(netif_ip4_addr(nif));
	UNLOCK_TCPIP_CORE();
	return src;
}

int ipstack_name(int s, int peer, struct ipstack_addr *a)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int rc;

	memset(&sin, 0, sizeof(sin));
	rc = peer ? lwip_getpeername(s, (struct sockaddr *)&sin, &len)
		  : lwip_getsockname(s, (struct sockaddr *)&sin, &len);
	if (rc < 0)
		return fail();
	from_lwip(&sin, a);
	if (!peer && a->addr == 0)
		a->addr = route_source(s);
	return 0;
}

/* lwIP's level and name of an option; 0 if it has none. */
static int lwip_opt(enum ipstack_opt opt, int *level, int *name)
{
	static const struct {
		int level, name;
	} map[] = {
		[IPSTACK_SO_REUSEADDR] = { SOL_SOCKET, SO_REUSEADDR },
		[IPSTACK_SO_KEEPALIVE] = { SOL_SOCKET, SO_KEEPALIVE },
		[IPSTACK_SO_BROADCAST] = { SOL_SOCKET, SO_BROADCAST },
		[IPSTACK_SO_RCVTIMEO] = { SOL_SOCKET, SO_RCVTIMEO },
		[IPSTACK_SO_SNDTIMEO] = { SOL_SOCKET, SO_SNDTIMEO },
		[IPSTACK_SO_ERROR] = { SOL_SOCKET, SO_ERROR },
		[IPSTACK_SO_RCVBUF] = { SOL_SOCKET, SO_RCVBUF },
		[IPSTACK_SO_TYPE] = { SOL_SOCKET, SO_TYPE },
		[IPSTACK_SO_ACCEPTCONN] = { SOL_SOCKET, SO_ACCEPTCONN },
		[IPSTACK_SO_LINGER] = { SOL_SOCKET, SO_LINGER },
		[IPSTACK_TCP_NODELAY] = { IPPROTO_TCP, TCP_NODELAY },
		[IPSTACK_TCP_KEEPIDLE] = { IPPROTO_TCP, TCP_KEEPIDLE },
		[IPSTACK_TCP_KEEPINTVL] = { IPPROTO_TCP, TCP_KEEPINTVL },
		[IPSTACK_TCP_KEEPCNT] = { IPPROTO_TCP, TCP_KEEPCNT },
	};

	if ((unsigned)opt >= sizeof(map) / sizeof(map[0]) ||
	    map[opt].level == 0)
		return 0;
	*level = map[opt].level;
	*name = map[opt].name;
	return 1;
}

/* SO_SNDBUF: kept within [2 MSS, TCP_SND_BUF], as Linux keeps it
 * within its own bounds rather than refusing: at least two full
 * segments may be in flight, and lwIP's own bound stays the upper one. */
static int set_sndbuf(int s, int value)
{
	if (value < 0)
		return -EINVAL;
	if (!valid(s))
		return -EBADF;
	if (value < 2 * TCP_MSS)
		value = 2 * TCP_MSS;
	sndbuf[s] = value >= TCP_SND_BUF ? 0 : value;
	return 0;
}

int ipstack_setopt(int s, enum ipstack_opt opt, int value)
{
	struct timeval tv = { value / 1000, (value % 1000) * 1000 };
	struct linger l = { value >= 0, value >= 0 ? value : 0 };
	const void *p = &value;
	socklen_t len = sizeof(value);
	int level, name;

	if (opt == IPSTACK_SO_SNDBUF)
		return set_sndbuf(s, value);
	if (!lwip_opt(opt, &level, &name))
		return -ENOPROTOOPT;
	if (opt == IPSTACK_SO_RCVTIMEO || opt == IPSTACK_SO_SNDTIMEO) {
		p = &tv;
		len = sizeof(tv);
	} else if (opt == IPSTACK_SO_LINGER) {
		p = &l;
		len = sizeof(l);
	}
	return lwip_setsockopt(s, level, name, p, len) < 0 ? fail() : 0;
}

int ipstack_getopt(int s, enum ipstack_opt opt, int *value)
{
	struct timeval tv;
	struct linger l;
	void *p = value;
	socklen_t len = sizeof(*value);
	int level, name, type;

	if (opt == IPSTACK_SO_SNDBUF) {
		*value = valid(s) && sndbuf[s] ? sndbuf[s] : TCP_SND_BUF;
		return 0;
	}
	if (!lwip_opt(opt, &level, &name))
		return -ENOPROTOOPT;
	if (opt == IPSTACK_SO_RCVTIMEO || opt == IPSTACK_SO_SNDTIMEO) {
		p = &tv;
		len = sizeof(tv);
	} else if (opt == IPSTACK_SO_LINGER) {
		p = &l;
		len = sizeof(l);
	}
	if (lwip_getsockopt(s, level, name, p, &len) < 0)
		return fail();
	if (opt == IPSTACK_SO_RCVTIMEO || opt == IPSTACK_SO_SNDTIMEO)
		*value = (int)(tv.tv_sec * 1000 + tv.tv_usec / 1000);
	else if (opt == IPSTACK_SO_LINGER)
		*value = l.l_onoff ? l.l_linger : -1;
	else if (opt == IPSTACK_SO_ERROR)
		*value = *value ? connect_error(s, *value) : 0;
	else if (opt == IPSTACK_SO_TYPE) {
		type = *value;
		*value = type == SOCK_STREAM ? IPSTACK_STREAM : IPSTACK_DGRAM;
	}
	return 0;
}

int ipstack_poll(int s)
{
	struct pollfd p = { s, POLLIN | POLLOUT, 0 };
	int ready = 0;

	if (lwip_poll(&p, 1, 0) < 0)
		return IPSTACK_POLLERR;
	if (p.revents & (POLLIN | POLLRDNORM))
		ready |= IPSTACK_POLLIN;
	/* Writable under SO_SNDBUF once half of it is free again (as
	 * lwIP's TCP_SNDLOWAT for its own bound): a poll loop then sends
	 * in pieces worth a wakeup, not a segment at a time. The tcpip
	 * thread wakes poll() after the ACKs that free it. */
	if ((p.revents & (POLLOUT | POLLWRNORM)) &&
	    (sndbuf_room(s) < 0 || sndbuf_room(s) >= sndbuf[s] / 2))
		ready |= IPSTACK_POLLOUT;
	if (p.revents & (POLLERR | POLLNVAL))
		ready |= IPSTACK_POLLERR;
	return ready;
}

int ipstack_nread(int s)
{
	int n = 0;

	return lwip_ioctl(s, (long)FIONREAD, &n) < 0 ? fail() : n;
}

int ipstack_resolve(const char *name, uint32_t *addr)
{
	ip_addr_t a;
	err_t err;

	if (ip4addr_aton(name, ip_2_ip4(&a))) {
		*addr = ip4_addr_get_u32(ip_2_ip4(&a));
		return 0;
	}
	err = netconn_gethostbyname(name, &a);
	if (err == ERR_VAL || err == ERR_ARG)
		return -ENOENT;
	if (err != ERR_OK)
		return -EAGAIN;
	*addr = ip4_addr_get_u32(ip_2_ip4(&a));
	return 0;
}
