/*
 * test_mime.c - Content-Type by extension (examples/httpd/mime.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include "../../examples/httpd/http.h"

static void test_types(void **state)
{
	(void)state;
	assert_string_equal(mime_type("/index.html"),
			    "text/html; charset=utf-8");
	assert_string_equal(mime_type("/sub/INDEX.HTM"),
			    "text/html; charset=utf-8");
	assert_string_equal(mime_type("/style.css"), "text/css; charset=utf-8");
	assert_string_equal(mime_type("/a.b/logo.png"), "image/png");
	assert_string_equal(mime_type("/photo.JPeG"), "image/jpeg");
	assert_string_equal(mime_type("/app.js"),
			    "text/javascript; charset=utf-8");
	assert_string_equal(mime_type("/f.woff2"), "font/woff2");
}

static void test_unknown(void **state)
{
	static const char *const other[] = {
		"/big.bin", "/README",	"/a.html/file", "/x.",
		"/",	    "/x.htmlx", "/x.tar.gz",	"",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		assert_string_equal(mime_type(other[i]),
				    "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_unknown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
