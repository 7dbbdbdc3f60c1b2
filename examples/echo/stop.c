/*
 * stop.c - the one part of examples/echo that knows it runs on xenlet:
 * `xl shutdown` asks the guest to stop (include/xenlet/control.h); the
 * counts are printed and the program exits 0, a poweroff.
 */
#include <stdlib.h>
#include <xenlet/control.h>
#include "echo.h"

static void (*stop_fn)(void);

/* Runs in xenlet's xenwatch thread; the serving thread is parked in
 * poll() (threads are cooperative), so the counts hold still. */
static void stop(const char *request)
{
	(void)request;
	stop_fn();
	exit(0);
}

void on_stop(void (*fn)(void))
{
	stop_fn = fn;
	control_set_handler(stop);
}
