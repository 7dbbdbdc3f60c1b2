/*
 * pv_start_info.c - checking start_info, the domain builder's
 * description of a PV guest: its console and XenStore frames, its
 * memory, and the bootstrap structures Xen placed after the image.
 * Every number is bounded here before use (pure code, see
 * start_info.h).
 */
#include "start_info.h"
#include <xenlet/arch.h>

/* xenlet maps PFN p at p * 4 KiB: the lower canonical half, 2^47
 * bytes, holds at most this many pages. */
#define PV_MAX_PAGES (1UL << (47 - PAGE_SHIFT))

/*
 * The PFN of a machine frame start_info says is ours, or PV_NO_PFN.
 * The bound on mfn is decided by the caller: m2p_entries is the M2P's
 * size as Xen publishes it (XENMEM_maximum_ram_page), and past it Xen
 * maps no M2P, so m2p[mfn] would fault. The answer is then checked
 * both ways against our own p2m (nr_pages entries, Xen's definition of
 * mfn_list): a frame that is not ours is never taken for one that is.
 */
static unsigned long own_pfn(const start_info_t *si, const unsigned long *m2p,
			     unsigned long m2p_entries, xen_pfn_t mfn)
{
	const xen_pfn_t *p2m = (const xen_pfn_t *)si->mfn_list;
	unsigned long pfn;

	if (mfn >= m2p_entries)
		return PV_NO_PFN;
	pfn = m2p[mfn];
	if (pfn >= si->nr_pages || p2m[pfn] != mfn)
		return PV_NO_PFN;
	return pfn;
}

/*
 * The ramdisk: Xen's start-of-day layout (xen.h) puts it right after
 * the image, before the p2m list and the other bootstrap structures,
 * all in the initial mapping and below first_free_pfn, so the page
 * allocator never sees it. Taken only if it lies there: in [PAGE_SIZE,
 * pt_base) (page 0 is unmapped), with no wrap. A module given as a PFN
 * (SIF_MOD_START_PFN) is outside the initial mapping: xenlet does not
 * ask for that (no XEN_ELFNOTE_MOD_START_PFN), so it is not used.
 */
static void find_module(struct pv_boot *b, const start_info_t *si)
{
	unsigned long end = si->mod_start + si->mod_len;

	if (si->mod_start == 0 || si->mod_len == 0)
		return;
	if (si->flags & SIF_MOD_START_PFN)
		b->module.fault = RAMDISK_AS_PFN;
	else if (si->mod_start < PAGE_SIZE || end < si->mod_start ||
		 end > si->pt_base)
		b->module.fault = RAMDISK_OUTSIDE;
	else
		b->module = (struct boot_module){ (const void *)si->mod_start,
						  si->mod_len, RAMDISK_OK };
}

const char *pv_check_start_info(struct pv_boot *b, const start_info_t *si,
				const unsigned long *m2p,
				unsigned long m2p_entries)
{
	unsigned long pt = si->pt_base >> PAGE_SHIFT;

	*b = (struct pv_boot){ .console_pfn = PV_NO_PFN,
			       .store_pfn = PV_NO_PFN,
			       .bad = (long)si->nr_pages };
	if (si->nr_pages > PV_MAX_PAGES)
		return "bad start_info";
	b->bad = (long)si->console.domU.mfn;
	b->console_pfn = own_pfn(si, m2p, m2p_entries, si->console.domU.mfn);
	if (b->console_pfn == PV_NO_PFN)
		return "bad start_info";
	b->bad = (long)si->store_mfn;
	b->store_pfn = own_pfn(si, m2p, m2p_entries, si->store_mfn);
	if (b->store_pfn == PV_NO_PFN)
		return "bad start_info";
	/* After the page tables Xen put one page of boot stack, no longer
	 * used (_start moved to our own): everything after is free, and
	 * there must be some. Written so that nothing wraps. */
	if (si->pt_base & (PAGE_SIZE - 1))
		pt++;
	b->bad = (long)si->nr_pt_frames;
	if (pt >= si->nr_pages || si->nr_pt_frames >= si->nr_pages - pt - 1)
		return "bad start_info";
	b->first_free_pfn = pt + si->nr_pt_frames + 1;
	b->nr_pages = si->nr_pages;
	find_module(b, si);
	return NULL;
}
