/*
 * pv_setup.c - from Xen's PV start state to xenlet_start().
 *
 * At entry Xen has mapped the image and, right after it, the p2m list,
 * start_info, the XenStore and console pages, the bootstrap page tables
 * and a stack, all at VIRT_BASE + pfn * 4 KiB. Page tables are
 * read-only to us: every mapping change is a hypercall. start_info
 * gives the console and XenStore pages as machine frame numbers (MFNs)
 * and shared_info as a machine address; Xen's read-only
 * machine-to-physical table turns an MFN into our pseudo-physical frame
 * number (PFN), and with VIRT_BASE 0 the PFN is the virtual page.
 */
#include "x86.h"
#include <xenlet/arch.h>
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/time.h>
#include <xenlet/traps.h>

static unsigned long mfn_to_pfn(xen_pfn_t mfn)
{
	const unsigned long *m2p = (const unsigned long *)MACH2PHYS_VIRT_START;

	return m2p[mfn];
}

static void *mfn_to_virt(xen_pfn_t mfn)
{
	return (void *)(mfn_to_pfn(mfn) << PAGE_SHIFT);
}

static int map_shared_info(unsigned long maddr)
{
	uint64_t pte = maddr | PTE_PRESENT | PTE_RW | PTE_ACCESSED | PTE_DIRTY;

	return (int)HYPERVISOR_update_va_mapping(
		(unsigned long)shared_info_page, pte, UVMF_INVLPG);
}

extern char hypervisor_callback[], failsafe_callback[];

void pv_failsafe(void)
{
	printk("xenlet: Xen could not return to the guest (failsafe "
	       "callback)\n");
	arch_crash();
}

/* Where Xen enters for event upcalls and for failed returns. */
void pv_events_init(void)
{
	struct callback_register event = {
		.type = CALLBACKTYPE_event,
		.address = (unsigned long)hypervisor_callback,
	};
	struct callback_register failsafe = {
		.type = CALLBACKTYPE_failsafe,
		.flags = CALLBACKF_mask_events,
		.address = (unsigned long)failsafe_callback,
	};
	int rc;

	rc = (int)HYPERVISOR_callback_op(CALLBACKOP_register, &event);
	if (rc == 0)
		rc = (int)HYPERVISOR_callback_op(CALLBACKOP_register,
						 &failsafe);
	if (rc != 0)
		boot_fail("registering the event callbacks", rc);
}

/*
 * Idle: SCHEDOP_block enables event delivery and checks for pending
 * events atomically inside Xen, so an event that came after our last
 * look still wakes us. Masked again on return (pv_upcall.S returns
 * with events masked; this covers a return without an upcall).
 */
void pv_block(void)
{
	HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	boot_info.shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	barrier();
}

void pv_start(start_info_t *si)
{
	struct mem_region free;
	int rc;

	/* The console first, so that every later failure can be reported. */
	boot_info.console_ring = mfn_to_virt(si->console.domU.mfn);
	boot_info.console_evtchn = si->console.domU.evtchn;
	boot_info.xenstore_ring = mfn_to_virt(si->store_mfn);
	boot_info.xenstore_evtchn = si->store_evtchn;
	console_init(boot_info.console_ring, boot_info.console_evtchn);

	rc = map_shared_info(si->shared_info);
	if (rc != 0)
		boot_fail("mapping shared_info", rc);
	boot_info.shared_info = (shared_info_t *)shared_info_page;

	/* Page 0 is mapped by the bootstrap tables; unmap it so that a
	 * NULL dereference faults. A PTE of 0 is "not present". */
	rc = (int)HYPERVISOR_update_va_mapping(0, 0, UVMF_INVLPG);
	if (rc != 0)
		boot_fail("unmapping page 0", rc);

	traps_init();

	boot_info.nr_pages = si->nr_pages;
	setup_cmdline((const char *)si->cmd_line);
	pv_mm_init(si, &free.base, &free.pages);
	setup_finish(&free, 1);
}
