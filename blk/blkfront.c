/*
 * blkfront.c - one vbd: connecting to its backend, reading what it
 * offers, taking its events, and stopping it.
 *
 * The handshake, as Linux 6.1 blkback expects it (xenbus.h has the
 * states):
 *   backend  InitWait    (it has written what it can do: max ring
 *                         order, indirect segments, queues)
 *   frontend writes ring-ref, event-channel, protocol,
 *            feature-persistent, then Initialised (one transaction)
 *   backend  maps the ring; once the disk is open too it writes
 *            sectors, sector-size, info, feature-flush-cache... and
 *            Connected, in one transaction
 *   frontend Connected
 * So the disk's size and features are read only after the backend's
 * Connected: at InitWait they are not there yet.
 *
 * One ring page means one key, `ring-ref`, and no `ring-page-order`
 * (blkback takes an order key, even "0", as a multi-page ring); a ring
 * of 2^N pages, when blkback offers max-ring-page-order >= N, is
 * `ring-page-order` = N and `ring-ref0`..`ring-ref<2^N-1>`. Those
 * offers are written before InitWait, so the ring is made then.
 *
 * Like Linux blkfront's module parameters, three environment words
 * (extra= or XenStore environ/, see environ.h) lower what we ask for,
 * to measure what each feature brings: BLKFRONT_MAX_RING_ORDER (0..4),
 * BLKFRONT_MAX_INDIRECT_SEGMENTS (0: none) and BLKFRONT_PERSISTENT (0).
 */
#include <xen/errno.h>
#include <xen/io/protocols.h>
#include <xenlet/arch.h>
#include <xenlet/environ.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include <xenlet/xs_wire.h>
#include "blkfront.h"

static struct blkdev *open_devices;
/* One blk_open at a time: two threads opening the same disk while the
 * first sleeps in the handshake must not both connect it. */
static struct mutex open_lock = { NULL, WAITQ_INIT(open_lock.q) };

/* Event from the backend: answers are on the ring. */
static void blkfront_event(evtchn_port_t port, void *arg)
{
	struct blkdev *dev = arg;

	(void)port;
	if (dev->state == BLKDEV_DISABLED)
		return;
	dev->stats.events++;
	if (blk_ring_poll(&dev->ring, blk_io_complete, dev) < 0)
		blkfront_disable(dev, dev->ring.error);
	else if (dev->grant_busy)
		blkfront_disable(dev, "backend kept a page mapped after "
				      "answering");
	waitq_wake_all(&dev->wq);
}

void blkfront_disable(struct blkdev *dev, const char *why)
{
	unsigned int i;

	if (dev->state == BLKDEV_DISABLED)
		return;
	dev->state = BLKDEV_DISABLED;
	printk("blkfront: %s: %s: device disabled\n", dev->name, why);
	/* No more events: a backend that broke the ring may storm. */
	evtchn_mask(dev->port);
	for (i = 0; i < dev->ring.size; i++) {
		struct blk_shadow *s = &dev->ring.shadow[i];

		if (s->state == BLK_SHADOW_WAITING) {
			blk_io_complete(&dev->ring, s, -XEN_EIO, dev);
			blk_ring_put(&dev->ring, s);
		}
	}
	waitq_wake_all(&dev->wq);
}

/* --- connecting ------------------------------------------------------- */

/*
 * Persistent grants are asked for unless BLKFRONT_PERSISTENT=0, though
 * they cost a copy of every page, aligned or not (io.c, persist.c).
 * make bench runs its disk jobs both ways, back to back in one test-host
 * boot. On a quiet machine (the README has the run) they made 4 KiB
 * random reads 1.2x to 2.2x faster and write + fsync 1.04x to 1.15x,
 * and 1 MiB reads 0.70x to 0.92x as fast (the copy). On, for the small
 * synced I/O of the appliances: without them each request costs
 * blkback a grant-map hypercall for its pages before the I/O, and
 * after it an unmap, for which Xen flushes the TLBs of the CPUs dom0
 * ran on (IPIs, and a wait until each CPU has flushed); with them
 * blkback maps a page the first time it sees it and keeps it (blk.md
 * 4). Linux blkfront makes the same choice (its feature_persistent
 * is on by default).
 */
#define BLKFRONT_PERSISTENT_DEFAULT 1

/* An environment word lowering a feature: its value if a number <= max,
 * else def (see the top of this file). */
static unsigned long knob(const char *name, unsigned long max,
			  unsigned long def)
{
	const char *v = xenlet_getenv(name);
	unsigned long n;

	if (v == NULL || xs_parse_ulong(v, max, &n) < 0)
		return def;
	return n;
}

/* Defined below with the close path; the handshake installs it. */
static void backend_changed(struct xenbus_device *xb, enum xenbus_state s);

static int publish_ring(struct xenbus_device *xb, xs_transaction_t t,
			struct blkdev *dev)
{
	char key[16];
	unsigned int i;
	int rc;

	if (dev->ring_order == 0)
		return xenbus_write_ulong(xb, t, "ring-ref", dev->ring_ref[0]);
	rc = xenbus_write_ulong(xb, t, "ring-page-order", dev->ring_order);
	for (i = 0; rc == 0 && i < 1U << dev->ring_order; i++) {
		snprintk(key, sizeof(key), "ring-ref%u", i);
		rc = xenbus_write_ulong(xb, t, key, dev->ring_ref[i]);
	}
	return rc;
}

static int publish(struct xenbus_device *xb, xs_transaction_t t, void *arg)
{
	struct blkdev *dev = arg;
	int rc;

	rc = publish_ring(xb, t, dev);
	if (rc == 0)
		rc = xenbus_write_ulong(xb, t, "event-channel", dev->port);
	if (rc == 0)
		rc = xenbus_write(xb, t, "protocol", XEN_IO_PROTO_ABI_NATIVE);
	/* blkback reads ours before its connect() (blk.md 1), and uses
	 * persistent grants only if both sides say 1. */
	if (rc == 0)
		rc = xenbus_write(xb, t, "feature-persistent",
				  knob("BLKFRONT_PERSISTENT", 1,
				       BLKFRONT_PERSISTENT_DEFAULT)
					  ? "1"
					  : "0");
	return rc;
}

/* A backend key holding a number <= max; absent means def. */
static int read_number(struct blkdev *dev, const char *key, unsigned long max,
		       unsigned long def, unsigned long *v)
{
	char *s;
	int rc = xenbus_read_backend(&dev->xb, key, &s);

	if (rc == -XEN_ENOENT) {
		*v = def;
		return 0;
	}
	if (rc < 0)
		return rc;
	rc = xs_parse_ulong(s, max, v);
	kfree(s);
	if (rc < 0)
		printk("blkfront: %s: backend's %s is not a number <= %lu\n",
		       dev->name, key, max);
	return rc;
}

static int power_of_two(unsigned long v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/*
 * Discard works in granules of discard-granularity bytes starting at
 * discard-alignment (blkback: the host filesystem's block, offset 0):
 * only whole granules are worth sending. 0 or absent means a sector;
 * a granularity that is no power of two, not whole sectors or above
 * 1 GiB is ignored (a sector then), as is an alignment not in sectors.
 */
static int read_discard(struct blkdev *dev)
{
	unsigned long gran, align;
	int rc;

	rc = read_number(dev, "discard-granularity", 0xffffffffUL, 0, &gran);
	if (rc == 0)
		rc = read_number(dev, "discard-alignment", 0xffffffffUL, 0,
				 &align);
	if (rc < 0)
		return rc;
	if (gran != 0 && (!power_of_two(gran) || gran % 512 != 0 ||
			  gran > (1UL << 30) || align % 512 != 0)) {
		printk("blkfront: %s: discard-granularity %lu ignored\n",
		       dev->name, gran);
		gran = align = 0;
	}
	dev->discard_granularity = gran;
	dev->discard_alignment = gran ? align % gran : 0;
	return 0;
}

/*
 * Indirect requests (feature-max-indirect-segments: how many segments
 * one may carry) and persistent grants (feature-persistent, echoed
 * once we asked for it): what blkback offers, lowered by the knobs.
 */
static int read_fast_paths(struct blkdev *dev)
{
	unsigned long segs, pers;
	int rc;

	rc = read_number(dev, "feature-max-indirect-segments", 0xffffffffUL, 0,
			 &segs);
	if (rc == 0)
		rc = read_number(dev, "feature-persistent", 1, 0, &pers);
	if (rc < 0)
		return rc;
	if (segs > BLK_MAX_SEGS)
		segs = BLK_MAX_SEGS; /* one indirect page of descriptors */
	segs = knob("BLKFRONT_MAX_INDIRECT_SEGMENTS", BLK_MAX_SEGS, segs);
	/* Fewer than a direct request carries: no use for indirect. */
	dev->max_segs = segs > BLKIF_MAX_SEGMENTS_PER_REQUEST
				? (unsigned int)segs
				: BLKIF_MAX_SEGMENTS_PER_REQUEST;
	dev->persistent = pers && knob("BLKFRONT_PERSISTENT", 1,
				       BLKFRONT_PERSISTENT_DEFAULT);
	return 0;
}

/* What blkback wrote with its Connected (blk.md 1). */
static int read_features(struct blkdev *dev)
{
	unsigned long sectors, size, info, flush, barrier, discard;
	int rc;

	/* `sectors` is in 512-byte units whatever sector-size says; the
	 * bound keeps the size in bytes within 64 bits. */
	rc = read_number(dev, "sectors", ~0UL >> 9, ~0UL, &sectors);
	if (rc == 0 && sectors == ~0UL) {
		printk("blkfront: %s: backend gave no size\n", dev->name);
		rc = -XEN_EINVAL;
	}
	if (rc == 0)
		rc = read_number(dev, "sector-size", 4096, 512, &size);
	if (rc == 0 && (size < 512 || !power_of_two(size))) {
		printk("blkfront: %s: bad sector-size %lu\n", dev->name, size);
		rc = -XEN_EINVAL;
	}
	if (rc == 0)
		rc = read_number(dev, "info", 0xffffffffUL, 0, &info);
	if (rc == 0)
		rc = read_number(dev, "feature-flush-cache", 1, 0, &flush);
	if (rc == 0)
		rc = read_number(dev, "feature-barrier", 1, 0, &barrier);
	if (rc == 0)
		rc = read_number(dev, "feature-discard", 1, 0, &discard);
	if (rc == 0 && discard)
		rc = read_discard(dev);
	if (rc == 0)
		rc = read_fast_paths(dev);
	if (rc < 0)
		return rc;
	dev->sectors = sectors;
	dev->sector_size = (unsigned int)size;
	dev->readonly = (info & VDISK_READONLY) != 0;
	dev->discard = (int)discard;
	/* Linux blkfront prefers FLUSH_DISKCACHE: a barrier also drains
	 * the ring in blkback, which we do ourselves. Neither: the
	 * backend has no write cache, a completed write is durable. */
	dev->flush_op = flush	  ? BLKIF_OP_FLUSH_DISKCACHE
			: barrier ? BLKIF_OP_WRITE_BARRIER
				  : 0;
	return 0;
}

/*
 * The ring's order: what blkback offers (max-ring-page-order, written
 * before InitWait; absent means one page), at most ours, lowered by
 * the knob. More pages, more requests in flight: 32 a page.
 */
static int ring_order(struct blkdev *dev, unsigned int *order)
{
	unsigned long max;
	int rc = read_number(dev, "max-ring-page-order", 0xffffffffUL, 0, &max);

	if (rc < 0)
		return rc;
	if (max > BLK_RING_MAX_ORDER)
		max = BLK_RING_MAX_ORDER;
	*order = (unsigned int)knob("BLKFRONT_MAX_RING_ORDER",
				    BLK_RING_MAX_ORDER, max);
	if (*order > max)
		*order = (unsigned int)max;
	return 0;
}

/* The shared ring pages, each granted, and an event channel. */
static int setup_ring(struct blkdev *dev)
{
	unsigned int i, order;
	int rc = ring_order(dev, &order);

	if (rc < 0)
		return rc;
	dev->ring_order = order;
	dev->shadow = kcalloc(BLK_RING_SLOTS(order), sizeof(*dev->shadow));
	dev->sring = page_alloc(order);
	if (dev->sring == NULL || dev->shadow == NULL)
		return -XEN_ENOMEM;
	memset(dev->sring, 0, PAGE_SIZE << order);
	blk_ring_init(&dev->ring, dev->sring, order, dev->shadow);
	for (i = 0; i < 1U << order; i++) {
		rc = gnttab_grant_access(
			dev->xb.otherend_id,
			virt_to_mfn((char *)dev->sring + i * PAGE_SIZE), 0,
			&dev->ring_ref[i]);
		if (rc < 0)
			return rc;
	}
	return evtchn_alloc_unbound(dev->xb.otherend_id, blkfront_event, dev,
				    &dev->port);
}

/*
 * Take back the ring pages: the backend unmaps them when it
 * disconnects, which follows our Closed; until it has, a page cannot
 * be reused (it would stay visible to the backend), so pages still
 * mapped at the deadline are left allocated for good. A ref of 0 is
 * one never granted (0 is reserved for the toolstack).
 */
static void free_ring(struct blkdev *dev, uint64_t deadline)
{
	unsigned int i;

	if (dev->port != 0)
		evtchn_close(dev->port);
	dev->port = 0;
	for (i = 0; i < 1U << dev->ring_order; i++)
		while (dev->ring_ref[i] != 0 &&
		       gnttab_end_access(dev->ring_ref[i]) == -XEN_EBUSY) {
			if (xen_system_time_ns() >= deadline) {
				printk("blkfront: %s: backend still maps "
				       "the ring\n",
				       dev->name);
				return;
			}
			thread_sleep(10 * NSEC_PER_MS);
		}
	if (dev->sring != NULL)
		page_free(dev->sring, dev->ring_order);
	dev->sring = NULL;
	dev->ring.size = 0; /* nothing walks the shadows after this */
	kfree(dev->shadow);
	dev->shadow = NULL;
}

static int connect(struct blkdev *dev, const char *id)
{
	enum xenbus_state s;
	int rc;

	rc = xenbus_device_init(&dev->xb, "vbd", id, backend_changed);
	if (rc < 0)
		return rc;
	/* A backend already Closing or Closed belongs to a disk being
	 * detached (its directories go soon): there is nothing to open,
	 * nor may we write into a directory the toolstack is removing. */
	s = xenbus_backend_state(&dev->xb);
	if (s == XenbusStateClosing || s == XenbusStateClosed) {
		xenbus_device_free(&dev->xb);
		return -XEN_ENODEV;
	}
	/* The ring's size depends on what blkback wrote by InitWait. */
	rc = xenbus_wait_backend(&dev->xb, XenbusStateInitWait, BLK_TIMEOUT_NS);
	if (rc == 0)
		rc = setup_ring(dev);
	if (rc == 0)
		rc = xenbus_connect(&dev->xb, XenbusStateInitialised, publish,
				    dev, BLK_TIMEOUT_NS);
	if (rc == 0)
		rc = read_features(dev);
	if (rc == 0)
		return 0;
	printk("blkfront: %s: cannot connect (%d), backend %s\n", dev->name, rc,
	       xenbus_state_name(xenbus_backend_state(&dev->xb)));
	xenbus_close(&dev->xb, BLK_TIMEOUT_NS);
	free_ring(dev, xen_system_time_ns() + BLK_TIMEOUT_NS);
	xenbus_device_free(&dev->xb);
	return rc;
}

/*
 * The watchdog: every ring request must be answered within
 * BLK_TIMEOUT_NS of being queued (its shadow's deadline), whether or
 * not a thread waits for it: an asynchronous request whose completion
 * is a callback has nobody in blk_wait to notice a silent backend.
 * One thread a device sleeps until the earliest deadline on the ring
 * (or BLK_TIMEOUT_NS when it is empty), and disables the device if a
 * request is overdue: every request then fails with -XEN_EIO, none is
 * left hanging. It ends when the device closes or is disabled.
 */
static void watchdog(void *arg)
{
	struct blkdev *dev = arg;

	while (!dev->shutting && dev->state == BLKDEV_CONNECTED) {
		uint64_t now = xen_system_time_ns();
		uint64_t next = now + BLK_TIMEOUT_NS;

		if (blk_ring_overdue(&dev->ring, now, &next)) {
			blkfront_disable(dev, "no answer in 30 s");
			break;
		}
		waitq_wait(&dev->watch_wq, next);
	}
	dev->watch_done = 1;
	waitq_wake_all(&dev->wq);
}

static void start_watchdog(struct blkdev *dev)
{
	struct thread *t = thread_create("blkfront-watch", watchdog, dev, 0);

	if (t == NULL) {
		/* blk_wait's own deadline still holds for waited ones. */
		printk("blkfront: %s: no watchdog thread\n", dev->name);
		dev->watch_done = 1;
		return;
	}
	thread_detach(t);
}

/* The first vbd's id (lowest number), when no name is given. */
static int first_vbd(unsigned long *vdev)
{
	char **ids;
	int n, i, rc;
	unsigned long v, best = ~0UL;

	rc = xenbus_enumerate("vbd", &ids, &n);
	if (rc < 0)
		return rc == -XEN_ENOENT ? -XEN_ENODEV : rc;
	for (i = 0; i < n; i++)
		if (xs_parse_ulong(ids[i], 0xffffffffUL, &v) == 0 && v < best)
			best = v;
	kfree(ids);
	if (best == ~0UL)
		return -XEN_ENODEV;
	*vdev = best;
	return 0;
}

static int open_locked(const char *vdev, struct blkdev **out)
{
	struct blkdev *dev;
	unsigned long num;
	char id[16];
	int rc;

	rc = vdev ? blk_vdev_parse(vdev, &num) : first_vbd(&num);
	if (rc < 0)
		return rc == -XEN_EINVAL ? -XEN_ENODEV : rc;
	for (dev = open_devices; dev != NULL; dev = dev->next)
		if (dev->vdev == num) {
			*out = dev;
			return 0;
		}
	dev = kzalloc(sizeof(*dev));
	if (dev == NULL)
		return -XEN_ENOMEM;
	dev->vdev = num;
	blk_vdev_name(num, dev->name, sizeof(dev->name));
	waitq_init(&dev->wq);
	waitq_init(&dev->watch_wq);
	snprintk(id, sizeof(id), "%lu", num);
	rc = connect(dev, id);
	if (rc < 0) {
		kfree(dev);
		return rc == -XEN_ENOENT ? -XEN_ENODEV : rc;
	}
	dev->state = BLKDEV_CONNECTED;
	start_watchdog(dev);
	dev->next = open_devices;
	open_devices = dev;
	*out = dev;
	return 0;
}

int blk_open(const char *vdev, struct blkdev **out)
{
	int rc;

	mutex_lock(&open_lock);
	rc = open_locked(vdev, out);
	mutex_unlock(&open_lock);
	return rc;
}

/* Wait until no request is on the ring, or the deadline. */
static int drain(struct blkdev *dev, uint64_t deadline)
{
	while (dev->ring.in_flight > 0 && blkdev_ring_usable(dev))
		if (waitq_wait(&dev->wq, deadline) < 0 &&
		    dev->ring.in_flight > 0) {
			blkfront_disable(dev, "requests unanswered at close");
			return -XEN_EIO;
		}
	return 0;
}

/*
 * Disconnect, as blk.md 7 has it: no new requests; wait for every
 * answer; flush what was written since the last flush; Closing, then
 * Closed once the backend is Closing; take back the ring. Each step
 * is bounded by BLK_TIMEOUT_NS. One thread does it (dev->shutting).
 */
static int shut(struct blkdev *dev, int detached)
{
	uint64_t deadline = xen_system_time_ns() + BLK_TIMEOUT_NS;
	struct blkdev **p;
	int rc;

	if (dev->state == BLKDEV_CONNECTED)
		dev->state = BLKDEV_CLOSING;
	/* The watchdog ends (we drain with deadlines of our own), before
	 * the ring it reads goes. */
	waitq_wake_all(&dev->watch_wq);
	while (!dev->watch_done)
		if (waitq_wait(&dev->wq, deadline) < 0)
			break;
	rc = drain(dev, deadline);
	if (rc == 0 && dev->dirty && blkdev_ring_usable(dev))
		rc = blk_io_flush(dev);
	if (xenbus_close(&dev->xb, BLK_TIMEOUT_NS) < 0 && rc == 0)
		rc = -XEN_EIO;
	free_ring(dev, xen_system_time_ns() + BLK_TIMEOUT_NS);
	if (dev->pool != NULL)
		blk_pgnt_free_all(dev, xen_system_time_ns() + BLK_TIMEOUT_NS);
	xenbus_device_free(&dev->xb);
	for (p = &open_devices; *p != NULL; p = &(*p)->next)
		if (*p == dev) {
			*p = dev->next;
			break;
		}
	if (dev->state != BLKDEV_DISABLED)
		dev->state = BLKDEV_CLOSED;
	if (detached)
		printk("blkfront: %s: detached%s\n", dev->name,
		       rc == 0 ? "" : ", with errors");
	dev->shut_done = 1;
	waitq_wake_all(&dev->wq); /* last touch: blk_close may free dev */
	return rc;
}

/* The toolstack detaches the disk (xl block-detach). */
static void detach_thread(void *arg)
{
	shut(arg, 1);
}

/*
 * xenwatch thread: the backend changed state. Closing (or Closed) is
 * the toolstack detaching the disk, or blkback giving up: from now on
 * new requests fail, and a thread of its own drains and closes (this
 * one must go on delivering watch events, the answers among them).
 */
static void backend_changed(struct xenbus_device *xb, enum xenbus_state s)
{
	struct blkdev *dev = (struct blkdev *)xb; /* xb is the first member */
	struct thread *t;

	if ((s != XenbusStateClosing && s != XenbusStateClosed) ||
	    dev->shutting || dev->state == BLKDEV_CLOSED)
		return;
	if (dev->state == BLKDEV_CONNECTED)
		dev->state = BLKDEV_CLOSING;
	dev->shutting = 1;
	waitq_wake_all(&dev->wq);
	t = thread_create("blkfront-detach", detach_thread, dev, 0);
	if (t == NULL)
		printk("blkfront: %s: no thread to detach\n", dev->name);
	else
		thread_detach(t);
}

int blk_close(struct blkdev *dev)
{
	uint64_t deadline = xen_system_time_ns() + 3 * BLK_TIMEOUT_NS;
	int rc = 0;

	if (!dev->shutting) {
		dev->shutting = 1;
		rc = shut(dev, 0);
	}
	/* A detach runs: it ends within its three bounded steps. */
	while (!dev->shut_done)
		if (waitq_wait(&dev->wq, deadline) < 0)
			return -XEN_ETIMEDOUT;
	kfree(dev);
	return rc;
}

unsigned int blk_sector_size(const struct blkdev *dev)
{
	return dev->sector_size;
}

uint64_t blk_sectors(const struct blkdev *dev)
{
	return dev->sectors / (dev->sector_size / 512);
}

int blk_readonly(const struct blkdev *dev)
{
	return dev->readonly;
}

void blk_get_stats(const struct blkdev *dev, struct blk_stats *st)
{
	*st = dev->stats;
	st->write_cache = dev->flush_op != 0;
	st->ring_slots = dev->ring.size;
	st->max_segments = dev->max_segs;
	st->persistent = dev->persistent;
}

const char *blk_name(const struct blkdev *dev)
{
	return dev->name;
}
