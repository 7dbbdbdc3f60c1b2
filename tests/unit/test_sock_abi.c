/*
 * test_sock_abi.c - xenlet's socket headers against glibc's: every
 * size, offset, constant and macro result a program could see must be
 * the one it sees on Linux (sock_abi.h says how each side is built).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "sock_abi.h"

#define MAX_FIGS 512

static struct sock_fig linux_figs[MAX_FIGS], xenlet_figs[MAX_FIGS];

static void test_same_figures_as_glibc(void **state)
{
	int nl = sock_abi_glibc(linux_figs, MAX_FIGS);
	int nx = sock_abi_xenlet(xenlet_figs, MAX_FIGS);
	int bad = 0;

	(void)state;
	assert_true(nl > 100 && nl <= MAX_FIGS);
	assert_int_equal(nl, nx);
	for (int i = 0; i < nl; i++) {
		if (linux_figs[i].value == xenlet_figs[i].value)
			continue;
		printf("# %s: Linux %lld, xenlet %lld\n", linux_figs[i].name,
		       linux_figs[i].value, xenlet_figs[i].value);
		bad++;
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_figures_as_glibc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
