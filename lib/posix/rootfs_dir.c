/*
 * rootfs_dir.c - directory streams of the root file system: opendir,
 * fdopendir, readdir, rewinddir, dirfd, closedir (<dirent.h>).
 *
 * A DIR is a descriptor of a directory (rootfs_file.c) and a place in
 * its listing. As on Linux the listing starts with "." and "..", then
 * each entry once, directories the archive only implies included, in
 * the index's order (byte order of names, see rootfs_path_cmp).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenlet/posix.h>
#include "rootfs_file.h"

struct __dirstream {
	int fd;
	long pos;	   /* entries returned so far: ".", "..", then these */
	size_t cursor;	   /* rootfs_dir_next's place */
	struct dirent ent; /* what readdir returns, until the next call */
};

DIR *fdopendir(int fd)
{
	DIR *d;

	if (rootfs_fd_dir(fd) == NULL) {
		errno = fcntl(fd, F_GETFL) < 0 ? EBADF : ENOTDIR;
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL; /* errno is ENOMEM */
	d->fd = fd;
	return d;
}

DIR *opendir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	DIR *d;

	if (fd < 0)
		return NULL;
	d = fdopendir(fd);
	if (d == NULL)
		close(fd);
	return d;
}

/* The entry for name (len bytes) with node n's number and type. */
static struct dirent *entry(DIR *d, const char *name, size_t len,
			    const struct rootfs_node *n)
{
	if (len > sizeof(d->ent.d_name) - 1)
		len = sizeof(d->ent.d_name) - 1; /* index.c bounds it already */
	memcpy(d->ent.d_name, name, len);
	d->ent.d_name[len] = '\0';
	d->ent.d_ino = n->ino;
	/* DT_ values are the S_IFMT bits shifted down (as on Linux). */
	d->ent.d_type = (unsigned char)((n->mode & S_IFMT) >> 12);
	d->ent.d_reclen = sizeof(d->ent);
	d->ent.d_off = ++d->pos;
	return &d->ent;
}

/* "..": the parent's node (the root is its own parent). */
static void parent(const struct rootfs_node *dir, struct rootfs_node *p)
{
	size_t len = dir->path_len;

	while (len > 0 && dir->path[len - 1] != '/')
		len--;
	if (rootfs_lookup(dir->path, len > 0 ? len - 1 : 0, p) < 0)
		*p = *dir; /* cannot happen: an entry's parents exist */
}

struct dirent *readdir(DIR *d)
{
	const struct rootfs_node *dir = rootfs_fd_dir(d->fd);
	struct rootfs_node n;
	const char *name;

	if (dir == NULL) {
		errno = EBADF; /* its descriptor was closed */
		return NULL;
	}
	if (d->pos == 0)
		return entry(d, ".", 1, dir);
	if (d->pos == 1) {
		parent(dir, &n);
		return entry(d, "..", 2, &n);
	}
	if (!rootfs_dir_next(dir->path, dir->path_len, &d->cursor, &n))
		return NULL; /* the end: errno unchanged */
	name = n.path + n.path_len;
	while (name > n.path && name[-1] != '/')
		name--;
	return entry(d, name, (size_t)(n.path + n.path_len - name), &n);
}

void rewinddir(DIR *d)
{
	d->pos = 0;
	d->cursor = 0;
}

int dirfd(DIR *d)
{
	return d->fd;
}

int closedir(DIR *d)
{
	int rc = close(d->fd);

	free(d);
	return rc;
}
