/*
 * sock_xlate.h - a program's socket structures and constants (Linux's,
 * include/posix/sys/socket.h) to and from the IP stack's neutral ones
 * (xenlet/ipstack.h). Pure code: host tests run it against glibc's
 * headers, whose values are the ones programs expect.
 *
 * Everything here comes from the program: lengths are checked before
 * anything is read or written.
 */
#ifndef LIB_POSIX_SOCK_XLATE_H
#define LIB_POSIX_SOCK_XLATE_H

#include <sys/socket.h>
#include <xenlet/ipstack.h>

/* A sockaddr of len bytes: 0, -EINVAL (too short), -EAFNOSUPPORT. */
int xlate_addr_in(const struct sockaddr *sa, socklen_t len,
		  struct ipstack_addr *a);
/*
 * Write a as a sockaddr_in into sa, cut to *len bytes (POSIX), and set
 * *len to its full size. sa may be NULL when *len is 0.
 */
void xlate_addr_out(const struct ipstack_addr *a, struct sockaddr *sa,
		    socklen_t *len);

/* level and name of setsockopt/getsockopt: 0, or -ENOPROTOOPT. */
int xlate_opt(int level, int name, enum ipstack_opt *opt);
/* The option's value from the program (int, struct timeval, struct
 * linger): 0 or -EINVAL. */
int xlate_optval_in(enum ipstack_opt opt, const void *val, socklen_t len,
		    int *v);
/* And back, cut to *len bytes; *len = what was written. 0 or -EINVAL. */
int xlate_optval_out(enum ipstack_opt opt, int v, void *val, socklen_t *len);

/* MSG_* of send/recv: IPSTACK_MSG_* bits, or -EOPNOTSUPP. MSG_WAITALL
 * and MSG_NOSIGNAL are the caller's (there is no SIGPIPE). */
int xlate_msg_flags(int flags);

/* IPSTACK_POLL* to <poll.h>'s POLLIN, POLLOUT, POLLERR. */
int xlate_poll(int ready);

#endif
