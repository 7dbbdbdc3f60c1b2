/*
 * errno.c - Xen's error numbers to newlib's, and failing a call.
 *
 * Xen's public <xen/errno.h> lists its codes as XEN_ERRNO(name, value)
 * lines, meant to be re-included with a definition of XEN_ERRNO: here
 * each becomes an entry "[value] = name" of a table, so newlib's
 * constant of the same name (EINVAL, ENOENT...) is used and no number
 * is copied. Xen lists two aliases (EWOULDBLOCK = EAGAIN, EDEADLOCK =
 * EDEADLK) whose entries repeat an index with the same meaning.
 */
#include <errno.h>
#include <xenlet/posix.h>

#ifndef EDEADLOCK
#define EDEADLOCK EDEADLK /* newlib lacks the alias */
#endif

#pragma GCC diagnostic ignored "-Woverride-init" /* the aliases */
static const short from_xen[] = {
#define XEN_ERRNO(name, value) [value] = name,
#include <xen/errno.h>
};

int posix_errno_from_xen(int xen_rc)
{
	unsigned int i = (unsigned int)-xen_rc;

	if (i < sizeof(from_xen) / sizeof(from_xen[0]) && from_xen[i] != 0)
		return from_xen[i];
	return EIO;
}

int posix_fail(int err)
{
	errno = err;
	return -1;
}
