/*
 * blkfront.h - what the files of blk/ share: one open vbd.
 *
 *   blkfront.c  the device: xenbus handshake, ring set-up, backend
 *               features, the event handler, disabling, closing
 *   io.c        the block API: splitting requests into ring requests,
 *               granting or bouncing their pages, completions, waits
 *   persist.c   persistent grants: the pool of pages granted once
 *   ring.c      the ring and the checks on responses (no hypervisor)
 *   vdev.c      device names ("xvda") and numbers (51712)
 */
#ifndef BLK_BLKFRONT_H
#define BLK_BLKFRONT_H

#include <stdint.h>
#include <xenlet/blk.h>
#include <xenlet/blk_ring.h>
#include <xenlet/evtchn.h>
#include <xenlet/xenbus.h>

/*
 * Grants one device may have out at once, for data and indirect pages:
 * two requests of 1 MiB (256 segments + 1 indirect page each) and
 * small ones beside them. The guest has 2048 grant entries in all
 * (xen/gnttab.c); a vif takes 512, so two busy disks and a vif fit.
 * With persistent grants it is also the pool's size: 2.5 MiB, under
 * the 1056 grants Linux blkback keeps mapped per ring.
 */
#define BLK_GRANT_BUDGET 640

struct blk_pgnt;

enum blkdev_state {
	BLKDEV_CONNECTED,
	BLKDEV_CLOSING,	 /* being detached: the ring drains, no new I/O */
	BLKDEV_CLOSED,	 /* disconnected: the ring is gone */
	BLKDEV_DISABLED, /* the backend broke the protocol or went silent */
};

struct blkdev {
	struct xenbus_device xb;
	unsigned long vdev; /* device/vbd/<vdev> */
	char name[16];
	enum blkdev_state state;
	blkif_sring_t *sring; /* 2^ring_order pages */
	unsigned int ring_order;
	grant_ref_t ring_ref[1 << BLK_RING_MAX_ORDER];
	evtchn_port_t port;
	struct blk_ring ring;
	struct blk_shadow *shadow; /* the ring's, one a slot */
	/* what the backend said once Connected */
	uint64_t sectors; /* in 512-byte units, whatever sector-size is */
	unsigned int sector_size;
	int readonly;
	uint8_t flush_op; /* FLUSH_DISKCACHE, WRITE_BARRIER, or 0: no cache */
	int discard;	  /* feature-discard */
	uint64_t discard_granularity, discard_alignment; /* bytes */
	unsigned int max_segs; /* per ring request: 11, or indirect */
	int persistent;	       /* both sides said feature-persistent */
	/* I/O accounting */
	unsigned int writes_in_flight; /* ring requests */
	unsigned int grants_in_flight; /* data and indirect pages */
	struct blk_pgnt *pool;	       /* persistent grants, when used */
	unsigned int pool_free, pool_pages;
	int draining;	       /* a flush waits for writes to end */
	int grant_busy;	       /* a completion found a grant mapped */
	int dirty;	       /* writes answered since the last flush */
	int shutting;	       /* a thread is closing the device */
	int shut_done;	       /* ... and has finished */
	struct waitq wq;       /* ring space, writes ended, state changes */
	struct waitq watch_wq; /* the watchdog sleeps here */
	int watch_done;	       /* ... and has ended (or never ran) */
	struct blk_stats stats;
	struct blkdev *next;
};

/* Stop the device for good, saying why in one console line. */
void blkfront_disable(struct blkdev *dev, const char *why);

/* Can requests still go on the ring (user ones: only CONNECTED)? */
static inline int blkdev_ring_usable(const struct blkdev *dev)
{
	return dev->state == BLKDEV_CONNECTED || dev->state == BLKDEV_CLOSING;
}

/* io.c: a flush of blkfront's own, in any usable state. */
int blk_io_flush(struct blkdev *dev);

/* io.c: a ring request was answered / abandoned. */
void blk_io_complete(struct blk_ring *r, struct blk_shadow *s, int status,
		     void *arg);

/* persist.c: a persistent grant's page (zeroed when new), given back. */
int blk_pgnt_get(struct blkdev *dev, void **page, grant_ref_t *gref);
void blk_pgnt_put(struct blkdev *dev, void *page, grant_ref_t gref);
/* ... and all of them, once the backend has disconnected. */
void blk_pgnt_free_all(struct blkdev *dev, uint64_t deadline);

/* vdev.c: "xvda" or "51712" -> 51712; and back. 0 or -XEN_EINVAL. */
int blk_vdev_parse(const char *name, unsigned long *vdev);
void blk_vdev_name(unsigned long vdev, char *buf, unsigned int size);

#endif
