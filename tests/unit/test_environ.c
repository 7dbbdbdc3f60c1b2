/*
 * test_environ.c - the environment from the command line (lib/environ.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/environ.h>

/* lib/environ.c allocates with the kernel heap: here, libc's. */
void *kmalloc(size_t size);
void kfree(void *p);

void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}

static void test_leading_words(void **state)
{
	char w0[] = "PORT=80", w1[] = "MODE=a=b", w2[] = "serve", w3[] = "X=1";
	char *argv[] = { w0, w1, w2, w3, NULL };

	(void)state;
	assert_int_equal(env_take_words(argv, 4), 2);
	assert_string_equal(xenlet_getenv("PORT"), "80");
	assert_string_equal(xenlet_getenv("MODE"), "a=b");
	assert_null(xenlet_getenv("X")); /* after the first argument */
	assert_null(xenlet_getenv("PORTX"));
	assert_null(xenlet_getenv("POR"));
	assert_string_equal(argv[0], "PORT=80"); /* words left intact */
}

static void test_double_dash(void **state)
{
	char w0[] = "A=1", w1[] = "--", w2[] = "B=2";
	char *argv[] = { w0, w1, w2, NULL };

	(void)state;
	assert_int_equal(env_take_words(argv, 3), 2);
	assert_string_equal(xenlet_getenv("A"), "1");
	assert_null(xenlet_getenv("B"));
}

static void test_not_names(void **state)
{
	char w0[] = "1A=x", w1[] = "=x", w2[] = "a-b=c";
	char *argv[] = { w0, w1, w2, NULL };

	(void)state;
	assert_int_equal(env_take_words(argv, 1), 0);
	assert_int_equal(env_take_words(argv + 1, 1), 0);
	assert_int_equal(env_take_words(argv + 2, 1), 0);
	assert_int_equal(env_set("bad name", "x", 1), -XEN_EINVAL);
	assert_int_equal(env_set("", "x", 1), -XEN_EINVAL);
}

static void test_overwrite_and_array(void **state)
{
	int i, found = 0;

	(void)state;
	assert_int_equal(env_set("K", "one", 1), 0);
	assert_int_equal(env_set("K", "two", 0), 0); /* kept */
	assert_string_equal(xenlet_getenv("K"), "one");
	assert_int_equal(env_set("K", "three", 1), 0);
	assert_string_equal(xenlet_getenv("K"), "three");
	for (i = 0; xenlet_environ[i] != NULL; i++)
		found += strcmp(xenlet_environ[i], "K=three") == 0;
	assert_int_equal(found, 1);
}

/*
 * Looking up a name longer than a variable must not read past that
 * variable's end: "S=1" is a 4-byte block, and ASan reports any
 * comparison that reads 16 bytes of it (memcmp did).
 */
static void test_lookup_longer_name(void **state)
{
	(void)state;
	assert_int_equal(env_set("S", "1", 1), 0);
	assert_null(xenlet_getenv("SSSSSSSSSSSSSSSS"));
	assert_int_equal(env_set("SSSSSSSSSSSSSSSS", "2", 0), 0);
	assert_string_equal(xenlet_getenv("S"), "1");
	assert_string_equal(xenlet_getenv("SSSSSSSSSSSSSSSS"), "2");
}

static void test_full(void **state)
{
	char name[16];
	int i, rc = 0;

	(void)state;
	for (i = 0; i < ENV_MAX + 1 && rc == 0; i++) {
		snprintf(name, sizeof(name), "V%d", i);
		rc = env_set(name, "x", 1);
	}
	assert_int_equal(rc, -XEN_ENOSPC);
	for (i = 0; xenlet_environ[i] != NULL; i++)
		;
	assert_int_equal(i, ENV_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leading_words),
		cmocka_unit_test(test_double_dash),
		cmocka_unit_test(test_not_names),
		cmocka_unit_test(test_overwrite_and_array),
		cmocka_unit_test(test_lookup_longer_name),
		cmocka_unit_test(test_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
