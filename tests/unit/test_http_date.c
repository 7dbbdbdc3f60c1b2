/*
 * test_http_date.c - HTTP-dates (examples/httpd/http_date.c) against
 * the host's gmtime/timegm over the whole range the format can write,
 * and every malformed date refused.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "../../examples/httpd/http.h"

static void expect(int64_t t, const char *want)
{
	char out[HTTP_DATE_LEN + 1];
	int64_t back = -1;

	http_date_format(t, out);
	assert_string_equal(out, want);
	assert_int_equal(http_date_parse(out, strlen(out), &back), 0);
	assert_int_equal(back, t);
}

static void test_known(void **state)
{
	(void)state;
	expect(0, "Thu, 01 Jan 1970 00:00:00 GMT");
	expect(784111777, "Sun, 06 Nov 1994 08:49:37 GMT"); /* RFC 7231 */
	expect(951782400, "Tue, 29 Feb 2000 00:00:00 GMT");
	expect(1709164800, "Thu, 29 Feb 2024 00:00:00 GMT");
	expect(4133980799LL, "Fri, 31 Dec 2100 23:59:59 GMT");
	expect(-1, "Wed, 31 Dec 1969 23:59:59 GMT");
	expect(253402300799LL, "Fri, 31 Dec 9999 23:59:59 GMT");
}

/* The host's C library agrees, a day and a bit at a time, 1900..2200. */
static void test_against_gmtime(void **state)
{
	char out[HTTP_DATE_LEN + 1], want[64];

	(void)state;
	for (int64_t t = -2208988800LL; t < 7258118400LL; t += 86400 + 3607) {
		time_t tt = (time_t)t;
		struct tm tm;
		int64_t back;

		gmtime_r(&tt, &tm);
		strftime(want, sizeof(want), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		http_date_format(t, out);
		assert_string_equal(out, want);
		assert_int_equal(http_date_parse(out, HTTP_DATE_LEN, &back), 0);
		assert_int_equal(back, (int64_t)timegm(&tm));
	}
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"",
		"Sun, 06 Nov 1994 08:49:37",
		"Sunday, 06-Nov-94 08:49:37 GMT", /* RFC 850 */
		"Sun Nov  6 08:49:37 1994",	  /* asctime */
		"Sun, 06 Nov 1994 08:49:37 UTC",
		"Mon, 06 Nov 1994 08:49:37 GMT", /* wrong weekday */
		"Sun, 6 Nov 1994 08:49:37 GMT ",
		"Sun, 06 nov 1994 08:49:37 GMT",
		"Sun, 06 Nox 1994 08:49:37 GMT",
		"Sun, 00 Nov 1994 08:49:37 GMT",
		"Thu, 31 Nov 1994 08:49:37 GMT",
		"Sat, 29 Feb 2023 00:00:00 GMT", /* not a leap year */
		"Sun, 06 Nov 1994 24:49:37 GMT",
		"Sun, 06 Nov 1994 08:60:37 GMT",
		"Sun, 06 Nov 1994 08:49:61 GMT",
		"Sun, 06 Nov 19x4 08:49:37 GMT",
		"Sun, 06 Nov 1994 08-49-37 GMT",
		"Sun,_06 Nov 1994 08:49:37 GMT",
	};
	int64_t t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (http_date_parse(bad[i], strlen(bad[i]), &t) == 0)
			fail_msg("\"%s\" taken", bad[i]);
	assert_int_equal(t, 42);
	/* 2000 is a leap year (divisible by 400), 1900 is not */
	assert_int_equal(
		http_date_parse("Tue, 29 Feb 2000 00:00:00 GMT", 29, &t), 0);
	assert_int_equal(
		http_date_parse("Thu, 29 Feb 1900 00:00:00 GMT", 29, &t), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_against_gmtime),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
