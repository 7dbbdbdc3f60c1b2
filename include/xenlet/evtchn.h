/*
 * evtchn.h - event channels, the minimum the console needs.
 *
 * An event channel is Xen's virtual interrupt line: a port number on
 * each side. Sending sets the peer's pending bit in its shared_info and
 * wakes it. Here events are never delivered as upcalls yet; a waiter
 * polls its port with SCHEDOP_poll, which blocks the vCPU in Xen until
 * the port is pending (no busy-waiting) even with upcalls masked.
 */
#ifndef XENLET_EVTCHN_H
#define XENLET_EVTCHN_H

#include <stdint.h>

typedef uint32_t evtchn_port_t;

/* Notify the other end of port. */
int evtchn_send(evtchn_port_t port);

/* Clear port's pending bit: do it before checking the condition waited for. */
void evtchn_clear(evtchn_port_t port);

/*
 * Block until port is pending or Xen system time reaches deadline_ns
 * (0: no deadline). Returns 0, or a negative errno from Xen.
 */
int evtchn_poll(evtchn_port_t port, uint64_t deadline_ns);

#endif
