/*
 * init.c - the POSIX layer's start: errno and stdio state for main,
 * descriptors 0-2 on the console, and the environment.
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

void posix_init(void)
{
	posix_tls_adopt_global();
	console_fd_init();
	environ = xenlet_environ;
}
