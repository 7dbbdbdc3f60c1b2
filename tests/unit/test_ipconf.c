/*
 * test_ipconf.c - a vif's static settings from extra= and xl's ip key
 * (net/ipconf.c): what is taken, and that every bad value is refused
 * with a reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "../../net/ipconf.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))

static void test_addresses(void **state)
{
	uint32_t a = 0;

	(void)state;
	assert_int_equal(ipconf_parse_addr("10.99.0.2", &a), 0);
	assert_int_equal(a, IP(10, 99, 0, 2));
	assert_int_equal(ipconf_parse_addr("255.255.255.255", &a), 0);
	assert_int_equal(a, 0xffffffffu);
	assert_int_equal(ipconf_parse_addr("010.001.000.009", &a), 0);
	assert_int_equal(a, IP(10, 1, 0, 9));
	static const char *const bad[] = {
		"",	      "10",	   "10.0.0",	 "10.0.0.1.",
		"10.0.0.1.2", "256.0.0.1", "1.2.3.999",	 "1.2.3.4x",
		" 1.2.3.4",   "1..2.3",	   "1.2.3.0001", "-1.2.3.4",
		"1.2.3.4/24", "a.b.c.d",   "1.2.3.",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ipconf_parse_addr(bad[i], &a), -1);
}

static void test_extra_words(void **state)
{
	struct ipconf c;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ipconf_parse("10.99.0.5/24", "10.99.0.1", "10.99.0.1",
				      &c, &why),
			 0);
	assert_int_equal(c.addr, IP(10, 99, 0, 5));
	assert_int_equal(c.prefix, 24);
	assert_int_equal(c.gw, IP(10, 99, 0, 1));
	assert_int_equal(c.dns, IP(10, 99, 0, 1));
	/* No prefix: a /24; no gw or dns: none. */
	assert_int_equal(ipconf_parse("192.168.7.9", NULL, NULL, &c, &why), 0);
	assert_int_equal(c.prefix, IPCONF_DEFAULT_PREFIX);
	assert_int_equal(c.gw, 0);
	assert_int_equal(c.dns, 0);
	/* A /31 has no network or broadcast address (RFC 3021). */
	assert_int_equal(ipconf_parse("10.0.0.0/31", NULL, NULL, &c, &why), 0);
	assert_int_equal(ipconf_parse("10.0.0.7/32", NULL, NULL, &c, &why), 0);
	/* DNS may be anywhere. */
	assert_int_equal(ipconf_parse("10.0.0.7/8", NULL, "8.8.8.8", &c, &why),
			 0);
}

static void expect_bad(const char *ip, const char *gw, const char *dns)
{
	struct ipconf c = { 1, 1, 1, 1 };
	const char *why = NULL;

	assert_int_equal(ipconf_parse(ip, gw, dns, &c, &why), -1);
	assert_non_null(why);
	assert_true(strlen(why) > 0);
}

static void test_bad_extra_words(void **state)
{
	(void)state;
	expect_bad("10.99.0.300/24", NULL, NULL);
	expect_bad("10.99.0.5/0", NULL, NULL);
	expect_bad("10.99.0.5/33", NULL, NULL);
	expect_bad("10.99.0.5/", NULL, NULL);
	expect_bad("10.99.0.5/24x", NULL, NULL);
	expect_bad("10.99.0.5/1234", NULL, NULL);
	expect_bad("10.99.0.5//24", NULL, NULL);
	expect_bad("10.99.0.0/24", NULL, NULL);	  /* the network */
	expect_bad("10.99.0.255/24", NULL, NULL); /* its broadcast */
	expect_bad("0.1.2.3/8", NULL, NULL);
	expect_bad("127.0.0.2/8", NULL, NULL);
	expect_bad("224.0.0.5/24", NULL, NULL);
	expect_bad("255.255.255.255/32", NULL, NULL);
	expect_bad("10.99.0.5/24", "10.99.1.1", NULL); /* off the subnet */
	expect_bad("10.99.0.5/24", "10.99.0.5", NULL); /* itself */
	expect_bad("10.99.0.5/24", "gateway", NULL);
	expect_bad("10.99.0.5/24", NULL, "10.99.0");
	expect_bad("10.99.0.5/24", NULL, "224.1.1.1");
	expect_bad(NULL, "10.99.0.1", NULL); /* gw= alone */
	expect_bad(NULL, NULL, "10.99.0.1");
	expect_bad("10.99.0.1234567890123/24", NULL, NULL);
}

static void test_xl_key(void **state)
{
	struct ipconf c;
	const char *why = NULL;

	(void)state;
	assert_int_equal(ipconf_parse_xl("10.99.0.6", &c, &why), 0);
	assert_int_equal(c.addr, IP(10, 99, 0, 6));
	assert_int_equal(c.prefix, 24);
	/* Several addresses: the first. */
	assert_int_equal(ipconf_parse_xl(" 10.1.2.3/16 10.9.9.9", &c, &why), 0);
	assert_int_equal(c.addr, IP(10, 1, 2, 3));
	assert_int_equal(c.prefix, 16);
	assert_int_equal(ipconf_parse_xl("", &c, &why), -1);
	assert_int_equal(ipconf_parse_xl("   ", &c, &why), -1);
	assert_int_equal(ipconf_parse_xl("10.1.2.3/16/8", &c, &why), -1);
	assert_int_equal(ipconf_parse_xl("1234567890.1.2.3/16", &c, &why), -1);
	assert_int_equal(ipconf_parse_xl("fe80::1", &c, &why), -1);
}

static void test_masks(void **state)
{
	(void)state;
	assert_int_equal(ipconf_mask(1), 0x80000000u);
	assert_int_equal(ipconf_mask(24), 0xffffff00u);
	assert_int_equal(ipconf_mask(31), 0xfffffffeu);
	assert_int_equal(ipconf_mask(32), 0xffffffffu);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_extra_words),
		cmocka_unit_test(test_bad_extra_words),
		cmocka_unit_test(test_xl_key),
		cmocka_unit_test(test_masks),
	};

	return cmocka_run_group_tests_name("ipconf", tests, NULL, NULL);
}
