/*
 * io.c - the block API: a request of any sector-aligned length becomes
 * as many ring requests as it needs, each answered on its own, in any
 * order; the request completes when the last one is.
 *
 * A ring request carries up to BLKIF_MAX_SEGMENTS_PER_REQUEST (11)
 * segments. A segment is one 4 KiB frame we grant the backend and the
 * 512-byte sectors first_sect..last_sect inside it; the segments of a
 * request are consecutive on the disk. sector_number is always in
 * 512-byte units, and with a larger sector-size blkback wants every
 * segment a whole number of logical sectors. So a buffer aligned to
 * the sector size is granted where it lies (page by page, no copy);
 * any other is bounced through pages of our own.
 *
 * Grants follow blkback without persistent grants: it maps data for a
 * WRITE read-only and for a READ read-write, and unmaps before it
 * answers. A grant still mapped after the answer is a backend that
 * could keep writing into our memory: the device is disabled and a
 * bounce page in that state is never reused.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/gnttab.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include "blkfront.h"

#define SECTOR 512U

static unsigned int seg_bytes(const struct blkif_request_segment *g)
{
	return (unsigned int)(g->last_sect - g->first_sect + 1) * SECTOR;
}

static void finish(struct blk_request *r)
{
	r->completed = 1;
	waitq_wake_all(&r->wq);
	if (r->done != NULL)
		r->done(r); /* last: it may free r */
}

static void count_answer(struct blk_request *r, int status)
{
	if (status < 0 && r->status == 0)
		r->status = status;
	r->pending--;
	if (r->pending == 0 && !r->submitting)
		finish(r);
}

/* End the grants of s's segments; copy bounced reads out. */
static void release_segments(struct blkdev *dev, struct blk_shadow *s,
			     int status)
{
	unsigned int i;

	for (i = 0; i < s->req.nr_segments; i++) {
		const struct blkif_request_segment *g = &s->req.seg[i];

		if (gnttab_end_access(g->gref) == -XEN_EBUSY) {
			dev->grant_busy = 1;
			continue; /* the bounce page stays the backend's */
		}
		if (s->bounce[i] == NULL)
			continue;
		if (status == 0 && s->req.operation == BLKIF_OP_READ)
			memcpy(s->user[i], s->bounce[i], seg_bytes(g));
		page_free(s->bounce[i], 0);
	}
}

void blk_io_complete(struct blk_ring *ring, struct blk_shadow *s, int status,
		     void *arg)
{
	struct blkdev *dev = arg;

	(void)ring;
	release_segments(dev, s, status);
	if (s->req.operation == BLKIF_OP_WRITE ||
	    s->req.operation == BLKIF_OP_DISCARD) {
		dev->writes_in_flight--;
		dev->dirty |= status == 0;
	}
	if (s->owner != NULL)
		count_answer(s->owner, status);
	waitq_wake_all(&dev->wq);
}

/* --- building ring requests ----------------------------------------- */

/* Undo a shadow that was being built and never pushed. */
static void abandon(struct blkdev *dev, struct blk_shadow *s)
{
	unsigned int i;

	for (i = 0; i < s->req.nr_segments; i++) {
		gnttab_end_access(s->req.seg[i].gref);
		if (s->bounce[i] != NULL)
			page_free(s->bounce[i], 0);
	}
	blk_ring_put(&dev->ring, s);
}

/*
 * Add the next segment for buf[pos..], at most left bytes, to s.
 * Returns the bytes it covers, or a negative errno.
 */
static long add_segment(struct blkdev *dev, struct blk_shadow *s,
			struct blk_request *r, size_t pos, size_t left)
{
	unsigned int i = s->req.nr_segments, off = 0, n;
	int write = r->op == BLK_WRITE, rc;
	char *p = (char *)r->buf + pos;
	const void *frame = p;

	if ((uintptr_t)r->buf % dev->sector_size == 0) {
		off = (unsigned int)((uintptr_t)p & (PAGE_SIZE - 1));
		n = (unsigned int)(PAGE_SIZE - off);
	} else {
		frame = s->bounce[i] = page_alloc(0);
		if (frame == NULL)
			return -XEN_ENOMEM;
		n = PAGE_SIZE;
		s->user[i] = p;
	}
	if (n > left)
		n = (unsigned int)left;
	if (s->bounce[i] != NULL && write)
		memcpy(s->bounce[i], p, n);
	dev->stats.bounced += s->bounce[i] != NULL;
	rc = gnttab_grant_access(dev->xb.otherend_id, virt_to_mfn(frame), write,
				 &s->req.seg[i].gref);
	if (rc < 0) {
		if (s->bounce[i] != NULL)
			page_free(s->bounce[i], 0);
		s->bounce[i] = NULL;
		return rc;
	}
	s->req.seg[i].first_sect = (uint8_t)(off / SECTOR);
	s->req.seg[i].last_sect = (uint8_t)((off + n) / SECTOR - 1);
	s->req.nr_segments = (uint8_t)(i + 1);
	return n;
}

/* Fill s with segments for r from byte pos; returns the bytes taken. */
static long fill_request(struct blkdev *dev, struct blk_shadow *s,
			 struct blk_request *r, size_t pos)
{
	size_t taken = 0;

	s->req.operation = r->op == BLK_WRITE ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	s->req.handle = (blkif_vdev_t)dev->vdev;
	s->req.sector_number = (r->offset + pos) / SECTOR;
	while (s->req.nr_segments < BLKIF_MAX_SEGMENTS_PER_REQUEST &&
	       pos + taken < r->len) {
		long n = add_segment(dev, s, r, pos + taken,
				     r->len - pos - taken);

		if (n < 0) {
			if (taken > 0)
				break; /* send what we have */
			return n;
		}
		taken += (size_t)n;
	}
	return (long)taken;
}

/* Put s on the ring for r. */
static void queue(struct blkdev *dev, struct blk_shadow *s,
		  struct blk_request *r)
{
	s->owner = r;
	blk_ring_queue(&dev->ring, s);
	r->pending++;
	dev->stats.ring_requests++;
	dev->stats.segments += s->req.nr_segments;
	if (dev->ring.in_flight > dev->stats.max_in_flight)
		dev->stats.max_in_flight = dev->ring.in_flight;
}

/* Publish queued requests, and tell the backend if it asks to be. */
static void push(struct blkdev *dev)
{
	if (blk_ring_push_notify(&dev->ring))
		evtchn_send(dev->port);
}

/*
 * A free shadow, waiting (pushing what is queued first) for the
 * backend to answer something if the ring is full. An answer must
 * come within BLK_TIMEOUT_NS, or the backend is taken as dead.
 */
static struct blk_shadow *get_shadow(struct blkdev *dev, int *err)
{
	uint64_t deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	struct blk_shadow *s;

	for (;;) {
		if (!blkdev_ring_usable(dev)) {
			*err = -XEN_EIO;
			return NULL;
		}
		s = blk_ring_get(&dev->ring);
		if (s != NULL)
			return s;
		push(dev);
		if (xen_system_time_ns() >= deadline) {
			blkfront_disable(dev, "ring full, no answer in 30 s");
			*err = -XEN_EIO;
			return NULL;
		}
		waitq_wait(&dev->wq, deadline);
	}
}

/* --- submitting -------------------------------------------------------- */

static int check_request(const struct blkdev *dev, const struct blk_request *r)
{
	uint64_t size = dev->sectors * SECTOR;

	if (dev->state != BLKDEV_CONNECTED)
		return -XEN_EIO;
	if (r->op != BLK_READ && dev->readonly)
		return -XEN_EROFS;
	if (r->op == BLK_FLUSH)
		return 0;
	if (r->op == BLK_DISCARD && !dev->discard)
		return -XEN_EOPNOTSUPP;
	if (r->op != BLK_READ && r->op != BLK_WRITE && r->op != BLK_DISCARD)
		return -XEN_EINVAL;
	if (r->offset % dev->sector_size != 0 || r->len % dev->sector_size != 0)
		return -XEN_EINVAL;
	if (r->offset > size || r->len > size - r->offset)
		return -XEN_ENOSPC;
	return 0;
}

static int submit_rw(struct blkdev *dev, struct blk_request *r,
		     unsigned int *queued)
{
	size_t pos = 0;
	int err = 0;

	while (pos < r->len) {
		struct blk_shadow *s = get_shadow(dev, &err);
		long n;

		if (s == NULL)
			break;
		n = fill_request(dev, s, r, pos);
		if (n < 0) {
			abandon(dev, s);
			err = (int)n;
			break;
		}
		queue(dev, s, r);
		(*queued)++;
		if (r->op == BLK_WRITE)
			dev->writes_in_flight++;
		pos += (size_t)n;
	}
	push(dev);
	return err;
}

/*
 * A flush covers the writes answered before it is issued (blk.md 2:
 * blkback sends a PREFLUSH, which does not wait for requests in
 * flight). So first wait until our writes on the ring are answered,
 * holding back new ones meanwhile; then issue the flush.
 */
static int submit_flush(struct blkdev *dev, struct blk_request *r,
			unsigned int *queued)
{
	uint64_t deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	struct blk_shadow *s;
	int err = 0;

	if (dev->flush_op == 0)
		return 0; /* no write cache: answered writes are durable */
	dev->draining++;
	while (dev->writes_in_flight > 0 && blkdev_ring_usable(dev)) {
		if (xen_system_time_ns() >= deadline) {
			blkfront_disable(dev, "writes unanswered in 30 s");
			break;
		}
		waitq_wait(&dev->wq, deadline);
	}
	s = get_shadow(dev, &err);
	dev->draining--;
	waitq_wake_all(&dev->wq);
	if (s == NULL)
		return err;
	dev->dirty = 0;
	s->req.operation = dev->flush_op; /* no segments: a pure flush */
	s->req.handle = (blkif_vdev_t)dev->vdev;
	queue(dev, s, r);
	(*queued)++;
	dev->stats.flushes++;
	push(dev);
	return 0;
}

/*
 * One request for the whole range: nr_sectors is 64 bits (512-byte
 * units), and blkback hands the range to the block layer as it is.
 * Counted with the writes, so that a flush waits for it too.
 */
static int submit_discard(struct blkdev *dev, struct blk_request *r,
			  unsigned int *queued)
{
	struct blkif_request_discard *d;
	struct blk_shadow *s;
	int err = 0;

	if (r->len == 0)
		return 0;
	s = get_shadow(dev, &err);
	if (s == NULL)
		return err;
	d = (struct blkif_request_discard *)&s->req;
	d->operation = BLKIF_OP_DISCARD;
	d->handle = (blkif_vdev_t)dev->vdev;
	d->sector_number = r->offset / SECTOR;
	d->nr_sectors = r->len / SECTOR;
	queue(dev, s, r);
	(*queued)++;
	dev->writes_in_flight++;
	push(dev);
	return 0;
}

/*
 * A write waits while a flush drains the ring. That flush gives up
 * (and disables the device) after BLK_TIMEOUT_NS, and again as long
 * for ring space: twice that bounds this wait.
 */
static int wait_flush_drained(struct blkdev *dev)
{
	uint64_t deadline = xen_system_time_ns() + 2 * BLK_TIMEOUT_NS;

	while (dev->draining > 0 && blkdev_ring_usable(dev))
		if (waitq_wait(&dev->wq, deadline) < 0 && dev->draining > 0)
			return -XEN_ETIMEDOUT;
	return blkdev_ring_usable(dev) ? 0 : -XEN_EIO;
}

/* Put r on the ring; blk_submit has checked it. */
static int submit(struct blkdev *dev, struct blk_request *r)
{
	unsigned int queued = 0;
	int rc = 0;

	r->status = 0;
	r->pending = 0;
	r->submitting = 1;
	r->completed = 0;
	waitq_init(&r->wq);
	if (r->op == BLK_WRITE || r->op == BLK_DISCARD)
		rc = wait_flush_drained(dev);
	if (rc == 0 && r->op == BLK_FLUSH)
		rc = submit_flush(dev, r, &queued);
	else if (rc == 0 && r->op == BLK_DISCARD)
		rc = submit_discard(dev, r, &queued);
	else if (rc == 0)
		rc = submit_rw(dev, r, &queued);
	r->submitting = 0;
	r->deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	if (rc < 0 && queued == 0)
		return rc;
	if (rc < 0 && r->status == 0)
		r->status = rc; /* part is on the ring: report at completion */
	if (r->pending == 0)
		finish(r);
	return 0;
}

int blk_submit(struct blkdev *dev, struct blk_request *r)
{
	int rc = check_request(dev, r);

	return rc < 0 ? rc : submit(dev, r);
}

int blk_wait(struct blkdev *dev, struct blk_request *r)
{
	while (!r->completed) {
		if (xen_system_time_ns() >= r->deadline) {
			/* Fails everything on the ring, r included. */
			blkfront_disable(dev, "no answer in 30 s");
			break;
		}
		waitq_wait(&r->wq, r->deadline);
	}
	return r->completed ? r->status : -XEN_EIO;
}

static int run(struct blkdev *dev, enum blk_op op, uint64_t offset, void *buf,
	       size_t len)
{
	struct blk_request r = {
		.op = op, .offset = offset, .buf = buf, .len = len
	};
	int rc = blk_submit(dev, &r);

	return rc < 0 ? rc : blk_wait(dev, &r);
}

int blk_read(struct blkdev *dev, uint64_t offset, void *buf, size_t len)
{
	return run(dev, BLK_READ, offset, buf, len);
}

/* The buffer is only read: a WRITE's pages are granted read-only. */
int blk_write(struct blkdev *dev, uint64_t offset, const void *buf, size_t len)
{
	return run(dev, BLK_WRITE, offset, (void *)buf, len);
}

int blk_flush(struct blkdev *dev)
{
	return run(dev, BLK_FLUSH, 0, NULL, 0);
}

int blk_discard(struct blkdev *dev, uint64_t offset, uint64_t len)
{
	return run(dev, BLK_DISCARD, offset, NULL, (size_t)len);
}

int blk_io_flush(struct blkdev *dev)
{
	struct blk_request r = { .op = BLK_FLUSH };
	int rc = submit(dev, &r);

	return rc < 0 ? rc : blk_wait(dev, &r);
}
