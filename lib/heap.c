/*
 * heap.c - kmalloc and friends: small objects carved from pages.
 *
 * Requests up to 2016 bytes are rounded up to a size class and served
 * from a slab: one page with a struct slab header in its first 64 bytes
 * and equal objects after it. The classes are powers of two up to 512,
 * then 1008 and 2016, which fill a page exactly (4 and 2 objects) where
 * 1024 and 2048 would lose one object in four and one in two to the
 * header. Larger requests get a page_alloc block of their own.
 *
 * kfree tells the two apart by alignment: a slab object never starts on
 * a page boundary (the header is there) and a large block always does.
 * An object's size is in the header of its page, found by rounding the
 * pointer down to 4 KiB; a large block's order is kept by page_alloc's
 * own metadata (page_alloc_order), so it needs no header and 2^n pages
 * cost exactly 2^n pages.
 *
 * Each slab keeps a bitmap of its free objects rather than a free list
 * threaded through them: allocation takes the first set bit (at most 4
 * words), and kfree can tell a double free from a live object. Slabs
 * with a free object are on their class's list. A slab whose last
 * object is freed goes straight back to page_alloc, so freeing every
 * object returns every page: no empty slab is cached.
 */
#include <stdint.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>

#define SLAB_MAGIC 0x51ab4ea9u
#define SLAB_HDR   64 /* bytes before the first object */
#define SLAB_MAX   2016
#define MAP_WORDS  4 /* enough bits for (4096 - 64) / 16 objects */

struct slab {
	uint32_t magic; /* SLAB_MAGIC while the page is a slab */
	uint8_t cls;
	uint8_t nobj;
	uint16_t nfree;
	struct slab *next, *prev;    /* on partial[cls] while nfree > 0 */
	uint64_t freemap[MAP_WORDS]; /* bit i set: object i is free */
};

_Static_assert(sizeof(struct slab) <= SLAB_HDR, "slab header too big");

static const uint16_t class_size[] = { 16, 32, 64, 128, 256, 512, 1008, 2016 };

#define NCLASSES (sizeof(class_size) / sizeof(class_size[0]))

static struct slab *partial[NCLASSES];
static struct heap_stats stats;

void (*heap_misuse_hook)(const char *what, void *p);

void heap_misuse(const char *what, void *p)
{
	if (heap_misuse_hook)
		heap_misuse_hook(what, p);
}

static unsigned int class_of(size_t size)
{
	unsigned int c = 0;

	while (class_size[c] < size)
		c++;
	return c;
}

/* The page order a large request needs, or -1 if none is big enough. */
static int order_of(size_t size)
{
	int order = 0;

	while ((PAGE_ALLOC_PAGE_SIZE << order) < size)
		if (++order > PAGE_ALLOC_MAX_ORDER)
			return -1;
	return order;
}

/* What kmalloc(size) would really give, or 0 if it cannot. */
static size_t round_size(size_t size)
{
	int order;

	if (size <= SLAB_MAX)
		return class_size[class_of(size)];
	order = order_of(size);
	return order < 0 ? 0 : PAGE_ALLOC_PAGE_SIZE << order;
}

static void list_add(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

static void list_del(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
}

static struct slab *slab_new(unsigned int cls)
{
	struct slab *s = page_alloc(0);
	unsigned int i;

	if (!s)
		return NULL;
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->cls = cls;
	s->nobj = (PAGE_ALLOC_PAGE_SIZE - SLAB_HDR) / class_size[cls];
	s->nfree = s->nobj;
	for (i = 0; i < s->nobj; i++)
		s->freemap[i / 64] |= 1ULL << (i % 64);
	list_add(s);
	stats.pages_held++;
	return s;
}

static void *slab_alloc(unsigned int cls)
{
	struct slab *s = partial[cls];
	unsigned int w = 0, i;

	if (!s && !(s = slab_new(cls)))
		return NULL;
	while (!s->freemap[w])
		w++;
	i = w * 64 + __builtin_ctzll(s->freemap[w]);
	s->freemap[w] &= ~(1ULL << (i % 64));
	if (--s->nfree == 0)
		list_del(s);
	stats.bytes_in_use += class_size[cls];
	return (char *)s + SLAB_HDR + i * class_size[cls];
}

static int is_free(const struct slab *s, unsigned int i)
{
	return (s->freemap[i / 64] >> (i % 64)) & 1;
}

/*
 * The slab holding the object p (not page-aligned) and its index, or
 * NULL after reporting why p cannot be one of our objects.
 */
static struct slab *slab_of(void *p, unsigned int *index, const char *who)
{
	struct slab *s =
		(struct slab *)((uintptr_t)p & ~(PAGE_ALLOC_PAGE_SIZE - 1));
	size_t off = (char *)p - (char *)s, size;

	if (s->magic != SLAB_MAGIC || s->cls >= NCLASSES) {
		heap_misuse(who, p);
		return NULL;
	}
	size = class_size[s->cls];
	if (off < SLAB_HDR || (off - SLAB_HDR) % size ||
	    (off - SLAB_HDR) / size >= s->nobj) {
		heap_misuse(who, p);
		return NULL;
	}
	*index = (off - SLAB_HDR) / size;
	return s;
}

static void slab_free(void *p)
{
	unsigned int i;
	struct slab *s = slab_of(p, &i, "kfree: not a heap object");

	if (!s)
		return;
	if (is_free(s, i)) {
		heap_misuse("kfree: double free", p);
		return;
	}
	s->freemap[i / 64] |= 1ULL << (i % 64);
	stats.bytes_in_use -= class_size[s->cls];
	if (++s->nfree == 1)
		list_add(s); /* it was full */
	if (s->nfree == s->nobj) {
		list_del(s);
		s->magic = 0; /* so a stale pointer into it is caught */
		page_free(s, 0);
		stats.pages_held--;
	}
}

static void *large_alloc(size_t size)
{
	int order = order_of(size);
	void *p;

	if (order < 0 || !(p = page_alloc(order)))
		return NULL;
	stats.bytes_in_use += PAGE_ALLOC_PAGE_SIZE << order;
	stats.pages_held += 1UL << order;
	return p;
}

static void large_free(void *p)
{
	int order = page_alloc_order(p);

	if (order < 0) {
		heap_misuse("kfree: not an allocated block or double free", p);
		return;
	}
	page_free(p, order);
	stats.bytes_in_use -= PAGE_ALLOC_PAGE_SIZE << order;
	stats.pages_held -= 1UL << order;
}

static int page_aligned(const void *p)
{
	return ((uintptr_t)p & (PAGE_ALLOC_PAGE_SIZE - 1)) == 0;
}

void *kmalloc(size_t size)
{
	if (size <= SLAB_MAX)
		return slab_alloc(class_of(size));
	return large_alloc(size);
}

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void *kcalloc(size_t n, size_t size)
{
	size_t total;

	if (__builtin_mul_overflow(n, size, &total))
		return NULL;
	return kzalloc(total);
}

void kfree(void *p)
{
	if (!p)
		return;
	if (page_aligned(p))
		large_free(p);
	else
		slab_free(p);
}

size_t kmalloc_usable_size(void *p)
{
	unsigned int i;
	struct slab *s;
	int order;

	if (!p)
		return 0;
	if (page_aligned(p)) {
		order = page_alloc_order(p);
		if (order >= 0)
			return PAGE_ALLOC_PAGE_SIZE << order;
		heap_misuse("kmalloc_usable_size: not an allocated block", p);
		return 0;
	}
	s = slab_of(p, &i, "kmalloc_usable_size: not a heap object");
	if (!s)
		return 0;
	if (is_free(s, i)) {
		heap_misuse("kmalloc_usable_size: object is free", p);
		return 0;
	}
	return class_size[s->cls];
}

void *krealloc(void *p, size_t size)
{
	size_t old, want = round_size(size);
	void *n;

	if (!p)
		return kmalloc(size);
	old = kmalloc_usable_size(p);
	if (old == 0)
		return NULL; /* reported */
	if (want == old)
		return p;
	n = kmalloc(size);
	if (!n)
		return size <= old ? p : NULL; /* p still serves a shrink */
	memcpy(n, p, size < old ? size : old);
	kfree(p);
	return n;
}

void heap_stats(struct heap_stats *s)
{
	*s = stats;
}
