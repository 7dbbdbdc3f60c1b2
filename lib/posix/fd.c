/*
 * fd.c - the file-descriptor table and the calls that go through it:
 * read, write, lseek, fstat, isatty, close, dup, dup2, fcntl.
 *
 * One table for the whole program (POSIX: descriptors belong to the
 * process, not a thread). Each slot points at a shared struct file; the
 * calls here check the descriptor and hand over to the file's ops, so a
 * new kind of file (socket, block device) needs no change here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <xenlet/fd.h>
#include <xenlet/heap.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>

static struct file *table[FD_MAX];

/* poll() and select() wait here; files wake it on readiness changes. */
struct waitq fd_poll_waitq = WAITQ_INIT(fd_poll_waitq);

void fd_poll_wake(void)
{
	waitq_wake_all(&fd_poll_waitq);
}

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= FD_MAX)
		return NULL;
	return table[fd];
}

/* The lowest free descriptor >= from, or -EMFILE. */
static int lowest_free(int from)
{
	int fd;

	for (fd = from; fd < FD_MAX; fd++)
		if (table[fd] == NULL)
			return fd;
	return -EMFILE;
}

int fd_install(const struct file_ops *ops, void *priv, int status_flags)
{
	int fd = lowest_free(0);
	struct file *f;

	if (fd < 0)
		return fd;
	f = kzalloc(sizeof(*f));
	if (f == NULL)
		return -ENOMEM;
	f->ops = ops;
	f->priv = priv;
	f->status_flags = status_flags;
	f->refs = 1;
	table[fd] = f;
	return fd;
}

ssize_t file_pos_read(struct file *f, void *buf, size_t len)
{
	ssize_t n = f->ops->pread(f, buf, len, f->pos);

	if (n > 0)
		f->pos += n;
	return n;
}

ssize_t file_pos_write(struct file *f, const void *buf, size_t len)
{
	ssize_t n = f->ops->pwrite(f, buf, len, f->pos);

	if (n > 0)
		f->pos += n;
	return n;
}

off_t file_pos_seek(struct file *f, off_t size, off_t off, int whence)
{
	off_t base = whence == SEEK_SET	  ? 0
		     : whence == SEEK_CUR ? f->pos
		     : whence == SEEK_END ? size
					  : -1;

	if (base < 0 || (off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = base + off;
	return f->pos;
}

/* Drop one descriptor's reference; the last one closes the file. */
static int file_put(struct file *f)
{
	int rc = 0;

	if (--f->refs > 0)
		return 0;
	if (f->ops->close)
		rc = f->ops->close(f);
	kfree(f);
	return rc;
}

/* A negative errno result becomes -1 and errno. */
static int result(long rc)
{
	return rc < 0 ? posix_fail((int)-rc) : (int)rc;
}

/* newlib declares read and write to return int
 * (_READ_WRITE_RETURN_TYPE): a count is capped so that it fits. */
#define RW_MAX 0x7ffff000

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t len)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->read == NULL)
		return posix_fail(EBADF);
	ssize_t n = f->ops->read(f, buf, len < RW_MAX ? len : RW_MAX);
	return n < 0 ? posix_fail((int)-n) : (int)n;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t len)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->write == NULL)
		return posix_fail(EBADF);
	ssize_t n = f->ops->write(f, buf, len < RW_MAX ? len : RW_MAX);
	return n < 0 ? posix_fail((int)-n) : (int)n;
}

/* At an offset: files that have one (block devices); ESPIPE for others. */
ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	struct file *f = fd_get(fd);
	ssize_t n;

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->pread == NULL)
		return posix_fail(ESPIPE);
	if (off < 0)
		return posix_fail(EINVAL);
	n = f->ops->pread(f, buf, len < RW_MAX ? len : RW_MAX, off);
	return n < 0 ? posix_fail((int)-n) : n;
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	struct file *f = fd_get(fd);
	ssize_t n;

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->pwrite == NULL)
		return posix_fail(ESPIPE);
	if (off < 0)
		return posix_fail(EINVAL);
	n = f->ops->pwrite(f, buf, len < RW_MAX ? len : RW_MAX, off);
	return n < 0 ? posix_fail((int)-n) : n;
}

/* Make what was written durable; a file with nothing to sync: EINVAL. */
int fsync(int fd)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->fsync == NULL)
		return posix_fail(EINVAL);
	return result(f->ops->fsync(f));
}

/* A block device has no metadata apart from its data: the same. */
int fdatasync(int fd)
{
	return fsync(fd);
}

int ioctl(int fd, unsigned long req, ...)
{
	struct file *f = fd_get(fd);
	va_list ap;
	void *arg;

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->ioctl == NULL)
		return posix_fail(ENOTTY);
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	return result(f->ops->ioctl(f, req, arg));
}

off_t lseek(int fd, off_t off, int whence)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->lseek == NULL)
		return posix_fail(ESPIPE);
	off_t pos = f->ops->lseek(f, off, whence);
	return pos < 0 ? posix_fail((int)-pos) : pos;
}

int fstat(int fd, struct stat *st)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (f->ops->fstat == NULL)
		return posix_fail(ENOSYS);
	return result(f->ops->fstat(f, st));
}

int isatty(int fd)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	if (!f->ops->isatty)
		return posix_fail(ENOTTY);
	return 1;
}

int close(int fd)
{
	struct file *f = fd_get(fd);

	if (f == NULL)
		return posix_fail(EBADF);
	table[fd] = NULL;
	return result(file_put(f));
}

int dup(int fd)
{
	struct file *f = fd_get(fd);
	int nfd;

	if (f == NULL)
		return posix_fail(EBADF);
	nfd = lowest_free(0);
	if (nfd < 0)
		return posix_fail(-nfd);
	f->refs++;
	table[nfd] = f;
	return nfd;
}

int dup2(int fd, int nfd)
{
	struct file *f = fd_get(fd);

	if (f == NULL || nfd < 0 || nfd >= FD_MAX)
		return posix_fail(EBADF);
	if (fd == nfd)
		return nfd;
	if (table[nfd] != NULL)
		file_put(
			table[nfd]); /* errors of the implicit close are lost */
	f->refs++;
	table[nfd] = f;
	return nfd;
}

/* The status flags a program may change with F_SETFL. */
#define SETFL_MASK (O_NONBLOCK | O_APPEND)

int fcntl(int fd, int cmd, ...)
{
	struct file *f = fd_get(fd);
	va_list ap;
	int arg, nfd;

	if (f == NULL)
		return posix_fail(EBADF);
	va_start(ap, cmd);
	arg = va_arg(ap, int); /* every command handled takes an int */
	va_end(ap);
	switch (cmd) {
	case F_DUPFD:
		if (arg < 0 || arg >= FD_MAX)
			return posix_fail(EINVAL);
		nfd = lowest_free(arg);
		if (nfd < 0)
			return posix_fail(-nfd);
		f->refs++;
		table[nfd] = f;
		return nfd;
	case F_GETFD:
		return 0; /* no exec, so FD_CLOEXEC means nothing */
	case F_SETFD:
		return 0;
	case F_GETFL:
		return f->status_flags;
	case F_SETFL:
		f->status_flags =
			(f->status_flags & ~SETFL_MASK) | (arg & SETFL_MASK);
		return 0;
	}
	return posix_fail(EINVAL);
}
