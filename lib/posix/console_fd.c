/*
 * console_fd.c - descriptors 0, 1 and 2: the Xen PV console.
 *
 * Writes go to the console ring (xen/console.c). Reads take what is
 * typed into `xl console`: the read waits, unless O_NONBLOCK, until at
 * least one byte is there, and returns what is there, as a terminal in
 * raw mode would. The Enter key arrives as '\r' and is given to the
 * program as '\n' (a terminal's ICRNL), so fgets() sees lines. Nothing
 * is echoed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <xenlet/console.h>
#include <xenlet/fd.h>
#include <xenlet/thread.h>

static int no_input; /* the console's event channel is unusable */

static ssize_t console_fd_read(struct file *f, void *buf, size_t len)
{
	char *p = buf;
	size_t i, n;

	if (len == 0)
		return 0;
	if (no_input) /* nothing would wake the wait below */
		return -EIO;
	while (console_input_pending() == 0) {
		if (f->status_flags & O_NONBLOCK)
			return -EAGAIN;
		waitq_wait(&console_input_waitq, 0);
	}
	n = console_read(p, len);
	for (i = 0; i < n; i++)
		if (p[i] == '\r')
			p[i] = '\n';
	return (ssize_t)n;
}

static ssize_t console_fd_write(struct file *f, const void *buf, size_t len)
{
	(void)f;
	console_write(buf, len);
	return (ssize_t)len;
}

static int console_fd_fstat(struct file *f, struct stat *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	return 0;
}

static int console_fd_poll(struct file *f)
{
	(void)f;
	return POLLOUT | (console_input_pending() ? POLLIN : 0);
}

static const struct file_ops console_ops = {
	.read = console_fd_read,
	.write = console_fd_write,
	.fstat = console_fd_fstat,
	.poll = console_fd_poll,
	.isatty = 1,
};

void console_fd_init(void)
{
	fd_install(&console_ops, NULL, O_RDONLY);
	fd_install(&console_ops, NULL, O_WRONLY);
	fd_install(&console_ops, NULL, O_WRONLY);
	console_input_notify = fd_poll_wake; /* input wakes poll() too */
	no_input = console_input_init() < 0;
}
