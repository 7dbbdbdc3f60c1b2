/*
 * net/if.h - network interface names (POSIX). xenlet's interfaces are
 * its vifs, which sockets address by their IP addresses only: no name
 * maps to an index (if_nametoindex gives 0, "none", as POSIX says for
 * an unknown name), and no index to a name (ENXIO). lib/posix/ifname.c.
 */
#ifndef _NET_IF_H
#define _NET_IF_H

#define IF_NAMESIZE 16

unsigned int if_nametoindex(const char *name);
char *if_indextoname(unsigned int index, char *name);

#endif
