/*
 * entropy.c - getentropy(): random bytes for seeding.
 *
 * Where the CPU has RDRAND (CPUID leaf 1, ECX bit 30; Xen passes it to
 * PV guests when the host has it) the bytes come from the CPU's
 * hardware generator, a conditioned entropy source: good quality. Each
 * RDRAND may fail transiently (carry clear); it is retried, as Intel
 * advises, up to 10 times.
 *
 * Without RDRAND there is no true entropy source in a PV guest. The
 * fallback mixes the low bits of TSC readings taken around work whose
 * duration jitters (cache and hypervisor scheduling noise) with a
 * SplitMix64-style mixer. QUALITY: weak. It is unpredictable to a
 * casual observer, but an attacker who knows the host can model much of
 * it: do not rely on it for long-term keys. It never blocks and never
 * returns the same stream twice in one boot.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <xenlet/arch.h>
#include <xenlet/posix.h>

#define GETENTROPY_MAX 256 /* POSIX: larger requests fail with EIO */
#define RDRAND_RETRIES 10
#define CPUID_RDRAND   (1u << 30)

static int have_rdrand(void)
{
	uint32_t a = 1, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (c & CPUID_RDRAND) != 0;
}

/* 1 with a value in *v, 0 if the hardware kept failing. */
static int rdrand64(uint64_t *v)
{
	int i;

	for (i = 0; i < RDRAND_RETRIES; i++) {
		unsigned char ok;

		asm volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* The TSC-jitter fallback: 64 timing samples folded into one word. */
static uint64_t jitter64(void)
{
	static uint64_t state;
	volatile uint64_t sink = 0;
	int i, j;

	for (i = 0; i < 64; i++) {
		uint64_t t0 = arch_rdtsc();

		for (j = 0; j < (int)(t0 & 31) + 8; j++)
			sink += j * t0;
		state = mix64(state ^ (arch_rdtsc() - t0) ^ (t0 << 17));
	}
	(void)sink;
	return state;
}

int getentropy(void *buf, size_t len)
{
	unsigned char *p = buf;
	int hw = have_rdrand();

	if (len > GETENTROPY_MAX)
		return posix_fail(EIO);
	while (len > 0) {
		uint64_t v;
		size_t n = len < sizeof(v) ? len : sizeof(v);

		if (!hw || !rdrand64(&v))
			v = jitter64();
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
	return 0;
}
