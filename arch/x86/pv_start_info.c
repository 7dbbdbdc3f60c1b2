/*
 * pv_start_info.c - checking start_info, the domain builder's
 * description of a PV guest: its console and XenStore frames, its
 * memory, and the bootstrap structures Xen placed after the image.
 * Pure code (see start_info.h).
 */
#include "start_info.h"
#include <xenlet/arch.h>

const char *pv_check_start_info(struct pv_boot *b, const start_info_t *si,
				const unsigned long *m2p,
				unsigned long m2p_entries)
{
	(void)m2p_entries;
	b->console_pfn = m2p[si->console.domU.mfn];
	b->store_pfn = m2p[si->store_mfn];
	b->nr_pages = si->nr_pages;
	/* After the page tables Xen put one page of boot stack, no longer
	 * used (_start moved to our own): everything after is free. */
	b->first_free_pfn = ((si->pt_base + PAGE_SIZE - 1) >> PAGE_SHIFT) +
			    si->nr_pt_frames + 1;
	return NULL;
}
