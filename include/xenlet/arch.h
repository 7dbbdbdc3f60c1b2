/*
 * arch.h - the seam between arch/x86 and the rest of xenlet.
 *
 * The boot code (PV today, PVH later) finds where Xen put things and
 * hands them over in a struct boot_info; nothing above arch/x86 reads
 * start_info or knows the guest type.
 */
#ifndef XENLET_ARCH_H
#define XENLET_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

struct boot_info {
	shared_info_t *shared_info; /* mapped; vcpu 0's info is in here */
	void *console_ring;	    /* struct xencons_interface, mapped */
	uint32_t console_evtchn;
	char *cmdline;		/* xl's extra=: a private, NUL-ended copy */
	unsigned long nr_pages; /* memory Xen gave us, in 4 KiB pages */
};

extern struct boot_info boot_info;

/* Stack limits of the current context, for the crash backtrace. */
void arch_stack_bounds(uintptr_t *lo, uintptr_t *hi);

/* Read the time-stamp counter. */
static inline uint64_t arch_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* Barriers: x86 keeps stores ordered with stores and loads with loads,
 * so only the compiler must be stopped, except for store->load. */
#define barrier() asm volatile("" ::: "memory")
#define mb()	  asm volatile("mfence" ::: "memory")
#define rmb()	  barrier()
#define wmb()	  barrier()

#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12

#endif
