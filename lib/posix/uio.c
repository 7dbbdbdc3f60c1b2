/*
 * uio.c - readv() and writev().
 *
 * A file that can do scatter-gather itself (a socket: a datagram must
 * go out whole) has ops->readv/writev. For the others the pieces are
 * read or written one by one: writev stops at a short write; readv
 * waits, as read would, only for the first piece, then takes the rest
 * only as far as it is there already.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/uio.h>
#include <xenlet/fd.h>
#include <xenlet/posix.h>

/* Linux's UIO_MAXIOV. */
#define IOV_LIMIT 1024
/* The most a count may say (ssize_t; newlib's limits.h lacks it). */
#define TOTAL_MAX ((size_t)LONG_MAX)

/* EINVAL for a count or a total length out of range. */
static int check(const struct iovec *iov, int n)
{
	size_t total = 0;
	int i;

	if (n < 0 || n > IOV_LIMIT || (n > 0 && iov == NULL))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (iov[i].iov_len > TOTAL_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return 0;
}

static ssize_t loop_rw(struct file *f, const struct iovec *iov, int n,
		       int writing)
{
	int saved = f->status_flags, i;
	ssize_t total = 0, r = 0;

	for (i = 0; i < n; i++) {
		if (iov[i].iov_len == 0)
			continue;
		r = writing ? f->ops->write(f, iov[i].iov_base, iov[i].iov_len)
			    : f->ops->read(f, iov[i].iov_base, iov[i].iov_len);
		if (r <= 0)
			break;
		total += r;
		if ((size_t)r < iov[i].iov_len)
			break;
		if (!writing) /* the rest only if it is there already */
			f->status_flags |= O_NONBLOCK;
	}
	f->status_flags = saved;
	if (total > 0)
		return total;
	return r;
}

static ssize_t rw(int fd, const struct iovec *iov, int n, int writing)
{
	struct file *f = fd_get(fd);
	ssize_t r;

	if (f == NULL ||
	    (writing ? f->ops->write == NULL : f->ops->read == NULL))
		return posix_fail(EBADF);
	r = check(iov, n);
	if (r == 0) {
		if (writing && f->ops->writev)
			r = f->ops->writev(f, iov, n);
		else if (!writing && f->ops->readv)
			r = f->ops->readv(f, iov, n);
		else
			r = loop_rw(f, iov, n, writing);
	}
	return r < 0 ? posix_fail((int)-r) : r;
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	return rw(fd, iov, n, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	return rw(fd, iov, n, 1);
}
