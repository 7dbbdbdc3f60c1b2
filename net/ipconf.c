/*
 * ipconf.c - parsing a vif's static IPv4 settings (ipconf.h).
 */
#include <stddef.h>
#include "ipconf.h"

/* Longest "A.B.C.D/PP" we accept, and the longest xl ip key word. */
#define ADDR_MAX 18

int ipconf_parse_addr(const char *s, uint32_t *addr)
{
	uint32_t a = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned int v = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned int)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		a = a << 8 | v;
		if (part < 3 && *s++ != '.')
			return -1;
	}
	if (*s != '\0')
		return -1;
	*addr = a;
	return 0;
}

uint32_t ipconf_mask(unsigned int prefix)
{
	return prefix >= 32 ? 0xffffffffu : ~(0xffffffffu >> prefix);
}

/* "A.B.C.D" or "A.B.C.D/P" of at most ADDR_MAX characters. */
static int parse_cidr(const char *s, uint32_t *addr, unsigned int *prefix,
		      const char **why)
{
	char buf[ADDR_MAX + 1];
	size_t i;

	for (i = 0; s[i] != '\0' && s[i] != '/'; i++)
		if (i >= 15) {
			*why = "address too long";
			return -1;
		}
	for (size_t j = 0; j < i; j++)
		buf[j] = s[j];
	buf[i] = '\0';
	if (ipconf_parse_addr(buf, addr) < 0) {
		*why = "not an IPv4 address A.B.C.D";
		return -1;
	}
	*prefix = IPCONF_DEFAULT_PREFIX;
	if (s[i] == '/') {
		const char *p = s + i + 1;
		unsigned int v = 0, digits = 0;

		while (*p >= '0' && *p <= '9' && digits < 3) {
			v = v * 10 + (unsigned int)(*p++ - '0');
			digits++;
		}
		if (digits == 0 || *p != '\0' || v < 1 || v > 32) {
			*why = "the prefix length must be 1..32";
			return -1;
		}
		*prefix = v;
	}
	return 0;
}

/* An address a host may take: not 0/8, loopback, multicast or above. */
static int usable(uint32_t a)
{
	uint8_t top = (uint8_t)(a >> 24);

	return top != 0 && top != 127 && top < 224;
}

static int check(struct ipconf *c, const char **why)
{
	uint32_t mask = ipconf_mask(c->prefix);

	if (!usable(c->addr)) {
		*why = "not a host address";
		return -1;
	}
	/* Below /31 the first and last addresses of the subnet are the
	 * network and its broadcast (RFC 3021 allows them on a /31). */
	if (c->prefix < 31 &&
	    ((c->addr & ~mask) == 0 || (c->addr & ~mask) == ~mask)) {
		*why = "the network or broadcast address of its subnet";
		return -1;
	}
	if (c->gw != 0 && (!usable(c->gw) || c->gw == c->addr ||
			   (c->gw & mask) != (c->addr & mask))) {
		*why = "gw= must be another host on the address's subnet";
		return -1;
	}
	if (c->dns != 0 && !usable(c->dns)) {
		*why = "dns= is not a host address";
		return -1;
	}
	return 0;
}

int ipconf_parse(const char *ip, const char *gw, const char *dns,
		 struct ipconf *c, const char **why)
{
	*c = (struct ipconf){ 0 };
	if (ip == NULL) {
		*why = "gw= or dns= without ip=";
		return -1;
	}
	if (parse_cidr(ip, &c->addr, &c->prefix, why) < 0)
		return -1;
	if (gw != NULL && ipconf_parse_addr(gw, &c->gw) < 0) {
		*why = "gw= is not an IPv4 address A.B.C.D";
		return -1;
	}
	if (dns != NULL && ipconf_parse_addr(dns, &c->dns) < 0) {
		*why = "dns= is not an IPv4 address A.B.C.D";
		return -1;
	}
	return check(c, why);
}

int ipconf_parse_xl(const char *key, struct ipconf *c, const char **why)
{
	char word[ADDR_MAX + 1];
	size_t n = 0;

	while (*key == ' ' || *key == '\t')
		key++;
	while (key[n] != '\0' && key[n] != ' ' && key[n] != '\t') {
		if (n == ADDR_MAX) {
			*why = "address too long";
			return -1;
		}
		word[n] = key[n];
		n++;
	}
	word[n] = '\0';
	if (n == 0) {
		*why = "empty";
		return -1;
	}
	return ipconf_parse(word, NULL, NULL, c, why);
}
