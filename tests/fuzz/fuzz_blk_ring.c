/*
 * fuzz_blk_ring.c - a backend that writes anything into the blkif ring
 * (blk/ring.c): whatever responses and producer index it posts, the
 * frontend never reads outside the ring or its shadows, answers only
 * requests it made, each once, and once it calls the ring broken it
 * stays so.
 *
 * Input: a ring order (byte: 1 to 16 pages, as ring-page-order), then
 * rounds of { n requests to issue (byte), their operations (an
 * operation of 6 is an indirect request, its indirect_op the next
 * byte), a producer step (byte), that many responses (id as two
 * bytes, op, status) }.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xenlet/blk_ring.h>

static union {
	blkif_sring_t s;
	char page[4096 << BLK_RING_MAX_ORDER];
} sring __attribute__((aligned(4096)));
static struct blk_ring ring;
static struct blk_shadow *shadow; /* exactly the ring's slots: ASan
				     sees an id past this ring's size */
static unsigned long answered, issued;

static void done(struct blk_ring *r, struct blk_shadow *s, int status,
		 void *arg)
{
	(void)arg;
	if (s < r->shadow || s >= r->shadow + r->size ||
	    s->state != BLK_SHADOW_WAITING)
		abort(); /* an answer to a request not made, or twice */
	if (status != 0 && status != -XEN_EIO && status != -XEN_EOPNOTSUPP)
		abort();
	answered++;
}

static union blkif_sring_entry *entry(RING_IDX i)
{
	union blkif_sring_entry *e = (void *)sring.s.ring;

	return &e[i & (ring.size - 1)];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t p = 0;
	unsigned int order;
	int broken = 0;

	if (size < 1)
		return 0;
	order = data[p++] % (BLK_RING_MAX_ORDER + 1);
	shadow = malloc(BLK_RING_SLOTS(order) * sizeof(*shadow));
	if (shadow == NULL)
		abort();
	memset(&sring, 0, sizeof(sring));
	blk_ring_init(&ring, &sring.s, order, shadow);
	answered = issued = 0;
	while (p + 2 <= size) {
		unsigned int n = data[p++] % 64, k, step;

		for (k = 0; k < n && p < size; k++) {
			struct blk_shadow *s = blk_ring_get(&ring);

			if (s == NULL)
				break;
			s->req.operation = data[p++] % 7;
			if (s->req.operation == BLKIF_OP_INDIRECT && p < size) {
				struct blkif_request_indirect *ind =
					(void *)&s->req;

				ind->indirect_op = data[p++] % 2;
				ind->nr_segments = 256;
			}
			blk_ring_queue(&ring, s);
			issued++;
		}
		blk_ring_push_notify(&ring);
		if (p >= size)
			break;
		step = data[p++];
		for (k = 0; k < step % 72 && p + 4 <= size; k++, p += 4) {
			struct blkif_response *rsp =
				&entry(sring.s.rsp_prod + k)->rsp;
			unsigned int id = data[p] | (unsigned int)data[p + 1]
							    << 8;

			/* Mostly ids near the ring's size, some huge. */
			rsp->id =
				id < 0xf000 ? id % (ring.size + 8) : ~0ULL - id;
			rsp->operation = data[p + 2] % 8;
			rsp->status = (int8_t)data[p + 3];
		}
		/* Sometimes a producer that lies outright. */
		sring.s.rsp_prod += step < 250 ? step % 72 : 0x80000000U;
		if (blk_ring_poll(&ring, done, NULL) < 0)
			broken = 1;
		if (broken != blk_ring_broken(&ring) || answered > issued ||
		    ring.in_flight != issued - answered)
			abort();
		if (broken)
			break;
	}
	if (broken && (blk_ring_poll(&ring, done, NULL) != -XEN_EBADMSG ||
		       blk_ring_get(&ring) != NULL))
		abort();
	free(shadow);
	return 0;
}
