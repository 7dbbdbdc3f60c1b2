/*
 * init.c - the POSIX layer's start: errno and stdio state for main,
 * descriptors 0-2 on the console, the environment, and the root file
 * system's check (when the program uses files).
 *
 * The environment is xenlet's (lib/environ.c): the leading NAME=value
 * words of xl's extra= and the keys under the domain's XenStore
 * environ/ directory. newlib's environ points at the same array.
 */
#include <stdlib.h>
#include <xenlet/environ.h>
#include <xenlet/fd.h>
#include <xenlet/posix.h>

extern char **environ; /* newlib's */

/* Defined only if the program names files (rootfs_file.c): a weak
 * reference links none of the root file system into one that does not. */
void rootfs_files_init(void) __attribute__((weak));

void posix_init(void)
{
	posix_tls_adopt_global();
	console_fd_init();
	environ = xenlet_environ;
	if (rootfs_files_init)
		rootfs_files_init();
}
