/*
 * ring.c - the frontend's half of a blkif ring: shadows, ids, and the
 * checks on every response (see include/xenlet/blk_ring.h).
 *
 * Which index is whose (<xen/io/ring.h>): req_prod and rsp_event are
 * ours to write, rsp_prod and req_event the backend's. We keep our own
 * copies of req_prod (front.req_prod_pvt) and of how far we have read
 * (front.rsp_cons); the page's values are read, never trusted.
 */
#include <xen/errno.h>
#include <xenlet/blk_ring.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>

void blk_ring_init(struct blk_ring *r, blkif_sring_t *sring, unsigned int order,
		   struct blk_shadow *shadow)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->size = BLK_RING_SLOTS(order);
	r->shadow = shadow;
	memset(shadow, 0, r->size * sizeof(*shadow));
	SHARED_RING_INIT(sring);
	/* <xen/io/ring.h> sizes the ring from the bytes given: the
	 * largest power of two of slots that fits all the pages. */
	FRONT_RING_INIT(&r->front, sring, 4096UL << order);
	for (i = 0; i < r->size; i++)
		shadow[i].next_free =
			i + 1 < r->size ? (uint16_t)(i + 1) : BLK_NO_ID;
	r->free_head = 0;
}

struct blk_shadow *blk_ring_get(struct blk_ring *r)
{
	struct blk_shadow *s;

	if (r->free_head == BLK_NO_ID || r->error[0] != '\0')
		return NULL;
	s = &r->shadow[r->free_head];
	r->free_head = s->next_free;
	s->next_free = BLK_NO_ID;
	memset(&s->req, 0, sizeof(s->req));
	s->owner = NULL;
	s->nr_segs = 0;
	s->seg = s->inline_seg;
	s->indirect = NULL;
	return s;
}

void blk_ring_put(struct blk_ring *r, struct blk_shadow *s)
{
	if (s->state == BLK_SHADOW_WAITING)
		r->in_flight--;
	s->state = BLK_SHADOW_FREE;
	s->next_free = r->free_head;
	r->free_head = (uint16_t)(s - r->shadow);
}

void blk_ring_queue(struct blk_ring *r, struct blk_shadow *s)
{
	struct blkif_request *slot;

	s->req.id = (uint64_t)(s - r->shadow);
	s->state = BLK_SHADOW_WAITING;
	r->in_flight++;
	/* Built privately, copied whole: the backend may scribble on the
	 * slot at any time, so we never read it back. */
	slot = RING_GET_REQUEST(&r->front, r->front.req_prod_pvt);
	memcpy(slot, &s->req, sizeof(*slot));
	r->front.req_prod_pvt++;
}

int blk_ring_push_notify(struct blk_ring *r)
{
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&r->front, notify);
	return notify;
}

int blk_ring_overdue(const struct blk_ring *r, uint64_t now, uint64_t *next)
{
	unsigned int i;

	for (i = 0; i < r->size; i++) {
		const struct blk_shadow *s = &r->shadow[i];

		if (s->state != BLK_SHADOW_WAITING)
			continue;
		if (s->deadline <= now)
			return 1;
		if (s->deadline < *next)
			*next = s->deadline;
	}
	return 0;
}

int blk_ring_broken(const struct blk_ring *r)
{
	return r->error[0] != '\0';
}

static int broken(struct blk_ring *r, const char *fmt, unsigned long a,
		  unsigned long b)
{
	snprintk(r->error, sizeof(r->error), fmt, a, b);
	return -XEN_EBADMSG;
}

static int status_errno(int16_t status)
{
	if (status == BLKIF_RSP_OKAY)
		return 0;
	if (status == BLKIF_RSP_EOPNOTSUPP)
		return -XEN_EOPNOTSUPP;
	return -XEN_EIO; /* BLKIF_RSP_ERROR, and any value blkif.h lacks */
}

/*
 * The operation a response must echo: the request's own, or for an
 * indirect request the operation it carries (blkback answers with
 * indirect_op, not BLKIF_OP_INDIRECT).
 */
static uint8_t issued_op(const struct blk_shadow *s)
{
	if (s->req.operation == BLKIF_OP_INDIRECT)
		return ((const struct blkif_request_indirect *)&s->req)
			->indirect_op;
	return s->req.operation;
}

/* Check one response copied out of the ring; 0 if it may be used. */
static int check_response(struct blk_ring *r, const struct blkif_response *rsp)
{
	struct blk_shadow *s;

	/* ids are shadow indexes: below this ring's size, whatever
	 * size the largest ring would have. */
	if (rsp->id >= r->size)
		return broken(r, "response with bad id %lu (ring of %lu)",
			      (unsigned long)rsp->id, r->size);
	s = &r->shadow[rsp->id];
	if (s->state != BLK_SHADOW_WAITING)
		return broken(r, "response to id %lu, which awaits none (%lu)",
			      (unsigned long)rsp->id, s->state);
	if (rsp->operation != issued_op(s))
		return broken(r, "response operation %lu to a request of %lu",
			      rsp->operation, issued_op(s));
	return 0;
}

int blk_ring_poll(struct blk_ring *r, blk_ring_done_fn done, void *arg)
{
	RING_IDX prod, cons;
	struct blkif_response rsp;

	if (r->error[0] != '\0')
		return -XEN_EBADMSG;
	do {
		prod = *(volatile RING_IDX *)&r->front.sring->rsp_prod;
		rmb(); /* the responses before the index that covers them */
		cons = r->front.rsp_cons;
		/* The backend answers only what we pushed: a producer
		 * beyond our requests is a lie (and would have us read
		 * slots again, as answers to requests not made). */
		if (prod - cons > r->front.req_prod_pvt - cons)
			return broken(r, "response producer %lu beyond %lu",
				      prod, r->front.req_prod_pvt);
		for (; cons != prod; cons++) {
			struct blk_shadow *s;

			RING_COPY_RESPONSE(&r->front, cons, &rsp);
			if (check_response(r, &rsp) < 0)
				return -XEN_EBADMSG;
			r->front.rsp_cons = cons + 1;
			s = &r->shadow[rsp.id];
			done(r, s, status_errno(rsp.status), arg);
			blk_ring_put(r, s);
		}
		/* Ask for an event at the next response, then look once
		 * more: one may have come before rsp_event was set. */
		r->front.sring->rsp_event = cons + 1;
		mb();
	} while (*(volatile RING_IDX *)&r->front.sring->rsp_prod != cons);
	return 0;
}
