/*
 * setup.c - what the PV and the PVH boot paths share.
 *
 * Both end the same way: the free memory goes to the page allocator,
 * events and the timer are started, and lib/start.c runs the program.
 * Whether this domain is PV or PVH is known only here, in arch/x86:
 * the few operations that differ dispatch on arch_pvh.
 */
#include "start_info.h"
#include "x86.h"
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/time.h>

void xenlet_start(void); /* lib/start.c */

struct boot_info boot_info;
int arch_pvh;
uint64_t boot_entry_tsc; /* the TSC at the first instruction */
uint64_t arch_upcalls;	 /* event upcalls taken (see arch.h) */

/* A page of .bss that becomes shared_info (PV: its mapping is replaced;
 * PVH: its frame number is handed to Xen). */
char shared_info_page[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static char cmdline[MAX_GUEST_CMDLINE];

/* The command line need not end in a NUL: copy at most max bytes of
 * it (the caller's bound on what may be read), and at most our copy's. */
void setup_cmdline(const char *src, size_t max)
{
	size_t i;

	for (i = 0; src && i < max && i < sizeof(cmdline) - 1 && src[i]; i++)
		cmdline[i] = src[i];
	cmdline[i] = '\0';
	boot_info.cmdline = cmdline;
}

/* The boot module, if the boot path found a usable one. */
void setup_ramdisk(const struct boot_module *m)
{
	boot_info.ramdisk = m->start;
	boot_info.ramdisk_len = m->start != NULL ? m->len : 0;
	boot_info.ramdisk_fault = m->fault;
}

void boot_fail(const char *what, long rc)
{
	printk("xenlet: boot failed: %s (error %ld)\n", what, rc);
	arch_crash();
}

/* free[0] is where the allocator keeps its first metadata: it must be
 * usable; a further region it refuses is reported and left unused. */
void setup_finish(const struct mem_region *free, unsigned int n)
{
	unsigned int i;

	page_alloc_init(free[0].base, free[0].pages);
	for (i = 1; i < n; i++)
		if (page_alloc_add_region(free[i].base, free[i].pages) != 0)
			printk("xenlet: RAM at 0x%lx left unused\n",
			       (unsigned long)free[i].base);
	evtchn_init();
	timer_init();
	xenlet_start();
	boot_fail("the program returned to the boot code", 0);
}

/* --- the operations that differ ------------------------------------------ */

/* A PVH guest takes no upcalls (see pvh_block): nothing to register. */
void arch_events_init(void)
{
	if (!arch_pvh)
		pv_events_init();
}

void arch_block(const evtchn_port_t *ports, unsigned int n,
		struct evtchn_send *sends, unsigned int nsends)
{
	if (arch_pvh)
		pvh_block(ports, n, sends, nsends);
	else
		pv_block(ports, n, sends, nsends);
}

/*
 * The sends, then SCHEDOP cmd, as one multicall: the vCPU enters Xen
 * once. Should the multicall fail as a whole, each call is made on its
 * own: no send is lost (one made twice only wakes the other end again).
 */
void sched_op_after_sends(struct evtchn_send *sends, unsigned int nsends,
			  int cmd, void *arg)
{
	static multicall_entry_t calls[EVTCHN_NOTIFY_MAX + 1];
	unsigned int i;

	if (nsends > 0 && nsends <= EVTCHN_NOTIFY_MAX) {
		for (i = 0; i < nsends; i++)
			calls[i] = (multicall_entry_t){
				.op = __HYPERVISOR_event_channel_op,
				.args = { EVTCHNOP_send, (uintptr_t)&sends[i] },
			};
		calls[nsends] = (multicall_entry_t){
			.op = __HYPERVISOR_sched_op,
			.args = { (xen_ulong_t)cmd, (uintptr_t)arg },
		};
		if (HYPERVISOR_multicall(calls, nsends + 1) == 0)
			return;
	}
	for (i = 0; i < nsends; i++)
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &sends[i]);
	HYPERVISOR_sched_op(cmd, arg);
}

int arch_page_unmap(void *va)
{
	return arch_pvh ? pvh_page_unmap(va) : pv_page_unmap(va);
}

int arch_page_remap(void *va)
{
	return arch_pvh ? pvh_page_remap(va) : pv_page_remap(va);
}

/* PVH runs in a translated physical space: the frame Xen wants is the
 * guest's own. PV must give the machine frame. */
uint64_t virt_to_mfn(const void *va)
{
	return arch_pvh ? (uintptr_t)va >> PAGE_SHIFT : pv_virt_to_mfn(va);
}

int arch_map_grant_frames(void *va, const xen_pfn_t *frames, int n)
{
	return arch_pvh ? pvh_map_grant_frames(va, n)
			: pv_map_grant_frames(va, frames, n);
}
