/*
 * test_xs_wire.c - the XenStore ring and payload checks (xen/xs_wire.c).
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
#include <xenlet/xs_wire.h>

static struct xenstore_domain_interface intf;
static struct xs_rx rx;

/* Play xenstored: put bytes into rsp[] at rsp_prod. */
static void server_put(const void *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		intf.rsp[(intf.rsp_prod + i) % XENSTORE_RING_SIZE] =
			((const char *)buf)[i];
	intf.rsp_prod += (uint32_t)len;
}

static void server_msg(uint32_t type, uint32_t id, const void *body,
		       uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };

	server_put(&h, sizeof(h));
	server_put(body, len);
}

static void reset(uint32_t start)
{
	memset(&intf, 0, sizeof(intf));
	intf.rsp_cons = intf.rsp_prod = start;
	intf.req_cons = intf.req_prod = start;
	xs_rx_reset(&rx);
}

/* Pull until a result other than MORE, or the ring is empty. */
static int pull_all(void)
{
	int r = XS_RX_MORE;

	while (intf.rsp_prod != intf.rsp_cons && r == XS_RX_MORE)
		r = xs_rx_pull(&intf, &rx);
	return r;
}

static void test_one_message(void **state)
{
	(void)state;
	reset(0);
	server_msg(XS_READ, 7, "value", 5);
	assert_int_equal(pull_all(), XS_RX_MESSAGE);
	assert_int_equal(rx.hdr.req_id, 7);
	assert_int_equal(rx.hdr.len, 5);
	assert_string_equal(rx.body, "value"); /* NUL added */
	assert_int_equal(intf.rsp_cons, intf.rsp_prod);
}

/* A message across the end of the ring, and the index wrapping 2^32. */
static void test_wraparound(void **state)
{
	char big[900];

	(void)state;
	memset(big, 'x', sizeof(big));
	reset(0xfffffe00u);
	server_msg(XS_READ, 1, big, sizeof(big));
	assert_int_equal(pull_all(), XS_RX_MESSAGE);
	assert_int_equal(rx.hdr.len, sizeof(big));
	assert_memory_equal(rx.body, big, sizeof(big));
}

/* Two messages back to back: the first pull stops at the boundary. */
static void test_stops_at_boundary(void **state)
{
	(void)state;
	reset(0);
	server_msg(XS_WRITE, 1, "OK", 3);
	server_msg(XS_WRITE, 2, "OK", 3);
	assert_int_equal(pull_all(), XS_RX_MESSAGE);
	assert_int_equal(rx.hdr.req_id, 1);
	xs_rx_reset(&rx);
	assert_int_equal(pull_all(), XS_RX_MESSAGE);
	assert_int_equal(rx.hdr.req_id, 2);
}

/* Bytes arriving a few at a time assemble the same message. */
static void test_partial(void **state)
{
	struct xsd_sockmsg h = { .type = XS_READ, .req_id = 3, .len = 4 };
	char buf[sizeof(h) + 4];
	size_t i;

	(void)state;
	reset(0);
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), "abcd", 4);
	for (i = 0; i < sizeof(buf) - 1; i++) {
		server_put(buf + i, 1);
		assert_int_equal(xs_rx_pull(&intf, &rx), XS_RX_MORE);
	}
	server_put(buf + i, 1);
	assert_int_equal(xs_rx_pull(&intf, &rx), XS_RX_MESSAGE);
	assert_string_equal(rx.body, "abcd");
}

/* An oversized header is reported, its payload skipped, and the next
 * message still parses. */
static void test_oversized_skipped(void **state)
{
	static char junk[XENSTORE_PAYLOAD_MAX + 1];
	size_t left = sizeof(junk);

	(void)state;
	reset(0);
	server_msg(XS_READ, 9, NULL, 0);
	/* Forge the length now that the header is in the ring. */
	((struct xsd_sockmsg *)intf.rsp)->len = sizeof(junk);
	assert_int_equal(pull_all(), XS_RX_OVERSIZED);
	assert_int_equal(rx.hdr.req_id, 9);
	while (left > 0) {
		size_t n = left > 512 ? 512 : left;

		server_put(junk, n);
		left -= n;
		assert_int_equal(pull_all(), XS_RX_MORE);
	}
	server_msg(XS_READ, 10, "ok", 2);
	assert_int_equal(pull_all(), XS_RX_MESSAGE);
	assert_int_equal(rx.hdr.req_id, 10);
}

static void test_bad_indexes(void **state)
{
	(void)state;
	reset(0);
	intf.rsp_prod = XENSTORE_RING_SIZE + 1;
	assert_int_equal(xs_rx_pull(&intf, &rx), -XEN_EIO);
	assert_int_equal(intf.rsp_cons, 0); /* untouched */
	intf.req_prod = XENSTORE_RING_SIZE + 1;
	assert_int_equal(xs_ring_put(&intf, "x", 1), -XEN_EIO);
}

static void test_ring_put(void **state)
{
	static char big[XENSTORE_RING_SIZE + 10];

	(void)state;
	reset(0xfffffff0u);
	memset(big, 'a', sizeof(big));
	assert_int_equal(xs_ring_put(&intf, big, sizeof(big)),
			 XENSTORE_RING_SIZE);
	assert_int_equal(xs_ring_put(&intf, big, 1), 0); /* full */
	intf.req_cons += 5;
	assert_int_equal(xs_ring_put(&intf, "hello!", 6), 5);
	assert_memory_equal(intf.req + (0xfffffff0u % XENSTORE_RING_SIZE),
			    "hello", 5);
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(xs_error_to_errno("ENOENT", 7), -XEN_ENOENT);
	assert_int_equal(xs_error_to_errno("EACCES", 6), -XEN_EACCES);
	assert_int_equal(xs_error_to_errno("EAGAIN", 7), -XEN_EAGAIN);
	assert_int_equal(xs_error_to_errno("ENOENTX", 8), -XEN_EIO);
	assert_int_equal(xs_error_to_errno("ENO", 3), -XEN_EIO);
	assert_int_equal(xs_error_to_errno("", 0), -XEN_EIO);
}

static void test_split(void **state)
{
	const char *s[4];

	(void)state;
	assert_int_equal(xs_split_strings("a\0bc\0", 5, s, 4), 2);
	assert_string_equal(s[0], "a");
	assert_string_equal(s[1], "bc");
	assert_int_equal(xs_split_strings("", 0, s, 4), 0);
	assert_int_equal(xs_split_strings("a\0bc", 4, s, 4), -XEN_EIO);
	assert_int_equal(xs_split_strings("a\0b\0c\0", 6, s, 2), -XEN_E2BIG);
	assert_int_equal(xs_split_strings("a\0b\0c\0", 6, NULL, 9), 3);
}

static void test_perms(void **state)
{
	struct xs_perm p[2] = { { 'n', 0 }, { 'r', 65535 } }, q;
	char buf[32];

	(void)state;
	assert_int_equal(xs_perms_format(p, 2, buf, sizeof(buf)), 10);
	assert_memory_equal(buf, "n0\0r65535\0", 10);
	assert_int_equal(xs_perms_format(p, 2, buf, 9), -XEN_E2BIG);
	assert_int_equal(xs_perm_parse("b12", &q), 0);
	assert_int_equal(q.perm, 'b');
	assert_int_equal(q.domid, 12);
	assert_int_equal(xs_perm_parse("x1", &q), -XEN_EINVAL);
	assert_int_equal(xs_perm_parse("r65536", &q), -XEN_EINVAL);
	assert_int_equal(xs_perm_parse("r", &q), -XEN_EINVAL);
}

static void test_ulong(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(xs_parse_ulong("4294967295", 0xffffffffUL, &v), 0);
	assert_int_equal(v, 0xffffffffUL);
	assert_int_equal(xs_parse_ulong("4294967296", 0xffffffffUL, &v),
			 -XEN_EINVAL);
	assert_int_equal(xs_parse_ulong("", 10, &v), -XEN_EINVAL);
	assert_int_equal(xs_parse_ulong("1x", 10, &v), -XEN_EINVAL);
	assert_int_equal(xs_parse_ulong("99999999999999999999999", ~0UL, &v),
			 -XEN_EINVAL);
}

/* A bound below 9: one digit above it must not pass (max - d wraps). */
static void test_parse_ulong_small_max(void **state)
{
	unsigned long v, max, d;

	(void)state;
	for (max = 0; max <= 12; max++)
		for (d = 0; d <= 9; d++) {
			char s[2] = { (char)('0' + d), '\0' };

			assert_int_equal(xs_parse_ulong(s, max, &v),
					 d <= max ? 0 : -XEN_EINVAL);
		}
	assert_int_equal(xs_parse_ulong("9", 8, &v), -XEN_EINVAL);
	assert_int_equal(xs_parse_ulong("10", 9, &v), -XEN_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_message),
		cmocka_unit_test(test_wraparound),
		cmocka_unit_test(test_stops_at_boundary),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_oversized_skipped),
		cmocka_unit_test(test_bad_indexes),
		cmocka_unit_test(test_ring_put),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_perms),
		cmocka_unit_test(test_ulong),
		cmocka_unit_test(test_parse_ulong_small_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
