/*
 * ifname.c - interface names (<net/if.h>): there are none to look up.
 * Sockets reach a vif through its address, never through a name or an
 * index, so every name is unknown and every index names nothing.
 */
#include <errno.h>
#include <net/if.h>
#include <xenlet/posix.h>

unsigned int if_nametoindex(const char *name)
{
	(void)name;
	errno = ENXIO;
	return 0; /* POSIX: 0 is no interface */
}

char *if_indextoname(unsigned int index, char *name)
{
	(void)index;
	(void)name;
	errno = ENXIO;
	return NULL;
}
