/*
 * rootfs_file.h - what rootfs_file.c shares with rootfs_dir.c, private
 * to lib/posix. Errors are newlib's errno values, negated.
 */
#ifndef XENLET_POSIX_ROOTFS_FILE_H
#define XENLET_POSIX_ROOTFS_FILE_H

#include <sys/stat.h>
#include <xenlet/rootfs.h>

/*
 * The node path names: 0, or -ENOENT, -ENOTDIR, -ENAMETOOLONG, and
 * -ELOOP for a symlink when follow is set. n->path may point into a
 * buffer of rootfs_file.c's, good until the next call.
 */
int rootfs_resolve(const char *path, int follow, struct rootfs_node *n);

/* The stat of a node: st_mode and st_mtime are the archive's. */
void rootfs_node_stat(const struct rootfs_node *n, struct stat *st);

/* The directory open at fd, or NULL if fd is not a rootfs directory. */
const struct rootfs_node *rootfs_fd_dir(int fd);

/* Check and index the ramdisk (posix_init calls it before main). */
void rootfs_files_init(void);

#endif
