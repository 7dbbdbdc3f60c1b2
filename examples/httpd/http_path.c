/*
 * http_path.c - a request-target as a path under the served root.
 *
 * The target comes from the client, so this is where a request could
 * try to leave the root. The rule is simple and strict: the target is
 * decoded once, segment by segment, and refused if any segment could
 * mean anything but a name: "..", raw or %-encoded ("%2e%2e"); an
 * encoded "/" ("%2f", which would split a segment after the check) or
 * NUL (which would end the name early); control bytes. "*" is refused
 * (OPTIONS only). An absolute-form target ("http://host/x") is taken
 * as its path, as RFC 7230 5.3.2 says a server must (clients send it to
 * proxies, and HTTP/2-era clients to servers too): the host is ignored,
 * one site is served whatever the name (5.4). Empty segments and "."
 * are dropped, as a file system would read them.
 */
#include <string.h>
#include <xenlet/hex.h>
#include "http.h"

/* Decode t[0..len) (one segment, no raw "/") into seg[0..HTTP_PATH_MAX);
 * returns its length or minus the status. */
static int decode_segment(const char *t, size_t len, char *seg)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				return -400;
			hi = hex_digit_value(t[i + 1]);
			lo = hex_digit_value(t[i + 2]);
			if (hi < 0 || lo < 0)
				return -400;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (c == '/')
				return -400;
		}
		if (c < 0x20 || c == 0x7f)
			return -400; /* NUL and control bytes */
		if (n + 1 >= HTTP_PATH_MAX)
			return -414;
		seg[n++] = (char)c;
	}
	return (int)n;
}

/* An origin-form target t[0..len) ("/a/b?q") as a path into out. */
static int origin_path(const char *t, size_t len, char *out)
{
	char seg[HTTP_PATH_MAX];
	size_t i = 0, n = 0, end;

	/* The query (and a fragment, which clients should not send) is
	 * not part of the path. */
	for (end = 0; end < len && t[end] != '?' && t[end] != '#'; end++)
		;
	if (end == 0 || t[0] != '/')
		return -400;
	while (i < end) {
		size_t start;
		int k;

		while (i < end && t[i] == '/')
			i++;
		start = i;
		while (i < end && t[i] != '/')
			i++;
		if (i == start)
			break; /* only slashes were left */
		k = decode_segment(t + start, i - start, seg);
		if (k < 0)
			return k;
		if (k == 0 || (k == 1 && seg[0] == '.'))
			continue;
		if (k == 2 && seg[0] == '.' && seg[1] == '.')
			return -400;
		if (n + 1 + (size_t)k + 1 > HTTP_PATH_MAX)
			return -414;
		out[n++] = '/';
		memcpy(out + n, seg, (size_t)k);
		n += (size_t)k;
	}
	/* A trailing slash names a directory: keep it ("/" itself too). */
	if (n == 0 || t[end - 1] == '/') {
		if (n + 2 > HTTP_PATH_MAX)
			return -414;
		out[n++] = '/';
	}
	out[n] = '\0';
	return 0;
}

/*
 * *k: the length of an absolute-form target's "http://authority" prefix
 * (RFC 7230 5.3.2, 2.7.1), 0 if t is not one. Returns 0, or minus 400
 * for an "http" URI RFC 7230 2.7.1 says to reject: an empty host, or
 * userinfo ("user@"), which could fool a reader of the log about the
 * host. The scheme is case-insensitive (RFC 3986 3.1); only "http": the
 * server speaks no TLS. The authority ends at the path, query or
 * fragment.
 */
static int absolute_prefix(const char *t, size_t len, size_t *k)
{
	static const char scheme[] = "http://";
	size_t n = sizeof(scheme) - 1, i;

	*k = 0;
	if (len < n)
		return 0;
	for (i = 0; i < n; i++)
		if ((t[i] | (t[i] >= 'A' && t[i] <= 'Z' ? 0x20 : 0)) !=
		    scheme[i])
			return 0;
	for (; i < len && t[i] != '/' && t[i] != '?' && t[i] != '#'; i++)
		if (t[i] == '@')
			return -400;
	if (i == n)
		return -400;
	*k = i;
	return 0;
}

int http_path(const char *t, size_t len, char *out)
{
	size_t k;
	int rc = absolute_prefix(t, len, &k);

	if (rc < 0)
		return rc;
	t += k;
	len -= k;
	/* "http://host" and "http://host?q" name the root (path-abempty). */
	if (k > 0 && (len == 0 || t[0] != '/'))
		return origin_path("/", 1, out);
	return origin_path(t, len, out);
}
