/*
 * ipconf.h - a vif's static IPv4 settings, as the toolstack gives them.
 *
 * Two sources (net/lwip/netif.c decides which applies):
 *   - the leading words of xl's extra= (environment words, environ.h),
 *     for the first vif:  ip=ADDR/PREFIX gw=ADDR dns=ADDR
 *   - the vif's own ip= in the xl config, which xl writes to the
 *     backend's `ip` key: "ADDR[/PREFIX]", possibly followed by more
 *     addresses separated by blanks (only the first is used).
 * An address without /PREFIX is a /24. Everything here comes from
 * outside the guest: parsed strictly, every field bounded, and a bad
 * value is refused with a reason, never half-taken.
 *
 * Pure code (no Xen, no libc): host unit tests and a fuzz target run it.
 */
#ifndef NET_IPCONF_H
#define NET_IPCONF_H

#include <stdint.h>

#define IPCONF_DEFAULT_PREFIX 24

/* Addresses in host byte order; 0 means "not given". */
struct ipconf {
	uint32_t addr, gw, dns;
	unsigned int prefix; /* 1..32 */
};

/* "A.B.C.D", each part a decimal 0..255 of 1-3 digits: 0 or -1. */
int ipconf_parse_addr(const char *s, uint32_t *addr);

/*
 * ip (required), gw and dns (NULL: not given) as the environment words
 * give them. 0, or -1 with *why saying what is wrong.
 */
int ipconf_parse(const char *ip, const char *gw, const char *dns,
		 struct ipconf *c, const char **why);

/* The backend's `ip` key, as xl writes it: 0, or -1 with *why. */
int ipconf_parse_xl(const char *key, struct ipconf *c, const char **why);

/* The netmask of a prefix length (1..32). */
uint32_t ipconf_mask(unsigned int prefix);

#endif
