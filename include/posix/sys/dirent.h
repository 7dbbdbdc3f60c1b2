/*
 * sys/dirent.h - the directory stream of <dirent.h> (lib/posix/
 * rootfs_dir.c). newlib's own <dirent.h> declares opendir, readdir...
 * and includes this file for the types; newlib's stand-in for systems
 * without directories would stop the build with #error.
 *
 * struct dirent is laid out as on Linux (x86_64): d_ino, d_off,
 * d_reclen, d_type, d_name[256]. (d_ino is 64 bits, though newlib's
 * ino_t, and so st_ino, has 16: the same number, truncated there.)
 */
#ifndef _SYS_DIRENT_H
#define _SYS_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct dirent {
	__uint64_t d_ino;
	__int64_t d_off;	 /* telldir()'s cookie of the next entry */
	unsigned short d_reclen; /* sizeof(struct dirent) */
	unsigned char d_type;	 /* DT_REG, DT_DIR... */
	char d_name[256];	 /* NUL-ended */
};

/* d_type: the file type bits of st_mode, shifted (Linux's values). */
#define DT_UNKNOWN 0
#define DT_FIFO	   1
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_BLK	   6
#define DT_REG	   8
#define DT_LNK	   10
#define DT_SOCK	   12

#define _DIRENT_HAVE_D_TYPE
#define _DIRENT_HAVE_D_OFF
#define _DIRENT_HAVE_D_RECLEN

typedef struct __dirstream DIR;

#ifdef __cplusplus
}
#endif

#endif
