/*
 * sock_xlate.c - Linux's socket ABI to the IP stack's (sock_xlate.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/time.h>
#include "sock_xlate.h"

int xlate_addr_in(const struct sockaddr *sa, socklen_t len,
		  struct ipstack_addr *a)
{
	struct sockaddr_in sin;

	if (sa == NULL || len < sizeof(sa_family_t))
		return -EINVAL;
	if (sa->sa_family != AF_INET)
		return -EAFNOSUPPORT;
	if (len < sizeof(sin))
		return -EINVAL;
	memcpy(&sin, sa, sizeof(sin)); /* may be unaligned */
	a->addr = sin.sin_addr.s_addr;
	a->port = sin.sin_port;
	return 0;
}

void xlate_addr_out(const struct ipstack_addr *a, struct sockaddr *sa,
		    socklen_t *len)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = a->port;
	sin.sin_addr.s_addr = a->addr;
	if (sa != NULL)
		memcpy(sa, &sin, *len < sizeof(sin) ? *len : sizeof(sin));
	*len = sizeof(sin);
}

int xlate_opt(int level, int name, enum ipstack_opt *opt)
{
	static const struct {
		int level, name;
		enum ipstack_opt opt;
	} map[] = {
		{ SOL_SOCKET, SO_REUSEADDR, IPSTACK_SO_REUSEADDR },
		{ SOL_SOCKET, SO_KEEPALIVE, IPSTACK_SO_KEEPALIVE },
		{ SOL_SOCKET, SO_BROADCAST, IPSTACK_SO_BROADCAST },
		{ SOL_SOCKET, SO_RCVTIMEO, IPSTACK_SO_RCVTIMEO },
		{ SOL_SOCKET, SO_SNDTIMEO, IPSTACK_SO_SNDTIMEO },
		{ SOL_SOCKET, SO_ERROR, IPSTACK_SO_ERROR },
		{ SOL_SOCKET, SO_RCVBUF, IPSTACK_SO_RCVBUF },
		{ SOL_SOCKET, SO_SNDBUF, IPSTACK_SO_SNDBUF },
		{ SOL_SOCKET, SO_TYPE, IPSTACK_SO_TYPE },
		{ SOL_SOCKET, SO_ACCEPTCONN, IPSTACK_SO_ACCEPTCONN },
		{ SOL_SOCKET, SO_LINGER, IPSTACK_SO_LINGER },
		{ IPPROTO_TCP, TCP_NODELAY, IPSTACK_TCP_NODELAY },
		{ IPPROTO_TCP, TCP_KEEPIDLE, IPSTACK_TCP_KEEPIDLE },
		{ IPPROTO_TCP, TCP_KEEPINTVL, IPSTACK_TCP_KEEPINTVL },
		{ IPPROTO_TCP, TCP_KEEPCNT, IPSTACK_TCP_KEEPCNT },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].level == level && map[i].name == name) {
			*opt = map[i].opt;
			return 0;
		}
	return -ENOPROTOOPT;
}

/* The longest timeout an int of ms holds: about 24 days. */
#define TIMEO_MAX_S (INT32_MAX / 1000 - 1)

int xlate_optval_in(enum ipstack_opt opt, const void *val, socklen_t len,
		    int *v)
{
	struct timeval tv;
	struct linger l;

	if (val == NULL)
		return -EINVAL;
	if (opt == IPSTACK_SO_RCVTIMEO || opt == IPSTACK_SO_SNDTIMEO) {
		if (len < sizeof(tv))
			return -EINVAL;
		memcpy(&tv, val, sizeof(tv));
		if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000)
			return -EINVAL; /* Linux: EDOM; POSIX allows EINVAL */
		if (tv.tv_sec > TIMEO_MAX_S)
			tv = (struct timeval){ TIMEO_MAX_S, 0 };
		*v = (int)(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
		return 0;
	}
	if (opt == IPSTACK_SO_LINGER) {
		if (len < sizeof(l))
			return -EINVAL;
		memcpy(&l, val, sizeof(l));
		*v = l.l_onoff ? (l.l_linger < 0 ? 0 : l.l_linger) : -1;
		return 0;
	}
	/* Linux takes a shorter int option as a byte; ints are what
	 * programs pass. */
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}

static void copy_out(void *val, socklen_t *len, const void *src, size_t n)
{
	if (*len > n)
		*len = (socklen_t)n;
	memcpy(val, src, *len);
}

int xlate_optval_out(enum ipstack_opt opt, int v, void *val, socklen_t *len)
{
	if (val == NULL || len == NULL)
		return -EINVAL;
	if (opt == IPSTACK_SO_RCVTIMEO || opt == IPSTACK_SO_SNDTIMEO) {
		struct timeval tv = { v / 1000, (v % 1000) * 1000 };

		copy_out(val, len, &tv, sizeof(tv));
	} else if (opt == IPSTACK_SO_LINGER) {
		struct linger l = { v >= 0, v >= 0 ? v : 0 };

		copy_out(val, len, &l, sizeof(l));
	} else {
		if (opt == IPSTACK_SO_TYPE)
			v = v == IPSTACK_STREAM ? SOCK_STREAM : SOCK_DGRAM;
		copy_out(val, len, &v, sizeof(v));
	}
	return 0;
}

int xlate_msg_flags(int flags)
{
	int out = 0;

	if (flags &
	    ~(MSG_PEEK | MSG_DONTWAIT | MSG_MORE | MSG_WAITALL | MSG_NOSIGNAL))
		return -EOPNOTSUPP;
	if (flags & MSG_PEEK)
		out |= IPSTACK_MSG_PEEK;
	if (flags & MSG_DONTWAIT)
		out |= IPSTACK_MSG_DONTWAIT;
	if (flags & MSG_MORE)
		out |= IPSTACK_MSG_MORE;
	return out;
}

int xlate_poll(int ready)
{
	return ((ready & IPSTACK_POLLIN) ? POLLIN : 0) |
	       ((ready & IPSTACK_POLLOUT) ? POLLOUT : 0) |
	       ((ready & IPSTACK_POLLERR) ? POLLERR : 0);
}
