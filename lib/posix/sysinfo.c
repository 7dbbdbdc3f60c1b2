/*
 * sysinfo.c - what the system is: uname() and sysconf().
 */
#include <errno.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <xenlet/arch.h>
#include <xenlet/fd.h>
#include <xenlet/posix.h>

/* newlib's CLOCKS_PER_SEC, which times() counts in (time.c). */
#define CLOCK_TICKS 1000

int uname(struct utsname *u)
{
	if (u == NULL)
		return posix_fail(EFAULT);
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "xenlet");
	strcpy(u->nodename, "xenlet");
	strcpy(u->release, "0.1");
	strcpy(u->version, "Xen PV guest");
	strcpy(u->machine, "x86_64");
	return 0;
}

long sysconf(int name)
{
	switch (name) {
	case _SC_PAGESIZE:
		return PAGE_SIZE;
	case _SC_CLK_TCK:
		return CLOCK_TICKS;
	case _SC_NPROCESSORS_CONF:
	case _SC_NPROCESSORS_ONLN:
		return 1; /* one vCPU */
	case _SC_PHYS_PAGES:
		return (long)boot_info.nr_pages;
	case _SC_OPEN_MAX:
		return FD_MAX;
	case _SC_ARG_MAX:
		return 1024;
	}
	return posix_fail(EINVAL);
}
