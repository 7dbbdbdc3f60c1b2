/*
 * test_http_parse.c - examples/httpd's request parser and path
 * normalisation (http_parse.c, http_path.c): whole requests, partial
 * ones, pipelined ones, every limit, and every way a path could try to
 * leave the root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../examples/httpd/http.h"

static struct http_request req;

static int parse(const char *s)
{
	return http_parse(s, strlen(s), &req);
}

static void test_get(void **state)
{
	const char *r = "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n";

	(void)state;
	assert_int_equal(parse(r), (int)strlen(r));
	assert_int_equal(req.method, HTTP_GET);
	assert_int_equal(req.minor, 1);
	assert_int_equal(req.keep_alive, 1);
	assert_int_equal(req.has_body, 0);
	assert_int_equal(req.has_ims, 0);
	assert_string_equal(req.path, "/index.html");
	r = "HEAD / HTTP/1.1\r\nHost: a\r\nUser-Agent: x\r\nAccept: "
	    "*/*\r\n\r\n";
	assert_int_equal(parse(r), (int)strlen(r));
	assert_int_equal(req.method, HTTP_HEAD);
	assert_string_equal(req.path, "/");
	/* bare LF line ends (RFC 7230 3.5) */
	r = "GET /a HTTP/1.1\nHost: a\n\n";
	assert_int_equal(parse(r), (int)strlen(r));
	assert_string_equal(req.path, "/a");
	/* absolute-form, as sent to a proxy (RFC 7230 5.3.2: accepted) */
	r = "GET http://example.org/docs/ HTTP/1.1\r\nHost: x\r\n\r\n";
	assert_int_equal(parse(r), (int)strlen(r));
	assert_string_equal(req.path, "/docs/");
	/* other methods parse: the server answers 405 */
	r = "DELETE /a HTTP/1.1\r\nHost: a\r\n\r\n";
	assert_int_equal(parse(r), (int)strlen(r));
	assert_int_equal(req.method, HTTP_OTHER);
	r = "get /a HTTP/1.1\r\nHost: a\r\n\r\n"; /* methods are case-sensitive */
	assert_int_equal(parse(r), (int)strlen(r));
	assert_int_equal(req.method, HTTP_OTHER);
}

static void test_partial_and_pipelined(void **state)
{
	const char *two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
			  "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
	size_t one = strlen(two) / 2, i;
	int n;

	(void)state;
	/* Every proper prefix of a request is "not whole yet". */
	for (i = 0; i < one; i++)
		assert_int_equal(http_parse(two, i, &req), 0);
	n = http_parse(two, strlen(two), &req);
	assert_int_equal(n, (int)one);
	assert_string_equal(req.path, "/a");
	n = http_parse(two + n, strlen(two) - (size_t)n, &req);
	assert_int_equal(n, (int)one);
	assert_string_equal(req.path, "/b");
}

static void test_keep_alive(void **state)
{
	(void)state;
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: "
			  "close\r\n\r\n") > 0);
	assert_int_equal(req.keep_alive, 0);
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, "
			  "CLOSE \r\n\r\n") > 0);
	assert_int_equal(req.keep_alive, 0);
	assert_true(parse("GET / HTTP/1.0\r\n\r\n") > 0);
	assert_int_equal(req.minor, 0);
	assert_int_equal(req.keep_alive, 0);
	assert_true(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n") >
		    0);
	assert_int_equal(req.keep_alive, 1);
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\nConnection: "
			  "keep-alive\r\n\r\n") > 0);
	assert_int_equal(req.keep_alive, 1);
	/* a later 1.x minor is served as 1.1 */
	assert_true(parse("GET / HTTP/1.7\r\nHost: a\r\n\r\n") > 0);
	assert_int_equal(req.keep_alive, 1);
}

static void test_body(void **state)
{
	(void)state;
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: "
			  "0\r\n\r\n") > 0);
	assert_int_equal(req.has_body, 0);
	assert_true(parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
			  "10\r\n\r\n") > 0);
	assert_int_equal(req.has_body, 1);
	assert_true(parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
			  "chunked\r\n\r\n") > 0);
	assert_int_equal(req.has_body, 1);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: "
			       "-1\r\n\r\n"),
			 -400);
	assert_int_equal(parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 "
			       "2\r\n\r\n"),
			 -400);
	assert_int_equal(
		parse("GET / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n"),
		-400);
}

static void test_ims(void **state)
{
	(void)state;
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\n"
			  "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 "
			  "GMT\r\n\r\n") > 0);
	assert_int_equal(req.has_ims, 1);
	assert_int_equal(req.ims, 784111777);
	/* an invalid date is ignored, not an error (RFC 7232 3.3) */
	assert_true(parse("GET / HTTP/1.1\r\nHost: a\r\n"
			  "If-Modified-Since: yesterday\r\n\r\n") > 0);
	assert_int_equal(req.has_ims, 0);
}

static void test_malformed(void **state)
{
	static const char *const bad[] = {
		"\r\n\r\n",
		"GET\r\n\r\n",
		"GET /\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1 \r\nHost: a\r\n\r\n",
		"GET  / HTTP/1.1\r\nHost: a\r\n\r\n",
		" GET / HTTP/1.1\r\nHost: a\r\n\r\n",
		"G(T / HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1x\r\nHost: a\r\n\r\n",
		"GET / http/1.1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1\r\nHost: a\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\n",			/* no Host */
		"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", /* two */
		"GET / HTTP/1.1\r\nHost : a\r\n\r\n", /* space before : */
		"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: a\r\nX\x01Y: 1\r\n\r\n",
		"\x16\x03\x01\x02\x01\x01\x01\x01\xfc\x03\x03\r\n\r\n", /* TLS */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i]);

		if (rc != -400)
			fail_msg("\"%s\": %d, not -400", bad[i], rc);
	}
	assert_int_equal(parse("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), -505);
	assert_int_equal(parse("GET / HTTP/0.9\r\nHost: a\r\n\r\n"), -505);
	/* a NUL in a header value */
	assert_int_equal(
		http_parse("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", 29, &req),
		-400);
}

/* A request line with n bytes of query: n + 17 bytes with its CRLF. */
static char *long_line(size_t n)
{
	char *s = malloc(n + 64);

	strcpy(s, "GET /?");
	memset(s + 6, 'a', n);
	strcpy(s + 6 + n, " HTTP/1.1\r\nHost: a\r\n\r\n");
	return s;
}

static void test_limits(void **state)
{
	char *s, *big = malloc(HTTP_HEAD_MAX + 100);
	size_t n;

	(void)state;
	/* The longest request line taken, one more byte a 414; also when
	 * its end has not come yet. */
	s = long_line(HTTP_LINE_MAX - 17);
	assert_true(parse(s) > 0);
	free(s);
	s = long_line(HTTP_LINE_MAX - 16);
	assert_int_equal(parse(s), -414);
	assert_int_equal(http_parse(s, HTTP_LINE_MAX, &req), -414);
	assert_int_equal(http_parse(s, HTTP_LINE_MAX - 1, &req), 0);
	free(s);
	/* A head that fills HTTP_HEAD_MAX without ending: 431. */
	n = (size_t)snprintf(big, 100, "GET / HTTP/1.1\r\nHost: a\r\nX: ");
	memset(big + n, 'x', HTTP_HEAD_MAX + 100 - n);
	assert_int_equal(http_parse(big, HTTP_HEAD_MAX - 1, &req), 0);
	assert_int_equal(http_parse(big, HTTP_HEAD_MAX, &req), -431);
	assert_int_equal(http_parse(big, HTTP_HEAD_MAX + 100, &req), -431);
	/* ... and one that just fits is taken. */
	memcpy(big + HTTP_HEAD_MAX - 4, "\r\n\r\n", 4);
	assert_int_equal(http_parse(big, HTTP_HEAD_MAX, &req), HTTP_HEAD_MAX);
	free(big);
}

static void expect_path(const char *target, const char *want)
{
	char out[HTTP_PATH_MAX];
	int rc = http_path(target, strlen(target), out);

	if (rc != 0)
		fail_msg("\"%s\": %d", target, rc);
	if (strcmp(out, want) != 0)
		fail_msg("\"%s\" -> \"%s\", not \"%s\"", target, out, want);
}

static void test_paths(void **state)
{
	(void)state;
	expect_path("/", "/");
	expect_path("/index.html", "/index.html");
	expect_path("/sub/", "/sub/");
	expect_path("/sub", "/sub");
	expect_path("//etc//passwd", "/etc/passwd");
	expect_path("/./a/./b/.", "/a/b");
	expect_path("/a/?q=/../x", "/a/");
	expect_path("/a?x", "/a");
	expect_path("/a#frag", "/a");
	expect_path("/%7euser/a%20b", "/~user/a b");
	expect_path("/%2E/a", "/a"); /* "." encoded */
	expect_path("/..a/b..", "/..a/b..");
	expect_path("/caf%C3%A9", "/caf\xc3\xa9");
	/* absolute-form (RFC 7230 5.3.2): the host is not part of it */
	expect_path("http://h/x", "/x");
	expect_path("HTTP://h:80/a/b/", "/a/b/");
	expect_path("http://10.99.0.2", "/");
	expect_path("http://h?q=/x", "/");
	expect_path("http://h//etc/./passwd?x", "/etc/passwd");
}

static void test_paths_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"*",
		"a/b",
		"http://",
		"http:///x",
		"http://u@h/x",
		"http://h/../etc/passwd",
		"http://h/%2e%2e/x",
		"https://h/x",
		"ftp://h/x",
		"http:/x",
		"/..",
		"/../etc",
		"/a/../../b",
		"/a/..",
		"/%2e%2e/etc/passwd",
		"/%2E%2e/",
		"/.%2e/x",
		"/a/%2e%2E",
		"/a%2fb",
		"/..%2f..%2fetc",
		"/%00",
		"/a%00.html",
		"/%",
		"/%4",
		"/%zz",
		"/%0a",
		"/a\tb",
		"/a\x7f",
	};
	char out[HTTP_PATH_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = http_path(bad[i], strlen(bad[i]), out);

		if (rc != -400)
			fail_msg("\"%s\": %d, not -400", bad[i], rc);
	}
	/* NUL raw in the target */
	assert_int_equal(http_path("/a\0b", 4, out), -400);
}

static void test_path_too_long(void **state)
{
	char t[3 * HTTP_PATH_MAX], out[HTTP_PATH_MAX];

	(void)state;
	t[0] = '/';
	memset(t + 1, 'a', sizeof(t) - 1);
	assert_int_equal(http_path(t, HTTP_PATH_MAX - 1, out), 0);
	assert_int_equal(strlen(out), HTTP_PATH_MAX - 1);
	assert_int_equal(http_path(t, HTTP_PATH_MAX, out), -414);
	/* its directory form, one byte more */
	t[HTTP_PATH_MAX - 1] = '/';
	assert_int_equal(http_path(t, HTTP_PATH_MAX, out), -414);
	/* encoded: three bytes of target per byte of path */
	for (size_t i = 0; i < HTTP_PATH_MAX; i++)
		memcpy(t + 1 + 3 * (i % (HTTP_PATH_MAX - 1)), "%41", 3);
	assert_int_equal(http_path(t, 1 + 3 * (HTTP_PATH_MAX - 1), out), -414);
	assert_int_equal(http_path(t, 1 + 3 * (HTTP_PATH_MAX - 2), out), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_partial_and_pipelined),
		cmocka_unit_test(test_keep_alive),
		cmocka_unit_test(test_body),
		cmocka_unit_test(test_ims),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_paths_refused),
		cmocka_unit_test(test_path_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
