/*
 * evtchn.h - event channels (the 2-level ABI).
 *
 * An event channel is Xen's virtual interrupt line: a port number on
 * each side. Sending sets the peer's pending bit in its shared_info and
 * wakes its vCPU. A port gets a handler when it is bound; handlers run
 * from evtchn_dispatch(), which the scheduler calls in thread context
 * (see xen/evtchn.c for why), never from the upcall itself.
 *
 * Errors are negative Xen errno values (<xen/errno.h>: -XEN_EINVAL...).
 */
#ifndef XENLET_EVTCHN_H
#define XENLET_EVTCHN_H

#include <stdint.h>
#include <xen/xen.h>

typedef uint32_t evtchn_port_t;
typedef void (*evtchn_handler_t)(evtchn_port_t port, void *arg);

/* Register the upcall with Xen; events stay masked in thread context. */
void evtchn_init(void);

/*
 * The most ports a guest may have bound at once: evtchn_block names them
 * all to SCHEDOP_poll, and Xen's do_poll takes 128 at most. Binding one
 * more fails with -XEN_ENOSPC (and the new port is closed again).
 */
#define EVTCHN_POLL_MAX 128

/* Bind a virtual IRQ (VIRQ_TIMER, ...) of vCPU 0 to a new port. */
int evtchn_bind_virq(uint32_t virq, evtchn_handler_t h, void *arg,
		     evtchn_port_t *port);
/* A new port that domain `remote` may bind to (the frontend's side). */
int evtchn_alloc_unbound(domid_t remote, evtchn_handler_t h, void *arg,
			 evtchn_port_t *port);
/* Connect to port remote_port of domain remote. */
int evtchn_bind_interdomain(domid_t remote, evtchn_port_t remote_port,
			    evtchn_handler_t h, void *arg, evtchn_port_t *port);
/*
 * Give a port Xen bound for us before boot (start_info's XenStore and
 * console ports) its handler, and unmask it.
 */
int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *arg);
int evtchn_close(evtchn_port_t port);

/* Notify the other end of port, now. */
int evtchn_send(evtchn_port_t port);

/*
 * Notify the other end of port before this vCPU next waits or another
 * thread runs: the scheduler sends what is queued on its next pass
 * (evtchn_flush), and when it is about to block, in the same hypercall
 * as the block (evtchn_block). Drivers notify this way after publishing
 * requests: a round of work that ends in a wait enters Xen once, not
 * once per notification and once more to wait (on PVH each entry is a VM
 * exit, the dearest thing a guest does). A port queued twice is notified
 * once. What the other end may read is already in the shared ring: only
 * its wakeup waits, and never past the calling thread's next yield.
 */
#define EVTCHN_NOTIFY_MAX 8 /* ports queued at once; more sends the queue */
void evtchn_notify(evtchn_port_t port);

/* Send the notifications evtchn_notify queued. */
void evtchn_flush(void);

/*
 * A masked port stays pending but its handler is not called. These and
 * evtchn_clear refuse a port past the 2-level ABI's 4096 (-XEN_EINVAL).
 */
int evtchn_mask(evtchn_port_t port);
int evtchn_unmask(evtchn_port_t port);

/* Run the handlers of all pending, unmasked ports. Events masked. */
void evtchn_dispatch(void);

/*
 * What this vCPU has received since boot. An event that a handler has
 * not yet taken is counted in `pending` (one per port: Xen coalesces a
 * port's events into one pending bit); `dispatched` counts handler
 * runs. received = dispatched + pending, at any moment, so the events
 * that arrived during a stretch of computation are the difference of
 * two readings, without entering the scheduler. `upcalls` counts the
 * times Xen interrupted the vCPU to deliver them (PV only, and only inside
 * evtchn_block: events are masked while threads run).
 */
struct evtchn_stats {
	uint64_t upcalls;
	uint64_t dispatched;
	uint64_t pending;
	int64_t first_pending; /* the lowest pending port, or -1: who fired */
};
void evtchn_get_stats(struct evtchn_stats *s);

/* Is any event pending for this vCPU (an upcall due)? */
int evtchn_any_pending(void);

/* Clear port's pending bit: do it before checking the condition waited for. */
int evtchn_clear(evtchn_port_t port);

/*
 * Block the vCPU until port is pending or Xen system time reaches
 * deadline_ns (0: no deadline): SCHEDOP_poll, usable with events masked
 * and before the scheduler runs (the console uses it).
 */
int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns);

/*
 * Send the queued notifications and block the vCPU until an event
 * arrives on a bound port: SCHEDOP_block (PV), which unmasks event
 * delivery atomically with the check for pending events, or SCHEDOP_poll
 * on the bound ports (PVH), which checks them after marking the vCPU as
 * waiting. Either way, a wakeup between the caller's last check and the
 * block is never lost. Events are masked on return.
 */
void evtchn_block(void);

#endif
