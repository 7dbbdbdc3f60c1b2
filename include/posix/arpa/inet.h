/*
 * arpa/inet.h - Internet addresses to and from text (lib/posix/inet.c).
 * htons() and friends come with netinet/in.h, as in glibc.
 */
#ifndef _ARPA_INET_H
#define _ARPA_INET_H

#include <netinet/in.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "a.b.c.d" (and the shorter forms a.b.c, a.b, a) in network order. */
in_addr_t inet_addr(const char *cp);		   /* INADDR_NONE if bad */
int inet_aton(const char *cp, struct in_addr *in); /* 0 if bad */
char *inet_ntoa(struct in_addr in);		   /* in a static buffer */

/* AF_INET and AF_INET6, strict: only dotted quads and RFC 4291 text. */
int inet_pton(int af, const char *restrict src, void *restrict dst);
const char *inet_ntop(int af, const void *restrict src, char *restrict dst,
		      socklen_t size);

#ifdef __cplusplus
}
#endif

#endif
