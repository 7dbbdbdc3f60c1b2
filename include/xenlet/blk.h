/*
 * blk.h - virtual disks: the block API over blkfront.
 *
 * Each disk of the guest's xl config (`disk = [ 'vdev=xvda,...' ]`) is
 * a vbd: a Xen virtual block device served by a backend in another
 * domain (dom0's blkback) through a shared ring of requests (blk/). A
 * program opens it by name and reads or writes whole sectors at any
 * sector-aligned byte offset, of any sector-aligned length: the driver
 * splits a request into as many ring requests as it needs.
 *
 * Durability (what a Linux blkback on a loop-backed image promises):
 * a write that completed is in the backend's cache, not on stable
 * storage. blk_flush makes every write that completed before it was
 * called durable; a write still in flight is not covered, so it waits
 * for those first. Commit protocols: data, blk_flush, commit record,
 * blk_flush.
 *
 * Errors are negative Xen errno values (<xen/errno.h>):
 *   -XEN_EINVAL   offset, length or buffer not sector-aligned
 *   -XEN_ENOSPC   the range goes past the end of the disk
 *   -XEN_EROFS    a write or flush to a read-only disk
 *   -XEN_EIO      the backend failed the request, the disk was
 *                 detached (xl block-detach), or the device is
 *                 disabled (a backend that broke the protocol or did
 *                 not answer in BLK_TIMEOUT_NS; the console says why)
 *   -XEN_EOPNOTSUPP  the backend does not do this operation
 *   -XEN_ENODEV   no such disk; -XEN_ETIMEDOUT  the backend never
 *                 connected
 *
 * All calls are made from threads; a call may sleep (cooperatively)
 * while it waits for ring space or for its answer.
 *
 * Detach: when the toolstack detaches a disk, the driver stops taking
 * requests, waits for those on the ring, flushes, and disconnects
 * ("blkfront: xvdb: detached" on the console). The struct blkdev stays
 * valid (every call on it fails with -XEN_EIO) until blk_close; a disk
 * attached again under the same name is a new blk_open.
 */
#ifndef XENLET_BLK_H
#define XENLET_BLK_H

#include <stddef.h>
#include <stdint.h>
#include <xenlet/thread.h>

/*
 * How long the backend has to answer one request, to connect, or to
 * free ring space. Linux's block layer gives a request 30 s before it
 * declares it lost; a backend slower than that is treated as gone and
 * the device is disabled.
 */
#define BLK_TIMEOUT_NS (30ULL * 1000000000ULL)

struct blkdev;

enum blk_op {
	BLK_READ,
	BLK_WRITE,
	BLK_FLUSH,   /* make completed writes durable; no data */
	BLK_DISCARD, /* the range's data may go (no buf): a loop-backed
			image then reads zeros there. Only the whole
			granules of the backend's discard-granularity
			inside the range go; the edges keep their data.
			-XEN_EOPNOTSUPP if the backend does not offer it */
};

/*
 * An asynchronous request: the caller owns the memory until it
 * completes. Fill op, offset, buf, len, and optionally done and arg;
 * after completion status is 0 or a negative errno.
 */
struct blk_request {
	enum blk_op op;
	uint64_t offset; /* bytes from the disk's start */
	void *buf;
	size_t len;
	void (*done)(struct blk_request *r); /* NULL: use blk_wait */
	void *arg;
	int status;
	/* private to blk/ */
	unsigned int pending; /* ring requests not yet answered */
	int submitting;	      /* still being split onto the ring */
	int completed;
	uint64_t deadline; /* system time its answer is due */
	struct waitq wq;
};

/*
 * Connect to the disk named vdev ("xvda", "xvdb", or the device number
 * XenStore uses, "51712"); NULL means the first one. Opening one that
 * is open returns the same device.
 */
int blk_open(const char *vdev, struct blkdev **dev);

/* Drain, flush what was written, and disconnect. */
int blk_close(struct blkdev *dev);

/* Logical sector size (512 or 4096) and size in those sectors. */
unsigned int blk_sector_size(const struct blkdev *dev);
uint64_t blk_sectors(const struct blkdev *dev);
int blk_readonly(const struct blkdev *dev);
const char *blk_name(const struct blkdev *dev);

/*
 * Queue r. Returns 0 once all of it is on the ring (r->done is then
 * called when the last answer arrives, from an event handler: it must
 * not sleep nor submit; it may free r if nobody blk_waits on it), or
 * an error at once (r is then not queued).
 */
int blk_submit(struct blkdev *dev, struct blk_request *r);

/*
 * Wait until r completes and return its status. A request unanswered
 * BLK_TIMEOUT_NS after it was queued disables the device: -XEN_EIO.
 */
int blk_wait(struct blkdev *dev, struct blk_request *r);

/* What a device has done, for tests and tuning. */
struct blk_stats {
	unsigned long ring_requests; /* pushed on the ring */
	unsigned long segments;	     /* granted pages (or parts) */
	unsigned long bounced;	     /* of them, copies through our pages */
	unsigned long indirect;	     /* ring requests that were indirect */
	unsigned long flushes;	     /* flush requests sent */
	unsigned int max_in_flight;  /* most ring requests at once */
	unsigned long events;	     /* event-channel upcalls handled */
	unsigned long notifies;	     /* events sent to the backend */
	int write_cache;	     /* the backend has one: flushes are sent */
	/* what was negotiated with the backend */
	unsigned int ring_slots;   /* 32 a ring page */
	unsigned int max_segments; /* a ring request: 11, more indirect */
	int persistent;		   /* persistent grants: data copied */
};

void blk_get_stats(const struct blkdev *dev, struct blk_stats *st);

/* Synchronous forms: 0 or a negative errno. */
int blk_read(struct blkdev *dev, uint64_t offset, void *buf, size_t len);
int blk_write(struct blkdev *dev, uint64_t offset, const void *buf, size_t len);
int blk_flush(struct blkdev *dev);
int blk_discard(struct blkdev *dev, uint64_t offset, uint64_t len);

#endif
