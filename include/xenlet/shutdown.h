/*
 * shutdown.h - ending the domain.
 *
 * SCHEDOP_shutdown tells Xen why the domain stops (SHUTDOWN_poweroff,
 * SHUTDOWN_reboot, SHUTDOWN_crash, ...); xl then applies the config's
 * on_poweroff / on_reboot / on_crash action.
 */
#ifndef XENLET_SHUTDOWN_H
#define XENLET_SHUTDOWN_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

__attribute__((noreturn)) void xen_shutdown(unsigned int reason);

#endif
