/*
 * rootfs_file.c - files by name: open, stat, lstat, access, and the
 * descriptors of the root file system's files and directories (read,
 * pread, lseek, fstat, close).
 *
 * The root is the xl ramdisk, read only (lib/rootfs, <xenlet/rootfs.h>):
 * opening for writing, creating or truncating gives EROFS. A file's
 * bytes are read straight from the ramdisk's pages; a descriptor holds
 * only the file's node and its position. Symbolic links are not
 * followed: open and stat of one give ELOOP (lstat describes it), and a
 * path through one ENOTDIR. Device files other than the /dev/ files
 * of fd_open_dev (blk_file.c) open with ENXIO.
 *
 * A program that never names a file (hello) links none of this: open
 * and stat live here, and posix_init checks the archive through a weak
 * reference to rootfs_files_init, which only this file defines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenlet/arch.h>
#include <xenlet/fd.h>
#include <xenlet/heap.h>
#include <xenlet/posix.h>
#include <xenlet/printk.h>
#include "rootfs_file.h"

/* Files and directories alike: the node (the position is the file's). */
struct rootfs_file {
	struct rootfs_node node; /* node.path points at path */
	char path[];		 /* the normalized path, NUL-ended */
};

/* Lookups never block (no I/O, no lock: one vCPU, no preemption), so
 * one buffer serves every caller between its normalize and its copy. */
static char norm[ROOTFS_PATH_MAX];

void rootfs_files_init(void)
{
	static const char *const fault[] = {
		[RAMDISK_AS_PFN] = "given as a PFN (SIF_MOD_START_PFN)",
		[RAMDISK_OUTSIDE] = "not where the boot code can keep it",
	};

	if (boot_info.ramdisk_fault != RAMDISK_OK)
		printk("rootfs: the ramdisk is not used: %s\n",
		       fault[boot_info.ramdisk_fault]);
	rootfs_init(boot_info.ramdisk, boot_info.ramdisk_len);
}

int rootfs_resolve(const char *path, int follow, struct rootfs_node *n)
{
	int len, must_dir, rc;

	if (path == NULL)
		return -EFAULT;
	if (path[0] == '\0')
		return -ENOENT; /* POSIX: the empty path names nothing */
	if (strnlen(path, ROOTFS_PATH_MAX) == ROOTFS_PATH_MAX)
		return -ENAMETOOLONG;
	len = rootfs_path_normalize(path, strlen(path), norm, &must_dir);
	if (len < 0)
		return -ENAMETOOLONG;
	rc = rootfs_lookup(norm, (size_t)len, n);
	if (rc < 0)
		return -posix_errno_from_xen(rc);
	if (follow && S_ISLNK(n->mode))
		return -ELOOP;
	if (must_dir && !S_ISDIR(n->mode))
		return -ENOTDIR;
	return 0;
}

void rootfs_node_stat(const struct rootfs_node *n, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = (ino_t)n->ino;
	st->st_mode = (mode_t)n->mode;
	st->st_nlink = (nlink_t)n->nlink;
	st->st_size = S_ISDIR(n->mode) ? 0 : (off_t)n->size;
	st->st_atime = st->st_mtime = st->st_ctime = (time_t)n->mtime;
	st->st_blksize = 4096; /* a page: the ramdisk's own unit */
	st->st_blocks = (blkcnt_t)((n->size + 511) / 512);
}

/* --- descriptors ----------------------------------------------------------- */

static ssize_t file_pread(struct file *f, void *buf, size_t len, off_t off)
{
	struct rootfs_file *r = f->priv;

	if (S_ISDIR(r->node.mode))
		return -EISDIR;
	if ((uint64_t)off >= r->node.size)
		return 0;
	if (len > r->node.size - (uint64_t)off)
		len = r->node.size - (size_t)off;
	memcpy(buf, r->node.data + off, len);
	return (ssize_t)len;
}

static off_t file_lseek(struct file *f, off_t off, int whence)
{
	struct rootfs_file *r = f->priv;

	return file_pos_seek(f, (off_t)r->node.size, off, whence);
}

static int file_fstat(struct file *f, struct stat *st)
{
	struct rootfs_file *r = f->priv;

	rootfs_node_stat(&r->node, st);
	return 0;
}

static int file_close(struct file *f)
{
	kfree(f->priv);
	return 0;
}

static const struct file_ops rootfs_file_ops = {
	.read = file_pos_read,
	.lseek = file_lseek,
	.fstat = file_fstat,
	.close = file_close,
	.pread = file_pread,
};

const struct rootfs_node *rootfs_fd_dir(int fd)
{
	struct file *f = fd_get(fd);
	struct rootfs_file *r;

	if (f == NULL || f->ops != &rootfs_file_ops)
		return NULL;
	r = f->priv;
	return S_ISDIR(r->node.mode) ? &r->node : NULL;
}

/* --- by name ----------------------------------------------------------------- */

#define WRITING (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC)

static int open_node(const struct rootfs_node *n, int flags)
{
	struct rootfs_file *r;
	int fd;

	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (flags & WRITING)
		return -EROFS;
	if ((flags & O_DIRECTORY) && !S_ISDIR(n->mode))
		return -ENOTDIR;
	if (!S_ISDIR(n->mode) && !S_ISREG(n->mode))
		return -ENXIO;
	r = kmalloc(sizeof(*r) + n->path_len + 1);
	if (r == NULL)
		return -ENOMEM;
	memcpy(r->path, n->path, n->path_len);
	r->path[n->path_len] = '\0';
	r->node = *n;
	r->node.path = r->path;
	fd = fd_install(&rootfs_file_ops, r, flags & O_NONBLOCK);
	if (fd < 0)
		kfree(r);
	return fd;
}

int open(const char *path, int flags, ...)
{
	struct rootfs_node n;
	int rc;

	if (fd_open_dev != NULL && path != NULL &&
	    strncmp(path, "/dev/", 5) == 0)
		rc = fd_open_dev(path, flags);
	else if ((rc = rootfs_resolve(path, 1, &n)) == 0)
		rc = open_node(&n, flags);
	else if (rc == -ENOENT && (flags & O_CREAT))
		rc = -EROFS; /* it would have been created */
	return rc < 0 ? posix_fail(-rc) : rc;
}

int stat(const char *path, struct stat *st)
{
	struct rootfs_node n;
	int rc = rootfs_resolve(path, 1, &n);

	if (rc < 0)
		return posix_fail(-rc);
	rootfs_node_stat(&n, st);
	return 0;
}

int lstat(const char *path, struct stat *st)
{
	struct rootfs_node n;
	int rc = rootfs_resolve(path, 0, &n);

	if (rc < 0)
		return posix_fail(-rc);
	rootfs_node_stat(&n, st);
	return 0;
}

/* Everyone may read everything; nothing may be written. */
int access(const char *path, int mode)
{
	struct rootfs_node n;
	int rc = rootfs_resolve(path, 1, &n);

	if (rc < 0)
		return posix_fail(-rc);
	if (mode & W_OK)
		return posix_fail(EROFS);
	if ((mode & X_OK) && !(n.mode & 0111))
		return posix_fail(EACCES);
	return 0;
}
