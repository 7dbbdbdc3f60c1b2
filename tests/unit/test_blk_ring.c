/*
 * test_blk_ring.c - the blkif ring's shadows and the checks on each
 * response (blk/ring.c), against rings crafted as a broken backend
 * would fill them: bad ids, duplicate and unsolicited answers, wrong
 * operations, a response producer that jumps past the requests; on
 * rings of one page and of several (ring-page-order), with direct and
 * indirect requests.
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
#include <xenlet/blk_ring.h>

/* Room for a ring of order 4: 16 pages, 512 slots. */
static union {
	blkif_sring_t s;
	char page[4096 << BLK_RING_MAX_ORDER];
} sring __attribute__((aligned(4096)));
static struct blk_ring ring;
static struct blk_shadow shadow[BLK_RING_MAX_SLOTS];

/* A slot of the shared page, through a pointer: the page is bigger
 * than blkif_sring_t's one-entry ring[] says. */
static union blkif_sring_entry *entry(RING_IDX i)
{
	union blkif_sring_entry *e = (void *)sring.s.ring;

	return &e[i & (ring.size - 1)];
}

/* What the completion callback saw, in order. */
static struct {
	unsigned int n;
	unsigned int id[64];
	int status[64];
} seen;

static void record(struct blk_ring *r, struct blk_shadow *s, int status,
		   void *arg)
{
	(void)arg;
	assert_true(seen.n < 64);
	seen.id[seen.n] = (unsigned int)(s - r->shadow);
	seen.status[seen.n] = status;
	seen.n++;
}

static void setup_order(unsigned int order)
{
	memset(&sring, 0xa5, sizeof(sring)); /* the init must clear it */
	memset(shadow, 0xa5, sizeof(shadow));
	blk_ring_init(&ring, &sring.s, order, shadow);
	memset(&seen, 0, sizeof(seen));
}

static int setup(void **state)
{
	(void)state;
	setup_order(0);
	return 0;
}

/* A ring of 4 pages (ring-page-order 2): 128 slots. */
static int setup_order2(void **state)
{
	(void)state;
	setup_order(2);
	return 0;
}

static int setup_order4(void **state)
{
	(void)state;
	setup_order(4);
	return 0;
}

/* Queue and push a request of operation op; returns its id. */
static unsigned int issue(uint8_t op)
{
	struct blk_shadow *s = blk_ring_get(&ring);

	assert_non_null(s);
	s->req.operation = op;
	s->req.nr_segments = op == BLKIF_OP_FLUSH_DISKCACHE ? 0 : 1;
	s->req.sector_number = 8;
	blk_ring_queue(&ring, s);
	blk_ring_push_notify(&ring);
	return (unsigned int)(s - ring.shadow);
}

/* Play the backend: post a response at rsp_prod and publish it. */
static void answer(uint64_t id, uint8_t op, int16_t status)
{
	RING_IDX p = sring.s.rsp_prod;
	struct blkif_response *rsp = &entry(p)->rsp;

	rsp->id = id;
	rsp->operation = op;
	rsp->status = status;
	sring.s.rsp_prod = p + 1;
}

static int poll_ring(void)
{
	return blk_ring_poll(&ring, record, NULL);
}

static void test_init_clears_page(void **state)
{
	(void)state;
	assert_int_equal(sring.s.req_prod, 0);
	assert_int_equal(sring.s.rsp_prod, 0);
	assert_int_equal(sring.s.rsp_event, 1);
	assert_int_equal(ring.size, 32);
	assert_false(blk_ring_broken(&ring));
}

static void test_requests_copied_with_id(void **state)
{
	unsigned int a, b;
	blkif_request_t *slot;

	(void)state;
	a = issue(BLKIF_OP_READ);
	b = issue(BLKIF_OP_WRITE);
	assert_int_not_equal(a, b);
	assert_int_equal(sring.s.req_prod, 2);
	slot = &entry(1)->req;
	assert_int_equal(slot->id, b);
	assert_int_equal(slot->operation, BLKIF_OP_WRITE);
	assert_int_equal(slot->sector_number, 8);
	assert_int_equal(ring.in_flight, 2);
}

static void test_out_of_order_matched_by_id(void **state)
{
	unsigned int id[3], i;

	(void)state;
	for (i = 0; i < 3; i++)
		id[i] = issue(i == 1 ? BLKIF_OP_WRITE : BLKIF_OP_READ);
	answer(id[2], BLKIF_OP_READ, BLKIF_RSP_OKAY);
	answer(id[0], BLKIF_OP_READ, BLKIF_RSP_ERROR);
	answer(id[1], BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.id[0], id[2]);
	assert_int_equal(seen.status[0], 0);
	assert_int_equal(seen.id[1], id[0]);
	assert_int_equal(seen.status[1], -XEN_EIO);
	assert_int_equal(seen.id[2], id[1]);
	assert_int_equal(ring.in_flight, 0);
	assert_int_equal(ring.front.rsp_cons, 3);
	/* An event is asked for at the next response. */
	assert_int_equal(sring.s.rsp_event, 4);
}

static void test_statuses(void **state)
{
	unsigned int a, b;

	(void)state;
	a = issue(BLKIF_OP_FLUSH_DISKCACHE);
	b = issue(BLKIF_OP_READ);
	answer(a, BLKIF_OP_FLUSH_DISKCACHE, BLKIF_RSP_EOPNOTSUPP);
	answer(b, BLKIF_OP_READ, 7); /* not a status blkif.h knows */
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.status[0], -XEN_EOPNOTSUPP);
	assert_int_equal(seen.status[1], -XEN_EIO);
}

static void test_full_ring_then_reuse(void **state)
{
	unsigned int i, first = 0;

	(void)state;
	for (i = 0; i < ring.size; i++) {
		unsigned int id = issue(BLKIF_OP_READ);

		if (i == 0)
			first = id;
	}
	assert_null(blk_ring_get(&ring));
	answer(first, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(issue(BLKIF_OP_WRITE), first);
	assert_int_equal(ring.in_flight, ring.size);
}

/* A broken ring stays broken, calls back nothing more, gives no shadow. */
static void assert_dead(const char *why)
{
	unsigned int n = seen.n;

	assert_true(blk_ring_broken(&ring));
	assert_non_null(strstr(ring.error, why));
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(seen.n, n);
	assert_null(blk_ring_get(&ring));
}

static void test_bad_id(void **state)
{
	(void)state;
	issue(BLKIF_OP_READ);
	answer(ring.size, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(seen.n, 0);
	assert_dead("bad id 32");
}

static void test_huge_id(void **state)
{
	(void)state;
	issue(BLKIF_OP_READ);
	/* Truncated to 16 or 32 bits it would be id 0, the request made. */
	answer(1ULL << 32, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_dead("bad id");
}

static void test_duplicate(void **state)
{
	unsigned int a;

	(void)state;
	a = issue(BLKIF_OP_READ);
	issue(BLKIF_OP_READ);
	answer(a, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	answer(a, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(seen.n, 1); /* the first answer counted */
	assert_dead("awaits none");
}

static void test_unsolicited(void **state)
{
	unsigned int a;

	(void)state;
	a = issue(BLKIF_OP_READ);
	issue(BLKIF_OP_READ);
	answer(a + 5, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_dead("awaits none");
}

static void test_wrong_operation(void **state)
{
	unsigned int a;

	(void)state;
	a = issue(BLKIF_OP_READ);
	answer(a, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(ring.in_flight, 1);
	assert_dead("operation 1 to a request of 0");
}

static void test_indirect_echoes_its_op(void **state)
{
	struct blk_shadow *s;
	unsigned int id;

	(void)state;
	s = blk_ring_get(&ring);
	((struct blkif_request_indirect *)&s->req)->operation =
		BLKIF_OP_INDIRECT;
	((struct blkif_request_indirect *)&s->req)->indirect_op =
		BLKIF_OP_WRITE;
	blk_ring_queue(&ring, s);
	blk_ring_push_notify(&ring);
	id = (unsigned int)(s - ring.shadow);
	answer(id, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.n, 1);
}

static void test_producer_jump(void **state)
{
	unsigned int a;

	(void)state;
	a = issue(BLKIF_OP_READ);
	issue(BLKIF_OP_READ);
	answer(a, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	/* Three responses claimed for two requests. */
	sring.s.rsp_prod += 2;
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(seen.n, 0); /* nothing taken from a lying ring */
	assert_dead("producer 3 beyond 2");
}

static void test_producer_backwards(void **state)
{
	unsigned int a;

	(void)state;
	a = issue(BLKIF_OP_READ);
	answer(a, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	/* Moving back is a jump of nearly 2^32 forward. */
	sring.s.rsp_prod = 0;
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_dead("beyond");
}

static void test_producer_wraps(void **state)
{
	unsigned int i;

	(void)state;
	/* Indexes are free-running: start just below 2^32. */
	ring.front.req_prod_pvt = ring.front.rsp_cons = 0xfffffffeU;
	sring.s.req_prod = sring.s.rsp_prod = 0xfffffffeU;
	for (i = 0; i < 4; i++)
		issue(BLKIF_OP_READ);
	for (i = 0; i < 4; i++)
		answer(i, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(sring.s.rsp_prod, 2);
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.n, 4);
	assert_false(blk_ring_broken(&ring));
}

/* An indirect request is answered with the operation it carries:
 * an answer naming BLKIF_OP_INDIRECT itself is not blkback's. */
static void test_indirect_answered_as_indirect(void **state)
{
	struct blkif_request_indirect *ind;
	struct blk_shadow *s;

	(void)state;
	s = blk_ring_get(&ring);
	ind = (struct blkif_request_indirect *)&s->req;
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = BLKIF_OP_READ;
	ind->nr_segments = 256;
	blk_ring_queue(&ring, s);
	blk_ring_push_notify(&ring);
	answer((uint64_t)(s - ring.shadow), BLKIF_OP_INDIRECT, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_dead("operation 6 to a request of 0");
}

/* Four pages, 128 slots: every id up to 127 is a request of ours,
 * answered as any other; 128 is past the ring. */
static void test_multipage_ids(void **state)
{
	unsigned int i, last = 0;

	(void)state;
	assert_int_equal(ring.size, 128);
	for (i = 0; i < 128; i++)
		last = issue(BLKIF_OP_READ);
	assert_null(blk_ring_get(&ring));
	assert_int_equal(last, 127);
	answer(127, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	answer(40, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(seen.id[0], 127);
	answer(128, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_dead("bad id 128 (ring of 128)");
}

/* Requests land in slot index & 511 of the 16 pages, not & 31: the
 * 40th is in slot 39, on the second page. */
static void test_multipage_slots(void **state)
{
	union blkif_sring_entry *e = (void *)sring.s.ring;
	unsigned int i, id = 0;

	(void)state;
	assert_int_equal(ring.size, 512);
	assert_int_equal(ring.front.nr_ents, 512);
	for (i = 0; i < 40; i++)
		id = issue(i == 39 ? BLKIF_OP_WRITE : BLKIF_OP_READ);
	assert_int_equal(e[39].req.id, id);
	assert_int_equal(e[39].req.operation, BLKIF_OP_WRITE);
	assert_int_equal(e[7].req.operation, BLKIF_OP_READ);
	/* Answers are read from the slots they were written to. */
	e[39].rsp.id = id;
	e[39].rsp.operation = BLKIF_OP_WRITE;
	e[39].rsp.status = BLKIF_RSP_OKAY;
	for (i = 0; i < 39; i++) {
		e[i].rsp.id = i;
		e[i].rsp.operation = BLKIF_OP_READ;
		e[i].rsp.status = BLKIF_RSP_OKAY;
	}
	sring.s.rsp_prod = 40;
	assert_int_equal(poll_ring(), 0);
	assert_int_equal(seen.n, 40);
	assert_int_equal(seen.id[39], id);
	assert_int_equal(ring.in_flight, 0);
}

/* A producer past what we pushed, on a ring far larger than the
 * requests made. */
static void test_multipage_producer_jump(void **state)
{
	(void)state;
	issue(BLKIF_OP_READ);
	answer(0, BLKIF_OP_READ, BLKIF_RSP_OKAY);
	sring.s.rsp_prod += 100; /* inside 512 slots, beyond 1 request */
	assert_int_equal(poll_ring(), -XEN_EBADMSG);
	assert_int_equal(seen.n, 0);
	assert_dead("producer 101 beyond 1");
}

/* The watchdog's question: a request unanswered past its deadline is
 * found whichever slot it is in, an answered one never is. */
static void test_overdue(void **state)
{
	uint64_t next = 1000;
	unsigned int a, b;

	(void)state;
	assert_int_equal(blk_ring_overdue(&ring, 500, &next), 0);
	assert_int_equal(next, 1000); /* nothing on the ring */
	a = issue(BLKIF_OP_READ);
	b = issue(BLKIF_OP_WRITE);
	ring.shadow[a].deadline = 300;
	ring.shadow[b].deadline = 200;
	assert_int_equal(blk_ring_overdue(&ring, 100, &next), 0);
	assert_int_equal(next, 200);
	assert_int_equal(blk_ring_overdue(&ring, 200, &next), 1);
	answer(b, BLKIF_OP_WRITE, BLKIF_RSP_OKAY);
	assert_int_equal(poll_ring(), 0);
	next = 1000;
	assert_int_equal(blk_ring_overdue(&ring, 250, &next), 0);
	assert_int_equal(next, 300);
	assert_int_equal(blk_ring_overdue(&ring, 301, &next), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_clears_page, setup),
		cmocka_unit_test_setup(test_requests_copied_with_id, setup),
		cmocka_unit_test_setup(test_out_of_order_matched_by_id, setup),
		cmocka_unit_test_setup(test_statuses, setup),
		cmocka_unit_test_setup(test_full_ring_then_reuse, setup),
		cmocka_unit_test_setup(test_bad_id, setup),
		cmocka_unit_test_setup(test_huge_id, setup),
		cmocka_unit_test_setup(test_duplicate, setup),
		cmocka_unit_test_setup(test_unsolicited, setup),
		cmocka_unit_test_setup(test_wrong_operation, setup),
		cmocka_unit_test_setup(test_indirect_echoes_its_op, setup),
		cmocka_unit_test_setup(test_producer_jump, setup),
		cmocka_unit_test_setup(test_producer_backwards, setup),
		cmocka_unit_test_setup(test_producer_wraps, setup),
		cmocka_unit_test_setup(test_indirect_answered_as_indirect,
				       setup),
		cmocka_unit_test_setup(test_multipage_ids, setup_order2),
		cmocka_unit_test_setup(test_overdue, setup_order2),
		cmocka_unit_test_setup(test_multipage_slots, setup_order4),
		cmocka_unit_test_setup(test_multipage_producer_jump,
				       setup_order4),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
