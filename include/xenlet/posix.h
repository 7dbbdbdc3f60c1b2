/*
 * posix.h - glue between the kernel and the POSIX layer (lib/posix).
 *
 * The POSIX layer gives newlib its system calls. The kernel's error
 * codes are Xen's (-XEN_EINVAL...), whose numbers are Linux's; newlib's
 * <errno.h> numbers differ, so every kernel error is mapped on its way
 * out to a program. Compiled against newlib's headers.
 */
#ifndef XENLET_POSIX_H
#define XENLET_POSIX_H

/* newlib's errno for a negative Xen error code (EIO if unknown). */
int posix_errno_from_xen(int xen_rc);

/* Set errno to err and return -1: the shape of a failed system call. */
int posix_fail(int err);

/* Before main: stdio state, descriptors 0-2, environ. */
void posix_init(void);

/* What the POSIX layer keeps per thread (reent.c, pthread.c). */
#define POSIX_KEYS_MAX 64

struct _reent;
struct posix_tls {
	struct _reent *reent;		/* newlib's state; errno is in it */
	unsigned int pthread_id;	/* 0 until pthread_self() asks */
	void *specific[POSIX_KEYS_MAX]; /* pthread_getspecific() values */
};

/* The calling thread's, made on first use. */
struct posix_tls *posix_tls(void);

/* The calling thread (main) uses newlib's global state, which exit()
 * cleans up. */
void posix_tls_adopt_global(void);

#endif
