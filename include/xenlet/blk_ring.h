/*
 * blk_ring.h - the frontend's half of a blkif ring, and the checks on
 * what the backend puts there (blk/ring.c).
 *
 * A blkif ring is one shared page (<xen/io/ring.h>, <xen/io/blkif.h>):
 * we write requests at req_prod, the backend writes responses at
 * rsp_prod, each echoing its request's `id`. Both producer indexes are
 * free-running 32-bit counters; slot = index & (size - 1).
 *
 * Every request in flight has a shadow: our private copy of what we
 * asked for, found by the id (= the shadow's index). The backend owns
 * the page as much as we do, so nothing is ever read back from it but
 * rsp_prod and responses, and each response is copied out before it is
 * looked at. A response is accepted only if
 *   - rsp_prod has not moved past the requests we pushed,
 *   - its id names a shadow that is waiting for an answer (a bad id, a
 *     second answer, an answer to nothing are refused),
 *   - its operation is the one we asked for.
 * Any other response is a broken backend: the ring stops (the caller
 * disables the device) and `error` says why in one line.
 *
 * This file needs no hypervisor: tests/unit builds it on the host.
 */
#ifndef XENLET_BLK_RING_H
#define XENLET_BLK_RING_H

#include <stdint.h>
#include <xenlet/arch.h>
/* <xen/io/ring.h>'s macros order their accesses with these. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#include <xen/grant_table.h>
#include <xen/io/blkif.h>

/*
 * A ring of 2^order pages (blkback offers max-ring-page-order, 4 in
 * Linux 6.1): 32 slots of 112-byte requests a page, 512 at order 4.
 */
#define BLK_RING_MAX_ORDER    4
#define BLK_RING_SLOTS(order) __CONST_RING_SIZE(blkif, 4096UL << (order))
#define BLK_RING_MAX_SLOTS    BLK_RING_SLOTS(BLK_RING_MAX_ORDER)
#define BLK_NO_ID	      0xffffU

/*
 * An indirect request's segments are in pages of their own; we use
 * one: 512 descriptors of 8 bytes, 2 MiB of data (blkback offers 256).
 */
#define BLK_SEGS_PER_INDIRECT_PAGE (4096 / sizeof(struct blkif_request_segment))
#define BLK_MAX_SEGS		   BLK_SEGS_PER_INDIRECT_PAGE

enum blk_shadow_state {
	BLK_SHADOW_FREE,
	BLK_SHADOW_WAITING, /* pushed, no answer yet */
};

/* One 4 KiB frame of a request, as we granted it (blkif_request_segment)
 * and what blkfront copies through it. */
struct blk_seg {
	grant_ref_t gref;
	uint8_t first_sect, last_sect; /* 512-byte sectors, inclusive */
	void *bounce;		       /* our page standing in for ... */
	void *user;		       /* ... these caller's bytes */
};

struct blk_shadow {
	struct blkif_request req; /* as issued: a direct request, or an
				     indirect one (blkif_request_indirect) */
	enum blk_shadow_state state;
	uint16_t next_free;
	/* owned by blkfront: the API request, the data segments (in
	 * req.seg too for a direct request, in the indirect page else) */
	void *owner;
	uint16_t nr_segs;
	struct blk_seg *seg; /* inline_seg, or allocated for indirect */
	struct blk_seg inline_seg[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	void *indirect;	   /* the indirect page, NULL for a direct request */
	uint64_t deadline; /* system time its answer is due */
};

struct blk_ring {
	blkif_front_ring_t front;
	struct blk_shadow *shadow; /* size of them */
	unsigned int size;	   /* slots: BLK_RING_SLOTS(order) */
	uint16_t free_head;
	unsigned int in_flight;
	char error[96]; /* why the ring stopped, "" while it is fine */
};

/* An answered request, handed to the completion callback. */
typedef void (*blk_ring_done_fn)(struct blk_ring *r, struct blk_shadow *s,
				 int status, void *arg);

/*
 * Start a ring on sring, 2^order zeroed pages (SHARED_RING_INIT), with
 * shadow[BLK_RING_SLOTS(order)] for its requests.
 */
void blk_ring_init(struct blk_ring *r, blkif_sring_t *sring, unsigned int order,
		   struct blk_shadow *shadow);

/* A free shadow for a new request, or NULL if the ring is full. */
struct blk_shadow *blk_ring_get(struct blk_ring *r);

/* Give back a shadow from blk_ring_get that was never pushed. */
void blk_ring_put(struct blk_ring *r, struct blk_shadow *s);

/*
 * Copy s->req (its id is set here) into the next request slot. The
 * backend sees it at the next blk_ring_push_notify.
 */
void blk_ring_queue(struct blk_ring *r, struct blk_shadow *s);

/* Publish queued requests; 1 if the backend wants an event. */
int blk_ring_push_notify(struct blk_ring *r);

/*
 * Take every response the backend has posted: for each good one call
 * done (which must not queue requests) and free its shadow. The
 * status given is 0, -XEN_EIO (BLKIF_RSP_ERROR or an unknown status)
 * or -XEN_EOPNOTSUPP. Returns 0, or -XEN_EPROTO at the first broken
 * response (r->error says what), after which the ring is dead: later
 * calls return -XEN_EPROTO at once.
 */
int blk_ring_poll(struct blk_ring *r, blk_ring_done_fn done, void *arg);

/*
 * Is a request on the ring past its deadline at time now (1), or not
 * (0, and *next is the earliest deadline still to come, or left as it
 * was if there is none later)? Shadow deadlines are set by blkfront.
 */
int blk_ring_overdue(const struct blk_ring *r, uint64_t now, uint64_t *next);

/* Has the ring stopped for a protocol violation? */
int blk_ring_broken(const struct blk_ring *r);

/*
 * blk/discard.c: the whole granules of gran bytes (from align) inside
 * [off, off + len), as *start and *n bytes (*n = 0: none). A gran of
 * 0 leaves the range as it is.
 */
void blk_discard_trim(uint64_t off, uint64_t len, uint64_t gran, uint64_t align,
		      uint64_t *start, uint64_t *n);

#endif
