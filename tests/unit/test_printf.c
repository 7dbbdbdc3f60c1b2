/*
 * test_printf.c - the format engine (lib/printf.c) against glibc.
 *
 * For every conversion xenlet supports, snprintk must produce the same
 * bytes and the same return value as the host C library's snprintf.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <xenlet/printk.h>

/* Some cases are odd on purpose (flags that C says are ignored, an
 * unknown conversion, a trailing '%'): the compiler must not refuse them. */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

/* Format with both, compare output and return value. */
#define SAME(...)                                                              \
	do {                                                                   \
		char want[256], got[256];                                      \
		int wn = snprintf(want, sizeof(want), __VA_ARGS__);            \
		int gn = snprintk(got, sizeof(got), __VA_ARGS__);              \
		assert_string_equal(got, want);                                \
		assert_int_equal(gn, wn);                                      \
	} while (0)

static void test_literals(void **state)
{
	(void)state;
	SAME("plain text");
	SAME("%%");
	SAME("a%%b%%c");
	SAME("%s", "");
}

static void test_signed(void **state)
{
	(void)state;
	SAME("%d", 0);
	SAME("%d", 42);
	SAME("%d", -42);
	SAME("%i", INT_MAX);
	SAME("%i", INT_MIN);
	SAME("%ld", LONG_MIN);
	SAME("%lld", LLONG_MAX);
	SAME("%hd", (short)-1234);
	SAME("%hhd", (signed char)-5);
	SAME("%zd", (ssize_t)-7);
	SAME("%jd", (intmax_t)INT64_MIN);
	SAME("%td", (ptrdiff_t)-99);
	SAME("%+d %+d % d % d", 5, -5, 5, -5);
}

static void test_unsigned(void **state)
{
	(void)state;
	SAME("%u", 0u);
	SAME("%u", UINT_MAX);
	SAME("%lu", ULONG_MAX);
	SAME("%llu", ULLONG_MAX);
	SAME("%hu", (unsigned short)65535);
	SAME("%hhu", (unsigned char)255);
	SAME("%zu", SIZE_MAX);
	SAME("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	SAME("%lx", 0x123456789abcdef0ul);
	SAME("%o", 0777u);
	SAME("%llo", ULLONG_MAX);
	SAME("%#x %#X %#o", 255u, 255u, 8u);
	SAME("%#x %#o", 0u, 0u);
}

static void test_width_precision(void **state)
{
	(void)state;
	SAME("[%5d]", 42);
	SAME("[%-5d]", 42);
	SAME("[%05d]", 42);
	SAME("[%05d]", -42);
	SAME("[%+05d]", 42);
	SAME("[%.3d]", 7);
	SAME("[%8.3d]", -7);
	SAME("[%-8.3d]", 7);
	SAME("[%08.3d]", 7); /* '0' is ignored when a precision is given */
	SAME("[%.0d]", 0);
	SAME("[%5.0d]", 0);
	SAME("[%.0x]", 0u);
	SAME("[%#.0o]", 0u);
	SAME("[%#10x]", 0xabcu);
	SAME("[%#010x]", 0xabcu);
	SAME("[%-#10o]", 8u);
	SAME("[%*d]", 6, 3);
	SAME("[%*d]", -6, 3); /* negative width: left-justify */
	SAME("[%.*d]", 4, 3);
	SAME("[%.*d]", -1, 3); /* negative precision: as if none */
	SAME("[%0*d]", 5, -3);
}

static void test_strings_chars(void **state)
{
	(void)state;
	SAME("%s", "hello");
	SAME("[%10s]", "right");
	SAME("[%-10s]", "left");
	SAME("[%.3s]", "truncated");
	SAME("[%8.2s]", "ab-cd");
	SAME("[%.*s]", 2, "xyz");
	SAME("%c%c%c", 'a', 'b', 'c');
	SAME("[%3c][%-3c]", 'x', 'y');
	SAME("%s and %s", "one", "two");
}

static void test_pointers(void **state)
{
	int x;

	(void)state;
	SAME("%p", (void *)&x);
	SAME("%p", (void *)0x1000);
	SAME("[%20p]", (void *)0xffff800000000000ul);
	SAME("[%-20p]", (void *)0x1);
	SAME("%p", (void *)0);
}

/* A precision must stop reading a string that has no NUL. */
static void test_precision_stops_reading(void **state)
{
	char unterminated[3] = { 'a', 'b', 'c' };
	char out[16];

	(void)state;
	assert_int_equal(snprintk(out, sizeof(out), "%.3s", unterminated), 3);
	assert_string_equal(out, "abc");
}

static void test_truncation(void **state)
{
	char out[8];

	(void)state;
	memset(out, 'X', sizeof(out));
	assert_int_equal(snprintk(out, 5, "%s", "abcdefgh"), 8);
	assert_string_equal(out, "abcd");
	assert_int_equal(out[5], 'X'); /* nothing written past size */
	assert_int_equal(snprintk(out, 1, "%d", 12345), 5);
	assert_string_equal(out, "");
	assert_int_equal(snprintk(NULL, 0, "%d", 12345), 5);
}

static void test_unknown_and_trailing(void **state)
{
	char out[32];

	(void)state;
	snprintk(out, sizeof(out), "a%qb");
	assert_string_equal(out, "a%qb");
	snprintk(out, sizeof(out), "end%");
	assert_string_equal(out, "end");
}

/* Long output through a sink arrives whole and in order. */
static void count_sink(void *ctx, const char *s, size_t n)
{
	size_t *total = ctx;

	(void)s;
	*total += n;
}

static int format_to_counter(size_t *total, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vformat(count_sink, total, fmt, ap);
	va_end(ap);
	return n;
}

static void test_sink_counts(void **state)
{
	size_t total = 0;

	(void)state;
	assert_int_equal(format_to_counter(&total, "%1000d|%-500s|", 1, "x"),
			 1502);
	assert_int_equal(total, 1502);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_width_precision),
		cmocka_unit_test(test_strings_chars),
		cmocka_unit_test(test_pointers),
		cmocka_unit_test(test_precision_stops_reading),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_unknown_and_trailing),
		cmocka_unit_test(test_sink_counts),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
