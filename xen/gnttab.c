/*
 * gnttab.c - our grant table, v1 entries.
 *
 * GNTTABOP_setup_table makes Xen allocate nr_frames pages of entries
 * for us and tells us their frames; we map them (arch_map_grant_frames)
 * and from then on fill entries by plain memory writes, which Xen reads
 * when a peer uses a reference. The protocol fixes the order: domid and
 * frame first, a write barrier, then flags, because a peer may use the
 * entry the moment GTF_permit_access is visible. Entries 0..7 are
 * reserved for the toolstack (GNTTAB_NR_RESERVED_ENTRIES: xenstore and
 * console pages).
 *
 * Free references are kept in a singly linked list through next_free[].
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/hypercall.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>

#define WANT_FRAMES	  4 /* 2048 entries: plenty for a few rings */
#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define END_OF_LIST	  0xffffffffU

static grant_entry_v1_t *table;
static grant_ref_t *next_free;
static grant_ref_t free_head = END_OF_LIST;
static unsigned int nr_entries, nr_free;

static unsigned int frames_to_use(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };

	if (HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1) < 0 ||
	    q.status != GNTST_okay || q.max_nr_frames == 0)
		return 1;
	return q.max_nr_frames < WANT_FRAMES ? q.max_nr_frames : WANT_FRAMES;
}

int gnttab_init(void)
{
	xen_pfn_t frames[WANT_FRAMES];
	struct gnttab_setup_table s = { .dom = DOMID_SELF };
	unsigned int i, order = 0;
	long rc;

	s.nr_frames = frames_to_use();
	set_xen_guest_handle(s.frame_list, frames);
	rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &s, 1);
	if (rc < 0 || s.status != GNTST_okay)
		return rc < 0 ? (int)rc : -XEN_EIO;
	while ((1U << order) < s.nr_frames)
		order++;
	table = page_alloc(order);
	nr_entries = s.nr_frames * ENTRIES_PER_FRAME;
	next_free = kcalloc(nr_entries, sizeof(*next_free));
	if (table == NULL || next_free == NULL)
		return -XEN_ENOMEM;
	rc = arch_map_grant_frames(table, frames, (int)s.nr_frames);
	if (rc < 0)
		return (int)rc;
	for (i = nr_entries; i-- > GNTTAB_NR_RESERVED_ENTRIES;) {
		next_free[i] = free_head;
		free_head = i;
		nr_free++;
	}
	return 0;
}

int gnttab_grant_access(domid_t domid, unsigned long mfn, int readonly,
			grant_ref_t *ref)
{
	grant_ref_t r = free_head;

	if (table == NULL)
		return -XEN_ENODEV;
	if (r == END_OF_LIST)
		return -XEN_ENOSPC;
	if (mfn > 0xffffffffUL) /* a v1 entry has 32 bits for the frame */
		return -XEN_EINVAL;
	free_head = next_free[r];
	nr_free--;
	table[r].domid = domid;
	table[r].frame = (uint32_t)mfn;
	wmb(); /* domid and frame before the flags that validate them */
	table[r].flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
	*ref = r;
	return 0;
}

static int ref_valid(grant_ref_t ref)
{
	return table != NULL && ref >= GNTTAB_NR_RESERVED_ENTRIES &&
	       ref < nr_entries;
}

int gnttab_query_busy(grant_ref_t ref)
{
	if (!ref_valid(ref))
		return -XEN_EINVAL;
	return (table[ref].flags & (GTF_reading | GTF_writing)) != 0;
}

/*
 * Clear the flags only if Xen has not marked the entry in use: Xen
 * sets GTF_reading/GTF_writing atomically when the peer maps, so a
 * compare-and-swap either sees the bits or wins before the mapping.
 */
int gnttab_end_access(grant_ref_t ref)
{
	uint16_t flags;

	if (!ref_valid(ref))
		return -XEN_EINVAL;
	flags = __atomic_load_n(&table[ref].flags, __ATOMIC_SEQ_CST);
	do {
		if ((flags & GTF_type_mask) != GTF_permit_access)
			return -XEN_EINVAL; /* not granted (or freed twice) */
		if (flags & (GTF_reading | GTF_writing))
			return -XEN_EBUSY;
	} while (!__atomic_compare_exchange_n(&table[ref].flags, &flags, 0, 0,
					      __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	next_free[ref] = free_head;
	free_head = ref;
	nr_free++;
	return 0;
}

static int do_copy(struct gnttab_copy *op)
{
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, op, 1);

	if (rc < 0)
		return (int)rc;
	return op->status == GNTST_okay ? 0 : -XEN_EIO;
}

/* [offset, offset + len) inside one page, without offset + len wrapping. */
static int within_page(unsigned int offset, unsigned int len)
{
	return offset <= PAGE_SIZE && len <= PAGE_SIZE - offset;
}

/* Our side of a copy: the frame and offset of a local buffer. */
static int local_ptr(struct gnttab_copy_ptr *p, const void *buf,
		     unsigned int len)
{
	uintptr_t off = (uintptr_t)buf & (PAGE_SIZE - 1);

	if (!within_page(off, len))
		return -XEN_EINVAL;
	p->u.gmfn = virt_to_mfn(buf);
	p->domid = DOMID_SELF;
	p->offset = (uint16_t)off;
	return 0;
}

/*
 * One copy between a local buffer and [offset, offset + len) of the page
 * domid granted as ref: from that page if dir is GNTCOPY_source_gref,
 * to it if GNTCOPY_dest_gref.
 */
static int copy_granted(unsigned int dir, domid_t domid, grant_ref_t ref,
			unsigned int offset, const void *local,
			unsigned int len)
{
	struct gnttab_copy op = { .flags = dir, .len = (uint16_t)len };
	int from = dir == GNTCOPY_source_gref;
	struct gnttab_copy_ptr *granted = from ? &op.source : &op.dest;

	if (!within_page(offset, len) ||
	    local_ptr(from ? &op.dest : &op.source, local, len) < 0)
		return -XEN_EINVAL;
	granted->u.ref = ref;
	granted->domid = domid;
	granted->offset = (uint16_t)offset;
	return do_copy(&op);
}

int gnttab_copy_from(domid_t domid, grant_ref_t ref, unsigned int offset,
		     void *dst, unsigned int len)
{
	return copy_granted(GNTCOPY_source_gref, domid, ref, offset, dst, len);
}

int gnttab_copy_to(domid_t domid, grant_ref_t ref, unsigned int offset,
		   const void *src, unsigned int len)
{
	return copy_granted(GNTCOPY_dest_gref, domid, ref, offset, src, len);
}

unsigned int gnttab_free_count(void)
{
	return nr_free;
}

unsigned int gnttab_total_count(void)
{
	return nr_entries > GNTTAB_NR_RESERVED_ENTRIES
		       ? nr_entries - GNTTAB_NR_RESERVED_ENTRIES
		       : 0;
}
