/*
 * test_timewait.c - the SYN that ends a TIME_WAIT (net/lwip/timewait.c),
 * compiled against lwIP's own headers, with the few lwIP functions it
 * calls played here: pbuf_copy_partial over one buffer of the packet's
 * exact length (so a read past the packet is an AddressSanitizer
 * error), and tcp_abort, which takes the pcb off the TIME_WAIT list and
 * counts. The packets are built by hand, fields at their RFC 791 and
 * RFC 793 offsets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "../../net/lwip/port.h"

/* --- the lwIP the hook meets ------------------------------------------- */

struct tcp_pcb *tcp_tw_pcbs;
static int aborted;

u16_t lwip_htons(u16_t n)
{
	return __builtin_bswap16(n);
}

u32_t lwip_htonl(u32_t n)
{
	return __builtin_bswap32(n);
}

u16_t pbuf_copy_partial(const struct pbuf *p, void *dst, u16_t len,
			u16_t offset)
{
	u16_t n;

	if (offset >= p->tot_len)
		return 0;
	n = p->tot_len - offset < len ? p->tot_len - offset : len;
	memcpy(dst, (const u8_t *)p->payload + offset, n);
	return n;
}

void tcp_abort(struct tcp_pcb *pcb)
{
	struct tcp_pcb **pp;

	assert_int_equal(pcb->state, TIME_WAIT);
	for (pp = &tcp_tw_pcbs; *pp != pcb; pp = &(*pp)->next)
		assert_non_null(*pp);
	*pp = pcb->next;
	aborted++;
}

/* --- a guest with two connections in TIME_WAIT ------------------------- */

#define GUEST	0x0a630002u /* 10.99.0.2 */
#define CLIENT	0x0a630001u /* 10.99.0.1 */
#define RCV_NXT 0x10000000u

static struct tcp_pcb tw[2];

static void add_timewait(struct tcp_pcb *pcb, u16_t remote_port, u32_t rcv_nxt)
{
	memset(pcb, 0, sizeof(*pcb));
	pcb->state = TIME_WAIT;
	ip4_addr_set_u32(ip_2_ip4(&pcb->local_ip), lwip_htonl(GUEST));
	ip4_addr_set_u32(ip_2_ip4(&pcb->remote_ip), lwip_htonl(CLIENT));
	pcb->local_port = 80;
	pcb->remote_port = remote_port;
	pcb->rcv_nxt = rcv_nxt;
	pcb->next = tcp_tw_pcbs;
	tcp_tw_pcbs = pcb;
}

static int setup(void **state)
{
	(void)state;
	tcp_tw_pcbs = NULL;
	aborted = 0;
	add_timewait(&tw[0], 47000, RCV_NXT);
	add_timewait(&tw[1], 47002, RCV_NXT);
	return 0;
}

/* --- packets ------------------------------------------------------------ */

#define IHL 20
#define SYN 0x02
#define RST 0x04
#define ACK 0x10
#define FIN 0x01

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* An IPv4 packet (header of ihl bytes) carrying a TCP header from
 * sport to port 80; returns its length. */
static size_t packet(uint8_t *b, size_t ihl, uint16_t sport, uint32_t seq,
		     uint8_t flags)
{
	memset(b, 0, ihl + 20);
	b[0] = (uint8_t)(0x40 | ihl / 4);
	put16(b + 2, (uint16_t)(ihl + 20));
	b[8] = 64;
	b[9] = 6; /* TCP */
	put32(b + 12, CLIENT);
	put32(b + 16, GUEST);
	put16(b + ihl, sport);
	put16(b + ihl + 2, 80);
	put32(b + ihl + 4, seq);
	b[ihl + 12] = 5 << 4;
	b[ihl + 13] = flags;
	return ihl + 20;
}

/* The hook on exactly len bytes of b (copied to a buffer of that size). */
static int input(const uint8_t *b, size_t len)
{
	struct pbuf p = { 0 };
	uint8_t *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, b, len);
	p.payload = copy;
	p.len = p.tot_len = (u16_t)len;
	r = timewait_syn_input(&p);
	free(copy);
	return r;
}

static int on_list(const struct tcp_pcb *pcb)
{
	const struct tcp_pcb *p;

	for (p = tcp_tw_pcbs; p != NULL; p = p->next)
		if (p == pcb)
			return 1;
	return 0;
}

/* A SYN that would end tw[0], with byte at set to value, to the hook. */
static void input_syn_with(size_t at, uint8_t value)
{
	uint8_t b[80];
	size_t n = packet(b, IHL, 47000, RCV_NXT + 1000, SYN);

	b[at] = value;
	input(b, n);
}

/* --- the cases ------------------------------------------------------------ */

static void test_new_syn_ends_its_timewait(void **state)
{
	uint8_t b[80];

	(void)state;
	assert_int_equal(
		input(b, packet(b, IHL, 47000, RCV_NXT + 1000000, SYN)), 0);
	assert_int_equal(aborted, 1);
	assert_false(on_list(&tw[0]));
	assert_true(on_list(&tw[1])); /* another port's stays */
}

/* A SYN at or before rcv_nxt may be a late copy of the old connection's
 * own: TIME_WAIT is there to answer it. */
static void test_old_syn_leaves_timewait(void **state)
{
	uint8_t b[80];

	(void)state;
	input(b, packet(b, IHL, 47000, RCV_NXT, SYN));
	input(b, packet(b, IHL, 47000, RCV_NXT - 1, SYN));
	input(b, packet(b, IHL, 47000, RCV_NXT - 0x7fffffffu, SYN));
	assert_int_equal(aborted, 0);
}

/* Sequence numbers compare modulo 2^32 (RFC 793 3.3). */
static void test_sequence_wraps(void **state)
{
	uint8_t b[80];

	(void)state;
	tw[0].rcv_nxt = 0xfffffff0u;
	input(b, packet(b, IHL, 47000, 0x10, SYN));
	assert_int_equal(aborted, 1);
}

static void test_only_a_bare_syn(void **state)
{
	static const uint8_t flags[] = { SYN | ACK, SYN | RST, SYN | FIN, ACK,
					 FIN | ACK, RST,       0 };
	uint8_t b[80];

	(void)state;
	for (size_t i = 0; i < sizeof(flags); i++)
		input(b, packet(b, IHL, 47000, RCV_NXT + 1000, flags[i]));
	assert_int_equal(aborted, 0);
	/* PSH, URG, ECE, CWR beside SYN: still a connection request. */
	input(b, packet(b, IHL, 47000, RCV_NXT + 1000, SYN | 0x08 | 0xc0));
	assert_int_equal(aborted, 1);
}

static void test_other_connections_untouched(void **state)
{
	(void)state;
	input_syn_with(IHL + 1, 0x9c); /* client port 47004 */
	input_syn_with(15, 3);	       /* client 10.99.0.3 */
	input_syn_with(19, 3);	       /* guest 10.99.0.3 */
	input_syn_with(IHL + 3, 81);   /* guest port 81 */
	assert_int_equal(aborted, 0);
}

static void test_not_tcp_over_ipv4(void **state)
{
	(void)state;
	input_syn_with(9, 17);	 /* UDP */
	input_syn_with(0, 0x65); /* version 6 */
	assert_int_equal(aborted, 0);
}

/* A fragment's first bytes past the IP header are TCP's only in the
 * first fragment, and even there the hook leaves it to reassembly. */
static void test_fragments_ignored(void **state)
{
	(void)state;
	input_syn_with(6, 0x20); /* more fragments */
	input_syn_with(7, 0x01); /* offset 8 */
	assert_int_equal(aborted, 0);
}

/* The TCP header is found after the IP options (IHL 15: 60 bytes). */
static void test_ip_options_skipped(void **state)
{
	uint8_t b[80];

	(void)state;
	input(b, packet(b, 60, 47000, RCV_NXT + 1000, SYN));
	assert_int_equal(aborted, 1);
}

/* Every length short of both headers, and a header length below 20:
 * nothing read past the packet (ASan), nothing ended. */
static void test_truncated_and_bad_ihl(void **state)
{
	uint8_t b[80];
	size_t n = packet(b, IHL, 47000, RCV_NXT + 1000, SYN);

	(void)state;
	for (size_t len = 0; len < n; len++)
		input(b, len);
	for (uint8_t ihl = 0; ihl < 5; ihl++) {
		packet(b, IHL, 47000, RCV_NXT + 1000, SYN);
		b[0] = (uint8_t)(0x40 | ihl);
		input(b, n);
	}
	n = packet(b, 60, 47000, RCV_NXT + 1000, SYN);
	for (size_t len = 20; len < n; len++)
		input(b, len);
	assert_int_equal(aborted, 0);
}

static void check_ended(struct tcp_pcb *pcb, const uint8_t *b, size_t n);

/* Random packets, and random bytes over a matching SYN: the hook never
 * reads past a packet, and ends a TIME_WAIT only for a bare SYN between
 * its ports. */
static void test_random_bytes(void **state)
{
	uint8_t b[80];

	(void)state;
	srand(13);
	for (int i = 0; i < 200000; i++) {
		size_t n = packet(b, IHL, 47000, RCV_NXT + 1000, SYN);
		int flips = rand() % 4;

		if (i % 2) {
			n = (size_t)rand() % sizeof(b);
			for (size_t j = 0; j < n; j++)
				b[j] = (uint8_t)rand();
		}
		for (int f = 0; f < flips; f++)
			b[rand() % 40] ^= (uint8_t)(1 << (rand() % 8));
		if (rand() % 8 == 0)
			n = (size_t)rand() % (n + 1);
		input(b, n);
		for (int k = 0; k < 2; k++)
			if (!on_list(&tw[k]))
				check_ended(&tw[k], b, n);
	}
	assert_true(aborted > 1000); /* the matching SYNs did end it */
}

/* tw[k] was ended by packet b (n bytes): it must be a bare SYN over
 * IPv4 from tw[k]'s port, both headers whole. It goes back on the list. */
static void check_ended(struct tcp_pcb *pcb, const uint8_t *b, size_t n)
{
	size_t ihl = (size_t)(b[0] & 15) * 4;

	assert_int_equal(b[0] >> 4, 4);
	assert_int_equal(b[9], 6);
	assert_true(ihl >= 20 && n >= ihl + 20);
	assert_int_equal(b[ihl + 13] & (SYN | ACK | RST | FIN), SYN);
	assert_int_equal(b[ihl] << 8 | b[ihl + 1], pcb->remote_port);
	assert_int_equal(b[ihl + 2] << 8 | b[ihl + 3], 80);
	pcb->next = tcp_tw_pcbs;
	tcp_tw_pcbs = pcb;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_new_syn_ends_its_timewait, setup),
		cmocka_unit_test_setup(test_old_syn_leaves_timewait, setup),
		cmocka_unit_test_setup(test_sequence_wraps, setup),
		cmocka_unit_test_setup(test_only_a_bare_syn, setup),
		cmocka_unit_test_setup(test_other_connections_untouched, setup),
		cmocka_unit_test_setup(test_not_tcp_over_ipv4, setup),
		cmocka_unit_test_setup(test_fragments_ignored, setup),
		cmocka_unit_test_setup(test_ip_options_skipped, setup),
		cmocka_unit_test_setup(test_truncated_and_bad_ihl, setup),
		cmocka_unit_test_setup(test_random_bytes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
