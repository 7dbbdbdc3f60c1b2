/*
 * sys/socket.h - BSD sockets, which newlib lacks.
 *
 * Laid out as on Linux wherever a program could tell: struct sockaddr
 * has a 16-bit sa_family and no sa_len byte, sockaddr_storage is 128
 * bytes, and every constant has Linux's value, so code written for
 * Linux (and its binary structures) works unchanged. The socket layer
 * (lib/posix) translates to and from lwIP's own layout and constants,
 * which never reach a program.
 */
#ifndef _SYS_SOCKET_H
#define _SYS_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef uint32_t socklen_t;
typedef unsigned short sa_family_t;

struct sockaddr {
	sa_family_t sa_family;
	char sa_data[14];
};

/* Big enough and aligned enough for any address family's sockaddr. */
struct sockaddr_storage {
	sa_family_t ss_family;
	char __ss_padding[128 - sizeof(sa_family_t) - sizeof(unsigned long)];
	unsigned long __ss_align;
};

struct msghdr {
	void *msg_name;	       /* the peer's address, or NULL */
	socklen_t msg_namelen; /* its size; updated by recvmsg */
	struct iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control; /* ancillary data: cmsghdr records */
	size_t msg_controllen;
	int msg_flags; /* recvmsg's MSG_TRUNC, MSG_CTRUNC */
};

struct cmsghdr {
	size_t cmsg_len; /* header and data, without the tail padding */
	int cmsg_level;
	int cmsg_type;
};

/* Ancillary records are aligned to size_t, as on Linux. */
#define CMSG_ALIGN(len)                                                        \
	(((len) + sizeof(size_t) - 1) & ~(size_t)(sizeof(size_t) - 1))
#define CMSG_DATA(c)	((unsigned char *)((struct cmsghdr *)(c) + 1))
#define CMSG_SPACE(len) (CMSG_ALIGN(len) + CMSG_ALIGN(sizeof(struct cmsghdr)))
#define CMSG_LEN(len)	(CMSG_ALIGN(sizeof(struct cmsghdr)) + (len))
#define CMSG_FIRSTHDR(m)                                                       \
	((size_t)(m)->msg_controllen >= sizeof(struct cmsghdr)                 \
		 ? (struct cmsghdr *)(m)->msg_control                          \
		 : (struct cmsghdr *)0)
#define CMSG_NXTHDR(m, c) __cmsg_nxthdr((m), (c))

/*
 * The record after c, or NULL unless c's record and a whole header
 * after it fit in what is left of msg_control (glibc's rule). c's
 * length is not trusted until checked; the next one's is for the
 * caller to check, as on Linux.
 */
static inline struct cmsghdr *__cmsg_nxthdr(const struct msghdr *m,
					    const struct cmsghdr *c)
{
	const unsigned char *base = (const unsigned char *)m->msg_control;
	size_t left =
		m->msg_controllen - (size_t)((const unsigned char *)c - base);
	size_t step = CMSG_ALIGN(c->cmsg_len);

	if (c->cmsg_len < sizeof(struct cmsghdr) || step < c->cmsg_len ||
	    left < step || left - step < sizeof(struct cmsghdr))
		return 0;
	return (struct cmsghdr *)((const unsigned char *)c + step);
}

#define SCM_RIGHTS 1

struct linger {
	int l_onoff;  /* nonzero: close waits for unsent data */
	int l_linger; /* for at most this many seconds */
};

/* Address families (Linux's numbers); PF_* are the same. */
#define AF_UNSPEC 0
#define AF_UNIX	  1
#define AF_LOCAL  AF_UNIX
#define AF_INET	  2
#define AF_INET6  10
#define AF_PACKET 17
#define PF_UNSPEC AF_UNSPEC
#define PF_UNIX	  AF_UNIX
#define PF_LOCAL  AF_LOCAL
#define PF_INET	  AF_INET
#define PF_INET6  AF_INET6
#define PF_PACKET AF_PACKET

#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
#define SOCK_SEQPACKET 5
/*
 * Flags or-ed into socket()'s and accept4()'s type, with Linux's
 * values; these are what those calls accept. They are not newlib's
 * O_NONBLOCK (0x4000) and O_CLOEXEC: a type with any other bit set
 * fails with EINVAL. fcntl(F_SETFL) takes O_NONBLOCK, as usual.
 */
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC  02000000

/* The most a listen() backlog can ask for (Linux's net.core.somaxconn). */
#define SOMAXCONN 4096

#define SOL_SOCKET 1

/* Options at level SOL_SOCKET (Linux's asm-generic numbers). */
#define SO_DEBUG	1
#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4 /* the pending error, cleared as it is read */
#define SO_DONTROUTE	5
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_KEEPALIVE	9
#define SO_OOBINLINE	10
#define SO_LINGER	13 /* struct linger */
#define SO_REUSEPORT	15
#define SO_RCVLOWAT	18
#define SO_SNDLOWAT	19
#define SO_RCVTIMEO	20 /* struct timeval; zero waits for ever */
#define SO_SNDTIMEO	21 /* struct timeval */
#define SO_BINDTODEVICE 25
#define SO_ACCEPTCONN	30
#define SO_PROTOCOL	38
#define SO_DOMAIN	39

/* send() and recv() flags (Linux's numbers). */
#define MSG_OOB	      0x1
#define MSG_PEEK      0x2
#define MSG_DONTROUTE 0x4
#define MSG_CTRUNC    0x8
#define MSG_TRUNC     0x20
#define MSG_DONTWAIT  0x40
#define MSG_EOR	      0x80
#define MSG_WAITALL   0x100
#define MSG_NOSIGNAL  0x4000 /* accepted; there is no SIGPIPE to spare */
#define MSG_MORE      0x8000

#define SHUT_RD	  0
#define SHUT_WR	  1
#define SHUT_RDWR 2

int socket(int domain, int type, int protocol);
int bind(int fd, const struct sockaddr *addr, socklen_t len);
int listen(int fd, int backlog);
int accept(int fd, struct sockaddr *restrict addr, socklen_t *restrict len);
int accept4(int fd, struct sockaddr *restrict addr, socklen_t *restrict len,
	    int flags);
int connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen);
ssize_t recvfrom(int fd, void *restrict buf, size_t len, int flags,
		 struct sockaddr *restrict from, socklen_t *restrict fromlen);
ssize_t sendmsg(int fd, const struct msghdr *msg, int flags);
ssize_t recvmsg(int fd, struct msghdr *msg, int flags);
int shutdown(int fd, int how);
int getsockname(int fd, struct sockaddr *restrict addr,
		socklen_t *restrict len);
int getpeername(int fd, struct sockaddr *restrict addr,
		socklen_t *restrict len);
int setsockopt(int fd, int level, int name, const void *val, socklen_t len);
int getsockopt(int fd, int level, int name, void *restrict val,
	       socklen_t *restrict len);

#ifdef __cplusplus
}
#endif

#endif
