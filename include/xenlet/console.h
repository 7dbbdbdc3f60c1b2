/*
 * console.h - the PV console ring.
 *
 * Xen's toolstack gives every PV and PVH guest one shared page with two
 * rings (struct xencons_interface in xen/io/console.h) and an event
 * channel; xenconsoled in dom0 copies the output ring to `xl console`
 * and to its log. It is the only output path an ordinary guest has on a
 * release build of Xen, where the console_io hypercall is refused.
 */
#ifndef XENLET_CONSOLE_H
#define XENLET_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

/* Start using the ring page at ring (mapped), notified through evtchn. */
void console_init(void *ring, uint32_t evtchn);

/*
 * Write len bytes, "\n" as "\r\n". Waits for room, but not for a
 * backend that has stopped reading: after a deadline (xen/console.c) the
 * rest is dropped, and so is later output until the backend reads again;
 * then a line says how many bytes were lost.
 */
void console_write(const char *buf, size_t len);

/*
 * Wait until the backend has consumed everything written, for at most
 * timeout_ns (a dom0 without a console daemon must not hang us).
 * Returns 0 when drained, -1 on timeout.
 */
int console_flush(uint64_t timeout_ns);

/* --- input: what is typed into `xl console` ----------------------------- */

struct waitq;

/*
 * Let console events wake console_input_waitq (threads must be running).
 * A negative Xen errno (said on the console) if the port is unusable:
 * then no input will ever arrive.
 */
int console_input_init(void);

/* Woken when input arrives; re-check console_input_pending() after. */
extern struct waitq console_input_waitq;

/* Also called when input is waiting (e.g. to wake poll()); may not sleep. */
extern void (*console_input_notify)(void);

/* Input bytes waiting. */
size_t console_input_pending(void);

/* Take up to len waiting bytes, without waiting; returns how many. */
size_t console_read(char *buf, size_t len);

#endif
