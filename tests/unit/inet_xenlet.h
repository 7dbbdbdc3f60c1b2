/*
 * inet_xenlet.h - xenlet's address text functions (lib/posix/inet_*.c,
 * getnameinfo.c, gai_strerror.c), built for the host under xenlet_
 * names (see the Makefile) so a test or fuzz target can call them next
 * to glibc's own.
 */
#ifndef INET_XENLET_H
#define INET_XENLET_H

#include <netdb.h>
#include <netinet/in.h>

int xenlet_inet_pton(int af, const char *src, void *dst);
const char *xenlet_inet_ntop(int af, const void *src, char *dst,
			     socklen_t size);
int xenlet_inet_aton(const char *cp, struct in_addr *in);
in_addr_t xenlet_inet_addr(const char *cp);
char *xenlet_inet_ntoa(struct in_addr in);
const char *xenlet_gai_strerror(int err);
int xenlet_getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host,
		       socklen_t hostlen, char *serv, socklen_t servlen,
		       int flags);

#endif
