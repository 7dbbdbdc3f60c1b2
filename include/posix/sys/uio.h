/*
 * sys/uio.h - scatter/gather I/O vectors, which newlib lacks.
 *
 * struct iovec is laid out as on Linux (base, then length): sendmsg
 * and recvmsg hand arrays of it through struct msghdr unchanged.
 */
#ifndef _SYS_UIO_H
#define _SYS_UIO_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct iovec {
	void *iov_base;
	size_t iov_len;
};

/* The most vectors one call takes, as on Linux; more give EINVAL. */
#define UIO_MAXIOV 1024

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#ifdef __cplusplus
}
#endif

#endif
