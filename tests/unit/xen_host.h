/*
 * xen_host.h - a simulated Xen under xenlet's real scheduler, on Linux.
 *
 * Host tests (tests/unit) and fuzz targets (tests/fuzz) link the real
 * lib/sched.c, lib/sync.c and xen/xenstore.c (and whatever sits on
 * them) with xen_host.c, which stands in for what lies beneath: the
 * context switch (on ucontext: arch/x86/switch.S switches stacks by
 * hand, which the sanitizers cannot follow), the heap and page
 * allocator (on malloc, so that ASan sees every use after free), one
 * event channel for the XenStore ring, and Xen system time.
 *
 * Time is simulated and moves only when every thread waits: then dom0
 * (sim_dom0, the test's xenstored) gets its turn, and if it has nothing
 * to say the clock jumps to the next deadline. A guest that waits with
 * no deadline while dom0 is silent would hang for ever under Xen: here
 * it ends the process with "hang" (exit status SIM_HANG, or sim_hang),
 * so a test or a fuzz input sees it.
 */
#ifndef XEN_HOST_H
#define XEN_HOST_H

#include <stdint.h>
#include <xen/io/xs_wire.h>

#define SIM_HANG 42

extern uint64_t sim_now;

/* The XenStore ring page and its port, in boot_info. */
extern struct xenstore_domain_interface sim_xs_ring;

/*
 * Called when every guest thread waits: dom0 reads requests and writes
 * replies. Returns 1 if it wrote anything (the guest is notified), 0 if
 * it has nothing to say now.
 */
extern int (*sim_dom0)(void);

/* Called on a hang, before the exit (a fuzz target aborts). */
extern void (*sim_hang)(void);

/* dom0 signals the XenStore port. */
void sim_notify(void);

/* printk lines so far (printk goes to stderr too, unless sim_quiet). */
extern int sim_printk_lines;
extern int sim_quiet;

#endif
