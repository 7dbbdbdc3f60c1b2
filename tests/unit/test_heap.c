/*
 * test_heap.c - kmalloc and friends (lib/heap.c) on lib/page_alloc.c.
 *
 * All tests share one 24 MiB region. Each ends by checking that its
 * frees gave every page back: page_free_count() and heap_stats are
 * where they were when it started.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>

#define PG	PAGE_ALLOC_PAGE_SIZE
#define NPAGES	6144
#define MAX_OBJ 20000
#define MAX_ALL 300000 /* more objects of 100 bytes than NPAGES hold */

static void *region;
static size_t free_at_start;

static int misuse_calls;
static const char *misuse_what;
static void *misuse_ptr;

static void record_misuse(const char *what, void *p)
{
	misuse_calls++;
	misuse_what = what;
	misuse_ptr = p;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int group_setup(void **state)
{
	(void)state;
	if (posix_memalign(&region, 4 << 20, NPAGES * PG))
		return -1;
	page_alloc_init(region, NPAGES);
	page_alloc_misuse_hook = record_misuse;
	heap_misuse_hook = record_misuse;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	free(region);
	return 0;
}

static int setup(void **state)
{
	(void)state;
	free_at_start = page_free_count();
	misuse_calls = 0;
	return 0;
}

/* Everything freed: the pages are back, and nothing was misused. */
static void assert_all_back(void)
{
	struct heap_stats s;

	heap_stats(&s);
	assert_int_equal(s.bytes_in_use, 0);
	assert_int_equal(s.pages_held, 0);
	assert_int_equal(page_free_count(), free_at_start);
}

static void fill(void *p, size_t n, unsigned char tag)
{
	memset(p, tag, n);
}

static void check_fill(const void *p, size_t n, unsigned char tag)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i] != tag)
			fail_msg("%p + %zu: %#x, want %#x", p, i, c[i], tag);
}

static void test_sizes(void **state)
{
	static const struct {
		size_t size, usable;
	} t[] = {
		{ 0, 16 },
		{ 1, 16 },
		{ 15, 16 },
		{ 16, 16 },
		{ 17, 32 },
		{ 100, 128 },
		{ 512, 512 },
		{ 513, 1008 },
		{ 1008, 1008 },
		{ 1009, 2016 },
		{ 2016, 2016 },
		{ 2017, PG },
		{ 2048, PG },
		{ 2049, PG },
		{ 4096, PG },
		{ 4097, 2 * PG },
		{ 8192, 2 * PG },
		{ 1 << 20, 1 << 20 },
		{ (1 << 20) + 1, 2 << 20 },
	};
	const size_t n = sizeof(t) / sizeof(t[0]);
	struct heap_stats s;
	size_t i, in_use = 0;
	void *p[sizeof(t) / sizeof(t[0])];

	(void)state;
	for (i = 0; i < n; i++) {
		p[i] = kmalloc(t[i].size);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_int_equal(kmalloc_usable_size(p[i]), t[i].usable);
		fill(p[i], t[i].usable, (unsigned char)(i + 1));
		in_use += t[i].usable;
	}
	heap_stats(&s);
	assert_int_equal(s.bytes_in_use, in_use);
	assert_int_equal(page_free_count(), free_at_start - s.pages_held);
	for (i = 0; i < n; i++) {
		check_fill(p[i], t[i].usable, (unsigned char)(i + 1));
		kfree(p[i]);
	}
	kfree(NULL);
	assert_int_equal(misuse_calls, 0);
	assert_all_back();
}

struct obj {
	unsigned char *p;
	size_t size;
	unsigned char tag;
};

/* Random sizes, interleaved allocs and frees; no object overlaps another. */
static void test_random_mix(void **state)
{
	static struct obj live[MAX_OBJ];
	size_t n = 0, i, size;
	int step;

	(void)state;
	for (step = 0; step < 60000; step++) {
		if (n > 0 && (next_rand() % 100 < 40 || n == MAX_OBJ)) {
			i = next_rand() % n;
			check_fill(live[i].p, live[i].size, live[i].tag);
			kfree(live[i].p);
			live[i] = live[--n];
			continue;
		}
		size = next_rand() % 100 < 90 ? next_rand() % 600
					      : next_rand() % 9000;
		live[n].p = kmalloc(size);
		assert_non_null(live[n].p);
		assert_int_equal((uintptr_t)live[n].p % 16, 0);
		assert_true(kmalloc_usable_size(live[n].p) >= size);
		live[n].size = size;
		live[n].tag = (unsigned char)(step | 1);
		fill(live[n].p, size, live[n].tag);
		n++;
	}
	while (n > 0) {
		n--;
		check_fill(live[n].p, live[n].size, live[n].tag);
		kfree(live[n].p);
	}
	assert_int_equal(misuse_calls, 0);
	assert_all_back();
}

/*
 * Fill memory with one size until kmalloc fails, then free it all. It
 * must fail only when no free block of the order it needs is left.
 */
static void exhaust(size_t size, unsigned int order)
{
	static void *p[MAX_ALL];
	size_t n = 0;
	unsigned int k;

	while (n < MAX_ALL && (p[n] = kmalloc(size)) != NULL)
		n++;
	assert_true(n < MAX_ALL); /* it did run out */
	assert_true(n > 0);
	for (k = order; k <= PAGE_ALLOC_MAX_ORDER; k++)
		assert_int_equal(page_free_blocks(k), 0);
	while (n > 0)
		kfree(p[--n]);
	assert_all_back();
}

static void test_out_of_memory(void **state)
{
	(void)state;
	assert_null(kmalloc(NPAGES * PG));
	assert_null(kmalloc((size_t)1 << 31)); /* beyond the largest order */
	assert_null(kmalloc(SIZE_MAX));
	assert_null(kmalloc(SIZE_MAX - 100));
	exhaust(2016, 0);
	exhaust(100, 0);
	exhaust(3 << 20, 10);
	assert_int_equal(misuse_calls, 0);
	assert_all_back();
}

static int all_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return 0;
	return 1;
}

static void test_zeroed(void **state)
{
	void *p;

	(void)state;
	/* Dirty the memory kzalloc and kcalloc will get. */
	p = kmalloc(200);
	fill(p, 200, 0xff);
	kfree(p);
	p = kzalloc(200);
	assert_true(all_zero(p, 200));
	kfree(p);

	p = kmalloc(3 * PG);
	fill(p, 3 * PG, 0xff);
	kfree(p);
	p = kcalloc(3, PG);
	assert_non_null(p);
	assert_true(all_zero(p, 3 * PG));
	kfree(p);

	p = kcalloc(7, 9);
	assert_true(all_zero(p, 63));
	kfree(p);
	p = kcalloc(0, 5);
	assert_non_null(p);
	kfree(p);

	assert_null(kcalloc(SIZE_MAX / 2, 3));
	assert_null(kcalloc(SIZE_MAX, SIZE_MAX));
	assert_null(kcalloc((size_t)1 << 33, (size_t)1 << 31));
	assert_null(kcalloc(1 << 20, 1 << 20)); /* no overflow, too big */
	assert_int_equal(misuse_calls, 0);
	assert_all_back();
}

static void test_krealloc(void **state)
{
	static const size_t sizes[] = { 10, 100,     3000, 100000,  5000,  2000,
					50, 1 << 20, 16,   4 << 20, 20000, 1 };
	static void *pages[NPAGES];
	size_t i, keep, prev = 10, held;
	unsigned char *p;

	(void)state;
	p = krealloc(NULL, 10);
	assert_non_null(p);
	for (i = 0; i < 10; i++)
		p[i] = (unsigned char)(i * 7);
	for (i = 1; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		keep = prev < sizes[i] ? prev : sizes[i];
		p = krealloc(p, sizes[i]);
		assert_non_null(p);
		assert_true(kmalloc_usable_size(p) >= sizes[i]);
		for (size_t j = 0; j < keep; j++)
			assert_int_equal(p[j], (unsigned char)(j * 7));
		for (size_t j = keep; j < sizes[i]; j++)
			p[j] = (unsigned char)(j * 7);
		prev = sizes[i];
	}

	/* Same class: the same object. */
	p = krealloc(p, 20);
	assert_ptr_equal(krealloc(p, 30), p);
	/* krealloc(p, 0) shrinks to a smallest object, it does not free. */
	p = krealloc(p, 0);
	assert_non_null(p);
	assert_int_equal(kmalloc_usable_size(p), 16);

	/* Too big: NULL, and p is untouched. */
	fill(p, 16, 0x5a);
	assert_null(krealloc(p, (size_t)1 << 31));
	assert_null(krealloc(p, NPAGES * PG));
	check_fill(p, 16, 0x5a);

	kfree(p);

	/* With no memory left, a shrink keeps p and a growth fails. */
	p = kmalloc(3 * PG);
	fill(p, 3 * PG, 0x77);
	held = 0;
	while ((pages[held] = page_alloc(0)) != NULL)
		held++;
	assert_ptr_equal(krealloc(p, 5000), p);
	assert_ptr_equal(krealloc(p, 100), p);
	assert_null(krealloc(p, 5 * PG));
	check_fill(p, 3 * PG, 0x77);
	while (held > 0)
		page_free(pages[--held], 0);
	kfree(p);
	assert_int_equal(misuse_calls, 0);
	assert_all_back();
}

/* A bad kfree is reported and changes nothing. */
#define EXPECT_MISUSE(call, ptr)                                               \
	do {                                                                   \
		struct heap_stats s0, s1;                                      \
		size_t free_before = page_free_count();                        \
		int calls = misuse_calls;                                      \
		heap_stats(&s0);                                               \
		call;                                                          \
		heap_stats(&s1);                                               \
		assert_int_equal(misuse_calls, calls + 1);                     \
		assert_ptr_equal(misuse_ptr, (ptr));                           \
		assert_non_null(misuse_what);                                  \
		assert_int_equal(s0.bytes_in_use, s1.bytes_in_use);            \
		assert_int_equal(s0.pages_held, s1.pages_held);                \
		assert_int_equal(page_free_count(), free_before);              \
	} while (0)

static void test_misuse(void **state)
{
	char *a, *b, *big, *page;

	(void)state;
	a = kmalloc(100);
	b = kmalloc(100); /* keeps a's slab alive after kfree(a) */
	kfree(a);
	EXPECT_MISUSE(kfree(a), a); /* double free */
	EXPECT_MISUSE(kmalloc_usable_size(a), a);
	EXPECT_MISUSE(assert_null(krealloc(a, 10)), a);
	EXPECT_MISUSE(kfree(b + 16), b + 16); /* inside an object */
	EXPECT_MISUSE(kfree(b + 1), b + 1);
	EXPECT_MISUSE(kfree(b - 64), b - 64); /* the slab header */

	/* The last object of a slab: its page went back to page_alloc. */
	kfree(b);
	EXPECT_MISUSE(kfree(b), b);

	big = kmalloc(5 * PG);
	kfree(big);
	EXPECT_MISUSE(kfree(big), big); /* double free of pages */
	big = kmalloc(4 * PG);
	EXPECT_MISUSE(kfree(big + PG), big + PG); /* inside the block */
	EXPECT_MISUSE(kfree(big + 32), big + 32); /* not a slab page */
	kfree(big);

	/* Pages the heap never handed out. */
	page = page_alloc(0);
	memset(page, 0, PG);
	EXPECT_MISUSE(kfree(page + 48), page + 48);
	page_free(page, 0);
	EXPECT_MISUSE(kfree(page), page);

	assert_all_back();
}

static void test_stats(void **state)
{
	struct heap_stats s;
	void *a, *b, *c;

	(void)state;
	a = kmalloc(10);
	b = kmalloc(20);
	c = kmalloc(3 * PG);
	heap_stats(&s);
	assert_int_equal(s.bytes_in_use, 16 + 32 + 4 * PG);
	assert_int_equal(s.pages_held, 2 + 4);
	kfree(c);
	kfree(a);
	heap_stats(&s);
	assert_int_equal(s.bytes_in_use, 32);
	assert_int_equal(s.pages_held, 1);
	kfree(b);
	assert_all_back();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sizes, setup),
		cmocka_unit_test_setup(test_random_mix, setup),
		cmocka_unit_test_setup(test_out_of_memory, setup),
		cmocka_unit_test_setup(test_zeroed, setup),
		cmocka_unit_test_setup(test_krealloc, setup),
		cmocka_unit_test_setup(test_misuse, setup),
		cmocka_unit_test_setup(test_stats, setup),
	};

	return cmocka_run_group_tests_name("heap", tests, group_setup,
					   group_teardown);
}
