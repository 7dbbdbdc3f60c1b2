/*
 * page_alloc.c - the buddy allocator that owns the guest's free pages.
 *
 * Blocks are 2^order pages, naturally aligned on the page frame number
 * (address >> 12): a block of order k starts at a pfn that is a multiple
 * of 2^k, so its buddy is found by flipping bit k of the pfn. The region
 * need not be aligned; it is cut into the largest aligned blocks that
 * fit, and a buddy outside the region is simply never free.
 *
 * Metadata is one byte per managed page, in the first pages of the
 * region. A block's first page says whether the block is free or
 * allocated, and its order; every other page of the block says
 * PG_TAIL. Splitting and merging change only first-page bytes, so both
 * are O(1) and page_alloc and page_free are O(MAX_ORDER), with no
 * recursion. The bytes also let page_free check its argument before it
 * touches anything.
 *
 * Free blocks sit on one doubly-linked list per order, linked through
 * the first bytes of the free block itself.
 */
#include <stdint.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>

#define PG_TAIL	 0x00 /* a page inside a block, not its first */
#define PG_FREE	 0x40 /* first page of a free block; low bits: order */
#define PG_USED	 0x80 /* first page of an allocated block; low bits: order */
#define PG_ORDER 0x3f

#define NORDERS (PAGE_ALLOC_MAX_ORDER + 1)

struct free_block {
	struct free_block *next, *prev;
};

static uint8_t *meta;		     /* meta[pfn - first_pfn] */
static uintptr_t first_pfn, end_pfn; /* managed pages: [first_pfn, end_pfn) */
static size_t free_pages;
static struct free_block *free_list[NORDERS];
static size_t free_blocks[NORDERS];

void (*page_alloc_misuse_hook)(const char *what, void *p);

void page_alloc_misuse(const char *what, void *p)
{
	if (page_alloc_misuse_hook)
		page_alloc_misuse_hook(what, p);
}

static uintptr_t pfn_of(const void *p)
{
	return (uintptr_t)p >> PAGE_ALLOC_PAGE_SHIFT;
}

static struct free_block *block_at(uintptr_t pfn)
{
	return (struct free_block *)(pfn << PAGE_ALLOC_PAGE_SHIFT);
}

static uintptr_t pages(unsigned int order)
{
	return (uintptr_t)1 << order;
}

/* Put the block of this order at pfn on its free list. */
static void push_free(uintptr_t pfn, unsigned int order)
{
	struct free_block *b = block_at(pfn);

	b->prev = NULL;
	b->next = free_list[order];
	if (b->next)
		b->next->prev = b;
	free_list[order] = b;
	meta[pfn - first_pfn] = PG_FREE | order;
	free_blocks[order]++;
	free_pages += pages(order);
}

/* Take a free block off its list; the caller rewrites its meta byte. */
static void unlink_free(struct free_block *b, unsigned int order)
{
	if (b->prev)
		b->prev->next = b->next;
	else
		free_list[order] = b->next;
	if (b->next)
		b->next->prev = b->prev;
	free_blocks[order]--;
	free_pages -= pages(order);
}

/* The largest order of an aligned block at pfn that ends by end_pfn. */
static unsigned int fit_order(uintptr_t pfn)
{
	unsigned int k = 0;

	while (k < PAGE_ALLOC_MAX_ORDER && (pfn & (pages(k + 1) - 1)) == 0 &&
	       end_pfn - pfn >= pages(k + 1))
		k++;
	return k;
}

void page_alloc_init(void *base, size_t npages)
{
	/* Fewest metadata pages m with m * 4096 >= npages - m. */
	size_t meta_pages =
		(npages + PAGE_ALLOC_PAGE_SIZE) / (PAGE_ALLOC_PAGE_SIZE + 1);
	uintptr_t pfn;

	memset(free_list, 0, sizeof(free_list));
	memset(free_blocks, 0, sizeof(free_blocks));
	free_pages = 0;
	meta = base;
	first_pfn = pfn_of(base) + meta_pages;
	end_pfn = pfn_of(base) + npages;
	memset(meta, PG_TAIL, end_pfn - first_pfn);
	for (pfn = first_pfn; pfn < end_pfn; pfn += pages(fit_order(pfn)))
		push_free(pfn, fit_order(pfn));
}

void *page_alloc(unsigned int order)
{
	struct free_block *b;
	unsigned int k = order;
	uintptr_t pfn;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return NULL;
	while (k <= PAGE_ALLOC_MAX_ORDER && !free_list[k])
		k++;
	if (k > PAGE_ALLOC_MAX_ORDER)
		return NULL;
	b = free_list[k];
	unlink_free(b, k);
	pfn = pfn_of(b);
	/* Split: keep the lower half, free the upper one, until it fits. */
	while (k > order) {
		k--;
		push_free(pfn + pages(k), k);
	}
	meta[pfn - first_pfn] = PG_USED | order;
	return b;
}

/* The meta byte of p's page, or -1 if p is not a page in the region. */
static int meta_of(const void *p)
{
	uintptr_t pfn = pfn_of(p);

	if ((uintptr_t)p & (PAGE_ALLOC_PAGE_SIZE - 1))
		return -1;
	if (pfn < first_pfn || pfn >= end_pfn)
		return -1;
	return meta[pfn - first_pfn];
}

int page_alloc_order(const void *p)
{
	int m = meta_of(p);

	if (m < 0 || !(m & PG_USED))
		return -1;
	return m & PG_ORDER;
}

/* Why page_free(p, order) would be wrong, or NULL if it is fine. */
static const char *check_free(const void *p, unsigned int order)
{
	int m = meta_of(p);

	if (order > PAGE_ALLOC_MAX_ORDER)
		return "page_free: order too large";
	if ((uintptr_t)p & (PAGE_ALLOC_PAGE_SIZE - 1))
		return "page_free: not page-aligned";
	if (m < 0)
		return "page_free: outside the region";
	if (pfn_of(p) & (pages(order) - 1))
		return "page_free: not aligned to its order";
	if (m & PG_FREE)
		return "page_free: double free";
	if (!(m & PG_USED))
		return "page_free: not the start of an allocated block";
	if ((unsigned int)(m & PG_ORDER) != order)
		return "page_free: wrong order";
	return NULL;
}

void page_free(void *p, unsigned int order)
{
	const char *bad = check_free(p, order);
	uintptr_t pfn = pfn_of(p), buddy;

	if (bad) {
		page_alloc_misuse(bad, p);
		return;
	}
	while (order < PAGE_ALLOC_MAX_ORDER) {
		buddy = pfn ^ pages(order);
		/* A buddy that is not wholly in the region is never free. */
		if (buddy < first_pfn || buddy >= end_pfn ||
		    meta[buddy - first_pfn] != (PG_FREE | order))
			break;
		unlink_free(block_at(buddy), order);
		/* The upper of the two is now inside the merged block. */
		meta[(pfn | buddy) - first_pfn] = PG_TAIL;
		pfn &= buddy;
		order++;
	}
	push_free(pfn, order);
}

size_t page_free_count(void)
{
	return free_pages;
}

size_t page_total_count(void)
{
	return end_pfn - first_pfn;
}

size_t page_free_blocks(unsigned int order)
{
	return order < NORDERS ? free_blocks[order] : 0;
}
