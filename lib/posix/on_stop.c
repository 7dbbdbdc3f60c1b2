/*
 * on_stop.c - control_on_stop (include/xenlet/control.h): a program's
 * last words on `xl shutdown`, then exit(0), a poweroff (or the reboot
 * the toolstack asked for: control_exit_reason).
 */
#include <stdlib.h>
#include <xenlet/control.h>

static void (*stop_fn)(void);

static void stop(const char *request)
{
	(void)request;
	stop_fn();
	exit(0);
}

void control_on_stop(void (*fn)(void))
{
	stop_fn = fn;
	control_set_handler(stop);
}
