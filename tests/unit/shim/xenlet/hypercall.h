/*
 * hypercall.h (host shim) - the two hypercalls xen/evtchn.c makes,
 * as functions the test defines: on the host there is no hypercall
 * page, and the test plays Xen (and the backend behind the port).
 * Put before -Iinclude, it hides include/xenlet/hypercall.h.
 */
#ifndef XENLET_HYPERCALL_H
#define XENLET_HYPERCALL_H

#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>

long HYPERVISOR_sched_op(int cmd, void *arg);
long HYPERVISOR_event_channel_op(int cmd, void *arg);

#endif
