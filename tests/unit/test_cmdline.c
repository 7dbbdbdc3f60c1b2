/*
 * test_cmdline.c - splitting xl's extra= line into argv (lib/cmdline.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <xenlet/cmdline.h>

#define MAX 8

/* Split a copy of line; compare with the NULL-terminated list want. */
static void expect_split(const char *line, const char *const *want)
{
	char buf[256];
	char *argv[MAX + 1];
	int argc, i;

	snprintf(buf, sizeof(buf), "%s", line);
	argc = cmdline_split(buf, argv, MAX);
	for (i = 0; want[i]; i++) {
		assert_true(i < argc);
		assert_string_equal(argv[i], want[i]);
	}
	assert_int_equal(argc, i);
	assert_null(argv[argc]);
}

#define SPLIT(line, ...)                                                       \
	expect_split(line, (const char *const[]){ __VA_ARGS__, NULL })

static void test_plain_words(void **state)
{
	(void)state;
	SPLIT("one two three", "one", "two", "three");
	SPLIT("  lead and trail  ", "lead", "and", "trail");
	SPLIT("tabs\tand\nnewlines", "tabs", "and", "newlines");
	SPLIT("single", "single");
}

static void test_empty(void **state)
{
	char buf[4] = "";
	char *argv[MAX + 1];

	(void)state;
	assert_int_equal(cmdline_split(buf, argv, MAX), 0);
	assert_null(argv[0]);
	strcpy(buf, "   ");
	assert_int_equal(cmdline_split(buf, argv, MAX), 0);
}

static void test_quotes(void **state)
{
	(void)state;
	SPLIT("'two words' next", "two words", "next");
	SPLIT("\"two words\" next", "two words", "next");
	SPLIT("a'b c'd", "ab cd");
	SPLIT("'say \"hi\"'", "say \"hi\"");
	SPLIT("\"it's\"", "it's");
	SPLIT("'back\\slash'", "back\\slash"); /* literal in single quotes */
}

static void test_empty_arguments(void **state)
{
	(void)state;
	SPLIT("'' x \"\"", "", "x", "");
	SPLIT("a '' b", "a", "", "b");
}

static void test_escapes(void **state)
{
	(void)state;
	SPLIT("a\\ b c", "a b", "c");
	SPLIT("\\'q", "'q");
	SPLIT("\"q\\\"uote\"", "q\"uote");
	SPLIT("\"back\\\\slash\"", "back\\slash");
	SPLIT("\"keep\\n\"", "keep\\n"); /* other escapes stay as written */
	SPLIT("trailing\\", "trailing\\");
}

static void test_errors(void **state)
{
	char buf[64];
	char *argv[MAX + 1];

	(void)state;
	strcpy(buf, "'never closed");
	assert_int_equal(cmdline_split(buf, argv, MAX), CMDLINE_UNTERMINATED);
	strcpy(buf, "ok \"open");
	assert_int_equal(cmdline_split(buf, argv, MAX), CMDLINE_UNTERMINATED);
	strcpy(buf, "1 2 3 4 5 6 7 8 9");
	assert_int_equal(cmdline_split(buf, argv, MAX), CMDLINE_TOO_MANY);
	strcpy(buf, "1 2 3 4 5 6 7 8");
	assert_int_equal(cmdline_split(buf, argv, MAX), 8);
	assert_string_equal(cmdline_strerror(CMDLINE_TOO_MANY),
			    "too many arguments");
}

/* A line that fills Xen's buffer may have been cut: refused, untouched. */
static void test_too_long(void **state)
{
	char buf[CMDLINE_MAX_LEN + 2];
	char *argv[MAX + 1];

	(void)state;
	memset(buf, 'a', CMDLINE_MAX_LEN + 1);
	buf[CMDLINE_MAX_LEN + 1] = '\0';
	assert_int_equal(cmdline_split(buf, argv, MAX), CMDLINE_TOO_LONG);
	assert_int_equal(strlen(buf), CMDLINE_MAX_LEN + 1);
	assert_string_equal(cmdline_strerror(CMDLINE_TOO_LONG),
			    "command line too long (more than 1022 characters: "
			    "Xen may have cut it)");

	buf[CMDLINE_MAX_LEN] = '\0'; /* the longest line allowed: one word */
	assert_int_equal(cmdline_split(buf, argv, MAX), 1);
	assert_int_equal(strlen(argv[0]), CMDLINE_MAX_LEN);
	assert_null(argv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_empty_arguments),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_long),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
