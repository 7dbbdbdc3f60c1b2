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
#include "start_info.h"
#include "x86.h"
#include <xen/memory.h>
#include <xenlet/arch.h>
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/time.h>
#include <xenlet/traps.h>

/* maddr needs no bound of ours: Xen maps only a frame the domain may
 * map (its shared_info), and refuses any other. */
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
 * look still wakes us; it covers every port, so the list of ports the
 * caller waits for is not needed. Masked again on return (pv_upcall.S
 * returns with events masked; this covers a return without an upcall).
 */
void pv_block(const evtchn_port_t *ports, unsigned int n,
	      struct evtchn_send *sends, unsigned int nsends)
{
	(void)ports;
	(void)n;
	sched_op_after_sends(sends, nsends, SCHEDOP_block, NULL);
	boot_info.shared_info->vcpu_info[0].evtchn_upcall_mask = 1;
	barrier();
}

void pv_start(start_info_t *si)
{
	struct mem_region free;
	struct pv_boot b;
	const char *why;
	long max_page;
	int rc;

	/* shared_info first: a failure report waits on Xen's clock. */
	rc = map_shared_info(si->shared_info);
	if (rc != 0)
		boot_fail("mapping shared_info", rc);
	boot_info.shared_info = (shared_info_t *)shared_info_page;

	/* Xen's M2P has an entry for every machine frame below max_page,
	 * the host's highest RAM frame + 1 (XENMEM_maximum_ram_page). */
	max_page = hypercall2(__HYPERVISOR_memory_op, XENMEM_maximum_ram_page,
			      NULL);
	why = pv_check_start_info(&b, si,
				  (const unsigned long *)MACH2PHYS_VIRT_START,
				  max_page > 0 ? (unsigned long)max_page : 0);

	/* The console first, so that every later failure can be reported. */
	if (b.console_pfn != PV_NO_PFN) {
		boot_info.console_ring = (void *)(b.console_pfn << PAGE_SHIFT);
		boot_info.console_evtchn = si->console.domU.evtchn;
		console_init(boot_info.console_ring, boot_info.console_evtchn);
	}
	if (why != NULL)
		boot_fail(why, b.bad);
	boot_info.xenstore_ring = (void *)(b.store_pfn << PAGE_SHIFT);
	boot_info.xenstore_evtchn = si->store_evtchn;

	/* Page 0 is mapped by the bootstrap tables; unmap it so that a
	 * NULL dereference faults. A PTE of 0 is "not present". */
	rc = (int)HYPERVISOR_update_va_mapping(0, 0, UVMF_INVLPG);
	if (rc != 0)
		boot_fail("unmapping page 0", rc);

	traps_init();

	boot_info.nr_pages = b.nr_pages;
	setup_cmdline((const char *)si->cmd_line, sizeof(si->cmd_line));
	setup_ramdisk(&b.module);
	pv_mm_init(si, b.first_free_pfn, &free.base, &free.pages);
	setup_finish(&free, 1);
}
