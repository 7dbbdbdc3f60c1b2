/*
 * test_blk_vdev.c - names of virtual disks and XenStore's numbers for
 * them (blk/vdev.c), against Xen's vbd-interface encoding.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include "../../blk/blkfront.h"

static unsigned long parse(const char *name)
{
	unsigned long v = 12345;

	assert_int_equal(blk_vdev_parse(name, &v), 0);
	return v;
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(parse("xvda"), 202 << 8);
	assert_int_equal(parse("xvdb"), 202 << 8 | 1 << 4);
	assert_int_equal(parse("xvdp"), 202 << 8 | 15 << 4);
	/* Disk 16 and up: the extended scheme. */
	assert_int_equal(parse("xvdq"), 1 << 28 | 16 << 8);
	assert_int_equal(parse("xvdz"), 1 << 28 | 25 << 8);
	assert_int_equal(parse("xvdaa"), 1 << 28 | 26 << 8);
	assert_int_equal(parse("xvdzz"), 1 << 28 | 701 << 8);
	assert_int_equal(parse("51712"), 51712);
}

static void test_parse_refuses(void **state)
{
	static const char
		*const bad[] = {
			"",	    "xvd",   "xvdA",
			"sda",	    "xvda1", "hda",
			"xvd-",	    "12x",   "99999999999",
			"xvdzzzzz", /* beyond 2^20 disks */
		};
	unsigned long v = 7;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(blk_vdev_parse(bad[i], &v), -XEN_EINVAL);
		assert_int_equal(v, 7);
	}
}

static void name_is(unsigned long vdev, const char *want)
{
	char buf[16];

	blk_vdev_name(vdev, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_name(void **state)
{
	static const char *const names[] = { "xvda",  "xvdp",  "xvdq",	"xvdz",
					     "xvdaa", "xvdzz", "xvdaaa" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		name_is(parse(names[i]), names[i]);
	name_is(202 << 8 | 1, "51713"); /* a partition */
	name_is(3 << 8, "768");		/* hda */
	name_is(1 << 28 | 3 << 8 | 2, "268436226");
}

static void test_name_truncates(void **state)
{
	char buf[5];

	(void)state;
	blk_vdev_name(parse("xvdaa"), buf, sizeof(buf));
	assert_string_equal(buf, "xvda");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_refuses),
		cmocka_unit_test(test_name),
		cmocka_unit_test(test_name_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
