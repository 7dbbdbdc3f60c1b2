/*
 * disk.c - the log's device (log.h) over a vbd opened as a file of the
 * POSIX layer (include/xenlet/blk_file.h): pread, pwrite at any byte
 * offset, and fsync, which waits for the writes and flushes the
 * backend's cache (a FLUSH_DISKCACHE request: notes/blk.md 2).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "server.h"

static int fd = -1;

static int disk_read(void *arg, uint64_t off, void *buf, size_t n)
{
	char *p = buf;

	(void)arg;
	while (n > 0) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO; /* the disk shrank under us */
		p += r;
		off += (uint64_t)r;
		n -= (size_t)r;
	}
	return 0;
}

static int disk_write(void *arg, uint64_t off, const void *buf, size_t n)
{
	const char *p = buf;

	(void)arg;
	while (n > 0) {
		ssize_t r = pwrite(fd, p, n, (off_t)off);

		if (r < 0)
			return -errno;
		if (r == 0)
			return -ENOSPC;
		p += r;
		off += (uint64_t)r;
		n -= (size_t)r;
	}
	return 0;
}

static int disk_sync(void *arg)
{
	(void)arg;
	return fsync(fd) < 0 ? -errno : 0;
}

int disk_open(const char *path, struct log_dev *dev)
{
	struct stat st;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	*dev = (struct log_dev){
		.size = (uint64_t)st.st_size,
		.read = disk_read,
		.write = disk_write,
		.sync = disk_sync,
	};
	return 0;
}
