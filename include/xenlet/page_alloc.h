/*
 * page_alloc.h - the page allocator: blocks of 2^order contiguous 4 KiB
 * pages, taken from the regions of free memory the guest has (one for a
 * PV guest; a PVH guest's RAM may be split by the MMIO hole).
 *
 * A block of order k is aligned to 2^k pages in the address space (and,
 * since xenlet maps pfn N at N * 4 KiB, in pseudo-physical memory too).
 * Nothing here locks: callers run on one vCPU, cooperatively.
 */
#ifndef XENLET_PAGE_ALLOC_H
#define XENLET_PAGE_ALLOC_H

#include <stddef.h>

#define PAGE_ALLOC_MAX_ORDER  18 /* largest block: 2^18 pages = 1 GiB */
#define PAGE_ALLOC_PAGE_SHIFT 12
#define PAGE_ALLOC_PAGE_SIZE  (1UL << PAGE_ALLOC_PAGE_SHIFT)

#define PAGE_ALLOC_MAX_REGIONS 8

/*
 * Hand the allocator the guest's free memory: npages pages from base,
 * which must be page-aligned. The allocator keeps one byte per page of
 * metadata in the first pages of the region (1 page per 4096 pages).
 * Called once; a second call forgets every region given before (the
 * unit tests rely on this).
 */
void page_alloc_init(void *base, size_t npages);

/*
 * One more region of free memory, after page_alloc_init. Blocks never
 * span two regions. Returns 0, or -1 (and changes nothing) if base is
 * not page-aligned, the region is too small to hold a page besides its
 * metadata, it overlaps a region already given, or there are already
 * PAGE_ALLOC_MAX_REGIONS.
 */
int page_alloc_add_region(void *base, size_t npages);

/* 2^order contiguous pages aligned to their size, or NULL when none. */
void *page_alloc(unsigned int order);

/*
 * Give back a block from page_alloc(order); it merges with its free
 * buddies. A pointer that is not the start of an allocated block of
 * that order is reported through page_alloc_misuse and ignored.
 */
void page_free(void *p, unsigned int order);

/* Pages free now, and pages managed (the region less the metadata). */
size_t page_free_count(void);
size_t page_total_count(void);

/* Free blocks of exactly this order now: for statistics and tests. */
size_t page_free_blocks(unsigned int order);

/*
 * The order of the allocated block that starts at p, or -1 if p is not
 * the start of an allocated block (free, inside a block, outside the
 * region). Lets the heap free page-sized objects without a header.
 */
int page_alloc_order(const void *p);

/*
 * Called on a bad page_free, with a message and the pointer; the call
 * has changed nothing. It calls page_alloc_misuse_hook if set (the
 * kernel sets one that prints and crashes, the unit tests one that
 * records), and otherwise does nothing.
 */
void page_alloc_misuse(const char *what, void *p);
extern void (*page_alloc_misuse_hook)(const char *what, void *p);

#endif
