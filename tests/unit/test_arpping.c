/*
 * test_arpping.c - examples/arpping's answers (reply.c), byte for byte:
 * an ARP request for our address and a ping get the replies RFC 826 and
 * RFC 792 say, and near misses (another address, a fragment, a bad
 * checksum, a truncated or padded frame, a short reply buffer) get
 * the right treatment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "../../examples/arpping/reply.h"

static const struct host me = {
	.mac = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 },
	.ip = { 10, 99, 0, 2 },
};
static const uint8_t peer_mac[6] = { 0xfe, 0xff, 0xff, 0xff, 0xff, 0x01 };
static const uint8_t peer_ip[4] = { 10, 99, 0, 1 };

static uint8_t frame[2048], out[2048];

static size_t arp_request(const uint8_t *target_ip)
{
	static const uint8_t head[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t *a = frame + 14;

	memcpy(frame, head, 6);
	memcpy(frame + 6, peer_mac, 6);
	frame[12] = 0x08;
	frame[13] = 0x06;
	a[0] = 0, a[1] = 1, a[2] = 0x08, a[3] = 0, a[4] = 6, a[5] = 4;
	a[6] = 0, a[7] = 1;
	memcpy(a + 8, peer_mac, 6);
	memcpy(a + 14, peer_ip, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, target_ip, 4);
	return 42;
}

static void put_sum(uint8_t *field, const uint8_t *p, size_t len)
{
	uint16_t s;

	field[0] = field[1] = 0;
	s = (uint16_t)~inet_sum(p, len);
	field[0] = (uint8_t)(s >> 8);
	field[1] = (uint8_t)s;
}

/* A ping of data_len bytes from the peer to us. */
static size_t echo_request(size_t data_len)
{
	uint8_t *ip = frame + 14, *icmp = ip + 20;
	size_t total = 20 + 8 + data_len, i;

	memcpy(frame, me.mac, 6);
	memcpy(frame + 6, peer_mac, 6);
	frame[12] = 0x08;
	frame[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[2] = (uint8_t)(total >> 8);
	ip[3] = (uint8_t)total;
	ip[4] = 0xbe, ip[5] = 0xef;
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, peer_ip, 4);
	memcpy(ip + 16, me.ip, 4);
	put_sum(ip + 10, ip, 20);
	icmp[0] = 8, icmp[1] = 0;
	icmp[4] = 0x12, icmp[5] = 0x34, icmp[6] = 0, icmp[7] = 9;
	for (i = 0; i < data_len; i++)
		icmp[8 + i] = (uint8_t)i;
	put_sum(icmp + 2, icmp, 8 + data_len);
	return 14 + total;
}

static void test_arp_request_answered(void **state)
{
	size_t n = arp_request(me.ip);
	enum answer kind;
	uint8_t *a = out + 14;

	(void)state;
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 42);
	assert_int_equal(kind, ANSWER_ARP);
	assert_memory_equal(out, peer_mac, 6);
	assert_memory_equal(out + 6, me.mac, 6);
	assert_int_equal(out[12], 0x08);
	assert_int_equal(out[13], 0x06);
	assert_int_equal(a[7], 2); /* oper: reply */
	assert_memory_equal(a + 8, me.mac, 6);
	assert_memory_equal(a + 14, me.ip, 4);
	assert_memory_equal(a + 18, peer_mac, 6);
	assert_memory_equal(a + 24, peer_ip, 4);
}

static void test_arp_for_another_address_ignored(void **state)
{
	static const uint8_t other[4] = { 10, 99, 0, 3 };
	size_t n = arp_request(other);
	enum answer kind;

	(void)state;
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
	assert_int_equal(kind, ANSWER_NONE);
}

static void test_arp_truncated_or_no_room(void **state)
{
	size_t n = arp_request(me.ip);
	enum answer kind;

	(void)state;
	assert_int_equal(
		answer_frame(&me, frame, n - 1, out, sizeof(out), &kind), 0);
	assert_int_equal(answer_frame(&me, frame, n, out, 41, &kind), 0);
}

static void test_echo_answered(void **state)
{
	size_t n = echo_request(56);
	enum answer kind;
	uint8_t *ip = out + 14, *icmp = ip + 20;

	(void)state;
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 n);
	assert_int_equal(kind, ANSWER_ECHO);
	assert_memory_equal(out, peer_mac, 6);
	assert_memory_equal(out + 6, me.mac, 6);
	assert_int_equal(inet_sum(ip, 20), 0xffff);
	assert_memory_equal(ip + 12, me.ip, 4);
	assert_memory_equal(ip + 16, peer_ip, 4);
	assert_int_equal(ip[2] << 8 | ip[3], 84);
	assert_int_equal(icmp[0], 0); /* echo reply */
	assert_int_equal(inet_sum(icmp, 64), 0xffff);
	/* Identifier, sequence and data come back as they went. */
	assert_memory_equal(icmp + 4, frame + 14 + 20 + 4, 60);
}

static void test_echo_with_ethernet_padding(void **state)
{
	size_t n = echo_request(0); /* 42 bytes, padded to 60 on a wire */
	enum answer kind;

	(void)state;
	memset(frame + n, 0xaa, 60 - n);
	assert_int_equal(answer_frame(&me, frame, 60, out, sizeof(out), &kind),
			 n);
}

static void test_echo_near_misses(void **state)
{
	enum answer kind;
	size_t n;

	(void)state;
	n = echo_request(56);
	frame[14 + 20 + 8] ^= 1; /* data changed: ICMP checksum wrong */
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
	n = echo_request(56);
	frame[14 + 8] = 63; /* TTL changed: IP checksum wrong */
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
	n = echo_request(56);
	assert_int_equal(
		answer_frame(&me, frame, n - 1, out, sizeof(out), &kind),
		0); /* the IP length says more than arrived */
	assert_int_equal(answer_frame(&me, frame, n, out, n - 1, &kind), 0);
	n = echo_request(56);
	frame[14 + 6] = 0x20; /* more fragments */
	put_sum(frame + 14 + 10, frame + 14, 20);
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
	n = echo_request(56);
	frame[14 + 12] = 255; /* from a broadcast source */
	put_sum(frame + 14 + 10, frame + 14, 20);
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
	n = echo_request(56);
	frame[0] = 0x02; /* to another MAC */
	assert_int_equal(answer_frame(&me, frame, n, out, sizeof(out), &kind),
			 0);
}

static void test_parse_ipv4(void **state)
{
	uint8_t ip[4];

	(void)state;
	assert_int_equal(parse_ipv4("10.99.0.2", ip), 0);
	assert_memory_equal(ip, me.ip, 4);
	assert_int_equal(parse_ipv4("255.255.255.255", ip), 0);
	assert_int_equal(parse_ipv4("10.99.0.256", ip), -1);
	assert_int_equal(parse_ipv4("10.99.0", ip), -1);
	assert_int_equal(parse_ipv4("10.99.0.2.", ip), -1);
	assert_int_equal(parse_ipv4("10.99..2", ip), -1);
	assert_int_equal(parse_ipv4("10.99.0.2/24", ip), -1);
	assert_int_equal(parse_ipv4("0010.1.1.1", ip), -1);
	assert_int_equal(parse_ipv4("", ip), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arp_request_answered),
		cmocka_unit_test(test_arp_for_another_address_ignored),
		cmocka_unit_test(test_arp_truncated_or_no_room),
		cmocka_unit_test(test_echo_answered),
		cmocka_unit_test(test_echo_with_ethernet_padding),
		cmocka_unit_test(test_echo_near_misses),
		cmocka_unit_test(test_parse_ipv4),
	};

	return cmocka_run_group_tests_name("arpping", tests, NULL, NULL);
}
