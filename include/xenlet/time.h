/*
 * time.h - Xen system time, wall-clock time, and the one-shot timer.
 *
 * Xen publishes, per vCPU, a (tsc_timestamp, system_time) pair and a
 * TSC-to-nanoseconds scale in vcpu_time_info; the guest extrapolates
 * from the TSC. The pair is updated under a version counter that is odd
 * while Xen writes, so a read is retried until the version is even and
 * unchanged across it. Wall-clock time is system time plus the boot
 * time in shared_info (wc_sec, wc_nsec), read the same way.
 */
#ifndef XENLET_TIME_H
#define XENLET_TIME_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ULL
#define NSEC_PER_MS  1000000ULL

/* Nanoseconds since the host booted: monotonic, what Xen timers use. */
uint64_t xen_system_time_ns(void);

/* Nanoseconds this vCPU has run on a physical CPU: the guest's CPU
 * time, without the time Xen gave other domains (xen/runstate.c). */
uint64_t xen_running_ns(void);

/* A span of TSC ticks in nanoseconds, at Xen's current scale. */
uint64_t xen_tsc_to_ns(uint64_t tsc_delta);

/* Nanoseconds since the Unix epoch. */
uint64_t xen_wallclock_ns(void);

/* Stop Xen's periodic tick and bind VIRQ_TIMER (wakes the vCPU). */
void timer_init(void);

/* Make VIRQ_TIMER fire at system time deadline_ns; 0 cancels. */
void timer_set(uint64_t deadline_ns);

/* VIRQ_TIMER events taken since boot, and the deadline armed now (0:
 * none; a fired one-shot timer is disarmed). */
uint64_t timer_fired_count(void);
uint64_t timer_armed_ns(void);

#endif
