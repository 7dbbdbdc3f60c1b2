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
#include <xen/event_channel.h>

/* Why the boot code did not use a boot module (numbers, not strings:
 * a program that never reads files does not carry the messages). */
enum ramdisk_fault {
	RAMDISK_OK,
	RAMDISK_AS_PFN,	 /* PV: SIF_MOD_START_PFN, which we never ask for */
	RAMDISK_OUTSIDE, /* not where the boot code keeps it from use */
};

struct boot_info {
	shared_info_t *shared_info; /* mapped; vcpu 0's info is in here */
	void *console_ring;	    /* struct xencons_interface, mapped */
	uint32_t console_evtchn;
	void *xenstore_ring; /* struct xenstore_domain_interface */
	uint32_t xenstore_evtchn;
	char *cmdline;		/* xl's extra=: a private, NUL-ended copy */
	unsigned long nr_pages; /* memory Xen gave us, in 4 KiB pages */
	/* xl's ramdisk= (the boot module): mapped, never handed to the
	 * page allocator; its bytes are the toolstack's, unchecked. */
	const void *ramdisk; /* NULL if none */
	size_t ramdisk_len;
	enum ramdisk_fault ramdisk_fault; /* why a module was not used */
};

extern struct boot_info boot_info;

/*
 * Event upcalls taken since boot: one increment in the entry stub
 * (pv_upcall.S), the cost of knowing that none came while a program
 * computed (<xenlet/evtchn.h>, evtchn_get_stats). Always 0 on PVH.
 */
extern uint64_t arch_upcalls;

/* The TSC at the guest's first instruction (both entry points). */
extern uint64_t boot_entry_tsc;

/*
 * What a crash report says about the running thread: the scheduler
 * tells the arch code at every switch (name and usable stack).
 */
void arch_set_crash_context(const char *thread, uintptr_t stack_lo,
			    uintptr_t stack_hi);

/* --- memory ------------------------------------------------------------- */

/* Unmap / map again one page of our memory (guard pages). 0 or -errno. */
int arch_page_unmap(void *va);
int arch_page_remap(void *va);

/* The machine frame behind a virtual address (for grants, rings). */
uint64_t virt_to_mfn(const void *va);

/*
 * Make the n pages at va (our own, page-aligned) show the grant-table
 * frames Xen gave us (GNTTABOP_setup_table). PV: the machine frames in
 * frames[] are mapped over va with update_va_mapping. PVH: Xen puts
 * grant frame i at our frame (va >> 12) + i. Either way the memory
 * that was there is given up for good. 0 or -errno.
 */
int arch_map_grant_frames(void *va, const xen_pfn_t *frames, int n);

/* --- events ------------------------------------------------------------- */

/* Register the upcall entry with Xen (PV; PVH takes no upcalls). */
void arch_events_init(void);

/*
 * Make the nsends EVTCHNOP_sends of sends[] (at most EVTCHN_NOTIFY_MAX),
 * then block the vCPU until one of the n ports (at most EVTCHN_POLL_MAX)
 * is pending, without losing an event that came after the caller's last
 * check (see pv_block, pvh_block). All of it in one multicall: the vCPU
 * enters Xen once, however many sends come first.
 */
void arch_block(const evtchn_port_t *ports, unsigned int n,
		struct evtchn_send *sends, unsigned int nsends);

/* --- threads ------------------------------------------------------------ */

/* What arch_switch saves of a thread (layout known to switch.S). */
struct arch_context {
	uint64_t rsp;
	uint64_t stack_limit; /* -fsplit-stack's limit, see stack_check.S */
};

/* Save the current thread into from, continue as to. */
void arch_switch(struct arch_context *from, struct arch_context *to);

/*
 * Prepare a context that, when switched to, calls entry() on the stack
 * [lo, hi). entry must not return.
 */
void arch_context_init(struct arch_context *c, uintptr_t lo, uintptr_t hi,
		       void (*entry)(void));

/* How far above a stack's bottom its overflow limit sits. */
#define STACK_LIMIT_MARGIN 1024

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
