/*
 * test_txq.c - the tx backlog (net/lwip/txq.c) over netfront's real tx
 * ring (net/netfront_tx.c), with a backend played by the test: frames
 * that find the ring full wait and go out whole and in the order they
 * were sent as responses free slots; the backlog is bounded and its
 * overflow counted; a dead link empties it; every frame kept is let go
 * exactly once (each test ends with no reference left).
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
#include "../../net/lwip/txq.h"

#define N NETFRONT_RING_SIZE

static uint8_t tx_pages[N][4096] __attribute__((aligned(4096)));
static union {
	netif_tx_sring_t s;
	uint8_t page[4096];
} txs __attribute__((aligned(4096)));
static struct netfront_tx tx;
static struct netfront_stats stats;

/* A frame: its sequence number in its first bytes; refs counts holds. */
struct frame {
	uint8_t data[9000]; /* up to 3 slots */
	size_t len;
	int refs;
};

#define NFRAMES (N + TXQ_MAX + 64)
static struct frame frames[NFRAMES];
static int link_down, hold_fails, refuse_seq = -1;
static struct txq q;
static RING_IDX be_cons;   /* the backend's req_cons */
static uint32_t next_seen; /* the sequence the backend expects next */

static struct frame *frame(uint32_t seq, size_t len)
{
	struct frame *f = &frames[seq];

	memcpy(f->data, &seq, sizeof(seq));
	f->len = len;
	f->refs = 0;
	return f;
}

/* --- the fake netdev: netdev_send's steps on the real ring ------------------- */

static int xmit(void *arg, void *fp, unsigned int flags)
{
	struct frame *f = fp;
	struct netdev_frag frag = { f->data, f->len };
	const char *why;
	int notify, rc;

	assert_ptr_equal(arg, &q);
	(void)flags;
	if (link_down)
		return -XEN_ENOTCONN;
	if (refuse_seq >= 0 && f == &frames[refuse_seq])
		return -XEN_EINVAL;
	rc = netfront_tx_put(&tx, &frag, 1, 9014, 0, &notify);
	if (rc == -XEN_ENOBUFS && netfront_tx_collect(&tx, &why) > 0)
		rc = netfront_tx_put(&tx, &frag, 1, 9014, 0, &notify);
	return rc;
}

static void *hold(void *arg, void *fp)
{
	struct frame *f = fp;

	assert_ptr_equal(arg, &q);
	if (hold_fails)
		return NULL;
	f->refs++;
	return f;
}

static void release(void *arg, void *fp)
{
	struct frame *f = fp;

	assert_ptr_equal(arg, &q);
	assert_true(f->refs > 0); /* let go once per hold, never more */
	f->refs--;
}

static const struct txq_ops ops = { xmit, hold, release };

static int setup(void **state)
{
	void *tp[N];
	grant_ref_t tg[N];
	int i;

	(void)state;
	for (i = 0; i < N; i++) {
		tp[i] = tx_pages[i];
		tg[i] = 1000 + i;
	}
	memset(&stats, 0, sizeof(stats));
	netfront_tx_init(&tx, &txs.s, tp, tg, &stats);
	txq_init(&q, &ops, &q);
	link_down = hold_fails = 0;
	refuse_seq = -1;
	be_cons = 0;
	next_seen = 0;
	return 0;
}

/* Every frame held was let go. */
static int teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < NFRAMES; i++)
		assert_int_equal(frames[i].refs, 0);
	return 0;
}

/* --- the backend: takes up to n requests, in ring order, and answers ------ */

/* Answer one slot, as netback does (any order would do: in order here). */
static void answer(void)
{
	netif_tx_request_t req = (txs.s.ring + be_cons % N)->req;

	(txs.s.ring + be_cons % N)->rsp.id = req.id;
	(txs.s.ring + be_cons % N)->rsp.status = NETIF_RSP_OKAY;
	be_cons++;
}

/* Frames must arrive whole (a more_data chain within what req_prod
 * published) and in sequence; skip marks a sequence number that was
 * dropped on purpose. Returns the frames taken. */
static int backend_take(int n, int skip)
{
	int taken = 0;

	while (taken < n && be_cons != txs.s.req_prod) {
		netif_tx_request_t req = (txs.s.ring + be_cons % N)->req;
		uint32_t seq;

		memcpy(&seq, tx_pages[req.id], sizeof(seq));
		if ((int)next_seen == skip)
			next_seen++;
		assert_int_equal(seq, next_seen);
		next_seen++;
		answer();
		while (req.flags & NETTXF_more_data) {
			assert_true(be_cons != txs.s.req_prod);
			req = (txs.s.ring + be_cons % N)->req;
			answer();
		}
		taken++;
	}
	txs.s.rsp_prod = be_cons;
	return taken;
}

/* --- tests ------------------------------------------------------------------ */

static void test_room_sends_at_once(void **state)
{
	(void)state;
	assert_int_equal(txq_output(&q, frame(0, 60), 0), 0);
	assert_int_equal(q.count, 0);
	assert_int_equal(frames[0].refs, 0); /* nothing kept */
	assert_int_equal(backend_take(10, -1), 1);
}

/* Fill the ring with seq 0..N-1; every later frame must wait. */
static void fill_ring(void)
{
	uint32_t s;

	for (s = 0; s < N; s++)
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	assert_int_equal(q.count, 0);
}

static void test_full_ring_queues_then_drains_in_order(void **state)
{
	uint32_t s;

	(void)state;
	fill_ring();
	for (s = N; s < N + 100; s++)
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	assert_int_equal(q.count, 100);
	assert_int_equal(q.peak, 100);
	assert_int_equal(frames[N].refs, 1); /* kept while it waits */
	/* Netback frees 30 slots: 30 go out, the oldest first. */
	assert_int_equal(backend_take(30, -1), 30);
	assert_int_equal(txq_drain(&q), 30);
	assert_int_equal(q.count, 70);
	assert_int_equal(frames[N].refs, 0);
	/* Then the rest. */
	assert_int_equal(backend_take(N, -1), N);
	assert_int_equal(txq_drain(&q), 70);
	assert_int_equal(q.count, 0);
	assert_int_equal(backend_take(N, -1), 70);
	assert_int_equal(next_seen, N + 100);
	assert_int_equal(q.overflow + q.unsent, 0);
}

/* A slot that frees while frames wait goes to the oldest waiting, not
 * to the newest frame: no reordering. */
static void test_later_frame_waits_behind_backlog(void **state)
{
	(void)state;
	fill_ring();
	assert_int_equal(txq_output(&q, frame(N, 60), 0), 0);
	assert_int_equal(txq_output(&q, frame(N + 1, 60), 0), 0);
	assert_int_equal(backend_take(1, -1), 1); /* one slot, no drain yet */
	assert_int_equal(txq_output(&q, frame(N + 2, 60), 0), 0);
	assert_int_equal(q.count, 2); /* N went out; N+1 and N+2 wait */
	assert_int_equal(backend_take(N, -1), N);
	assert_int_equal(txq_drain(&q), 2);
	assert_int_equal(backend_take(N, -1), 2);
	assert_int_equal(next_seen, N + 3);
}

static void test_backlog_bounded_overflow_counted(void **state)
{
	uint32_t s;

	(void)state;
	fill_ring();
	for (s = N; s < N + TXQ_MAX; s++)
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	assert_int_equal(txq_output(&q, frame(N + TXQ_MAX, 60), 0),
			 -XEN_ENOBUFS);
	assert_int_equal(q.overflow, 1);
	assert_int_equal(frames[N + TXQ_MAX].refs, 0); /* not kept */
	assert_int_equal(q.peak, TXQ_MAX);
	/* The backend takes everything; the backlog empties in order,
	 * without the one dropped. */
	while (q.count > 0) {
		assert_true(backend_take(N, N + TXQ_MAX) > 0);
		assert_true(txq_drain(&q) > 0);
	}
	backend_take(N, N + TXQ_MAX);
	assert_int_equal(next_seen, N + TXQ_MAX);
}

static void test_dead_link_empties_backlog(void **state)
{
	uint32_t s;

	(void)state;
	fill_ring();
	for (s = N; s < N + 50; s++)
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	link_down = 1;
	assert_int_equal(backend_take(N, -1), N);
	assert_int_equal(txq_drain(&q), -XEN_ENOTCONN);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.unsent, 50);
	/* Later frames fail at once, none waits. */
	assert_int_equal(txq_output(&q, frame(N + 50, 60), 0), -XEN_ENOTCONN);
	assert_int_equal(q.count, 0);
}

static void test_dead_link_seen_by_output(void **state)
{
	(void)state;
	fill_ring();
	assert_int_equal(txq_output(&q, frame(N, 60), 0), 0);
	link_down = 1;
	assert_int_equal(txq_output(&q, frame(N + 1, 60), 0), -XEN_ENOTCONN);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.unsent, 1);
}

static void test_flush_lets_every_frame_go(void **state)
{
	uint32_t s;

	(void)state;
	fill_ring();
	for (s = N; s < N + 20; s++)
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	assert_int_equal(txq_flush(&q), 20);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.unsent, 20);
	assert_int_equal(backend_take(N, -1), N);
	assert_int_equal(txq_drain(&q), 0);
}

static void test_no_memory_to_keep(void **state)
{
	(void)state;
	fill_ring();
	hold_fails = 1;
	assert_int_equal(txq_output(&q, frame(N, 60), 0), -XEN_ENOMEM);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.unsent, 1);
	hold_fails = 0;
	backend_take(N, -1);
}

/* A waiting frame the ring refuses for itself (a bad length) is let
 * go alone; the frames behind it still go. */
static void test_refused_frame_alone_dropped(void **state)
{
	(void)state;
	fill_ring();
	assert_int_equal(txq_output(&q, frame(N, 60), 0), 0);
	assert_int_equal(txq_output(&q, frame(N + 1, 60), 0), 0);
	assert_int_equal(txq_output(&q, frame(N + 2, 60), 0), 0);
	refuse_seq = N + 1;
	assert_int_equal(backend_take(N, -1), N);
	assert_int_equal(txq_drain(&q), 2);
	assert_int_equal(q.unsent, 1);
	assert_int_equal(backend_take(N, N + 1), 2);
	assert_int_equal(next_seen, N + 3);
}

/* A frame of several slots waits until enough slots are free, and the
 * small frame behind it waits too, though one slot would take it. */
static void test_multi_slot_frame_waits_for_its_slots(void **state)
{
	uint32_t s;

	(void)state;
	for (s = 0; s < N - 2; s++) /* 254 slots used, 2 free */
		assert_int_equal(txq_output(&q, frame(s, 60), 0), 0);
	assert_int_equal(txq_output(&q, frame(N - 2, 9000), 0), 0);
	assert_int_equal(txq_output(&q, frame(N - 1, 60), 0), 0);
	assert_int_equal(q.count, 2);
	assert_int_equal(backend_take(1, -1), 1); /* 3 slots free */
	assert_int_equal(txq_drain(&q), 1);	  /* the big one, whole */
	assert_int_equal(q.count, 1);
	assert_int_equal(backend_take(N, -1), N - 2);
	assert_int_equal(txq_drain(&q), 1);
	assert_int_equal(backend_take(N, -1), 1);
	assert_int_equal(next_seen, N);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_room_sends_at_once, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_full_ring_queues_then_drains_in_order, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_later_frame_waits_behind_backlog, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_backlog_bounded_overflow_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_link_empties_backlog,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dead_link_seen_by_output,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_lets_every_frame_go,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_memory_to_keep, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_refused_frame_alone_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_multi_slot_frame_waits_for_its_slots, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
