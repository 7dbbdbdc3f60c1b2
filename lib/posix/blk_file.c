/*
 * blk_file.c - each vbd as a file: /dev/xvda, /dev/xvdb...
 *
 * open read write pread pwrite lseek fstat fsync ioctl on the block API
 * (include/xenlet/blk.h). The disk is read and written in whole
 * sectors, so a byte range that starts or ends inside a sector is done
 * as read-modify-write of that sector; the aligned middle goes to the
 * disk in one request. A write is not durable until fsync, which waits
 * for the writes in flight and flushes the backend's cache (blk.md 2).
 *
 * Only programs that call blk_files_init link this (and blkfront):
 * open() reaches it through the fd_open_dev hook.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xenlet/blk.h>
#include <xenlet/blk_file.h>
#include <xenlet/fd.h>
#include <xenlet/heap.h>
#include <xenlet/posix.h>

struct blk_file {
	struct blkdev *dev;
	int readable, writable;
	struct mutex edge; /* one read-modify-write of a sector at a time */
	uint8_t *sector;   /* the edge sector's bytes */
};

static uint64_t disk_size(const struct blk_file *b)
{
	return blk_sectors(b->dev) * blk_sector_size(b->dev);
}

static int io_errno(int xen_rc)
{
	return -posix_errno_from_xen(xen_rc);
}

/*
 * Bytes [skip, skip + n) of the sector at off: read it, then copy out
 * (to != NULL) or patch it with from and write it back.
 */
static int edge(struct blk_file *b, uint64_t off, unsigned int skip,
		unsigned int n, void *to, const void *from)
{
	unsigned int ss = blk_sector_size(b->dev);
	int rc;

	mutex_lock(&b->edge);
	rc = blk_read(b->dev, off, b->sector, ss);
	if (rc == 0 && to != NULL)
		memcpy(to, b->sector + skip, n);
	if (rc == 0 && from != NULL) {
		memcpy(b->sector + skip, from, n);
		rc = blk_write(b->dev, off, b->sector, ss);
	}
	mutex_unlock(&b->edge);
	return rc;
}

/* Read or write [off, off + len) of the disk, inside its size. */
static int transfer(struct blk_file *b, uint64_t off, uint8_t *to,
		    const uint8_t *from, size_t len)
{
	unsigned int ss = blk_sector_size(b->dev);
	size_t mid;
	int rc;

	while (len > 0 && (off % ss != 0 || len < ss)) {
		unsigned int skip = (unsigned int)(off % ss);
		unsigned int n =
			ss - skip < len ? ss - skip : (unsigned int)len;

		rc = edge(b, off - skip, skip, n, to, from);
		if (rc < 0)
			return rc;
		off += n;
		len -= n;
		to = to ? to + n : NULL;
		from = from ? from + n : NULL;
	}
	mid = len - len % ss;
	if (mid > 0) {
		rc = to ? blk_read(b->dev, off, to, mid)
			: blk_write(b->dev, off, from, mid);
		if (rc < 0)
			return rc;
	}
	if (len > mid)
		return transfer(b, off + mid, to ? to + mid : NULL,
				from ? from + mid : NULL, len - mid);
	return 0;
}

static ssize_t file_pread(struct file *f, void *buf, size_t len, off_t off)
{
	struct blk_file *b = f->priv;
	uint64_t size = disk_size(b);
	int rc;

	if (!b->readable)
		return -EBADF;
	if ((uint64_t)off >= size)
		return 0; /* end of the disk */
	if (len > size - (uint64_t)off)
		len = (size_t)(size - (uint64_t)off);
	rc = transfer(b, (uint64_t)off, buf, NULL, len);
	return rc < 0 ? io_errno(rc) : (ssize_t)len;
}

static ssize_t file_pwrite(struct file *f, const void *buf, size_t len,
			   off_t off)
{
	struct blk_file *b = f->priv;
	uint64_t size = disk_size(b);
	int rc;

	if (!b->writable)
		return -EBADF;
	if (len == 0)
		return 0;
	if ((uint64_t)off >= size)
		return -ENOSPC;
	if (len > size - (uint64_t)off)
		len = (size_t)(size - (uint64_t)off); /* a short write */
	rc = transfer(b, (uint64_t)off, NULL, buf, len);
	return rc < 0 ? io_errno(rc) : (ssize_t)len;
}

static off_t file_lseek(struct file *f, off_t off, int whence)
{
	struct blk_file *b = f->priv;

	return file_pos_seek(f, (off_t)disk_size(b), off, whence);
}

static int file_fstat(struct file *f, struct stat *st)
{
	struct blk_file *b = f->priv;

	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFBLK | (b->writable ? 0660 : 0440);
	st->st_size = (off_t)disk_size(b);
	/* The best unit of I/O: a page, granted without a copy. */
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)(disk_size(b) / 512);
	st->st_nlink = 1;
	return 0;
}

static int file_fsync(struct file *f)
{
	struct blk_file *b = f->priv;
	int rc;

	if (blk_readonly(b->dev))
		return 0; /* nothing was written: nothing to make durable */
	rc = blk_flush(b->dev);
	return rc < 0 ? io_errno(rc) : 0;
}

static int file_ioctl(struct file *f, unsigned long req, void *arg)
{
	struct blk_file *b = f->priv;

	switch (req) {
	case BLKGETSIZE64:
		*(uint64_t *)arg = disk_size(b);
		return 0;
	case BLKSSZGET:
		*(int *)arg = (int)blk_sector_size(b->dev);
		return 0;
	}
	return -ENOTTY;
}

/* The device stays connected: other descriptors may name it. */
static int file_close(struct file *f)
{
	struct blk_file *b = f->priv;

	kfree(b->sector);
	kfree(b);
	return 0;
}

static const struct file_ops blk_file_ops = {
	.read = file_pos_read,
	.write = file_pos_write,
	.lseek = file_lseek,
	.fstat = file_fstat,
	.close = file_close,
	.pread = file_pread,
	.pwrite = file_pwrite,
	.fsync = file_fsync,
	.ioctl = file_ioctl,
};

static int blk_file_open(const char *path, int flags)
{
	int mode = flags & O_ACCMODE, rc, fd;
	struct blk_file *b;
	struct blkdev *dev;

	rc = blk_open(path + 5, &dev); /* past "/dev/" */
	if (rc < 0)
		return rc == -XEN_ENODEV ? -ENOENT : io_errno(rc);
	if (mode != O_RDONLY && blk_readonly(dev))
		return -EROFS;
	b = kzalloc(sizeof(*b));
	if (b == NULL)
		return -ENOMEM;
	b->sector = kmalloc(blk_sector_size(dev)); /* 16-byte aligned */
	if (b->sector == NULL) {
		kfree(b);
		return -ENOMEM;
	}
	b->dev = dev;
	b->readable = mode != O_WRONLY;
	b->writable = mode != O_RDONLY;
	mutex_init(&b->edge);
	fd = fd_install(&blk_file_ops, b, flags & (O_NONBLOCK | O_APPEND));
	if (fd < 0)
		file_close(&(struct file){ .priv = b });
	return fd;
}

void blk_files_init(void)
{
	fd_open_dev = blk_file_open;
}
