/*
 * test_frame_csum.c - TCP/UDP checksum offload on frames
 * (net/lwip/frame_csum.c), against a reference checksum computed here
 * the long way (RFC 1071 over a pseudo-header copied out by hand).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../net/lwip/frame_csum.h"

#define ETH 14

static uint16_t ref_sum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

/* The full L4 checksum of the IPv4 packet in frame (ihl 20). */
static uint16_t ref_l4(const uint8_t *frame, size_t l4len)
{
	uint8_t buf[12 + 2048];

	memcpy(buf, frame + ETH + 12, 8); /* source, destination */
	buf[8] = 0;
	buf[9] = frame[ETH + 9];
	buf[10] = (uint8_t)(l4len >> 8);
	buf[11] = (uint8_t)l4len;
	memcpy(buf + 12, frame + ETH + 20, l4len);
	return (uint16_t)~ref_sum(buf, 12 + l4len);
}

/* An IPv4 frame of proto with l4len bytes of L4 (patterned). */
static size_t make(uint8_t *f, uint8_t proto, size_t l4len)
{
	size_t csum = proto == 6 ? 16 : 6;
	uint16_t c;

	memset(f, 0, ETH + 20 + l4len);
	f[12] = 0x08; /* IPv4 */
	f[ETH] = 0x45;
	f[ETH + 2] = (uint8_t)((20 + l4len) >> 8);
	f[ETH + 3] = (uint8_t)(20 + l4len);
	f[ETH + 8] = 64;
	f[ETH + 9] = proto;
	memcpy(f + ETH + 12, (uint8_t[]){ 10, 99, 0, 1, 10, 99, 0, 5 }, 8);
	for (size_t i = 0; i < l4len; i++)
		f[ETH + 20 + i] = (uint8_t)(i * 7 + 3);
	f[ETH + 20 + csum] = f[ETH + 20 + csum + 1] = 0;
	c = ref_l4(f, l4len);
	f[ETH + 20 + csum] = (uint8_t)(c >> 8);
	f[ETH + 20 + csum + 1] = (uint8_t)c;
	return ETH + 20 + l4len;
}

static void test_good_and_bad(void **state)
{
	uint8_t f[2048];
	size_t n;

	(void)state;
	n = make(f, 6, 1000);
	assert_int_equal(frame_csum_ok(f, n), 1);
	f[n - 1] ^= 1;
	assert_int_equal(frame_csum_ok(f, n), 0);
	n = make(f, 17, 333); /* odd length */
	assert_int_equal(frame_csum_ok(f, n), 1);
	f[ETH + 20 + 8] ^= 0x80;
	assert_int_equal(frame_csum_ok(f, n), 0);
	/* Ethernet padding after the IP packet is not summed. */
	n = make(f, 6, 20);
	f[n] = 0xff;
	assert_int_equal(frame_csum_ok(f, n + 6), 1);
}

static void test_left_to_lwip(void **state)
{
	uint8_t f[2048];
	size_t n;

	(void)state;
	n = make(f, 17, 100);
	f[ETH + 20 + 6] = f[ETH + 20 + 7] = 0; /* UDP: no checksum */
	assert_int_equal(frame_csum_ok(f, n), 1);
	n = make(f, 6, 100);
	f[n - 1] ^= 1;
	f[ETH + 6] = 0x20; /* more fragments */
	assert_int_equal(frame_csum_ok(f, n), 1);
	f[ETH + 6] = 0;
	assert_int_equal(frame_csum_ok(f, n - 1), 1); /* tot_len > frame */
	assert_int_equal(frame_csum_ok(f, 20), 1);
	f[ETH] = 0x44; /* ihl below 5 */
	assert_int_equal(frame_csum_ok(f, n), 1);
	n = make(f, 1, 64); /* ICMP: lwIP's */
	f[n - 1] ^= 1;
	assert_int_equal(frame_csum_ok(f, n), 1);
	f[12] = 0x86; /* not IPv4 */
	assert_int_equal(frame_csum_ok(f, n), 1);
}

/* What the backend does with csum_blank: sum from the L4 header on,
 * the field holding the pseudo-header sum, and invert. */
static uint16_t finish(const uint8_t *f, size_t l4len)
{
	return (uint16_t)~ref_sum(f + ETH + 20, l4len);
}

static void test_offload(void **state)
{
	uint8_t f[2048];
	size_t n;
	uint16_t want;

	(void)state;
	n = make(f, 6, 1480);
	want = (uint16_t)(f[ETH + 36] << 8 | f[ETH + 37]);
	f[ETH + 36] = f[ETH + 37] = 0; /* as lwIP leaves it */
	assert_int_equal(frame_csum_offload(f, n, n), 1);
	assert_int_equal(finish(f, 1480), want);
	n = make(f, 17, 41);
	want = (uint16_t)(f[ETH + 26] << 8 | f[ETH + 27]);
	f[ETH + 26] = f[ETH + 27] = 0;
	/* Only the headers need be contiguous: 42 bytes of a UDP frame. */
	assert_int_equal(frame_csum_offload(f, ETH + 28, n), 1);
	assert_int_equal(finish(f, 41), want);
	/* Headers not all there, ICMP, a fragment: not offloaded. */
	n = make(f, 6, 100);
	assert_int_equal(frame_csum_offload(f, ETH + 20 + 17, n), 0);
	assert_int_equal(frame_csum_offload(f, n + 1, n), 0);
	n = make(f, 1, 100);
	assert_int_equal(frame_csum_offload(f, n, n), 0);
	n = make(f, 17, 100);
	f[ETH + 7] = 1; /* fragment offset */
	assert_int_equal(frame_csum_offload(f, n, n), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_and_bad),
		cmocka_unit_test(test_left_to_lwip),
		cmocka_unit_test(test_offload),
	};

	return cmocka_run_group_tests_name("frame_csum", tests, NULL, NULL);
}
