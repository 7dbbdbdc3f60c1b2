/*
 * fuzz_http_parse.c - libFuzzer target for examples/httpd's request
 * parser (http_parse.c, with http_path.c and http_date.c under it): the
 * input is a client's bytes, parsed as the server does, request after
 * request. Whatever is taken must be something the server can serve: a
 * length within the input and the head limit, a path from "/" that
 * names nothing outside the root.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../examples/httpd/http.h"

static void check_path(const char *p)
{
	size_t n = strnlen(p, HTTP_PATH_MAX);

	if (n == 0 || n == HTTP_PATH_MAX || p[0] != '/')
		abort();
	/* No empty, "." or ".." segment, no control byte. */
	if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../"))
		abort();
	if ((n >= 2 && strcmp(p + n - 2, "/.") == 0) ||
	    (n >= 3 && strcmp(p + n - 3, "/..") == 0))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct http_request req;
	char path[HTTP_PATH_MAX];

	/* The target alone, as a path. */
	if (http_path(buf, size, path) == 0)
		check_path(path);
	/* The whole input as a connection's bytes, pipelined. */
	while (size > 0) {
		int n = http_parse(buf, size, &req);

		if (n == 0 || n < 0) {
			if (n < 0 && n != -400 && n != -414 && n != -431 &&
			    n != -505)
				abort();
			break;
		}
		if ((size_t)n > size || n > HTTP_HEAD_MAX)
			abort();
		check_path(req.path);
		if (req.method > HTTP_OTHER || req.minor < 0 || req.minor > 9)
			abort();
		buf += n;
		size -= (size_t)n;
	}
	return 0;
}
