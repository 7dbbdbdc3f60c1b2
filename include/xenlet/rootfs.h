/*
 * rootfs.h - the root file system: the xl ramdisk, a cpio archive.
 *
 * xl's `ramdisk = "x.cpio"` hands the guest one boot module (PV:
 * start_info's mod_start/mod_len; PVH: hvm_start_info's module list),
 * which the boot code finds and keeps out of the page allocator
 * (boot_info.ramdisk). It is a cpio "newc" archive, as Linux's
 * initramfs: for each file a 110-byte header of ASCII hex fields, the
 * path, the data, each padded to 4 bytes, and a last entry named
 * "TRAILER!!!".
 *
 * The archive is input from outside the guest: rootfs_init checks every
 * header of it once, before any is used, and an archive with a fault is
 * not used at all (one console line names the byte offset, and the
 * root is empty). Files are then served straight from the ramdisk's
 * pages: a node's data points into the archive, nothing is copied. The
 * index kept on the heap is one small record per entry.
 *
 * Paths here are normalized (rootfs_path_normalize): no leading or
 * trailing slash, no empty, "." or ".." component; "" is the root.
 * Nothing here knows about descriptors or errno: lib/posix/rootfs_*.c
 * builds open, stat, opendir... on it. Errors are Xen's (-XEN_ENOENT...).
 */
#ifndef XENLET_ROOTFS_H
#define XENLET_ROOTFS_H

#include <stddef.h>
#include <stdint.h>

/* File types in a cpio mode: POSIX <cpio.h>'s values (Linux's too). */
#define ROOTFS_C_ISFMT 0170000
#define ROOTFS_C_ISDIR 0040000
#define ROOTFS_C_ISREG 0100000
#define ROOTFS_C_ISLNK 0120000

/* Linux's limits, which a name must keep to be listed and looked up. */
#define ROOTFS_PATH_MAX 4096 /* a whole path, with its NUL */
#define ROOTFS_NAME_MAX 255  /* one component (struct dirent's d_name) */

/* --- one cpio entry (lib/rootfs/cpio.c) ----------------------------------- */

struct cpio_entry {
	const char *name; /* NUL-ended, inside the archive */
	size_t name_len;  /* without the NUL */
	uint32_t ino, mode, nlink, mtime;
	const uint8_t *data; /* size bytes, inside the archive */
	size_t size;
};

/*
 * The entry whose header is at *off in the archive [a, a + len): checks
 * it and moves *off to the next header. 1 for an entry, 0 for the
 * trailer, -1 for a fault (*why says what, *off stays at the header).
 */
int cpio_next(const uint8_t *a, size_t len, size_t *off, struct cpio_entry *e,
	      const char **why);

/* --- paths (lib/rootfs/path.c) -------------------------------------------- */

/*
 * Normalize path (relative ones start at "/", the only working
 * directory): into out (ROOTFS_PATH_MAX bytes), NUL-ended. ".." at the
 * root stays at the root. *must_dir is set if the path ends in "/",
 * "." or "..", which only a directory may. Returns the length, or
 * -XEN_ENAMETOOLONG if the path or one of its components is too long.
 */
int rootfs_path_normalize(const char *path, size_t len, char *out,
			  int *must_dir);

/* Compare two normalized paths in tree order: a directory's entries
 * come right after it, before its next sibling ("/" sorts first). */
int rootfs_path_cmp(const char *a, size_t alen, const char *b, size_t blen);

/* --- the tree (lib/rootfs/index.c) ---------------------------------------- */

struct rootfs_node {
	const char *path; /* normalized, not NUL-ended */
	size_t path_len;
	uint32_t ino, mode, nlink, mtime;
	const uint8_t *data; /* regular files: the bytes; symlinks: target */
	size_t size;
};

/*
 * Check the archive [a, a + len) and index it. A fault is one console
 * line ("rootfs: bad cpio archive at offset N: why") and an empty root;
 * len 0 (no ramdisk) is an empty root, silently. 0, or the negative
 * Xen error (-XEN_EINVAL for a bad archive, -XEN_ENOMEM). Once: later
 * calls return the first one's result.
 */
int rootfs_init(const void *a, size_t len);

/* Forget the index (host tests: a new archive per test). */
void rootfs_reset(void);

/*
 * The node at a normalized path: 0 and *n, or -XEN_ENOENT, or
 * -XEN_ENOTDIR when a leading component is not a directory. A
 * directory that is only implied by longer paths ("a" of "a/b") is
 * found too, as a directory of mode 0555.
 */
int rootfs_lookup(const char *path, size_t len, struct rootfs_node *n);

/*
 * The entries of directory dir, one per call: *cursor starts at 0; 1
 * and *child (its path is the whole path: the name is after the last
 * "/"), or 0 at the end. Implied subdirectories are listed once.
 */
int rootfs_dir_next(const char *dir, size_t len, size_t *cursor,
		    struct rootfs_node *child);

#endif
