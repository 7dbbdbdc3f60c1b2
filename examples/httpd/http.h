/*
 * http.h - the pure parts of examples/httpd: the request parser, the
 * path normalisation, HTTP dates and Content-Type by extension. No I/O
 * here, no xenlet: each is a function over a buffer, tested on the host
 * (tests/unit/test_http_*.c) and fuzzed (tests/fuzz/fuzz_http_parse.c).
 *
 * Everything in a request comes from the client, so every length is
 * bounded below and every malformed request maps to a status code.
 */
#ifndef HTTPD_HTTP_H
#define HTTPD_HTTP_H

#include <stddef.h>
#include <stdint.h>

/* Bounds on what a client may send (nginx's defaults are of the same
 * order: 8 KiB buffers for the request line and headers). A request
 * line longer than HTTP_LINE_MAX is a 414, a head (line and headers)
 * longer than HTTP_HEAD_MAX a 431; the connection's input buffer holds
 * one HTTP_HEAD_MAX. */
#define HTTP_LINE_MAX 2048
#define HTTP_HEAD_MAX 8192
#define HTTP_PATH_MAX 1024 /* a decoded path, with its NUL */

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_request {
	enum http_method method;
	int minor;	/* HTTP/1.minor */
	int keep_alive; /* 1.1 unless "close"; 1.0 only with "keep-alive" */
	int has_body;	/* Content-Length > 0 or Transfer-Encoding: we never
			   read a body, so the connection ends after it */
	int has_ims;	/* If-Modified-Since was a valid HTTP-date */
	int64_t ims;	/* ... its seconds since the epoch */
	char path[HTTP_PATH_MAX]; /* decoded, normalised, from "/" */
};

/*
 * http_parse: the request at the start of buf[0..len).
 *  > 0  a whole request: the bytes it took (the next one starts there);
 *  0    not whole yet: read more and call again with the longer buffer;
 *  < 0  minus the status to answer (400, 414, 431, 505) and close.
 * A method other than GET and HEAD parses (the caller answers 405).
 */
int http_parse(const char *buf, size_t len, struct http_request *req);

/*
 * http_path: the request-target t[0..len) as a path under the root, into
 * out[HTTP_PATH_MAX]: the query is cut, %XX decoded, "//" and "/./"
 * collapsed; a trailing "/" is kept (it names a directory). Returns 0,
 * or minus the status: 400 for anything that could name a file outside
 * the root or is not a plain path ("..", an encoded "/" or NUL, control
 * bytes, bad %-escapes, a target not starting with "/" or "http://"),
 * 414 too long. An absolute-form target ("http://host/x") is its path.
 */
int http_path(const char *t, size_t len, char *out);

/* HTTP-dates (RFC 7231 7.1.1.1), in the preferred IMF-fixdate form:
 * "Sun, 06 Nov 1994 08:49:37 GMT", 29 characters. */
#define HTTP_DATE_LEN 29
void http_date_format(int64_t t, char out[HTTP_DATE_LEN + 1]);
/* s[0..len) as an IMF-fixdate: 0 and *t, or -1. (The obsolete RFC 850
 * and asctime forms are refused: an invalid If-Modified-Since is
 * ignored, so the answer is then a full 200, which is always right.) */
int http_date_parse(const char *s, size_t len, int64_t *t);

/* The Content-Type for path, by its extension; never NULL. */
const char *mime_type(const char *path);

#endif
