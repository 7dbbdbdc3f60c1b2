/*
 * test_resp.c - examples/kv's RESP2 request parser (resp.c): whole and
 * partial multibulk and inline commands, pipelining, inline quoting,
 * every error with Redis's words, and the bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../examples/kv/resp.h"

static struct resp_cmd cmd;

/* Parse a copy of s (the parser may rewrite inline input). */
static long parse(const char *s, size_t n)
{
	static char buf[1 << 20];

	memcpy(buf, s, n);
	return resp_parse(buf, n, &cmd);
}

static long parse_str(const char *s)
{
	return parse(s, strlen(s));
}

static void assert_arg(int i, const char *want)
{
	assert_true(i < cmd.argc);
	assert_int_equal(cmd.argl[i], strlen(want));
	assert_memory_equal(cmd.argv[i], want, strlen(want));
}

static void test_multibulk(void **state)
{
	const char *s = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nv\r\nv\0\r\n";
	size_t n = 4 + 9 + 7 + 11;

	(void)state;
	assert_int_equal(parse(s, n), (long)n);
	assert_int_equal(cmd.argc, 3);
	assert_arg(0, "SET");
	assert_arg(1, "k");
	assert_int_equal(cmd.argl[2], 5);
	assert_memory_equal(cmd.argv[2], "v\r\nv\0", 5);
	/* Every proper prefix is "not whole yet", never an error. */
	for (size_t k = 0; k < n; k++)
		assert_int_equal(parse(s, k), 0);
}

static void test_pipelined(void **state)
{
	const char *s = "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n";

	(void)state;
	assert_int_equal(parse_str(s), 14);
	assert_arg(0, "PING");
	assert_int_equal(parse_str(s + 14), 20);
	assert_arg(0, "GET");
	assert_arg(1, "a");
}

static void test_empty_commands(void **state)
{
	(void)state;
	assert_int_equal(parse_str("*0\r\n"), 4);
	assert_int_equal(cmd.argc, 0);
	assert_int_equal(parse_str("*-1\r\n"), 5);
	assert_int_equal(cmd.argc, 0);
	assert_int_equal(parse_str("   \r\n"), 5);
	assert_int_equal(cmd.argc, 0);
	assert_int_equal(parse_str("\n"), 1);
	assert_int_equal(cmd.argc, 0);
	assert_int_equal(parse_str("$0\r\n\r\n"), 4);
	assert_int_equal(cmd.argc, 1); /* inline: "$0" is a word */
}

static void test_inline(void **state)
{
	(void)state;
	assert_int_equal(parse_str("set  a\t b\r\n"), 11);
	assert_int_equal(cmd.argc, 3);
	assert_arg(0, "set");
	assert_arg(2, "b");
	assert_int_equal(parse_str("get a\nx"), 6); /* a bare \n ends it */
	assert_int_equal(cmd.argc, 2);
	assert_int_equal(parse_str("get a"), 0);
	assert_int_equal(parse_str("set k \"a b\\x41\\n\\\"\" 'it\\'s'\r\n"),
			 29);
	assert_int_equal(cmd.argc, 4);
	assert_arg(2, "a bA\n\"");
	assert_arg(3, "it's");
	assert_int_equal(parse_str("echo \"\"\r\n"), 9);
	assert_int_equal(cmd.argc, 2);
	assert_int_equal(cmd.argl[1], 0);
}

static void assert_error(const char *s, size_t n, int err, const char *words)
{
	char tmp[64];
	long rc = parse(s, n);

	assert_int_equal(rc, -err);
	assert_string_equal(resp_strerror(err, cmd.bad, tmp, sizeof(tmp)),
			    words);
}

static void test_errors(void **state)
{
	(void)state;
#define E(s, e, w) assert_error(s, strlen(s), e, w)
	E("set \"a\"b c\r\n", RESP_E_QUOTES,
	  "Protocol error: unbalanced quotes in request");
	E("set \"a\r\n", RESP_E_QUOTES,
	  "Protocol error: unbalanced quotes in request");
	E("*a\r\n", RESP_E_MBULK_LEN,
	  "Protocol error: invalid multibulk length");
	E("*4097\r\n", RESP_E_MBULK_LEN,
	  "Protocol error: invalid multibulk length");
	E("*2\r\nx\r\n", RESP_E_EXPECTED_DOLLAR,
	  "Protocol error: expected '$', got 'x'");
	E("*1\r\n$-3\r\n", RESP_E_BULK_LEN,
	  "Protocol error: invalid bulk length");
	E("*1\r\n$+3\r\nabc\r\n", RESP_E_BULK_LEN,
	  "Protocol error: invalid bulk length");
	E("*1\r\n$03\r\nabc\r\n", RESP_E_BULK_LEN,
	  "Protocol error: invalid bulk length");
	E("*1\r\n$524289\r\n", RESP_E_BULK_LEN,
	  "Protocol error: invalid bulk length");
	E("*1\r\n$99999999999999999999999\r\n", RESP_E_BULK_LEN,
	  "Protocol error: invalid bulk length");
#undef E
}

/* The bounds: exactly at each limit is accepted (or awaited), one past
 * it is refused. */
static void test_limits(void **state)
{
	static char big[RESP_INLINE_MAX + 16];
	size_t n;

	(void)state;
	assert_int_equal(parse_str("*1\r\n$524288\r\n"), 0);
	assert_int_equal(parse_str("*4096\r\n"), 0);
	memset(big, 'a', sizeof(big));
	assert_int_equal(parse(big, RESP_INLINE_MAX), 0);
	assert_error(big, RESP_INLINE_MAX + 1, RESP_E_INLINE_TOO_BIG,
		     "Protocol error: too big inline request");
	big[0] = '*';
	assert_error(big, RESP_INLINE_MAX + 1, RESP_E_MBULK_COUNT_TOO_BIG,
		     "Protocol error: too big mbulk count string");
	memcpy(big, "*1\r\n$", 5);
	n = RESP_INLINE_MAX + 5;
	assert_error(big, n, RESP_E_BULK_COUNT_TOO_BIG,
		     "Protocol error: too big bulk count string");
}

/* 4096 arguments inline: accepted; one more: refused. */
static void test_inline_args(void **state)
{
	static char buf[3 * 4098];
	size_t n = 0;

	(void)state;
	for (int i = 0; i < 4096; i++) {
		buf[n++] = 'a';
		buf[n++] = ' ';
	}
	buf[n++] = '\n';
	assert_int_equal(parse(buf, n), (long)n);
	assert_int_equal(cmd.argc, 4096);
	memcpy(buf + n - 1, " b\n", 3);
	assert_int_equal(parse(buf, n + 2), -RESP_E_MBULK_LEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_multibulk),
		cmocka_unit_test(test_pipelined),
		cmocka_unit_test(test_empty_commands),
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_inline_args),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
