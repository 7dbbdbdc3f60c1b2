/*
 * inet_aton.c - the old, lenient IPv4 text forms (inet_aton,
 * inet_addr) and inet_ntoa.
 *
 * As in glibc (and 4.2BSD before it): one to four parts, each decimal,
 * octal (leading 0) or hex (0x); the last part fills the bytes left
 * (a.b.c puts c in 16 bits, a.b puts b in 24, a alone is all 32), and
 * a blank ends the address, whatever follows it. Every part is bounded
 * before it is stored, so no text can overflow one.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>

static int digit_value(char c, unsigned int base)
{
	unsigned int v;

	if (c >= '0' && c <= '9')
		v = (unsigned int)(c - '0');
	else if (c >= 'a' && c <= 'f')
		v = (unsigned int)(c - 'a' + 10);
	else if (c >= 'A' && c <= 'F')
		v = (unsigned int)(c - 'A' + 10);
	else
		return -1;
	return v < base ? (int)v : -1;
}

/* One part at *sp, in C's notation for its base; -1 if bad or over
 * 32 bits. A part starts with a digit; "0x" needs a hex digit after it. */
static int64_t aton_part(const char **sp)
{
	const char *s = *sp;
	unsigned int base = 10;
	int64_t v = 0;
	int d;

	if (*s < '0' || *s > '9')
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2], 16) >= 0) {
		base = 16;
		s += 2;
	} else if (s[0] == '0') {
		base = 8;
	}
	for (; (d = digit_value(*s, base)) >= 0; s++) {
		v = v * base + d;
		if (v > 0xffffffff)
			return -1;
	}
	*sp = s;
	return v;
}

static int is_blank(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

int inet_aton(const char *cp, struct in_addr *in)
{
	/* The most the last part may be, by how many parts came before. */
	static const uint32_t max[4] = { 0xffffffff, 0xffffff, 0xffff, 0xff };
	uint32_t addr = 0;
	int64_t v;
	int parts = 0;

	for (;;) {
		v = aton_part(&cp);
		if (v < 0)
			return 0;
		if (*cp != '.')
			break;
		if (parts == 3 || v > 0xff)
			return 0;
		addr |= (uint32_t)v << (24 - 8 * parts++);
		cp++;
	}
	if ((*cp != '\0' && !is_blank(*cp)) || v > max[parts])
		return 0;
	if (in != NULL)
		in->s_addr = htonl(addr | (uint32_t)v);
	return 1;
}

/* The address, or INADDR_NONE (also 255.255.255.255's value) if bad. */
in_addr_t inet_addr(const char *cp)
{
	struct in_addr in;

	return inet_aton(cp, &in) ? in.s_addr : INADDR_NONE;
}

/* One static buffer, as POSIX allows: each call overwrites it. */
char *inet_ntoa(struct in_addr in)
{
	static char text[INET_ADDRSTRLEN];

	return (char *)inet_ntop(AF_INET, &in, text, sizeof(text));
}
