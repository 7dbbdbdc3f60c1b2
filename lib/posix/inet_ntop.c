/*
 * inet_ntop.c - an IPv4 or IPv6 address as text, as glibc prints it.
 *
 * IPv6 (RFC 5952's form, which glibc follows): lowercase hex without
 * leading zeros; the longest run of two or more zero groups (the first
 * of equals) becomes "::"; ::a.b.c.d and ::ffff:a.b.c.d print their
 * IPv4 part dotted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Append v in decimal at p; returns the new end. */
static char *put_dec(char *p, unsigned int v)
{
	if (v >= 10)
		p = put_dec(p, v / 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

static char *put_hex(char *p, unsigned int v)
{
	if (v >= 16)
		p = put_hex(p, v / 16);
	*p++ = "0123456789abcdef"[v % 16];
	return p;
}

static char *put_quad(char *p, const uint8_t *a)
{
	for (int i = 0; i < 4; i++) {
		if (i > 0)
			*p++ = '.';
		p = put_dec(p, a[i]);
	}
	return p;
}

/* The first longest run of zero words, if two or more long. */
static void zero_run(const uint16_t *w, int *base, int *len)
{
	*base = -1;
	*len = 0;
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > *len && j - i >= 2) {
			*base = i;
			*len = j - i;
		}
		i = j > i ? j : i + 1;
	}
}

static char *ntop6(char *p, const uint8_t *a)
{
	uint16_t w[8];
	int base, len;

	for (int i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	zero_run(w, &base, &len);
	for (int i = 0; i < 8; i++) {
		if (i == base) {
			*p++ = ':';
			if (i + len == 8)
				*p++ = ':';
			i += len - 1;
			continue;
		}
		if (i > 0)
			*p++ = ':';
		/* An embedded IPv4 address: IPv4-compatible or mapped. */
		if (i == 6 && base == 0 &&
		    (len == 6 || (len == 5 && w[5] == 0xffff)))
			return put_quad(p, a + 12);
		p = put_hex(p, w[i]);
	}
	return p;
}

/* dst, holding the text, or NULL with errno ENOSPC if size is short. */
const char *inet_ntop(int af, const void *restrict src, char *restrict dst,
		      socklen_t size)
{
	char text[INET6_ADDRSTRLEN], *end;

	switch (af) {
	case AF_INET:
		end = put_quad(text, src);
		break;
	case AF_INET6:
		end = ntop6(text, src);
		break;
	default:
		errno = EAFNOSUPPORT;
		return NULL;
	}
	*end = '\0';
	if ((size_t)(end - text) >= size) {
		errno = ENOSPC;
		return NULL;
	}
	memcpy(dst, text, (size_t)(end - text) + 1);
	return dst;
}
