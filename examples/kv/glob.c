/*
 * glob.c - Redis's glob patterns (KEYS, SCAN MATCH, CONFIG GET): '*'
 * any run of bytes, '?' one byte, "[abc]", "[a-z]", "[^a]" one byte of
 * (or not of) a set, '\' the next byte itself.
 *
 * A pattern comes from a client, so the match must not backtrack
 * without bound (Redis's recursive matcher needed a limit for
 * "a*a*a*...b"): this one is the greedy match that only ever returns
 * to the last '*' seen, O(pattern x string) at worst.
 */
#include <stddef.h>
#include "kv.h"

static unsigned char fold(unsigned char c, int nocase)
{
	return nocase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/*
 * Does the one-byte token at pat[*i] match c? *i moves past it. The
 * token is '?', a class or a (possibly escaped) byte; never '*'.
 */
static int token(const char *pat, size_t plen, size_t *i, unsigned char c,
		 int nocase)
{
	size_t p = *i;
	int neg = 0, hit = 0;

	if (pat[p] == '?') {
		*i = p + 1;
		return 1;
	}
	if (pat[p] == '\\' && p + 1 < plen) {
		*i = p + 2;
		return fold((unsigned char)pat[p + 1], nocase) ==
		       fold(c, nocase);
	}
	if (pat[p] != '[') {
		*i = p + 1;
		return fold((unsigned char)pat[p], nocase) == fold(c, nocase);
	}
	p++;
	if (p < plen && pat[p] == '^') {
		neg = 1;
		p++;
	}
	/* Up to ']' or the end of the pattern (Redis takes an unclosed
	 * class to its end too). */
	while (p < plen && pat[p] != ']') {
		unsigned char lo = (unsigned char)pat[p], hi;

		if (lo == '\\' && p + 1 < plen)
			lo = (unsigned char)pat[++p];
		if (p + 2 < plen && pat[p + 1] == '-') {
			hi = (unsigned char)pat[p + 2];
			p += 3;
			if (lo > hi) {
				unsigned char t = lo;
				lo = hi;
				hi = t;
			}
			if (nocase)
				hit |= (fold(c, 1) >= fold(lo, 1) &&
					fold(c, 1) <= fold(hi, 1));
			hit |= c >= lo && c <= hi;
		} else {
			hit |= fold(lo, nocase) == fold(c, nocase);
			p++;
		}
	}
	*i = p < plen ? p + 1 : p;
	return neg ? !hit : hit;
}

int glob_match(const char *pat, size_t plen, const char *s, size_t slen,
	       int nocase)
{
	size_t p = 0, i = 0, star_p = (size_t)-1, star_i = 0;

	while (i < slen) {
		size_t next = p;

		if (p < plen && pat[p] == '*') {
			while (p < plen && pat[p] == '*')
				p++;
			star_p = p;
			star_i = i;
			continue;
		}
		if (p < plen &&
		    token(pat, plen, &next, (unsigned char)s[i], nocase)) {
			p = next;
			i++;
			continue;
		}
		if (star_p == (size_t)-1)
			return 0;
		/* The last '*' takes one more byte; try again after it. */
		p = star_p;
		i = ++star_i;
	}
	while (p < plen && pat[p] == '*')
		p++;
	return p == plen;
}
