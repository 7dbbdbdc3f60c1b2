/*
 * blk_file.h - virtual disks as files of the POSIX layer.
 *
 * After blk_files_init(), open("/dev/xvda", O_RDWR) connects to vbd
 * xvda (blk_open) and gives a descriptor for read, write, pread,
 * pwrite, lseek, fstat (st_size, st_blksize), fsync / fdatasync (every
 * write that returned is made durable) and ioctl BLKGETSIZE64 and
 * BLKSSZGET (<sys/ioctl.h>). Any byte offset and length works; the
 * partial sectors at the edges are read, patched and written back. A
 * write that reaches the end of the disk is short; one that starts
 * there fails with ENOSPC; a backend failure is EIO. A read-only vbd
 * opens only with O_RDONLY (EROFS), and an O_RDONLY descriptor cannot
 * write (EBADF).
 *
 * The call is what links blkfront into a program: one that never makes
 * it carries no block driver (open of /dev/... is then ENOENT).
 */
#ifndef XENLET_BLK_FILE_H
#define XENLET_BLK_FILE_H

void blk_files_init(void);

#endif
