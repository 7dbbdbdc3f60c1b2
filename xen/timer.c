/*
 * timer.c - the vCPU's one-shot timer.
 *
 * Xen gives every vCPU a periodic tick (VIRQ_TIMER every 10 ms) unless
 * told otherwise; an idle guest would wake 100 times a second for
 * nothing, so it is stopped. Instead the scheduler sets a one-shot
 * timer for the earliest deadline it has; VIRQ_TIMER then wakes the
 * vCPU from SCHEDOP_block. The port's handler only counts: the
 * scheduler checks the clock after every wakeup, so a timer that fires
 * a little early (Xen rounds) only means another, shorter block. The
 * count and the deadline armed let a program see that no timer came
 * while it computed (timer_fired_count, timer_armed_ns).
 */
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/time.h>

static uint64_t fired;	  /* VIRQ_TIMER events taken */
static uint64_t armed_ns; /* the one-shot deadline set, 0 if none */

static void timer_virq(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	fired++;
	armed_ns = 0; /* one-shot: Xen has disarmed it */
}

uint64_t timer_fired_count(void)
{
	return fired;
}

uint64_t timer_armed_ns(void)
{
	return armed_ns;
}

void timer_init(void)
{
	evtchn_port_t port;
	int rc;

	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	rc = evtchn_bind_virq(VIRQ_TIMER, timer_virq, NULL, &port);
	if (rc < 0)
		printk("xenlet: cannot bind VIRQ_TIMER (%d): sleeps will "
		       "hang\n",
		       rc);
}

/*
 * A timer already armed for the deadline or before it is left alone:
 * the scheduler calls this before every block, mostly with a deadline
 * a little later than the last (a poll timeout counted from now), and
 * a hypercall each time is what a busy server would pay. The earlier
 * timer costs one early wakeup, after which the real deadline is set.
 */
void timer_set(uint64_t deadline_ns)
{
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = deadline_ns };

	if (deadline_ns == 0) {
		if (armed_ns != 0)
			HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0,
					   NULL);
		armed_ns = 0;
		return;
	}
	if (armed_ns != 0 && armed_ns <= deadline_ns)
		return;
	armed_ns = deadline_ns;
	HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
}
