/*
 * time.h - Xen system time.
 *
 * Xen publishes, per vCPU, a (tsc_timestamp, system_time) pair and a
 * TSC-to-nanoseconds scale in vcpu_time_info; the guest extrapolates
 * from the TSC. The pair is updated under a version counter that is odd
 * while Xen writes, so a read is retried until the version is even and
 * unchanged across it.
 */
#ifndef XENLET_TIME_H
#define XENLET_TIME_H

#include <stdint.h>

/* Nanoseconds since the host booted: monotonic, what Xen timers use. */
uint64_t xen_system_time_ns(void);

#endif
