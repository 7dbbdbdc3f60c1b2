/*
 * test_string.c - lib/string.c's memcpy, memmove and memset against
 * byte-by-byte copies, for every length up to a few words and every
 * alignment of source and destination, the bytes around the target
 * untouched. The functions are renamed (-Dmemcpy=xenlet_memcpy... on
 * the compile line) so that the host's own stay the C library's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <xenlet/string.h>

#define AREA  96
#define GUARD 0xa5

static unsigned char src[AREA], dst[AREA], want[AREA];

static void fill(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + 1);
}

static void guard(void)
{
	for (size_t i = 0; i < AREA; i++)
		dst[i] = want[i] = GUARD;
}

static void test_memcpy(void **state)
{
	(void)state;
	for (size_t n = 0; n <= 40; n++)
		for (size_t so = 0; so < 8; so++)
			for (size_t d = 0; d < 8; d++) {
				fill(src, AREA, (unsigned)(n + so));
				guard();
				for (size_t i = 0; i < n; i++)
					want[8 + d + i] = src[so + i];
				assert_ptr_equal(
					memcpy(dst + 8 + d, src + so, n),
					dst + 8 + d);
				assert_memory_equal(dst, want, AREA);
			}
}

static void test_memset(void **state)
{
	(void)state;
	for (size_t n = 0; n <= 40; n++)
		for (size_t d = 0; d < 8; d++)
			for (int c = 0; c < 0x300; c += 0x7f) {
				guard();
				for (size_t i = 0; i < n; i++)
					want[8 + d + i] = (unsigned char)c;
				assert_ptr_equal(memset(dst + 8 + d, c, n),
						 dst + 8 + d);
				assert_memory_equal(dst, want, AREA);
			}
}

/* Both directions of overlap, and none. */
static void test_memmove(void **state)
{
	(void)state;
	for (size_t n = 0; n <= 40; n++)
		for (size_t from = 0; from < 16; from++)
			for (size_t to = 0; to < 16; to++) {
				unsigned char tmp[AREA];

				fill(dst, AREA, (unsigned)n);
				for (size_t i = 0; i < AREA; i++)
					want[i] = tmp[i] = dst[i];
				for (size_t i = 0; i < n; i++)
					want[to + i] = tmp[from + i];
				assert_ptr_equal(
					memmove(dst + to, dst + from, n),
					dst + to);
				assert_memory_equal(dst, want, AREA);
			}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memmove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
