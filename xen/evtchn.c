/*
 * evtchn.c - sending, clearing and polling event-channel ports.
 *
 * Pending bits live in shared_info.evtchn_pending, one bit per port in
 * an array of unsigned longs (the 2-level ABI). Xen sets them; the
 * guest clears them with an atomic bit operation because Xen may set
 * another bit of the same word at any moment.
 */
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>

#define BITS_PER_WORD (8 * sizeof(xen_ulong_t))

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send send = { .port = port };

	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &send);
}

void evtchn_clear(evtchn_port_t port)
{
	xen_ulong_t *word =
		&boot_info.shared_info->evtchn_pending[port / BITS_PER_WORD];

	asm volatile("lock btrq %1, %0"
		     : "+m"(*word)
		     : "r"((xen_ulong_t)(port % BITS_PER_WORD))
		     : "memory");
}

int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns)
{
	evtchn_port_t ports[1] = { port };
	struct sched_poll poll = { .nr_ports = 1, .timeout = deadline_ns };

	set_xen_guest_handle(poll.ports, ports);
	return (int)HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}
