/*
 * page_alloc.c - the buddy allocator that owns the guest's free pages.
 *
 * Blocks are 2^order pages, naturally aligned on the page frame number
 * (address >> 12): a block of order k starts at a pfn that is a multiple
 * of 2^k, so its buddy is found by flipping bit k of the pfn. The region
 * need not be aligned; it is cut into the largest aligned blocks that
 * fit, and a buddy outside the region is simply never free.
 *
 * Memory may come in several regions (a PVH guest's RAM is split by the
 * MMIO hole below 4 GiB). Each region is managed on its own: a block
 * never crosses a region's edge, and a buddy in another region is
 * never merged with, even when the two regions touch.
 *
 * Metadata is one byte per managed page, in the first pages of each
 * region. A block's first page says whether the block is free or
 * allocated, and its order; every other page of the block says
 * PG_TAIL. Splitting and merging change only first-page bytes, so both
 * are O(1) and page_alloc and page_free are O(MAX_ORDER), with no
 * recursion. The bytes also let page_free check its argument before it
 * touches anything.
 *
 * Free blocks sit on one doubly-linked list per order (shared by all
 * regions), linked through the first bytes of the free block itself.
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

struct region {
	uint8_t *meta;		      /* meta[pfn - first_pfn], at base_pfn */
	uintptr_t base_pfn;	      /* the region, metadata included */
	uintptr_t first_pfn, end_pfn; /* managed pages: [first_pfn, end_pfn) */
};

static struct region regions[PAGE_ALLOC_MAX_REGIONS];
static unsigned int nregions;
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

/* The region that manages pfn, or NULL. (Not inlined: small beats fast
 * here, the image has a size budget.) */
static __attribute__((noinline)) struct region *region_of(uintptr_t pfn)
{
	unsigned int i;

	for (i = 0; i < nregions; i++)
		if (pfn >= regions[i].first_pfn && pfn < regions[i].end_pfn)
			return &regions[i];
	return NULL;
}

static uint8_t *meta_byte(struct region *r, uintptr_t pfn)
{
	return &r->meta[pfn - r->first_pfn];
}

/* Put the block of this order at pfn, in region r, on its free list. */
static void push_free(struct region *r, uintptr_t pfn, unsigned int order)
{
	struct free_block *b = block_at(pfn);

	b->prev = NULL;
	b->next = free_list[order];
	if (b->next)
		b->next->prev = b;
	free_list[order] = b;
	*meta_byte(r, pfn) = PG_FREE | order;
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

/* The largest order of an aligned block at pfn that ends by r's end. */
static unsigned int fit_order(const struct region *r, uintptr_t pfn)
{
	unsigned int k = 0;

	while (k < PAGE_ALLOC_MAX_ORDER && (pfn & (pages(k + 1) - 1)) == 0 &&
	       r->end_pfn - pfn >= pages(k + 1))
		k++;
	return k;
}

int page_alloc_add_region(void *base, size_t npages)
{
	/* Fewest metadata pages m with m * 4096 >= npages - m. */
	size_t meta_pages =
		(npages + PAGE_ALLOC_PAGE_SIZE) / (PAGE_ALLOC_PAGE_SIZE + 1);
	uintptr_t pfn = pfn_of(base);
	struct region *r;
	unsigned int i, k;

	if (nregions == PAGE_ALLOC_MAX_REGIONS || npages <= meta_pages ||
	    ((uintptr_t)base & (PAGE_ALLOC_PAGE_SIZE - 1)))
		return -1;
	for (i = 0; i < nregions; i++)
		if (pfn < regions[i].end_pfn &&
		    regions[i].base_pfn < pfn + npages)
			return -1; /* overlaps: one page must not be two */
	r = &regions[nregions++];
	r->meta = base;
	r->base_pfn = pfn;
	r->first_pfn = pfn_of(base) + meta_pages;
	r->end_pfn = pfn_of(base) + npages;
	memset(r->meta, PG_TAIL, r->end_pfn - r->first_pfn);
	for (pfn = r->first_pfn; pfn < r->end_pfn; pfn += pages(k)) {
		k = fit_order(r, pfn);
		push_free(r, pfn, k);
	}
	return 0;
}

void page_alloc_init(void *base, size_t npages)
{
	memset(free_list, 0, sizeof(free_list));
	memset(free_blocks, 0, sizeof(free_blocks));
	free_pages = 0;
	nregions = 0;
	page_alloc_add_region(base, npages);
}

void *page_alloc(unsigned int order)
{
	struct free_block *b;
	unsigned int k = order;
	struct region *r;
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
	r = region_of(pfn);
	/* Split: keep the lower half, free the upper one, until it fits. */
	while (k > order) {
		k--;
		push_free(r, pfn + pages(k), k);
	}
	*meta_byte(r, pfn) = PG_USED | order;
	return b;
}

/* The meta byte of p's page, or -1 if p is not a page of a region. */
static int meta_of(const void *p)
{
	struct region *r = region_of(pfn_of(p));

	if ((uintptr_t)p & (PAGE_ALLOC_PAGE_SIZE - 1))
		return -1;
	if (r == NULL)
		return -1;
	return *meta_byte(r, pfn_of(p));
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
		return "page_free: not managed memory";
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
	struct region *r;

	if (bad) {
		page_alloc_misuse(bad, p);
		return;
	}
	r = region_of(pfn);
	while (order < PAGE_ALLOC_MAX_ORDER) {
		buddy = pfn ^ pages(order);
		/* A buddy not wholly in p's region is never free. */
		if (buddy < r->first_pfn || buddy >= r->end_pfn ||
		    *meta_byte(r, buddy) != (PG_FREE | order))
			break;
		unlink_free(block_at(buddy), order);
		/* The upper of the two is now inside the merged block. */
		*meta_byte(r, pfn | buddy) = PG_TAIL;
		pfn &= buddy;
		order++;
	}
	push_free(r, pfn, order);
}

size_t page_free_count(void)
{
	return free_pages;
}

size_t page_total_count(void)
{
	size_t n = 0;
	unsigned int i;

	for (i = 0; i < nregions; i++)
		n += regions[i].end_pfn - regions[i].first_pfn;
	return n;
}

size_t page_free_blocks(unsigned int order)
{
	return order < NORDERS ? free_blocks[order] : 0;
}
