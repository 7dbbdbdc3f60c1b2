/*
 * fd.h - the file-descriptor table of the POSIX layer (lib/posix/fd.c).
 *
 * A descriptor is a small integer naming an open file; an open file is a
 * struct file: an object with operations and private data. The console
 * (fd 0, 1, 2) is one kind of file; sockets (netfront/lwIP) and block
 * devices (blkfront) are others, and plug in by giving their own
 * file_ops and calling fd_install(). dup() makes two descriptors name
 * the same struct file, which is freed (ops->close) with the last one.
 *
 * Operations return a count or 0 for success, or a negative errno of the
 * C library (-EAGAIN, -EBADF...: newlib's numbers, not Xen's). This
 * header is compiled against newlib's headers.
 */
#ifndef XENLET_FD_H
#define XENLET_FD_H

#include <sys/stat.h>
#include <sys/types.h>

/* Descriptors 0 .. FD_MAX-1: a server's hundreds of connections
 * (lwIP's sockets, MEMP_NUM_NETCONN, are fewer) and its files. */
#define FD_MAX 256

/* What poll() asks a file for (the POLLIN/POLLOUT bits of <poll.h>). */
struct file;
struct iovec; /* <sys/uio.h> */

struct file_ops {
	/* Read or write up to len bytes; 0 from read is end of file. A file
	 * that would block with O_NONBLOCK unset waits in read itself. */
	ssize_t (*read)(struct file *f, void *buf, size_t len);
	ssize_t (*write)(struct file *f, const void *buf, size_t len);
	off_t (*lseek)(struct file *f, off_t off,
		       int whence); /* NULL: ESPIPE */
	int (*fstat)(struct file *f, struct stat *st);
	/* The <poll.h> events ready now (POLLIN, POLLOUT, POLLERR...). */
	int (*poll)(struct file *f);
	int (*close)(struct file *f); /* the last descriptor went away */
	int isatty;
	/* At an offset, leaving the file's position alone (NULL: ESPIPE). */
	ssize_t (*pread)(struct file *f, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(struct file *f, const void *buf, size_t len,
			  off_t off);
	int (*fsync)(struct file *f); /* NULL: EINVAL */
	int (*ioctl)(struct file *f, unsigned long req, void *arg); /* ENOTTY */
	/* Scatter-gather in one operation (a socket: one datagram, no
	 * wait once some data came). NULL: readv/writev loop on read and
	 * write (lib/posix/uio.c). */
	ssize_t (*readv)(struct file *f, const struct iovec *iov, int n);
	ssize_t (*writev)(struct file *f, const struct iovec *iov, int n);
};

struct file {
	const struct file_ops *ops;
	void *priv;	  /* the kind's own state */
	int status_flags; /* O_NONBLOCK, O_APPEND: fcntl F_GETFL/F_SETFL */
	int refs;	  /* descriptors naming this file */
	off_t pos;	  /* where read and write go, for files that seek */
};

/*
 * A new file of ops with priv, installed at the lowest free descriptor
 * (>= 0). Returns the descriptor or -EMFILE / -ENOMEM.
 */
int fd_install(const struct file_ops *ops, void *priv, int status_flags);

/*
 * For kinds whose files are addressed by offset (block devices, ramdisk
 * files): read and write through their pread and pwrite at f->pos,
 * which moves past what was done; and lseek's arithmetic for a file of
 * size bytes (-EINVAL for a bad whence or a position below 0 or past
 * what off_t holds). The same dup()ed file shares its position.
 */
ssize_t file_pos_read(struct file *f, void *buf, size_t len);
ssize_t file_pos_write(struct file *f, const void *buf, size_t len);
off_t file_pos_seek(struct file *f, off_t size, off_t off, int whence);

/* The file behind fd, or NULL if fd is not open. */
struct file *fd_get(int fd);

/*
 * Wake every poll()/select() waiter to re-check: a file calls this when
 * it becomes readable or writable (from an event handler too).
 */
void fd_poll_wake(void);

/*
 * open() of a path under /dev/ goes here when a kind of device file is
 * linked in (blk_files_init sets it): returns a descriptor or a
 * negative errno. NULL: no device files, open says ENOENT. A hook, not
 * a call, so that programs without disks do not link blkfront.
 */
extern int (*fd_open_dev)(const char *path, int flags);

/* Set up fd 0, 1 and 2 on the console (lib/posix/console_fd.c). */
void console_fd_init(void);

#endif
