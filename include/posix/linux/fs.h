/*
 * linux/fs.h - where Linux programs find the block-device ioctls.
 */
#ifndef XENLET_POSIX_LINUX_FS_H
#define XENLET_POSIX_LINUX_FS_H

#include <sys/ioctl.h>

#endif
