/*
 * time.c - reading Xen system time from vcpu_time_info.
 *
 * Every number here is Xen's. Each is bounded where C would otherwise
 * leave it undefined: tsc_shift in scale_tsc; the sums and products are
 * unsigned, so a wild value wraps instead of trapping. The version loops
 * wait for Xen to finish an update it started: no deadline, since Xen
 * is the one party that could stop this vCPU anyway.
 */
#include <xenlet/arch.h>
#include <xenlet/time.h>

/*
 * ns = ((tsc_delta << shift) * mul) >> 32, with shift possibly negative.
 * mul and shift are Xen's (vcpu_time_info), an int8_t shift may be as
 * large as +-127, and C leaves a shift by 64 or more undefined: bounded
 * here. Such a shift moves every bit of the 64-bit delta out: 0.
 */
static uint64_t scale_tsc(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift <= -64 || shift >= 64)
		return 0;
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t xen_tsc_to_ns(uint64_t tsc_delta)
{
	volatile struct vcpu_time_info *t =
		&boot_info.shared_info->vcpu_info[0].time;

	return scale_tsc(tsc_delta, t->tsc_to_system_mul, t->tsc_shift);
}

uint64_t xen_system_time_ns(void)
{
	volatile struct vcpu_time_info *t =
		&boot_info.shared_info->vcpu_info[0].time;
	uint32_t version;
	uint64_t ns;

	do {
		version = t->version;
		rmb();
		ns = t->system_time + scale_tsc(arch_rdtsc() - t->tsc_timestamp,
						t->tsc_to_system_mul,
						t->tsc_shift);
		rmb();
	} while ((version & 1) || version != t->version);
	return ns;
}

uint64_t xen_wallclock_ns(void)
{
	volatile struct shared_info *s = boot_info.shared_info;
	uint32_t version;
	uint64_t sec, nsec;

	do {
		version = s->wc_version;
		rmb();
		sec = ((uint64_t)s->xen_wc_sec_hi << 32) | s->wc_sec;
		nsec = s->wc_nsec;
		rmb();
	} while ((version & 1) || version != s->wc_version);
	return sec * NSEC_PER_SEC + nsec + xen_system_time_ns();
}
