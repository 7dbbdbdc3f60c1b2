/*
 * control.h - obeying the toolstack: `xl shutdown`, `xl reboot`.
 *
 * The PV control protocol (docs/misc/xenstore-paths): the guest writes
 * control/feature-poweroff = "1" and control/feature-reboot = "1" to
 * say it listens; `xl shutdown` / `xl reboot` then write "poweroff" /
 * "reboot" to control/shutdown; the guest acknowledges by writing ""
 * back, and shuts itself down with that reason.
 *
 * Without a handler, xenlet obeys at once: "xenlet: exit 0", then a
 * poweroff (or a reboot, which restarts the domain if the config's
 * on_reboot = "restart"). A program that wants to finish cleanly first
 * registers a handler: it runs in the "xenwatch" thread with the
 * request ("poweroff", "reboot" or "halt"), should make main return
 * soon, and may sleep. The status-0 exit then follows the request.
 * Threads are cooperative: a request is seen when the running thread
 * next blocks or yields.
 */
#ifndef XENLET_CONTROL_H
#define XENLET_CONTROL_H

typedef void (*control_handler_t)(const char *request);

/* Advertise the features and watch control/shutdown (xenlet_start). */
int control_init(void);

/* Replace the default action (NULL restores it). */
void control_set_handler(control_handler_t h);

/*
 * For a program that reports before it goes (its counts, its last
 * log): fn runs when the toolstack asks the guest to stop, then the
 * program exits with status 0 (lib/posix/on_stop.c). fn runs in the
 * xenwatch thread while the program's threads are parked where they
 * wait (threads are cooperative), so what it reads holds still.
 */
void control_on_stop(void (*fn)(void));

/* The SHUTDOWN_* reason a status-0 exit uses: reboot if one was asked. */
unsigned int control_exit_reason(void);

#endif
