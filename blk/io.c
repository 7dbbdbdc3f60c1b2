/*
 * io.c - the block API: a request of any sector-aligned length becomes
 * as many ring requests as it needs, each answered on its own, in any
 * order; the request completes when the last one is.
 *
 * A ring request carries segments: a segment is one 4 KiB frame we
 * grant the backend and the 512-byte sectors first_sect..last_sect
 * inside it; the segments of a request are consecutive on the disk.
 * A direct request has room for BLKIF_MAX_SEGMENTS_PER_REQUEST (11,
 * 44 KiB); an indirect one (BLKIF_OP_INDIRECT, when blkback offers
 * feature-max-indirect-segments) puts up to that many descriptors in
 * a page of its own, granted too: 256 segments, 1 MiB, for Linux.
 * sector_number is always in 512-byte units, and with a larger
 * sector-size blkback wants every segment a whole number of logical
 * sectors. So a buffer aligned to the sector size is granted where it
 * lies (page by page, no copy); any other is bounced through pages of
 * our own, and so is every buffer with persistent grants (persist.c),
 * whose pages are the only ones the backend may keep mapped.
 *
 * Without persistent grants, blkback maps data for a WRITE read-only
 * and for a READ read-write, and unmaps before it answers. A grant
 * still mapped after the answer is a backend that could keep writing
 * into our memory: the device is disabled and a page in that state is
 * never reused.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include "blkfront.h"

#define SECTOR 512U

static unsigned int seg_bytes(const struct blk_seg *g)
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

/* The indirect page's grant: our private copy in the shadow. */
static grant_ref_t *indirect_ref(struct blk_shadow *s)
{
	return &((struct blkif_request_indirect *)&s->req)->indirect_grefs[0];
}

/* Give back one granted page: to the pool, or end its grant. */
static void release_page(struct blkdev *dev, void *page, grant_ref_t gref)
{
	if (dev->persistent) {
		blk_pgnt_put(dev, page, gref);
		return;
	}
	if (gnttab_end_access(gref) == -XEN_EBUSY) {
		dev->grant_busy = 1;
		return; /* the page stays the backend's */
	}
	if (page != NULL)
		page_free(page, 0);
}

/*
 * End the grants of s's segments and of its indirect page; copy
 * bounced reads out (copy: the request was answered OKAY).
 */
static void release_segments(struct blkdev *dev, struct blk_shadow *s, int copy)
{
	unsigned int i;

	for (i = 0; i < s->nr_segs; i++) {
		struct blk_seg *g = &s->seg[i];

		if (copy && g->bounce != NULL)
			memcpy(g->user, g->bounce, seg_bytes(g));
		release_page(dev, g->bounce, g->gref);
	}
	dev->grants_in_flight -= s->nr_segs;
	if (s->indirect != NULL) {
		release_page(dev, s->indirect, *indirect_ref(s));
		dev->grants_in_flight--;
	}
	if (s->seg != s->inline_seg)
		kfree(s->seg);
	s->seg = s->inline_seg;
	s->nr_segs = 0;
	s->indirect = NULL;
}

/* The operation a data request was issued for (direct or indirect). */
static uint8_t data_op(const struct blk_shadow *s)
{
	if (s->req.operation == BLKIF_OP_INDIRECT)
		return ((const struct blkif_request_indirect *)&s->req)
			->indirect_op;
	return s->req.operation;
}

void blk_io_complete(struct blk_ring *ring, struct blk_shadow *s, int status,
		     void *arg)
{
	struct blkdev *dev = arg;
	uint8_t op = data_op(s);

	(void)ring;
	release_segments(dev, s, status == 0 && op == BLKIF_OP_READ);
	if (op == BLKIF_OP_WRITE || op == BLKIF_OP_DISCARD) {
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
	release_segments(dev, s, 0);
	blk_ring_put(&dev->ring, s);
}

/* A page for data or descriptors, granted: from the pool, or new. */
static int get_page(struct blkdev *dev, int readonly, void **page,
		    grant_ref_t *gref)
{
	int rc;

	if (dev->persistent)
		return blk_pgnt_get(dev, page, gref);
	*page = page_alloc(0);
	if (*page == NULL)
		return -XEN_ENOMEM;
	rc = gnttab_grant_access(dev->xb.otherend_id, virt_to_mfn(*page),
				 readonly, gref);
	if (rc < 0)
		page_free(*page, 0);
	return rc;
}

/*
 * Add the next segment for buf[pos..], at most left bytes, to s.
 * Returns the bytes it covers, or a negative errno.
 */
static long add_segment(struct blkdev *dev, struct blk_shadow *s,
			struct blk_request *r, size_t pos, size_t left)
{
	struct blk_seg *g = &s->seg[s->nr_segs];
	int write = r->op == BLK_WRITE, rc;
	char *p = (char *)r->buf + pos;
	unsigned int off = 0, n = PAGE_SIZE;

	memset(g, 0, sizeof(*g));
	if ((uintptr_t)r->buf % dev->sector_size == 0 && !dev->persistent) {
		off = (unsigned int)((uintptr_t)p & (PAGE_SIZE - 1));
		n = (unsigned int)(PAGE_SIZE - off);
		rc = gnttab_grant_access(dev->xb.otherend_id, virt_to_mfn(p),
					 write, &g->gref);
	} else {
		rc = get_page(dev, write, &g->bounce, &g->gref);
		g->user = p;
	}
	if (rc < 0)
		return rc;
	if (n > left)
		n = (unsigned int)left;
	if (g->bounce != NULL && write) {
		memcpy(g->bounce, p, n);
		/* The backend sees the whole page: no stale bytes. */
		memset((char *)g->bounce + n, 0, PAGE_SIZE - n);
	}
	dev->stats.bounced += g->bounce != NULL;
	g->first_sect = (uint8_t)(off / SECTOR);
	g->last_sect = (uint8_t)((off + n) / SECTOR - 1);
	s->nr_segs++;
	dev->grants_in_flight++;
	return n;
}

/* Segments (pages) a ring request from buf[pos..] needs, at most max. */
static unsigned int segs_needed(const struct blkdev *dev,
				const struct blk_request *r, size_t pos)
{
	size_t left = r->len - pos, off = 0, n;

	if ((uintptr_t)r->buf % dev->sector_size == 0 && !dev->persistent)
		off = ((uintptr_t)r->buf + pos) & (PAGE_SIZE - 1);
	n = (off + left + PAGE_SIZE - 1) / PAGE_SIZE;
	return n < dev->max_segs ? (unsigned int)n : dev->max_segs;
}

/* Grants a ring request of n segments takes: an indirect page too. */
static unsigned int grants_for(unsigned int n)
{
	return n + (n > BLKIF_MAX_SEGMENTS_PER_REQUEST);
}

/* Write the direct request's segments from s->seg. */
static void make_direct(struct blk_shadow *s)
{
	unsigned int i;

	for (i = 0; i < s->nr_segs; i++) {
		s->req.seg[i].gref = s->seg[i].gref;
		s->req.seg[i].first_sect = s->seg[i].first_sect;
		s->req.seg[i].last_sect = s->seg[i].last_sect;
	}
	s->req.nr_segments = (uint8_t)s->nr_segs;
}

/*
 * Turn s into an indirect request: its descriptors go in a page of
 * their own, granted read-only (blkback only reads it; with
 * persistent grants every grant is read-write, blkif.h note 8).
 */
static int make_indirect(struct blkdev *dev, struct blk_shadow *s)
{
	struct blkif_request_indirect *ind = (void *)&s->req;
	struct blkif_request_segment *d;
	uint8_t op = s->req.operation;
	blkif_sector_t sector = s->req.sector_number;
	grant_ref_t gref;
	unsigned int i;
	void *page;
	int rc;

	rc = get_page(dev, 1, &page, &gref);
	if (rc < 0)
		return rc;
	d = page;
	for (i = 0; i < s->nr_segs; i++) {
		d[i].gref = s->seg[i].gref;
		d[i].first_sect = s->seg[i].first_sect;
		d[i].last_sect = s->seg[i].last_sect;
	}
	s->indirect = page;
	dev->grants_in_flight++;
	memset(&s->req, 0, sizeof(s->req));
	ind->operation = BLKIF_OP_INDIRECT;
	ind->indirect_op = op;
	ind->nr_segments = s->nr_segs;
	ind->sector_number = sector;
	ind->handle = (blkif_vdev_t)dev->vdev;
	ind->indirect_grefs[0] = gref;
	return 0;
}

/* Fill s with segments for r from byte pos; returns the bytes taken. */
static long fill_request(struct blkdev *dev, struct blk_shadow *s,
			 struct blk_request *r, size_t pos)
{
	unsigned int max = segs_needed(dev, r, pos);
	size_t taken = 0;
	int rc;

	if (max > BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		s->seg = kmalloc(max * sizeof(*s->seg));
		if (s->seg == NULL) {
			s->seg = s->inline_seg;
			max = BLKIF_MAX_SEGMENTS_PER_REQUEST;
		}
	}
	s->req.operation = r->op == BLK_WRITE ? BLKIF_OP_WRITE : BLKIF_OP_READ;
	s->req.handle = (blkif_vdev_t)dev->vdev;
	s->req.sector_number = (r->offset + pos) / SECTOR;
	while (s->nr_segs < max && pos + taken < r->len) {
		long n = add_segment(dev, s, r, pos + taken,
				     r->len - pos - taken);

		if (n < 0) {
			if (taken > 0)
				break; /* send what we have */
			return n;
		}
		taken += (size_t)n;
	}
	if (s->nr_segs <= BLKIF_MAX_SEGMENTS_PER_REQUEST) {
		make_direct(s);
		return (long)taken;
	}
	rc = make_indirect(dev, s);
	return rc < 0 ? rc : (long)taken;
}

/* Put s on the ring for r; its answer is due within BLK_TIMEOUT_NS. */
static void queue(struct blkdev *dev, struct blk_shadow *s,
		  struct blk_request *r)
{
	s->owner = r;
	s->deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	blk_ring_queue(&dev->ring, s);
	r->pending++;
	dev->stats.ring_requests++;
	dev->stats.segments += s->nr_segs;
	dev->stats.indirect += s->indirect != NULL;
	if (dev->ring.in_flight > dev->stats.max_in_flight)
		dev->stats.max_in_flight = dev->ring.in_flight;
}

/* Publish queued requests, and tell the backend if it asks to be. */
static void push(struct blkdev *dev)
{
	if (blk_ring_push_notify(&dev->ring)) {
		dev->stats.notifies++;
		evtchn_notify(dev->port);
	}
}

/*
 * A free shadow, and room under BLK_GRANT_BUDGET for `grants` more,
 * waiting (pushing what is queued first) for the backend to answer
 * something if there is none. An answer must come within
 * BLK_TIMEOUT_NS, or the backend is taken as dead.
 */
static struct blk_shadow *get_shadow(struct blkdev *dev, unsigned int grants,
				     int *err)
{
	uint64_t deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	struct blk_shadow *s;

	for (;;) {
		if (!blkdev_ring_usable(dev)) {
			*err = -XEN_EIO;
			return NULL;
		}
		if (dev->grants_in_flight + grants <= BLK_GRANT_BUDGET) {
			s = blk_ring_get(&dev->ring);
			if (s != NULL)
				return s;
		}
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
		struct blk_shadow *s = get_shadow(
			dev, grants_for(segs_needed(dev, r, pos)), &err);
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
	s = get_shadow(dev, 0, &err);
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
 * One request for the whole granules of the range (blk/discard.c):
 * nr_sectors is 64 bits (512-byte units), and blkback hands the range
 * to the block layer as it is. Counted with the writes, so that a
 * flush waits for it too. A range with no whole granule is done at
 * once: discard only allows data to go.
 */
static int submit_discard(struct blkdev *dev, struct blk_request *r,
			  unsigned int *queued)
{
	struct blkif_request_discard *d;
	struct blk_shadow *s;
	uint64_t start, n;
	int err = 0;

	blk_discard_trim(r->offset, r->len, dev->discard_granularity,
			 dev->discard_alignment, &start, &n);
	if (n == 0)
		return 0;
	s = get_shadow(dev, 0, &err);
	if (s == NULL)
		return err;
	d = (struct blkif_request_discard *)&s->req;
	d->operation = BLKIF_OP_DISCARD;
	d->handle = (blkif_vdev_t)dev->vdev;
	d->sector_number = start / SECTOR;
	d->nr_sectors = n / SECTOR;
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
