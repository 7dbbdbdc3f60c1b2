/*
 * hex.h - the value of one hexadecimal digit, for the text parsers that
 * meet them: MAC addresses from XenStore (netfront), IPv6 addresses
 * (inet_pton) and %XX escapes in URLs. Header-only, so host tests and
 * fuzz targets that compile one parser need nothing else.
 */
#ifndef XENLET_HEX_H
#define XENLET_HEX_H

/* 0..15, or -1 if c is not a hexadecimal digit (either case). */
static inline int hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
