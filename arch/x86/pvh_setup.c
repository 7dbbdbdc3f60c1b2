/*
 * pvh_setup.c - from the PVH start state to xenlet_start().
 *
 * A PVH guest is an HVM container without emulated devices: it finds
 * Xen through CPUID, asks for the hypercall page by writing its address
 * to an MSR, maps shared_info into its own physical space with
 * XENMEM_add_to_physmap, and reads where its console and XenStore pages
 * are from HVM parameters. Memory is what hvm_start_info's map says.
 * Physical addresses are the guest's own (Xen translates), and xenlet
 * maps them 1:1, so "machine" frames are simply va >> 12.
 */
#include "start_info.h"
#include "x86.h"
#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/memory.h>
#include <xenlet/console.h>
#include <xenlet/hypercall.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/traps.h>

#define XEN_CPUID_FIRST 0x40000000
#define XEN_CPUID_LAST	0x40010000
#define XEN_SIGNATURE_B 0x566e6558 /* "XenVMMXenVMM" in ebx, ecx, edx */
#define XEN_SIGNATURE_C 0x65584d4d
#define XEN_SIGNATURE_D 0x4d4d566e

/* pvh_entry.S's early map covers the first 4 GiB: Xen's boot data must
 * lie there for us to read it before our own page tables exist. */
#define EARLY_MAP_END  (1UL << 32)
#define EARLY_MAP_PFNS (EARLY_MAP_END >> PAGE_SHIFT)

/* Port 0xe9 prints to `xl dmesg` even before the console works. */
static void early_print(const char *s)
{
	for (; *s; s++)
		asm volatile("outb %0, $0xe9" ::"a"(*s));
}

static __attribute__((noreturn)) void early_fail(const char *why)
{
	early_print("xenlet: PVH boot failed: ");
	early_print(why);
	early_print("\n");
	for (;;)
		asm volatile("cli; hlt");
}

/*
 * Xen's CPUID leaves start at 0x40000000, or higher when a viridian
 * (Hyper-V) interface comes first; leaf base + 2 gives the MSR that
 * fills the hypercall page at the physical address written to it.
 */
static void init_hypercall_page(void)
{
	uint32_t base, a, b, c, d;

	for (base = XEN_CPUID_FIRST; base < XEN_CPUID_LAST; base += 0x100) {
		cpuid(base, &a, &b, &c, &d);
		if (b == XEN_SIGNATURE_B && c == XEN_SIGNATURE_C &&
		    d == XEN_SIGNATURE_D && a - base >= 2)
			break;
	}
	if (base >= XEN_CPUID_LAST)
		early_fail("no Xen CPUID leaves");
	cpuid(base + 2, &a, &b, &c, &d);
	wrmsr(b, (uintptr_t)hypercall_page);
}

/*
 * An HVM parameter (the toolstack sets them), bounded by max, which the
 * caller decides: a page we reach through the early map, a port that
 * fits its 32 bits (the event-channel layer bounds it further).
 */
static uint64_t hvm_param(uint32_t index, uint64_t max)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };

	if (hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p) != 0 ||
	    p.value > max)
		early_fail("HVMOP_get_param");
	return p.value;
}

static void map_shared_info(void)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = (uintptr_t)shared_info_page >> PAGE_SHIFT,
	};

	if (hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp))
		early_fail("mapping shared_info");
	boot_info.shared_info = (shared_info_t *)shared_info_page;
}

/*
 * A PVH guest has no machine frames to map: it asks Xen to place grant
 * frame i at a frame number of its own physical space (here, the pages
 * at va, whose memory Xen takes back), then reads it there.
 */
int pvh_map_grant_frames(void *va, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct xen_add_to_physmap xatp = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = i,
			.gpfn = ((uintptr_t)va >> PAGE_SHIFT) + i,
		};
		long rc = hypercall2(__HYPERVISOR_memory_op,
				     XENMEM_add_to_physmap, &xatp);

		if (rc != 0)
			return (int)rc;
	}
	return 0;
}

/*
 * Idle: SCHEDOP_poll on the ports the event-channel layer waits for
 * (every bound, unmasked one), with interrupts off. Xen checks those
 * ports' pending bits after marking the vCPU as polling, so an event
 * that came after our last look still returns at once; one that comes
 * later wakes the vCPU (Xen's evtchn_check_pollers).
 *
 * A PVH guest could instead take event upcalls as an interrupt (the
 * vector of HVM_PARAM_CALLBACK_IRQ) and wait with "sti; hlt", as
 * Mini-OS and Linux do. xenlet did; but then an interrupt may arrive in
 * the sti shadow, before the hlt, and must be steered past it (a hlt
 * with interrupts off is a vCPU going offline), and on the test host
 * one second of computation with interrupts off once counted an upcall
 * and no event. With no callback set, Xen never injects an interrupt:
 * events are only ever seen here and in the scheduler, and the rule of
 * xen/evtchn.c (no handler interrupts a thread) holds by construction.
 */
void pvh_block(const evtchn_port_t *ports, unsigned int n,
	       struct evtchn_send *sends, unsigned int nsends)
{
	struct sched_poll poll = { .nr_ports = n, .timeout = 0 };

	set_xen_guest_handle(poll.ports, (evtchn_port_t *)ports);
	sched_op_after_sends(sends, nsends, SCHEDOP_poll, &poll);
}

void pvh_start(uint32_t start_info_paddr)
{
	const struct phys_window early = { 0, EARLY_MAP_END };
	struct mem_region free[PAGE_ALLOC_MAX_REGIONS];
	struct pvh_boot b;
	const char *why;

	arch_pvh = 1;
	init_hypercall_page();
	map_shared_info();

	/* The console first, so that every later failure can be reported.
	 * Its page is written before our own page tables exist: it must
	 * lie in the early map (Xen puts both pages just below 4 GiB). */
	boot_info.console_ring =
		(void *)(hvm_param(HVM_PARAM_CONSOLE_PFN, EARLY_MAP_PFNS - 1)
			 << PAGE_SHIFT);
	boot_info.console_evtchn =
		hvm_param(HVM_PARAM_CONSOLE_EVTCHN, UINT32_MAX);
	console_init(boot_info.console_ring, boot_info.console_evtchn);
	boot_info.xenstore_ring =
		(void *)(hvm_param(HVM_PARAM_STORE_PFN, EARLY_MAP_PFNS - 1)
			 << PAGE_SHIFT);
	boot_info.xenstore_evtchn =
		hvm_param(HVM_PARAM_STORE_EVTCHN, UINT32_MAX);

	traps_init();
	why = pvh_check_start_info(&b, &early, start_info_paddr,
				   (uintptr_t)_end);
	if (why != NULL)
		boot_fail(why, b.bad);
	setup_cmdline(b.cmdline, b.cmdline_max);
	setup_ramdisk(&b.module);
	boot_info.nr_pages = b.nr_pages;
	setup_finish(free, pvh_mm_init(&b, free));
}
