/*
 * test_isn.c - TCP initial sequence numbers (net/lwip/isn.c): SipHash-2-4
 * against the reference vectors of its paper (key 00 01 .. 0f, messages
 * 00 01 .. of every length 0 to 63: appendix A and the reference
 * implementation's vectors.h), then RFC 6528's properties: a clock of
 * 4 us ticks, and different connections far apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lwip/pbuf.h"
#include "../../net/lwip/port.h"

/* The isn.c hook's own needs, unused by these tests. */
uint64_t xen_system_time_ns(void)
{
	return 0;
}

uint32_t lwip_port_rand(void)
{
	return 0;
}

static const uint8_t key[16] = { 0, 1, 2,  3,  4,  5,  6,  7,
				 8, 9, 10, 11, 12, 13, 14, 15 };

/* SipHash-2-4 outputs, as little-endian 64-bit words, for the messages
 * 00 .. len-1 (the paper's vectors for lengths 0 to 8, 15 and 63). */
static const struct {
	size_t len;
	uint64_t out;
} vectors[] = {
	{ 0, 0x726fdb47dd0e0e31ULL },  { 1, 0x74f839c593dc67fdULL },
	{ 2, 0x0d6c8009d9a94f5aULL },  { 3, 0x85676696d7fb7e2dULL },
	{ 7, 0xab0200f58b01d137ULL },  { 8, 0x93f5f5799a932462ULL },
	{ 15, 0xa129ca6149be45e5ULL }, { 63, 0x958a324ceb064572ULL },
};

static void test_siphash_reference_vectors(void **state)
{
	uint8_t msg[64];

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++)
		assert_int_equal(siphash24(key, msg, vectors[i].len),
				 vectors[i].out);
}

#define A 0x0200630au /* 10.99.0.2 as lwIP holds it (network order) */
#define B 0x0100630au

/* M: the same connection 1 ms later starts 250 ticks further on. */
static void test_clock_of_4us_ticks(void **state)
{
	uint64_t t = 123456789000ULL;
	uint32_t a = tcp_isn_at(key, A, 80, B, 47000, t),
		 b = tcp_isn_at(key, A, 80, B, 47000, t + 1000000);

	(void)state;
	assert_int_equal((uint32_t)(b - a), 250);
}

/* F: a change of any port or address moves the number by a hash, not
 * by one; the same connection under another key differs too. */
static void test_connections_apart(void **state)
{
	uint8_t other[16] = { 1 };
	uint32_t base = tcp_isn_at(key, A, 80, B, 47000, 0);
	uint32_t moved[] = {
		tcp_isn_at(key, A, 80, B, 47001, 0),
		tcp_isn_at(key, A, 81, B, 47000, 0),
		tcp_isn_at(key, A, 80, B + (1u << 24), 47000, 0),
		tcp_isn_at(key, A + (1u << 24), 80, B, 47000, 0),
		tcp_isn_at(other, A, 80, B, 47000, 0),
	};

	(void)state;
	for (size_t i = 0; i < sizeof(moved) / sizeof(moved[0]); i++) {
		uint32_t d = moved[i] - base;

		assert_true(d > 1000000 && d < 0xffffffffu - 1000000);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siphash_reference_vectors),
		cmocka_unit_test(test_clock_of_4us_ticks),
		cmocka_unit_test(test_connections_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
