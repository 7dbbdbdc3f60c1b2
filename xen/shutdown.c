/*
 * shutdown.c - SCHEDOP_shutdown.
 */
#include <xenlet/hypercall.h>
#include <xenlet/shutdown.h>

void xen_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	/* Xen does not return from a successful shutdown; if it ever does,
	 * keep asking, and as a last resort crash. */
	for (;;) {
		HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
		s.reason = SHUTDOWN_crash;
	}
}
