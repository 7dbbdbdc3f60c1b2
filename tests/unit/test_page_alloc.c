/*
 * test_page_alloc.c - the buddy allocator (lib/page_alloc.c).
 *
 * Regions come from posix_memalign with a large alignment, so that the
 * tests know which blocks the allocator must seed and can place the
 * region's start off alignment on purpose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xenlet/page_alloc.h>

#define PG	   PAGE_ALLOC_PAGE_SIZE
#define NORDERS	   (PAGE_ALLOC_MAX_ORDER + 1)
#define ALIGN_PGS  1024 /* regions start on a 4 MiB boundary */
#define MAX_BLOCKS 4096

static void *region;

/*
 * A region of npages pages starting skip pages after a 4 MiB boundary,
 * in an arena of at least ARENA_PGS pages from that boundary: the tests
 * of several regions add theirs further on in the same arena.
 */
#define ARENA_PGS 1024

static char *region_init(size_t skip, size_t npages)
{
	size_t arena = skip + npages + 1;

	free(region);
	if (arena < ARENA_PGS)
		arena = ARENA_PGS;
	assert_int_equal(posix_memalign(&region, ALIGN_PGS * PG, arena * PG),
			 0);
	page_alloc_init((char *)region + skip * PG, npages);
	return (char *)region + skip * PG;
}

static int misuse_calls;
static const char *misuse_what;
static void *misuse_ptr;

static void record_misuse(const char *what, void *p)
{
	misuse_calls++;
	misuse_what = what;
	misuse_ptr = p;
}

/* The allocator's visible state, to check that a call changed nothing. */
struct snap {
	size_t free, blocks[NORDERS];
};

static void take_snap(struct snap *s)
{
	unsigned int k;

	s->free = page_free_count();
	for (k = 0; k < NORDERS; k++)
		s->blocks[k] = page_free_blocks(k);
}

static void assert_snap_equal(const struct snap *a, const struct snap *b)
{
	unsigned int k;

	assert_int_equal(a->free, b->free);
	for (k = 0; k < NORDERS; k++)
		assert_int_equal(a->blocks[k], b->blocks[k]);
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void shuffle(void **v, size_t n)
{
	size_t i, j;
	void *t;

	for (i = n; i > 1; i--) {
		j = next_rand() % i;
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

static void test_seeding(void **state)
{
	/* Managed pages 2..600 (page 1 is the metadata): see fit_order. */
	static const size_t want[NORDERS] = { 1, 1, 1, 2, 2, 1, 2, 1, 1 };
	struct snap s;
	unsigned int k;

	(void)state;
	region_init(1, 600);
	assert_int_equal(page_total_count(), 599);
	assert_int_equal(page_free_count(), 599);
	take_snap(&s);
	for (k = 0; k < NORDERS; k++)
		assert_int_equal(s.blocks[k], want[k]);
}

static void test_tiny_regions(void **state)
{
	char *base, *p, *q;

	(void)state;
	region_init(0, 0);
	assert_int_equal(page_total_count(), 0);
	assert_null(page_alloc(0));

	/* One page is all metadata. */
	region_init(0, 1);
	assert_int_equal(page_total_count(), 0);
	assert_null(page_alloc(0));

	/* Pages 1 and 2: not an aligned pair. */
	base = region_init(0, 3);
	assert_int_equal(page_total_count(), 2);
	assert_null(page_alloc(1));
	p = page_alloc(0);
	q = page_alloc(0);
	assert_true((p == base + PG && q == base + 2 * PG) ||
		    (p == base + 2 * PG && q == base + PG));
	assert_null(page_alloc(0));
	assert_int_equal(page_free_count(), 0);

	/* Unaligned start: pages 4..6 of the 4 MiB block, 3 its metadata. */
	base = region_init(3, 4);
	assert_int_equal(page_total_count(), 3);
	assert_ptr_equal(page_alloc(1), base + PG);
	assert_ptr_equal(page_alloc(0), base + 3 * PG);
	assert_null(page_alloc(0));
}

static void test_every_page_one_by_one(void **state)
{
	static void *pages[MAX_BLOCKS];
	struct snap before, after;
	size_t n = 0, i, total;
	char *base, *p;

	(void)state;
	base = region_init(0, 2 * ALIGN_PGS + 37);
	total = page_total_count();
	assert_int_equal(total, 2 * ALIGN_PGS + 36);
	take_snap(&before);
	while ((p = page_alloc(0)) != NULL) {
		assert_true(p >= base + PG && p < base + (total + 1) * PG);
		assert_int_equal((uintptr_t)p % PG, 0);
		memset(p, 0xa5, PG);
		pages[n++] = p;
		assert_true(n <= total);
	}
	assert_int_equal(n, total);
	assert_int_equal(page_free_count(), 0);
	assert_null(page_alloc(0));

	shuffle(pages, n);
	for (i = 0; i < n; i++)
		page_free(pages[i], 0);
	take_snap(&after);
	assert_snap_equal(&before, &after);

	/* The 4 MiB-aligned half is whole again: one order-10 block. */
	assert_ptr_equal(page_alloc(10), base + ALIGN_PGS * PG);
	assert_null(page_alloc(10));
	assert_null(page_alloc(11));
}

struct live {
	unsigned char *p;
	unsigned int order;
	unsigned char tag;
};

static void fill(struct live *b)
{
	memset(b->p, b->tag, PG << b->order);
}

static void check_fill(const struct live *b)
{
	size_t i, n = PG << b->order;

	for (i = 0; i < n; i++)
		if (b->p[i] != b->tag)
			fail_msg("block %p order %u overwritten at %zu",
				 (void *)b->p, b->order, i);
}

static int overlaps(const struct live *a, const struct live *b)
{
	return a->p < b->p + (PG << b->order) && b->p < a->p + (PG << a->order);
}

/* Random allocations and frees, checked against a list of live blocks. */
static void test_random_against_model(void **state)
{
	static struct live live[MAX_BLOCKS];
	struct snap before, after;
	size_t n = 0, used = 0, total, i, j;
	unsigned int order, k;
	char *base;
	int step;

	(void)state;
	base = region_init(5, 3000);
	total = page_total_count();
	take_snap(&before);
	for (step = 0; step < 20000; step++) {
		if (n > 0 && (next_rand() % 100 < 45 || n == MAX_BLOCKS)) {
			i = next_rand() % n;
			check_fill(&live[i]);
			page_free(live[i].p, live[i].order);
			used -= (size_t)1 << live[i].order;
			live[i] = live[--n];
		} else {
			/* Mostly small orders, sometimes up to 8. */
			order = next_rand() % 100 < 80 ? next_rand() % 3
						       : next_rand() % 9;
			live[n].p = page_alloc(order);
			if (!live[n].p) {
				/* Only if no block is big enough. */
				for (k = order; k < NORDERS; k++)
					assert_int_equal(page_free_blocks(k),
							 0);
				continue;
			}
			live[n].order = order;
			live[n].tag = (unsigned char)(step | 1);
			assert_int_equal((uintptr_t)live[n].p % (PG << order),
					 0);
			assert_true((char *)live[n].p >= base + PG);
			assert_true((char *)live[n].p + (PG << order) <=
				    base + 3000 * PG);
			for (j = 0; j < n; j++)
				assert_false(overlaps(&live[j], &live[n]));
			fill(&live[n]);
			used += (size_t)1 << order;
			n++;
		}
		assert_int_equal(page_free_count(), total - used);
	}
	while (n > 0) {
		check_fill(&live[--n]);
		page_free(live[n].p, live[n].order);
	}
	take_snap(&after);
	assert_snap_equal(&before, &after);
}

/*
 * A guest of 1 GiB and more: 65 metadata pages, and one block of the
 * largest order. Only the pages written to are ever touched.
 */
static void test_large_region(void **state)
{
	const size_t max = (size_t)1 << PAGE_ALLOC_MAX_ORDER;
	char *p, *q;
	void *big;

	(void)state;
	free(region);
	assert_int_equal(
		posix_memalign(&region, max * PG, 2 * max * PG + 1000 * PG), 0);
	page_alloc_init((char *)region + (max - 100) * PG, max + 200);
	assert_int_equal(page_total_count(), max + 200 - 65);
	assert_int_equal(page_free_blocks(PAGE_ALLOC_MAX_ORDER), 1);
	big = page_alloc(PAGE_ALLOC_MAX_ORDER);
	assert_ptr_equal(big, (char *)region + max * PG);
	assert_null(page_alloc(PAGE_ALLOC_MAX_ORDER));
	p = page_alloc(0);
	q = page_alloc(5);
	assert_non_null(p);
	assert_non_null(q);
	page_free(big, PAGE_ALLOC_MAX_ORDER);
	page_free(p, 0);
	page_free(q, 5);
	assert_int_equal(page_free_count(), page_total_count());
	assert_int_equal(page_free_blocks(PAGE_ALLOC_MAX_ORDER), 1);
}

static void test_out_of_memory(void **state)
{
	void *p;

	(void)state;
	/* Managed pages 64..191: two order-6 blocks, no order 7. */
	region_init(63, 2 * 64 + 1);
	assert_null(page_alloc(PAGE_ALLOC_MAX_ORDER + 1));
	assert_null(page_alloc(PAGE_ALLOC_MAX_ORDER));
	assert_null(page_alloc(7));
	p = page_alloc(6);
	assert_non_null(page_alloc(6));
	assert_int_equal(page_free_count(), 0);
	assert_null(page_alloc(0));
	page_free(p, 6);
	assert_int_equal(page_free_count(), 64);
	assert_ptr_equal(page_alloc(6), p);
}

/* Each bad page_free is reported and changes nothing. */
#define EXPECT_MISUSE(p, order)                                                \
	do {                                                                   \
		struct snap a, b;                                              \
		int calls = misuse_calls;                                      \
		take_snap(&a);                                                 \
		page_free((p), (order));                                       \
		take_snap(&b);                                                 \
		assert_int_equal(misuse_calls, calls + 1);                     \
		assert_ptr_equal(misuse_ptr, (p));                             \
		assert_non_null(misuse_what);                                  \
		assert_snap_equal(&a, &b);                                     \
	} while (0)

static void test_misuse(void **state)
{
	char *base, *p, *q, *free_block;
	int calls;

	(void)state;
	base = region_init(0, 257);
	/* Managed pages 1..256: 1, 2-3, 4-7, ..., 128-255, 256. */
	p = page_alloc(2);
	assert_ptr_equal(p, base + 4 * PG);
	q = page_alloc(0);
	free_block = base + 128 * PG;
	assert_int_equal(page_alloc_order(free_block), -1);

	EXPECT_MISUSE(base, 0);			    /* the metadata page */
	EXPECT_MISUSE(base + 257 * PG, 0);	    /* past the end */
	EXPECT_MISUSE(base + 256 * PG, 1);	    /* runs past the end */
	EXPECT_MISUSE(p + 1, 2);		    /* not page-aligned */
	EXPECT_MISUSE(p + PG, 1);		    /* not aligned to order 1 */
	EXPECT_MISUSE(p + 2 * PG, 1);		    /* inside the block */
	EXPECT_MISUSE(p, 1);			    /* wrong order */
	EXPECT_MISUSE(p, 3);			    /* wrong order, aligned */
	EXPECT_MISUSE(p, PAGE_ALLOC_MAX_ORDER + 1); /* no such order */
	EXPECT_MISUSE(free_block, 7);		    /* never allocated */
	EXPECT_MISUSE(free_block + 4 * PG, 0);	    /* inside a free block */
	EXPECT_MISUSE(NULL, 0);

	calls = misuse_calls;
	assert_int_equal(page_alloc_order(p), 2);
	assert_int_equal(page_alloc_order(p + PG), -1);
	page_free(p, 2);
	assert_int_equal(misuse_calls, calls);
	assert_int_equal(page_alloc_order(p), -1);
	EXPECT_MISUSE(p, 2); /* double free */
	assert_non_null(strstr(misuse_what, "double free"));
	page_free(q, 0);
	EXPECT_MISUSE(q, 0);
	assert_non_null(strstr(misuse_what, "double free"));
	assert_int_equal(page_free_count(), page_total_count());
}

/*
 * Two regions that touch: [base, base + 300) and [base + 300, base +
 * 1000), metadata pages at 0 and 300. Every page of both is handed out
 * exactly once, none is a metadata page, and all come back with the
 * free lists as they were: no block was built across the seam.
 */
static void test_two_regions(void **state)
{
	static void *pages[MAX_BLOCKS];
	struct snap before, after;
	char *base;
	size_t n = 0, i;
	void *p;

	(void)state;
	base = region_init(0, 300);
	assert_int_equal(page_alloc_add_region(base + 300 * PG, 700), 0);
	assert_int_equal(page_total_count(), 299 + 699);
	assert_int_equal(page_free_count(), 299 + 699);
	take_snap(&before);
	while ((p = page_alloc(0)) != NULL) {
		assert_true(n < MAX_BLOCKS);
		assert_true(p > (void *)base && p < (void *)(base + 1000 * PG));
		assert_true(p != (void *)(base + 300 * PG));
		memset(p, 0xa5, PG); /* would clobber metadata it overlapped */
		pages[n++] = p;
	}
	assert_int_equal(n, 299 + 699);
	shuffle(pages, n);
	for (i = 0; i < n; i++)
		page_free(pages[i], 0);
	take_snap(&after);
	assert_snap_equal(&before, &after);
	/* The biggest block is 256 pages, at 512..767: in the second
	 * region, aligned, and not touching either metadata page. */
	p = page_alloc(8);
	assert_ptr_equal(p, base + 512 * PG);
	assert_int_equal(page_alloc_order(p), 8);
	assert_null(page_alloc(9));
	page_free(p, 8);
}

/* A region that cannot be added is refused and changes nothing. */
static void test_region_refused(void **state)
{
	struct snap a, b;
	char *base;
	int i;

	(void)state;
	base = region_init(0, 64);
	take_snap(&a);
	assert_int_equal(page_alloc_add_region(base + 32 * PG, 64), -1);
	assert_int_equal(page_alloc_add_region(base, 16), -1);
	assert_int_equal(page_alloc_add_region(base + 63 * PG, 2), -1);
	assert_int_equal(page_alloc_add_region(base + 100 * PG + 1, 8), -1);
	assert_int_equal(page_alloc_add_region(base + 100 * PG, 1), -1);
	take_snap(&b);
	assert_snap_equal(&a, &b);
	assert_int_equal(page_total_count(), 63);

	/* Regions up to the limit, then no more. */
	for (i = 1; i < PAGE_ALLOC_MAX_REGIONS; i++)
		assert_int_equal(
			page_alloc_add_region(base + (64 + 8 * i) * PG, 8), 0);
	assert_int_equal(page_total_count(),
			 63 + 7 * (PAGE_ALLOC_MAX_REGIONS - 1));
	assert_int_equal(page_alloc_add_region(base + 200 * PG, 8), -1);
}

/* Frees are checked against the right region; a gap between is outside. */
static void test_misuse_between_regions(void **state)
{
	char *base, *p;

	(void)state;
	base = region_init(0, 16);
	assert_int_equal(page_alloc_add_region(base + 32 * PG, 16), 0);
	EXPECT_MISUSE(base + 20 * PG, 0); /* the gap */
	EXPECT_MISUSE(base + 32 * PG, 0); /* the second metadata page */
	EXPECT_MISUSE(base + 48 * PG, 0); /* past the second region */
	p = page_alloc(3);
	assert_true(p == base + 8 * PG || p == base + 40 * PG);
	EXPECT_MISUSE(p + PG, 0);
	page_free(p, 3);
	assert_int_equal(page_free_count(), page_total_count());
}

static int group_teardown(void **state)
{
	(void)state;
	free(region);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seeding),
		cmocka_unit_test(test_tiny_regions),
		cmocka_unit_test(test_every_page_one_by_one),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_large_region),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_misuse),
		cmocka_unit_test(test_two_regions),
		cmocka_unit_test(test_region_refused),
		cmocka_unit_test(test_misuse_between_regions),
	};

	page_alloc_misuse_hook = record_misuse;
	return cmocka_run_group_tests_name("page_alloc", tests, NULL,
					   group_teardown);
}
