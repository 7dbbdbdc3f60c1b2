/*
 * runstate.c - how long this vCPU has really run.
 *
 * Xen keeps, for each vCPU, the time it spent in each runstate: running
 * on a physical CPU, runnable but waiting for one (time Xen gave other
 * domains), blocked, offline (VCPUOP_get_runstate_info, xen/vcpu.h).
 * The time spent running is the guest's CPU time, what clock() and
 * times() count; system time would also count what others were given.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/vcpu.h>
#include <xenlet/hypercall.h>
#include <xenlet/time.h>

uint64_t xen_running_ns(void)
{
	struct vcpu_runstate_info info;

	/* vCPU 0: xenlet runs on one. Xen refuses only a vCPU that does
	 * not exist, which ours does; system time is the fallback. */
	if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &info) != 0)
		return xen_system_time_ns();
	return info.time[RUNSTATE_running];
}
