/*
 * test_time.c - scaling TSC ticks to nanoseconds with Xen's numbers
 * (xen/time.c). tsc_shift is an int8_t Xen writes: every value of it,
 * +-64 and beyond included, must give a defined result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <xenlet/arch.h>
#include <xenlet/time.h>

struct boot_info boot_info; /* arch/x86/setup.c in the guest */
static shared_info_t shared;

/* What xen_tsc_to_ns must return: the formula in 128-bit arithmetic,
 * where every bit shifted out of 64 is lost. */
static uint64_t expected(uint64_t delta, uint32_t mul, int shift)
{
	unsigned __int128 d = delta;

	if (shift <= -64 || shift >= 64)
		d = 0;
	else if (shift < 0)
		d >>= -shift;
	else
		d = (uint64_t)(d << shift);
	return (uint64_t)((d * mul) >> 32);
}

static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	shared.vcpu_info[0].time.tsc_to_system_mul = mul;
	shared.vcpu_info[0].time.tsc_shift = shift;
	return xen_tsc_to_ns(delta);
}

static void test_ordinary_shifts(void **state)
{
	(void)state;
	boot_info.shared_info = &shared;
	/* A 2 GHz TSC: mul = 2^31, shift 0 -> half a ns a tick. */
	assert_int_equal(scale(2000, 1U << 31, 0), 1000);
	assert_int_equal(scale(2000, 1U << 31, -1), 500);
	assert_int_equal(scale(2000, 1U << 31, 1), 2000);
	assert_int_equal(scale(~0ULL, 0xffffffffU, -63),
			 expected(~0ULL, 0xffffffffU, -63));
	assert_int_equal(scale(3, 0x80000000U, 63),
			 expected(3, 0x80000000U, 63));
}

/* Shifts of 64 and more, either way: every bit is shifted out. The old
 * code shifted by the count mod 64 (x86 masks it): by 0. */
static void test_shift_64_and_more(void **state)
{
	int shift;

	(void)state;
	boot_info.shared_info = &shared;
	for (shift = -128; shift <= 127; shift++)
		assert_int_equal(
			scale(0x123456789abcdefULL, 0xdeadbeefU, (int8_t)shift),
			expected(0x123456789abcdefULL, 0xdeadbeefU, shift));
	assert_int_equal(scale(1ULL << 40, 1U << 31, 64), 0);
	assert_int_equal(scale(1ULL << 40, 1U << 31, -64), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_shifts),
		cmocka_unit_test(test_shift_64_and_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
