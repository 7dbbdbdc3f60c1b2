/*
 * sys/stat.h - newlib's, plus lstat(), which newlib declares only for
 * a few systems of its own. xenlet's is in lib/posix/rootfs_file.c.
 */
#ifndef _XENLET_SYS_STAT_H
#define _XENLET_SYS_STAT_H

#include_next <sys/stat.h>

#ifdef __cplusplus
extern "C" {
#endif

int lstat(const char *__restrict __path, struct stat *__restrict __buf);

#ifdef __cplusplus
}
#endif

#endif
