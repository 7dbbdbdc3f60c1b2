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

/* One page of ring: 32 slots of 112-byte requests (order 0). */
#define BLK_RING_SLOTS __CONST_RING_SIZE(blkif, 4096)
#define BLK_NO_ID      0xffffU

enum blk_shadow_state {
	BLK_SHADOW_FREE,
	BLK_SHADOW_WAITING, /* pushed, no answer yet */
};

struct blk_shadow {
	struct blkif_request req; /* as issued: op, segments, grants */
	enum blk_shadow_state state;
	uint16_t next_free;
	/* owned by blkfront: the API request and bounce pages */
	void *owner;
	void *bounce[BLKIF_MAX_SEGMENTS_PER_REQUEST];
	void *user[BLKIF_MAX_SEGMENTS_PER_REQUEST]; /* copy-back targets */
};

struct blk_ring {
	blkif_front_ring_t front;
	struct blk_shadow shadow[BLK_RING_SLOTS];
	uint16_t free_head;
	unsigned int in_flight;
	char error[96]; /* why the ring stopped, "" while it is fine */
};

/* An answered request, handed to the completion callback. */
typedef void (*blk_ring_done_fn)(struct blk_ring *r, struct blk_shadow *s,
				 int status, void *arg);

/* Start a ring on the zeroed page sring (SHARED_RING_INIT). */
void blk_ring_init(struct blk_ring *r, blkif_sring_t *sring);

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

/* Has the ring stopped for a protocol violation? */
int blk_ring_broken(const struct blk_ring *r);

#endif
