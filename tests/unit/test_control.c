/*
 * test_control.c - the shutdown requests of the PV control protocol
 * (xen/control.c), with a XenStore of the test's making: the value of
 * control/shutdown is the toolstack's, and may hold any bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/sched.h>
#include <xenlet/control.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/xenstore.h>

void xenlet_exit(int status); /* xenlet.h, whose main() is not ours */

/* --- what control.c calls, played by the test ------------------------ */

static const char *store_value; /* control/shutdown */
static size_t store_len;
static xs_watch_fn watch_fn;
static char console[1024]; /* what printk wrote */
static char handled[64];   /* the request the handler saw */

int xs_read_until(xs_transaction_t t, const char *path, uint64_t deadline_ns,
		  char **value, size_t *len)
{
	(void)t;
	(void)deadline_ns;
	assert_string_equal(path, "control/shutdown");
	*value = malloc(store_len + 1); /* xenstore.c: len bytes and a NUL */
	memcpy(*value, store_value, store_len);
	(*value)[store_len] = '\0';
	if (len != NULL)
		*len = store_len;
	return 0;
}

int xs_write(xs_transaction_t t, const char *path, const char *value)
{
	(void)t;
	(void)path;
	(void)value;
	return 0;
}

int xs_watch(struct xs_watch *w, const char *path, xs_watch_fn fn, void *arg)
{
	(void)w;
	(void)path;
	(void)arg;
	watch_fn = fn;
	return 0;
}

void kfree(void *p)
{
	free(p);
}

int printk(const char *fmt, ...)
{
	size_t used = strlen(console);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(console + used, sizeof(console) - used, fmt, ap);
	va_end(ap);
	return n;
}

void xenlet_exit(int status)
{
	(void)status;
	fail_msg("xenlet_exit called: a handler was set");
	abort();
}

static void handler(const char *req)
{
	snprintf(handled, sizeof(handled), "%s", req);
}

/* Fire the watch with control/shutdown holding len bytes of value. */
static void request(const char *value, size_t len)
{
	store_value = value;
	store_len = len;
	console[0] = handled[0] = '\0';
	watch_fn(NULL, "control/shutdown", NULL);
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(control_init(), 0);
	control_set_handler(handler);
	return 0;
}

/* --- the tests ---------------------------------------------------------- */

static void test_known_requests(void **state)
{
	(void)state;
	request("reboot", 6);
	assert_string_equal(handled, "reboot");
	assert_int_equal(control_exit_reason(), SHUTDOWN_reboot);
	request("poweroff", 8);
	assert_string_equal(handled, "poweroff");
	assert_int_equal(control_exit_reason(), SHUTDOWN_poweroff);
	request("", 0); /* our own ack */
	assert_string_equal(handled, "");
	assert_string_equal(console, "");
}

/* Control characters must not reach the console log: an escape
 * sequence, a bell, a newline that would forge a line of its own. */
static void test_control_characters_not_printed(void **state)
{
	static const char v[] = "x\033[2J\a\nxenlet: exit 0\r\x7f\xff";
	const char *p;

	(void)state;
	request(v, sizeof(v) - 1);
	assert_string_equal(handled, "");
	for (p = console; *p != '\0'; p++)
		if (*p != '\n' || p[1] != '\0') /* the line's own end */
			assert_true(*p >= ' ' && *p <= '~');
	assert_non_null(strstr(console, "\"x?[2J??xenlet: exit 0???\""));
	assert_non_null(strstr(console, "(24 bytes)"));
}

/* A NUL inside the value: the whole value is shown, with its length,
 * and "poweroff\0..." is not taken for "poweroff". */
static void test_value_with_nul(void **state)
{
	static const char v[] = "poweroff\0reboot";

	(void)state;
	request(v, sizeof(v) - 1);
	assert_string_equal(handled, "");
	assert_non_null(strstr(console, "\"poweroff?reboot\" (15 bytes)"));
}

/* A long value: a bounded part of it is shown, its length in full. */
static void test_long_value(void **state)
{
	static char v[4000];

	(void)state;
	memset(v, 'a', sizeof(v));
	request(v, sizeof(v));
	assert_string_equal(handled, "");
	assert_true(strlen(console) < 200);
	assert_non_null(strstr(console, "(4000 bytes)"));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_requests),
		cmocka_unit_test(test_control_characters_not_printed),
		cmocka_unit_test(test_value_with_nul),
		cmocka_unit_test(test_long_value),
	};

	(void)argc;
	(void)argv;
	return cmocka_run_group_tests(tests, setup, NULL);
}
