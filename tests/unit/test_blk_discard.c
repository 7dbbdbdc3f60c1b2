/*
 * test_blk_discard.c - a discard covers only whole granules of the
 * backend's discard-granularity, counted from discard-alignment
 * (blk/discard.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <xenlet/blk_ring.h>

static void trim(uint64_t off, uint64_t len, uint64_t gran, uint64_t align,
		 uint64_t want_start, uint64_t want_n)
{
	uint64_t start = 1234, n = 5678;

	blk_discard_trim(off, len, gran, align, &start, &n);
	assert_int_equal(n, want_n);
	if (want_n != 0)
		assert_int_equal(start, want_start);
}

static void test_no_granularity(void **state)
{
	(void)state;
	trim(512, 1536, 0, 0, 512, 1536);
}

static void test_aligned_range_kept(void **state)
{
	(void)state;
	trim(5 << 20, 64 << 10, 4096, 0, 5 << 20, 64 << 10);
}

static void test_edges_cut(void **state)
{
	(void)state;
	/* [512, 12800): whole 4 KiB granules are [4096, 12288). */
	trim(512, 12288, 4096, 0, 4096, 8192);
}

static void test_inside_one_granule(void **state)
{
	(void)state;
	trim(512, 3072, 4096, 0, 0, 0);
	trim(4096 + 512, 4096, 4096, 0, 0, 0);
}

static void test_alignment(void **state)
{
	(void)state;
	/* Granules start at 1024 + k * 4096. */
	trim(0, 9216, 4096, 1024, 1024, 8192);
	trim(1024, 4096, 4096, 1024, 1024, 4096);
	trim(0, 4096, 4096, 1024, 0, 0); /* [0, 1024) is no whole one */
}

static void test_end_of_big_disk(void **state)
{
	(void)state;
	/* Offsets past 4 GiB, 1 MiB granules. */
	trim((5ULL << 30) + 4096, 3ULL << 20, 1 << 20, 0,
	     (5ULL << 30) + (1 << 20), 2 << 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_granularity),
		cmocka_unit_test(test_aligned_range_kept),
		cmocka_unit_test(test_edges_cut),
		cmocka_unit_test(test_inside_one_granule),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_end_of_big_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
