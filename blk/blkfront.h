/*
 * blkfront.h - what the files of blk/ share: one open vbd.
 *
 *   blkfront.c  the device: xenbus handshake, ring set-up, backend
 *               features, the event handler, disabling, closing
 *   io.c        the block API: splitting requests into ring requests,
 *               granting or bouncing their pages, completions, waits
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
	blkif_sring_t *sring;
	grant_ref_t ring_ref;
	evtchn_port_t port;
	struct blk_ring ring;
	/* what the backend said once Connected */
	uint64_t sectors; /* in 512-byte units, whatever sector-size is */
	unsigned int sector_size;
	int readonly;
	uint8_t flush_op; /* FLUSH_DISKCACHE, WRITE_BARRIER, or 0: no cache */
	int discard;	  /* feature-discard */
	/* I/O accounting */
	unsigned int writes_in_flight; /* ring requests */
	int draining;		       /* a flush waits for writes to end */
	int grant_busy;		       /* a completion found a grant mapped */
	int dirty;	 /* writes answered since the last flush */
	int shutting;	 /* a thread is closing the device */
	int shut_done;	 /* ... and has finished */
	struct waitq wq; /* ring space, writes ended, state changes */
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

/* vdev.c: "xvda" or "51712" -> 51712; and back. 0 or -XEN_EINVAL. */
int blk_vdev_parse(const char *name, unsigned long *vdev);
void blk_vdev_name(unsigned long vdev, char *buf, unsigned int size);

#endif
