/*
 * persist.c - persistent grants: a pool of pages granted to the backend
 * once and reused for every request (blkif.h, feature-persistent).
 *
 * When both sides wrote feature-persistent = 1, blkback keeps each
 * grant it sees mapped (read-write, whatever the operation) until the
 * ring disconnects, instead of mapping and unmapping it around every
 * request: no map hypercall, no unmap, no TLB flush on its side. The
 * price is ours: data is copied into these pages before a write and
 * out of them after a read, and a page may never be given back while
 * connected, since the backend may write into it at any time.
 *
 * The pool grows on demand up to BLK_GRANT_BUDGET pages (io.c never
 * has more grants in flight, so it never runs dry) and is reused last
 * in, first out, as Linux blkfront does: the backend's own cache of
 * mappings (1056 per ring in Linux 6.1) then keeps hitting the same
 * ones. New pages are zeroed: they must not show the backend what our
 * memory held before (XSA-403). Why they are on by default, copy and
 * all: blkfront.c, BLKFRONT_PERSISTENT_DEFAULT.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include "blkfront.h"

struct blk_pgnt {
	void *page;
	grant_ref_t gref;
};

int blk_pgnt_get(struct blkdev *dev, void **page, grant_ref_t *gref)
{
	struct blk_pgnt *e;
	int rc;

	if (dev->pool == NULL) {
		dev->pool = kcalloc(BLK_GRANT_BUDGET, sizeof(*dev->pool));
		if (dev->pool == NULL)
			return -XEN_ENOMEM;
	}
	if (dev->pool_free > 0) {
		e = &dev->pool[--dev->pool_free];
		*page = e->page;
		*gref = e->gref;
		return 0;
	}
	if (dev->pool_pages >= BLK_GRANT_BUDGET)
		return -XEN_ENOSPC; /* io.c's budget forbids it */
	*page = page_alloc(0);
	if (*page == NULL)
		return -XEN_ENOMEM;
	memset(*page, 0, PAGE_SIZE);
	rc = gnttab_grant_access(dev->xb.otherend_id, virt_to_mfn(*page), 0,
				 gref);
	if (rc < 0) {
		page_free(*page, 0);
		return rc;
	}
	dev->pool_pages++;
	return 0;
}

void blk_pgnt_put(struct blkdev *dev, void *page, grant_ref_t gref)
{
	struct blk_pgnt *e = &dev->pool[dev->pool_free++];

	e->page = page;
	e->gref = gref;
}

/*
 * After the backend disconnected (our Closed): it unmapped every
 * persistent grant then, so each ends now; one still mapped at the
 * deadline keeps its page, never reused. Pages out on the ring when
 * the device was disabled are not in the pool: they stay the
 * backend's for good.
 */
void blk_pgnt_free_all(struct blkdev *dev, uint64_t deadline)
{
	unsigned int i;

	for (i = 0; i < dev->pool_free; i++) {
		struct blk_pgnt *e = &dev->pool[i];

		while (gnttab_end_access(e->gref) == -XEN_EBUSY) {
			if (xen_system_time_ns() >= deadline) {
				printk("blkfront: %s: backend still maps a "
				       "persistent grant\n",
				       dev->name);
				return;
			}
			thread_sleep(10 * NSEC_PER_MS);
		}
		page_free(e->page, 0);
	}
	kfree(dev->pool);
	dev->pool = NULL;
	dev->pool_free = dev->pool_pages = 0;
}
