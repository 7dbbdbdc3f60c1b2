/*
 * sys/ioctl.h - ioctl, which newlib lacks, and the requests xenlet's
 * files answer. The numbers are Linux's (<linux/fs.h>), so programs
 * written for Linux block devices work unchanged.
 */
#ifndef XENLET_POSIX_SYS_IOCTL_H
#define XENLET_POSIX_SYS_IOCTL_H

#define BLKSSZGET    0x1268	/* int: the logical sector size */
#define BLKGETSIZE64 0x80081272 /* uint64_t: the size in bytes */
#define FIONREAD     0x541B	/* int: bytes ready to read */
#define FIONBIO	     0x5421	/* int: nonzero makes the socket nonblocking */

int ioctl(int fd, unsigned long request, ...);

#endif
