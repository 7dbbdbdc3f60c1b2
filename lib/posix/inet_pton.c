/*
 * inet_pton.c - an IPv4 or IPv6 address from text, strictly.
 *
 * The text comes from outside (a command line, a request), so every
 * byte is checked and nothing is read past the NUL. The accepted forms
 * are glibc's: for AF_INET exactly four decimal parts 0-255 without
 * leading zeros (inet_aton is the lenient one); for AF_INET6 RFC 4291's
 * text: up to eight groups of one to four hex digits, one "::" standing
 * for at least one zero group, and an optional dotted quad in the last
 * 32 bits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <xenlet/hex.h>

/* Four dotted decimal parts; all of s must be used. */
static int pton4(const char *s, uint8_t out[4])
{
	for (int part = 0; part < 4; part++) {
		unsigned int v = 0;
		int digits = 0;

		if (part > 0 && *s++ != '.')
			return 0;
		for (; *s >= '0' && *s <= '9'; s++, digits++) {
			if (digits == 1 && v == 0)
				return 0; /* a leading zero */
			v = v * 10 + (unsigned int)(*s - '0');
			if (v > 255)
				return 0;
		}
		if (digits == 0)
			return 0;
		out[part] = (uint8_t)v;
	}
	return *s == '\0';
}

/* One group's hex digits at *sp, advancing it; -1 if more than four. */
static long hex_group(const char **sp, int *digits)
{
	const char *s = *sp;
	long v = 0;

	for (*digits = 0; hex_digit_value(*s) >= 0; s++) {
		if (++*digits > 4)
			return -1;
		v = v << 4 | hex_digit_value(*s);
	}
	*sp = s;
	return v;
}

/* n words parsed, "::" at gap (or -1): place them in out's 16 bytes. */
static int place6(const uint16_t *words, int n, int gap, uint8_t out[16])
{
	int i, at = 0;

	if (gap < 0 ? n != 8 : n == 8)
		return 0; /* too few groups, or "::" standing for none */
	memset(out, 0, 16);
	for (i = 0; i < n; i++) {
		if (i == gap)
			at += 8 - n; /* the zero groups "::" stands for */
		out[2 * at] = (uint8_t)(words[i] >> 8);
		out[2 * at + 1] = (uint8_t)words[i];
		at++;
	}
	return 1;
}

static int pton6(const char *s, uint8_t out[16])
{
	uint16_t words[8] = { 0 };
	int n = 0, gap = -1;

	if (s[0] == ':') {
		if (s[1] != ':')
			return 0; /* a lone leading colon */
		gap = 0;
		s += 2;
		if (*s == '\0')
			return place6(words, 0, gap, out);
	}
	for (;;) {
		const char *group = s;
		int digits;
		long v = hex_group(&s, &digits);

		if (v < 0)
			return 0;
		if (*s == '.') { /* a dotted quad: the last 32 bits */
			uint8_t q[4];

			if (n > 6 || !pton4(group, q))
				return 0;
			words[n++] = (uint16_t)(q[0] << 8 | q[1]);
			words[n++] = (uint16_t)(q[2] << 8 | q[3]);
			break;
		}
		if (digits == 0 || n == 8)
			return 0;
		words[n++] = (uint16_t)v;
		if (*s == '\0')
			break;
		if (*s++ != ':' || *s == '\0')
			return 0; /* a stray character, or a trailing colon */
		if (*s == ':') {
			if (gap >= 0)
				return 0; /* a second "::" */
			gap = n;
			if (*++s == '\0')
				break;
		}
	}
	return place6(words, n, gap, out);
}

/* 1 and the address in dst (network order) if src is one, else 0. */
int inet_pton(int af, const char *restrict src, void *restrict dst)
{
	uint8_t addr[16];

	switch (af) {
	case AF_INET:
		if (!pton4(src, addr))
			return 0;
		memcpy(dst, addr, 4);
		return 1;
	case AF_INET6:
		if (!pton6(src, addr))
			return 0;
		memcpy(dst, addr, 16);
		return 1;
	default:
		errno = EAFNOSUPPORT;
		return -1;
	}
}
