/*
 * socket.c - BSD sockets as descriptors: each socket is a struct file
 * (xenlet/fd.h) over a handle of the IP stack (xenlet/ipstack.h).
 *
 * This file sees only the program's headers (Linux's layout, newlib's
 * errno) and translates through sock_xlate.c; the stack (lwIP) never
 * sees a program's sockaddr, and the program never sees lwIP's.
 * Only a program that calls one of these functions links the stack.
 *
 * The descriptor's O_NONBLOCK (SOCK_NONBLOCK, fcntl F_SETFL, FIONBIO)
 * decides whether a call waits; the stack wakes poll() and select()
 * (fd_poll_wake) after each batch of work in its thread.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <xenlet/fd.h>
#include <xenlet/ipstack.h>
#include <xenlet/posix.h>
#include "sock_xlate.h"

struct sock {
	int s;	       /* the stack's handle */
	int type;      /* IPSTACK_STREAM or IPSTACK_DGRAM */
	int connected; /* a stream that was connected: EPIPE once gone */
};

static const struct file_ops sock_ops;

/* The socket behind fd, or NULL (errno: EBADF, or ENOTSOCK). */
static struct file *sock_file(int fd)
{
	struct file *f = fd_get(fd);

	if (f == NULL) {
		errno = EBADF;
		return NULL;
	}
	if (f->ops != &sock_ops) {
		errno = ENOTSOCK;
		return NULL;
	}
	return f;
}

static int nonblocking(const struct file *f)
{
	return (f->status_flags & O_NONBLOCK) != 0;
}

/* A negative errno result: -1 and errno; else the value. */
static ssize_t ret(ssize_t rc)
{
	return rc < 0 ? posix_fail((int)-rc) : rc;
}

/* A new descriptor for stack handle s (closed if none is free). */
static int install(int s, int type, int connected, int flags)
{
	struct sock *k = malloc(sizeof(*k));
	int fd;

	if (k == NULL) {
		ipstack_close(s);
		return posix_fail(ENOMEM);
	}
	*k = (struct sock){ s, type, connected };
	fd = fd_install(&sock_ops, k, (flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	if (fd < 0) {
		ipstack_close(s);
		free(k);
		return posix_fail(-fd);
	}
	return fd;
}

int socket(int domain, int type, int protocol)
{
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), kind, s;

	if (domain != AF_INET)
		return posix_fail(EAFNOSUPPORT);
	if (base == SOCK_STREAM && (protocol == 0 || protocol == IPPROTO_TCP))
		kind = IPSTACK_STREAM;
	else if (base == SOCK_DGRAM &&
		 (protocol == 0 || protocol == IPPROTO_UDP))
		kind = IPSTACK_DGRAM;
	else if (base == SOCK_STREAM || base == SOCK_DGRAM)
		return posix_fail(EPROTONOSUPPORT);
	else
		return posix_fail(EINVAL);
	s = ipstack_start();
	if (s < 0)
		return posix_fail(-s);
	s = ipstack_socket(kind);
	if (s < 0)
		return posix_fail(-s);
	return install(s, kind, 0, type);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct file *f = sock_file(fd);
	struct ipstack_addr a;
	int rc;

	if (f == NULL)
		return -1;
	rc = xlate_addr_in(addr, len, &a);
	if (rc == 0)
		rc = ipstack_bind(((struct sock *)f->priv)->s, &a);
	return (int)ret(rc);
}

int listen(int fd, int backlog)
{
	struct file *f = sock_file(fd);

	if (f == NULL)
		return -1;
	/* lwIP keeps the backlog in a byte. */
	if (backlog > 255)
		backlog = 255;
	if (backlog < 1)
		backlog = 1;
	return (int)ret(ipstack_listen(((struct sock *)f->priv)->s, backlog));
}

int accept4(int fd, struct sockaddr *restrict addr, socklen_t *restrict len,
	    int flags)
{
	struct file *f = sock_file(fd);
	struct ipstack_addr peer;
	struct sock *k;
	int s;

	if (f == NULL)
		return -1;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return posix_fail(EINVAL);
	if (addr != NULL && len == NULL)
		return posix_fail(EFAULT);
	k = f->priv;
	s = ipstack_accept(k->s, &peer, nonblocking(f));
	if (s < 0)
		return posix_fail(-s);
	if (addr != NULL)
		xlate_addr_out(&peer, addr, len);
	return install(s, k->type, 1, flags);
}

int accept(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
	return accept4(fd, addr, len, 0);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	struct file *f = sock_file(fd);
	struct ipstack_addr a;
	struct sock *k;
	int rc;

	if (f == NULL)
		return -1;
	k = f->priv;
	rc = xlate_addr_in(addr, len, &a);
	if (rc == 0)
		rc = ipstack_connect(k->s, &a, nonblocking(f));
	if (rc == 0 || rc == -EINPROGRESS)
		k->connected = 1;
	return (int)ret(rc);
}

/* Send iov[0..n) (to: NULL or the destination). */
static ssize_t do_send(struct file *f, const struct iovec *iov, int n,
		       int flags, const struct sockaddr *to, socklen_t tolen)
{
	struct ipstack_iov v[IPSTACK_IOV_MAX];
	struct ipstack_addr a;
	struct sock *k = f->priv;
	int sflags = xlate_msg_flags(flags), i;
	ssize_t rc;

	if (sflags < 0)
		return sflags;
	if (n < 0 || n > IPSTACK_IOV_MAX)
		return -EMSGSIZE;
	if (to != NULL) {
		rc = xlate_addr_in(to, tolen, &a);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < n; i++)
		v[i] = (struct ipstack_iov){ iov[i].iov_base, iov[i].iov_len };
	if (nonblocking(f))
		sflags |= IPSTACK_MSG_DONTWAIT;
	rc = ipstack_send(k->s, v, n, to ? &a : NULL, sflags);
	/* A stream whose connection is gone: EPIPE, as after a reset on
	 * Linux (there is no SIGPIPE to send). */
	if (rc == -ENOTCONN && k->connected && k->type == IPSTACK_STREAM)
		rc = -EPIPE;
	return rc;
}

/* Receive into iov[0..n); MSG_WAITALL loops until full on a stream. */
static ssize_t do_recv(struct file *f, const struct iovec *iov, int n,
		       int flags, struct ipstack_addr *from, int *trunc)
{
	struct ipstack_iov v[IPSTACK_IOV_MAX];
	struct sock *k = f->priv;
	int rflags = xlate_msg_flags(flags), i;
	size_t want = 0;
	ssize_t rc, total = 0;

	if (rflags < 0)
		return rflags;
	if (n < 0 || n > IPSTACK_IOV_MAX)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		v[i] = (struct ipstack_iov){ iov[i].iov_base, iov[i].iov_len };
		want += iov[i].iov_len;
	}
	if (nonblocking(f))
		rflags |= IPSTACK_MSG_DONTWAIT;
	for (;;) {
		rc = ipstack_recv(k->s, v, n, from, rflags, trunc);
		if (rc <= 0)
			return total > 0 ? total : rc;
		total += rc;
		if (!(flags & MSG_WAITALL) || k->type != IPSTACK_STREAM ||
		    (flags & MSG_PEEK) || (size_t)total >= want)
			return total;
		/* Skip what was filled; wait for the rest. */
		while (n > 0 && (size_t)rc >= v[0].len) {
			rc -= (ssize_t)v[0].len;
			memmove(v, v + 1, (size_t)--n * sizeof(v[0]));
		}
		v[0].base = (char *)v[0].base + rc;
		v[0].len -= (size_t)rc;
	}
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	struct file *f = sock_file(fd);

	if (f == NULL)
		return -1;
	if (msg == NULL || msg->msg_iovlen > IPSTACK_IOV_MAX)
		return posix_fail(msg ? EMSGSIZE : EFAULT);
	return ret(do_send(f, msg->msg_iov, (int)msg->msg_iovlen, flags,
			   msg->msg_name, msg->msg_namelen));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct file *f = sock_file(fd);
	struct ipstack_addr from = { 0, 0 };
	int trunc = 0;
	ssize_t rc;

	if (f == NULL)
		return -1;
	if (msg == NULL || msg->msg_iovlen > IPSTACK_IOV_MAX)
		return posix_fail(msg ? EMSGSIZE : EFAULT);
	rc = do_recv(f, msg->msg_iov, (int)msg->msg_iovlen, flags, &from,
		     &trunc);
	if (rc < 0)
		return posix_fail((int)-rc);
	if (msg->msg_name != NULL)
		xlate_addr_out(&from, msg->msg_name, &msg->msg_namelen);
	msg->msg_controllen = 0; /* no ancillary data */
	msg->msg_flags = trunc ? MSG_TRUNC : 0;
	return rc;
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	struct iovec v = { (void *)buf, len };
	struct file *f = sock_file(fd);

	if (f == NULL)
		return -1;
	return ret(do_send(f, &v, 1, flags, to, tolen));
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *restrict buf, size_t len, int flags,
		 struct sockaddr *restrict from, socklen_t *restrict fromlen)
{
	struct iovec v = { buf, len };
	struct file *f = sock_file(fd);
	struct ipstack_addr a = { 0, 0 };
	ssize_t rc;

	if (f == NULL)
		return -1;
	if (from != NULL && fromlen == NULL)
		return posix_fail(EFAULT);
	rc = do_recv(f, &v, 1, flags, &a, NULL);
	if (rc >= 0 && from != NULL)
		xlate_addr_out(&a, from, fromlen);
	return ret(rc);
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

int shutdown(int fd, int how)
{
	struct file *f = sock_file(fd);
	int rc;

	if (f == NULL)
		return -1;
	if (how != SHUT_RD && how != SHUT_WR && how != SHUT_RDWR)
		return posix_fail(EINVAL);
	rc = ipstack_shutdown(((struct sock *)f->priv)->s, how != SHUT_WR,
			      how != SHUT_RD);
	fd_poll_wake();
	return (int)ret(rc);
}

static int name_of(int fd, int peer, struct sockaddr *addr, socklen_t *len)
{
	struct file *f = sock_file(fd);
	struct ipstack_addr a;
	int rc;

	if (f == NULL)
		return -1;
	if (len == NULL || (addr == NULL && *len > 0))
		return posix_fail(EFAULT);
	rc = ipstack_name(((struct sock *)f->priv)->s, peer, &a);
	if (rc < 0)
		return posix_fail(-rc);
	xlate_addr_out(&a, addr, len);
	return 0;
}

int getsockname(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
	return name_of(fd, 0, addr, len);
}

int getpeername(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
	return name_of(fd, 1, addr, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	struct file *f = sock_file(fd);
	enum ipstack_opt opt;
	int rc, v;

	if (f == NULL)
		return -1;
	rc = xlate_opt(level, name, &opt);
	if (rc == 0)
		rc = xlate_optval_in(opt, val, len, &v);
	if (rc == 0)
		rc = ipstack_setopt(((struct sock *)f->priv)->s, opt, v);
	return (int)ret(rc);
}

int getsockopt(int fd, int level, int name, void *restrict val,
	       socklen_t *restrict len)
{
	struct file *f = sock_file(fd);
	enum ipstack_opt opt;
	int rc, v = 0;

	if (f == NULL)
		return -1;
	rc = xlate_opt(level, name, &opt);
	if (rc == 0)
		rc = ipstack_getopt(((struct sock *)f->priv)->s, opt, &v);
	if (rc == 0)
		rc = xlate_optval_out(opt, v, val, len);
	return (int)ret(rc);
}

/* --- the socket as a file ------------------------------------------------ */

static ssize_t sock_read(struct file *f, void *buf, size_t len)
{
	struct iovec v = { buf, len };

	return do_recv(f, &v, 1, 0, NULL, NULL);
}

static ssize_t sock_write(struct file *f, const void *buf, size_t len)
{
	struct iovec v = { (void *)buf, len };

	return do_send(f, &v, 1, 0, NULL, 0);
}

static ssize_t sock_readv(struct file *f, const struct iovec *iov, int n)
{
	return do_recv(f, iov, n, 0, NULL, NULL);
}

static ssize_t sock_writev(struct file *f, const struct iovec *iov, int n)
{
	return do_send(f, iov, n, 0, NULL, 0);
}

static int sock_poll(struct file *f)
{
	return xlate_poll(ipstack_poll(((struct sock *)f->priv)->s));
}

static int sock_close(struct file *f)
{
	struct sock *k = f->priv;
	int rc = ipstack_close(k->s);

	free(k);
	fd_poll_wake();
	return rc;
}

static int sock_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	return 0;
}

static int sock_ioctl(struct file *f, unsigned long req, void *arg)
{
	int n;

	if (arg == NULL)
		return -EFAULT;
	switch (req) {
	case FIONBIO:
		memcpy(&n, arg, sizeof(n));
		if (n)
			f->status_flags |= O_NONBLOCK;
		else
			f->status_flags &= ~O_NONBLOCK;
		return 0;
	case FIONREAD:
		n = ipstack_nread(((struct sock *)f->priv)->s);
		if (n < 0)
			return n;
		memcpy(arg, &n, sizeof(n));
		return 0;
	}
	return -ENOTTY;
}

static const struct file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.fstat = sock_fstat,
	.poll = sock_poll,
	.close = sock_close,
	.ioctl = sock_ioctl,
	.readv = sock_readv,
	.writev = sock_writev,
};
