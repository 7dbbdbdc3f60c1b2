/*
 * evtchn.c - event channels: binding ports, and delivering their events.
 *
 * Where pending events are (2-level ABI, shared_info and vcpu_info):
 *   evtchn_pending[w], bit b   port w * 64 + b is pending (Xen sets it)
 *   evtchn_mask[w], bit b      the guest does not want upcalls for it
 *   evtchn_pending_sel, bit w  some port in word w became pending
 *   evtchn_upcall_pending      some selector bit is set
 *   evtchn_upcall_mask         the vCPU does not want upcalls now
 *
 * The design: events are masked (evtchn_upcall_mask = 1) whenever a
 * thread runs. The vCPU only waits for them in evtchn_block: on PV,
 * SCHEDOP_block, which unmasks them, so an upcall only ever interrupts
 * that hypercall and its handler (arch/x86) just returns; on PVH,
 * SCHEDOP_poll on every bound, unmasked port, which takes no upcall at
 * all. The scheduler then calls evtchn_dispatch, which runs the handlers
 * in thread context with events masked. So no handler can interrupt a
 * thread or another handler (no re-entrancy, no locks), and a cooperative
 * scheduler loses nothing by it: a thread is never preempted anyway.
 *
 * Notifying the other end is the other half. Drivers queue it
 * (evtchn_notify) after publishing requests, and the scheduler sends the
 * queue before the next thread runs or, when the vCPU is about to wait,
 * in one multicall with the block (arch_block). A round of work that
 * ends in a wait thus enters Xen once: measured on the test host with kv
 * as PVH, about half the VM exits per GET (a send and a poll per round
 * before, one multicall after), as Linux's block plug is flushed when a
 * task sleeps.
 *
 * No event is lost or doubled: a port's pending bit is cleared (with an
 * atomic instruction, as Xen sets other bits of the same word at any
 * time) just before its handler runs, so an event arriving during the
 * handler sets it again and is dispatched on the next pass.
 *
 * A port number indexes those bitmaps, and some come from outside (the
 * console and XenStore ports in start_info or an HVM parameter): each
 * function that forms a bitmap address from a port refuses one of
 * NR_PORTS or more with -XEN_EINVAL. Xen checks the ports of the
 * hypercalls (send, poll) itself.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>

#define BITS_PER_WORD (8 * sizeof(xen_ulong_t))
#define NR_PORTS      (BITS_PER_WORD * BITS_PER_WORD) /* 4096 on x86_64 */

struct port_handler {
	evtchn_handler_t fn;
	void *arg;
};

static struct port_handler handlers[NR_PORTS];
static xen_ulong_t bound[BITS_PER_WORD]; /* a bit per port with a handler */
static unsigned int nr_bound;		 /* at most EVTCHN_POLL_MAX */
static uint64_t dispatched; /* handler runs (see evtchn_get_stats) */

/* Notifications waiting for the scheduler (evtchn_notify). */
static struct evtchn_send queued[EVTCHN_NOTIFY_MAX];
static unsigned int nr_queued;

static struct vcpu_info *vcpu(void)
{
	return &boot_info.shared_info->vcpu_info[0];
}

static void bit_clear(xen_ulong_t *word, unsigned int bit)
{
	asm volatile("lock btrq %1, %0"
		     : "+m"(*word)
		     : "r"((xen_ulong_t)bit)
		     : "memory");
}

static void bit_set(xen_ulong_t *word, unsigned int bit)
{
	asm volatile("lock btsq %1, %0"
		     : "+m"(*word)
		     : "r"((xen_ulong_t)bit)
		     : "memory");
}

static xen_ulong_t *pending_word(evtchn_port_t port)
{
	return &boot_info.shared_info->evtchn_pending[port / BITS_PER_WORD];
}

static xen_ulong_t *mask_word(evtchn_port_t port)
{
	return &boot_info.shared_info->evtchn_mask[port / BITS_PER_WORD];
}

void evtchn_init(void)
{
	vcpu()->evtchn_upcall_mask = 1;
	arch_events_init();
}

static int is_bound(evtchn_port_t port)
{
	return (bound[port / BITS_PER_WORD] >> (port % BITS_PER_WORD)) & 1;
}

/*
 * Record the handler and let the port's events through. evtchn_block
 * must be able to name every bound port to SCHEDOP_poll, whose limit
 * is EVTCHN_POLL_MAX: a port beyond it is refused (-XEN_ENOSPC) and
 * closed again, unless the caller got it from elsewhere (keep_port).
 */
static int bind_done(int rc, evtchn_port_t port, evtchn_handler_t h, void *arg,
		     evtchn_port_t *out, int keep_port)
{
	struct evtchn_close close = { .port = port };

	if (rc < 0)
		return rc;
	if (port >= NR_PORTS) /* Xen's answer, but checked before use */
		return -XEN_EINVAL;
	if (!is_bound(port)) {
		if (nr_bound >= EVTCHN_POLL_MAX) {
			if (!keep_port)
				HYPERVISOR_event_channel_op(EVTCHNOP_close,
							    &close);
			return -XEN_ENOSPC;
		}
		bit_set(&bound[port / BITS_PER_WORD], port % BITS_PER_WORD);
		nr_bound++;
	}
	handlers[port] = (struct port_handler){ h, arg };
	*out = port;
	evtchn_unmask(port);
	return 0;
}

int evtchn_bind_virq(uint32_t virq, evtchn_handler_t h, void *arg,
		     evtchn_port_t *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &op);

	return bind_done(rc, op.port, h, arg, port, 0);
}

int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *arg,
			 evtchn_port_t *port)
{
	struct evtchn_alloc_unbound op = { .dom = DOMID_SELF,
					   .remote_dom = remote };
	int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &op);

	return bind_done(rc, op.port, h, arg, port, 0);
}

int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_t h, void *arg, evtchn_port_t *port)
{
	struct evtchn_bind_interdomain op = { .remote_dom = remote,
					      .remote_port = remote_port };
	int rc = (int)HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain,
						  &op);

	return bind_done(rc, op.local_port, h, arg, port, 0);
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *arg)
{
	evtchn_port_t unused;

	return bind_done(0, port, h, arg, &unused, 1);
}

int evtchn_close(evtchn_port_t port)
{
	struct evtchn_close op = { .port = port };

	if (port >= NR_PORTS)
		return -XEN_EINVAL;
	/* A notification queued for it goes out while the port is ours. */
	evtchn_flush();
	evtchn_mask(port);
	handlers[port] = (struct port_handler){ 0, 0 };
	if (is_bound(port)) {
		bit_clear(&bound[port / BITS_PER_WORD], port % BITS_PER_WORD);
		nr_bound--;
	}
	evtchn_clear(port);
	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_close, &op);
}

int evtchn_send(evtchn_port_t port)
{
	struct evtchn_send op = { .port = port };

	return (int)HYPERVISOR_event_channel_op(EVTCHNOP_send, &op);
}

void evtchn_notify(evtchn_port_t port)
{
	unsigned int i;

	for (i = 0; i < nr_queued; i++)
		if (queued[i].port == port)
			return;
	if (nr_queued == EVTCHN_NOTIFY_MAX)
		evtchn_flush();
	queued[nr_queued++].port = port;
}

void evtchn_flush(void)
{
	unsigned int i;

	for (i = 0; i < nr_queued; i++)
		HYPERVISOR_event_channel_op(EVTCHNOP_send, &queued[i]);
	nr_queued = 0;
}

int evtchn_mask(evtchn_port_t port)
{
	if (port >= NR_PORTS)
		return -XEN_EINVAL;
	bit_set(mask_word(port), port % BITS_PER_WORD);
	return 0;
}

/*
 * Unmasking does not re-raise an event that arrived while masked, so
 * if the port is pending, mark its word in the selector: the next
 * dispatch pass then finds it.
 */
int evtchn_unmask(evtchn_port_t port)
{
	if (port >= NR_PORTS)
		return -XEN_EINVAL;
	bit_clear(mask_word(port), port % BITS_PER_WORD);
	if (*pending_word(port) & (1UL << (port % BITS_PER_WORD))) {
		bit_set(&vcpu()->evtchn_pending_sel, port / BITS_PER_WORD);
		vcpu()->evtchn_upcall_pending = 1;
	}
	return 0;
}

int evtchn_clear(evtchn_port_t port)
{
	if (port >= NR_PORTS)
		return -XEN_EINVAL;
	bit_clear(pending_word(port), port % BITS_PER_WORD);
	return 0;
}

int evtchn_any_pending(void)
{
	return vcpu()->evtchn_upcall_pending;
}

/* Handle the pending, unmasked ports of one selector word. */
static void dispatch_word(unsigned int w)
{
	xen_ulong_t *pending = &boot_info.shared_info->evtchn_pending[w];
	xen_ulong_t ready = *pending & ~boot_info.shared_info->evtchn_mask[w];

	while (ready != 0) {
		unsigned int bit = __builtin_ctzl(ready);
		evtchn_port_t port = w * BITS_PER_WORD + bit;
		struct port_handler h = handlers[port];

		ready &= ready - 1;
		bit_clear(pending, bit);
		dispatched++;
		if (h.fn)
			h.fn(port, h.arg);
	}
}

void evtchn_get_stats(struct evtchn_stats *s)
{
	const shared_info_t *sh = boot_info.shared_info;
	unsigned int w;

	s->upcalls = __atomic_load_n(&arch_upcalls, __ATOMIC_RELAXED);
	s->dispatched = dispatched;
	s->pending = 0;
	s->first_pending = -1;
	for (w = 0; w < BITS_PER_WORD; w++) {
		xen_ulong_t ready = sh->evtchn_pending[w] & ~sh->evtchn_mask[w];

		if (ready != 0 && s->first_pending < 0)
			s->first_pending =
				w * BITS_PER_WORD + __builtin_ctzl(ready);
		s->pending += (uint64_t)__builtin_popcountl(ready);
	}
}

void evtchn_dispatch(void)
{
	struct vcpu_info *v = vcpu();
	xen_ulong_t sel;

	while (v->evtchn_upcall_pending) {
		/* Clear the summary before reading the selector, so a new
		 * event sets it again and we loop. */
		v->evtchn_upcall_pending = 0;
		sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0,
					  __ATOMIC_SEQ_CST);
		while (sel != 0) {
			unsigned int w = __builtin_ctzl(sel);

			sel &= sel - 1;
			dispatch_word(w);
		}
	}
}

int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns)
{
	evtchn_port_t ports[1] = { port };
	struct sched_poll poll = { .nr_ports = 1, .timeout = deadline_ns };

	set_xen_guest_handle(poll.ports, ports);
	return (int)HYPERVISOR_sched_op(SCHEDOP_poll, &poll);
}

/*
 * The ports to wait for are the bound ones not masked: a masked port
 * that is pending would end every SCHEDOP_poll at once, and its event
 * waits for evtchn_unmask anyway.
 */
void evtchn_block(void)
{
	const shared_info_t *sh = boot_info.shared_info;
	evtchn_port_t ports[EVTCHN_POLL_MAX];
	unsigned int n = 0, w;

	for (w = 0; w < BITS_PER_WORD; w++) {
		xen_ulong_t want = bound[w] & ~sh->evtchn_mask[w];

		while (want != 0 && n < EVTCHN_POLL_MAX) {
			ports[n++] = w * BITS_PER_WORD + __builtin_ctzl(want);
			want &= want - 1;
		}
	}
	arch_block(ports, n, queued, nr_queued);
	nr_queued = 0;
}
