/*
 * test_netfront.c - netfront's rings (net/netfront_tx.c, netfront_rx.c,
 * frag.c) against a backend played by the test: good frames go through
 * whole, and every way a hostile backend can break the protocol (ids,
 * producer jumps, offsets and sizes, chains) is caught as -XEN_EIO
 * before anything is delivered or any buffer is reused.
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
#include "../../net/netfront.h"

#define N NETFRONT_RING_SIZE

static uint8_t tx_pages[N][4096] __attribute__((aligned(4096)));
static uint8_t rx_pages[N][4096] __attribute__((aligned(4096)));
static union {
	netif_tx_sring_t s;
	uint8_t page[4096];
} txs __attribute__((aligned(4096)));
static union {
	netif_rx_sring_t s;
	uint8_t page[4096];
} rxs __attribute__((aligned(4096)));

static struct netfront_tx tx;
static struct netfront_rx rx;
static struct netfront_stats stats;

/* What deliver was given. */
static int delivered;
static size_t last_len;
static uint16_t last_flags;
static uint8_t last_frame[NETFRONT_FRAME_MAX];

static void deliver(void *arg, const struct netfront_rx_frame *f)
{
	assert_ptr_equal(arg, &rx);
	delivered++;
	last_len = f->len;
	last_flags = f->flags;
	netfront_gather(last_frame, f->frag, f->n, 0, f->len);
}

static int setup(void **state)
{
	void *tp[N], *rp[N];
	grant_ref_t tg[N], rg[N];
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		tp[i] = tx_pages[i];
		rp[i] = rx_pages[i];
		tg[i] = 1000 + i;
		rg[i] = 2000 + i;
	}
	memset(&stats, 0, sizeof(stats));
	netfront_tx_init(&tx, &txs.s, tp, tg, &stats);
	netfront_rx_init(&rx, &rxs.s, rp, rg, &stats);
	delivered = 0;
	last_len = 0;
	return 0;
}

/* --- the backend's side ---------------------------------------------------- */

/* Slot i of a ring (the header declares ring[1]: index by pointer). */
static union netif_rx_sring_entry *rx_slot(RING_IDX i)
{
	return rxs.s.ring + i % N;
}

static union netif_tx_sring_entry *tx_slot(RING_IDX i)
{
	return txs.s.ring + i % N;
}

static void rx_respond(RING_IDX i, uint16_t id, uint16_t offset, uint16_t flags,
		       int16_t status)
{
	netif_rx_response_t *r = &rx_slot(i)->rsp;

	r->id = id;
	r->offset = offset;
	r->flags = flags;
	r->status = status;
}

/* A data slot as netback fills it: bytes at offset 0, its own id. */
static void rx_fill(RING_IDX i, uint16_t flags, int16_t len, uint8_t seed)
{
	memset(rx_pages[i % N], seed, len > 0 ? (size_t)len : 0);
	rx_respond(i, (uint16_t)(i % N), 0, flags, len);
}

static void rx_extra(RING_IDX i, uint8_t type, uint8_t flags)
{
	netif_extra_info_t *e = (netif_extra_info_t *)&rx_slot(i)->rsp;

	memset(e, 0, sizeof(*e));
	e->type = type;
	e->flags = flags;
	e->u.gso.size = 1448;
	e->u.gso.type = XEN_NETIF_GSO_TYPE_TCPV4;
}

static int rx_run(int *notify, const char **why)
{
	*why = NULL;
	return netfront_rx_collect(&rx, deliver, &rx, notify, why);
}

static void tx_respond(RING_IDX i, uint16_t id, int16_t status)
{
	tx_slot(i)->rsp.id = id;
	tx_slot(i)->rsp.status = status;
}

static netif_tx_request_t tx_req(RING_IDX i)
{
	return tx_slot(i)->req;
}

static int send_bytes(size_t len, uint16_t flags, int *notify)
{
	static uint8_t buf[70000];
	struct netdev_frag f = { buf, len };
	size_t i;

	for (i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
	return netfront_tx_put(&tx, &f, 1, NETFRONT_FRAME_MAX, flags, notify);
}

/* --- rx ----------------------------------------------------------------------- */

static void test_rx_init_posts_every_buffer(void **state)
{
	int i;

	(void)state;
	assert_int_equal(rxs.s.req_prod, 0); /* netfront.c publishes */
	assert_int_equal(rx.ring.req_prod_pvt, N);
	for (i = 0; i < N; i++) {
		assert_int_equal(rx_slot(i)->req.id, i);
		assert_int_equal(rx_slot(i)->req.gref, 2000 + i);
	}
}

static void test_rx_good_frame_and_repost(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_fill(0, NETRXF_data_validated, 60, 0xab);
	rxs.s.rsp_prod = 1;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(delivered, 1);
	assert_int_equal(last_len, 60);
	assert_int_equal(last_flags, NETRXF_data_validated);
	assert_int_equal(last_frame[0], 0xab);
	assert_int_equal(last_frame[59], 0xab);
	assert_int_equal(rx.ring.rsp_cons, 1);
	/* Buffer 0 is posted again, in slot 256, and published. */
	assert_int_equal(rxs.s.req_prod, N + 1);
	assert_int_equal(rx_slot(N)->req.id, 0);
	assert_int_equal(rx_slot(N)->req.gref, 2000);
	/* The next response is asked for. */
	assert_int_equal(rxs.s.rsp_event, 2);
	assert_int_equal(stats.rx_packets, 1);
}

static void test_rx_frame_of_several_slots(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_fill(0, NETRXF_more_data | NETRXF_csum_blank, 4096, 1);
	rx_fill(1, NETRXF_more_data, 4096, 2);
	rx_fill(2, 0, 1000, 3);
	rxs.s.rsp_prod = 3;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(delivered, 1);
	assert_int_equal(last_len, 9192);
	assert_int_equal(last_flags, NETRXF_csum_blank);
	assert_int_equal(last_frame[4095], 1);
	assert_int_equal(last_frame[4096], 2);
	assert_int_equal(last_frame[8192], 3);
	assert_int_equal(rxs.s.req_prod, N + 3);
}

static void test_rx_frames_wrap_the_ring(void **state)
{
	const char *why;
	int notify, i, round;

	(void)state;
	for (round = 0; round < 3; round++) {
		for (i = 0; i < 200; i++)
			rx_fill(rx.ring.rsp_cons + i, 0, 100, (uint8_t)i);
		rxs.s.rsp_prod = rx.ring.rsp_cons + 200;
		assert_int_equal(rx_run(&notify, &why), 200);
	}
	assert_int_equal(delivered, 600);
	assert_int_equal(rxs.s.req_prod, 600 + N);
}

static void expect_rx_broken(const char *what)
{
	const char *why;
	int notify;

	assert_int_equal(rx_run(&notify, &why), -XEN_EIO);
	assert_non_null(why);
	assert_non_null(strstr(why, what));
	assert_int_equal(delivered, 0);
	/* Nothing consumed, nothing re-posted. */
	assert_int_equal(rx.ring.rsp_cons, 0);
	assert_int_equal(rx.ring.req_prod_pvt, N);
}

static void test_rx_bad_id(void **state)
{
	(void)state;
	rx_fill(0, 0, 60, 1);
	rx_respond(0, 7, 0, 0, 60); /* slot 0 answered as buffer 7 */
	rxs.s.rsp_prod = 1;
	expect_rx_broken("id");
}

static void test_rx_id_out_of_range(void **state)
{
	(void)state;
	rx_respond(0, 0xffff, 0, 0, 60);
	rxs.s.rsp_prod = 1;
	expect_rx_broken("id");
}

static void test_rx_producer_jump(void **state)
{
	(void)state;
	rx_fill(0, 0, 60, 1);
	rxs.s.rsp_prod = N + 1; /* more responses than buffers posted */
	expect_rx_broken("rsp_prod");
}

static void test_rx_producer_backwards(void **state)
{
	(void)state;
	rxs.s.rsp_prod = (RING_IDX)-1; /* "behind" rsp_cons: a huge distance */
	expect_rx_broken("rsp_prod");
}

static void test_rx_size_beyond_page(void **state)
{
	(void)state;
	rx_respond(0, 0, 100, 0, 4000); /* 100 + 4000 > 4096 */
	rxs.s.rsp_prod = 1;
	expect_rx_broken("beyond its page");
}

static void test_rx_offset_beyond_page(void **state)
{
	(void)state;
	rx_respond(0, 0, 5000, 0, 0);
	rxs.s.rsp_prod = 1;
	expect_rx_broken("beyond its page");
}

static void test_rx_size_full_page_at_offset_0_is_fine(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_fill(0, 0, 4096, 9);
	rxs.s.rsp_prod = 1;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(last_len, 4096);
}

static void test_rx_chain_past_producer(void **state)
{
	(void)state;
	rx_fill(0, NETRXF_more_data, 4096, 1);
	rxs.s.rsp_prod = 1;
	expect_rx_broken("past rsp_prod");
}

static void test_rx_too_many_slots(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NETFRONT_MAX_SLOTS + 1; i++)
		rx_fill(i, NETRXF_more_data, 100, 1);
	rxs.s.rsp_prod = NETFRONT_MAX_SLOTS + 1;
	expect_rx_broken("too many slots");
}

static void test_rx_extra_info_skipped(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_fill(0, NETRXF_extra_info | NETRXF_more_data, 4096, 1);
	rx_extra(1, XEN_NETIF_EXTRA_TYPE_GSO, 0);
	rx_fill(2, 0, 100, 2);
	rxs.s.rsp_prod = 3;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(last_len, 4196);
	assert_int_equal(last_frame[4096], 2);
	assert_int_equal(rx.ring.rsp_cons, 3);
	assert_int_equal(rxs.s.req_prod, N + 3); /* the extra's buffer too */
}

static void test_rx_extra_info_missing(void **state)
{
	(void)state;
	rx_fill(0, NETRXF_extra_info, 100, 1);
	rxs.s.rsp_prod = 1;
	expect_rx_broken("extra info missing");
}

static void test_rx_extra_info_bad_type(void **state)
{
	(void)state;
	rx_fill(0, NETRXF_extra_info, 100, 1);
	rx_extra(1, XEN_NETIF_EXTRA_TYPE_NONE, 0);
	rxs.s.rsp_prod = 2;
	expect_rx_broken("bad type");
	rx_extra(1, XEN_NETIF_EXTRA_TYPE_MAX, 0);
	expect_rx_broken("bad type");
}

static void test_rx_extra_info_endless_chain(void **state)
{
	int i;

	(void)state;
	rx_fill(0, NETRXF_extra_info, 100, 1);
	for (i = 1; i < 40; i++)
		rx_extra(i, XEN_NETIF_EXTRA_TYPE_GSO,
			 XEN_NETIF_EXTRA_FLAG_MORE);
	rxs.s.rsp_prod = 40;
	expect_rx_broken("extra info chain");
}

static void test_rx_failed_copy_is_dropped(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_respond(0, 0, 0, 0, -1); /* GNTST_general_error */
	rx_fill(1, 0, 60, 5);
	rxs.s.rsp_prod = 2;
	assert_int_equal(rx_run(&notify, &why), 2);
	assert_int_equal(delivered, 1); /* only the good one */
	assert_int_equal(last_frame[0], 5);
	assert_int_equal(stats.rx_errors, 1);
	assert_int_equal(rxs.s.req_prod, N + 2); /* both buffers back */
}

static void test_rx_runt_is_dropped(void **state)
{
	const char *why;
	int notify;

	(void)state;
	rx_fill(0, 0, NETFRONT_ETH_HLEN - 1, 5);
	rxs.s.rsp_prod = 1;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(delivered, 0);
	assert_int_equal(stats.rx_errors, 1);
}

static void test_rx_too_long_is_dropped(void **state)
{
	const char *why;
	int notify, i;

	(void)state;
	/* 17 full pages: 69632 bytes, beyond a 16-bit length. */
	for (i = 0; i < 17; i++)
		rx_fill(i, i < 16 ? NETRXF_more_data : 0, 4096, 1);
	rxs.s.rsp_prod = 17;
	assert_int_equal(rx_run(&notify, &why), 1);
	assert_int_equal(delivered, 0);
	assert_int_equal(stats.rx_errors, 1);
}

static void test_rx_notify_only_when_asked(void **state)
{
	const char *why;
	int notify;

	(void)state;
	/* Netback waits for buffers: req_event just past what it had. */
	rxs.s.req_event = N + 1;
	rx_fill(0, 0, 60, 1);
	rxs.s.rsp_prod = 1;
	rx_run(&notify, &why);
	assert_int_equal(notify, 1);
	/* It does not wait (req_event far ahead): no kick. */
	rxs.s.req_event = N + 100;
	rx_fill(1, 0, 60, 1);
	rxs.s.rsp_prod = 2;
	rx_run(&notify, &why);
	assert_int_equal(notify, 0);
}

/* --- tx ----------------------------------------------------------------------- */

static void test_tx_one_frame_from_pieces(void **state)
{
	uint8_t a[14], b[50];
	struct netdev_frag f[2] = { { a, sizeof(a) }, { b, sizeof(b) } };
	netif_tx_request_t r;
	int notify;

	(void)state;
	memset(a, 0x11, sizeof(a));
	memset(b, 0x22, sizeof(b));
	txs.s.req_event = 1; /* netback waits for the first request */
	assert_int_equal(netfront_tx_put(&tx, f, 2, 1514, 0, &notify), 0);
	assert_int_equal(notify, 1);
	assert_int_equal(txs.s.req_prod, 1);
	r = tx_req(0);
	assert_int_equal(r.size, 64);
	assert_int_equal(r.offset, 0);
	assert_int_equal(r.flags, 0);
	assert_true(r.id < N);
	assert_int_equal(r.gref, 1000 + r.id);
	assert_int_equal(tx_pages[r.id][13], 0x11);
	assert_int_equal(tx_pages[r.id][14], 0x22);
	assert_int_equal(tx_pages[r.id][63], 0x22);
	assert_int_equal(tx.nr_free, N - 1);
}

static void test_tx_frame_of_several_slots(void **state)
{
	netif_tx_request_t r0, r1;
	int notify;

	(void)state;
	txs.s.req_event = 100; /* netback is busy: no kick needed */
	assert_int_equal(send_bytes(5000, NETTXF_csum_blank, &notify), 0);
	assert_int_equal(notify, 0);
	/* Published whole, with one producer update. */
	assert_int_equal(txs.s.req_prod, 2);
	r0 = tx_req(0);
	r1 = tx_req(1);
	assert_int_equal(r0.size, 5000); /* the first slot: the total */
	assert_int_equal(r0.flags, NETTXF_csum_blank | NETTXF_more_data);
	assert_int_equal(r1.size, 5000 - 4096);
	assert_int_equal(r1.flags, 0);
	assert_int_not_equal(r0.id, r1.id);
	assert_int_equal(tx_pages[r0.id][4095], (uint8_t)4095);
	assert_int_equal(tx_pages[r1.id][0], (uint8_t)4096);
}

static void test_tx_bad_lengths(void **state)
{
	int notify;

	(void)state;
	assert_int_equal(send_bytes(13, 0, &notify), -XEN_EINVAL);
	assert_int_equal(send_bytes(NETFRONT_FRAME_MAX + 1, 0, &notify),
			 -XEN_EINVAL);
	assert_int_equal(txs.s.req_prod, 0);
	assert_int_equal(tx.nr_free, N);
}

static void test_tx_piece_lengths_cannot_wrap(void **state)
{
	static uint8_t b[64];
	struct netdev_frag f[2] = { { b, 64 }, { b, SIZE_MAX - 10 } };
	int notify;

	(void)state;
	assert_int_equal(netfront_tx_put(&tx, f, 2, 1514, 0, &notify),
			 -XEN_EINVAL);
}

static void test_tx_ring_full_then_freed(void **state)
{
	const char *why;
	int notify, i;

	(void)state;
	for (i = 0; i < N; i++)
		assert_int_equal(send_bytes(60, 0, &notify), 0);
	assert_int_equal(send_bytes(60, 0, &notify), -XEN_ENOBUFS);
	assert_int_equal(txs.s.req_prod, N);
	/* The backend answers them all, out of order. */
	for (i = 0; i < N; i++)
		tx_respond(i, tx_req(N - 1 - i).id, NETIF_RSP_OKAY);
	txs.s.rsp_prod = N;
	assert_int_equal(netfront_tx_collect(&tx, 1, &why), N);
	assert_int_equal(tx.nr_free, N);
	assert_int_equal(send_bytes(60, 0, &notify), 0);
}

static void test_tx_no_partial_frame_when_short_of_buffers(void **state)
{
	int notify, i;

	(void)state;
	for (i = 0; i < N - 1; i++)
		assert_int_equal(send_bytes(60, 0, &notify), 0);
	assert_int_equal(send_bytes(5000, 0, &notify), -XEN_ENOBUFS);
	assert_int_equal(txs.s.req_prod, N - 1);
	assert_int_equal(tx.nr_free, 1);
}

static void test_tx_error_status_counted(void **state)
{
	const char *why;
	int notify;

	(void)state;
	send_bytes(60, 0, &notify);
	tx_respond(0, tx_req(0).id, NETIF_RSP_ERROR);
	txs.s.rsp_prod = 1;
	assert_int_equal(netfront_tx_collect(&tx, 1, &why), 1);
	assert_int_equal(stats.tx_errors, 1);
	assert_int_equal(txs.s.rsp_event, 2); /* re-armed */
}

/* A collect for a sender not waiting leaves rsp_event where it was:
 * netback answers the next frames without an event. */
static void test_tx_collect_without_event(void **state)
{
	const char *why;
	int notify, i;

	(void)state;
	for (i = 0; i < 3; i++)
		send_bytes(60, 0, &notify);
	for (i = 0; i < 3; i++)
		tx_respond((RING_IDX)i, tx_req((RING_IDX)i).id, NETIF_RSP_OKAY);
	txs.s.rsp_prod = 3;
	assert_int_equal(netfront_tx_collect(&tx, 0, &why), 3);
	assert_int_equal(txs.s.rsp_event, 1); /* SHARED_RING_INIT's */
	assert_int_equal(tx.nr_free, N);
	/* A sender that waits for room asks again. */
	assert_int_equal(netfront_tx_collect(&tx, 1, &why), 0);
	assert_int_equal(txs.s.rsp_event, 4);
}

static void expect_tx_broken(const char *what)
{
	const char *why = NULL;

	assert_int_equal(netfront_tx_collect(&tx, 1, &why), -XEN_EIO);
	assert_non_null(why);
	assert_non_null(strstr(why, what));
}

static void test_tx_response_id_out_of_range(void **state)
{
	int notify;

	(void)state;
	send_bytes(60, 0, &notify);
	tx_respond(0, N, NETIF_RSP_OKAY);
	txs.s.rsp_prod = 1;
	expect_tx_broken("id not in flight");
	assert_int_equal(tx.nr_free, N - 1); /* nothing freed */
}

static void test_tx_response_id_not_in_flight(void **state)
{
	int notify;
	uint16_t id;

	(void)state;
	send_bytes(60, 0, &notify);
	id = tx_req(0).id;
	tx_respond(0, (uint16_t)((id + 1) % N), NETIF_RSP_OKAY);
	txs.s.rsp_prod = 1;
	expect_tx_broken("id not in flight");
}

static void test_tx_response_twice(void **state)
{
	const char *why;
	int notify;

	(void)state;
	send_bytes(60, 0, &notify);
	send_bytes(60, 0, &notify);
	tx_respond(0, tx_req(0).id, NETIF_RSP_OKAY);
	txs.s.rsp_prod = 1;
	assert_int_equal(netfront_tx_collect(&tx, 1, &why), 1);
	tx_respond(1, tx_req(0).id, NETIF_RSP_OKAY); /* the same id again */
	txs.s.rsp_prod = 2;
	expect_tx_broken("id not in flight");
}

static void test_tx_producer_jump(void **state)
{
	int notify;

	(void)state;
	send_bytes(60, 0, &notify);
	tx_respond(0, tx_req(0).id, NETIF_RSP_OKAY);
	txs.s.rsp_prod = 2; /* two responses to one request */
	expect_tx_broken("rsp_prod");
	assert_int_equal(tx.nr_free, N - 1);
}

static void test_tx_null_response(void **state)
{
	int notify;

	(void)state;
	send_bytes(60, 0, &notify);
	tx_respond(0, tx_req(0).id, NETIF_RSP_NULL);
	txs.s.rsp_prod = 1;
	expect_tx_broken("NULL");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_rx_init_posts_every_buffer),
		T(test_rx_good_frame_and_repost),
		T(test_rx_frame_of_several_slots),
		T(test_rx_frames_wrap_the_ring),
		T(test_rx_bad_id),
		T(test_rx_id_out_of_range),
		T(test_rx_producer_jump),
		T(test_rx_producer_backwards),
		T(test_rx_size_beyond_page),
		T(test_rx_offset_beyond_page),
		T(test_rx_size_full_page_at_offset_0_is_fine),
		T(test_rx_chain_past_producer),
		T(test_rx_too_many_slots),
		T(test_rx_extra_info_skipped),
		T(test_rx_extra_info_missing),
		T(test_rx_extra_info_bad_type),
		T(test_rx_extra_info_endless_chain),
		T(test_rx_failed_copy_is_dropped),
		T(test_rx_runt_is_dropped),
		T(test_rx_too_long_is_dropped),
		T(test_rx_notify_only_when_asked),
		T(test_tx_one_frame_from_pieces),
		T(test_tx_frame_of_several_slots),
		T(test_tx_bad_lengths),
		T(test_tx_piece_lengths_cannot_wrap),
		T(test_tx_ring_full_then_freed),
		T(test_tx_no_partial_frame_when_short_of_buffers),
		T(test_tx_error_status_counted),
		T(test_tx_collect_without_event),
		T(test_tx_response_id_out_of_range),
		T(test_tx_response_id_not_in_flight),
		T(test_tx_response_twice),
		T(test_tx_producer_jump),
		T(test_tx_null_response),
	};

	return cmocka_run_group_tests_name("netfront", tests, NULL, NULL);
}
