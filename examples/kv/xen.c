/*
 * xen.c - the one part of examples/kv that knows it runs on xenlet:
 * `xl shutdown` asks the guest to stop (include/xenlet/control.h), and
 * the guest's free memory decides the default maxmemory.
 */
#include <stdlib.h>
#include <xenlet/control.h>
#include <xenlet/page_alloc.h>
#include "server.h"

static void (*stop_fn)(void);

/* Runs in xenlet's xenwatch thread; the serving thread is parked in
 * poll() (threads are cooperative), between rounds: every batch it
 * made is written already. */
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

size_t free_memory(void)
{
	return page_free_count() * PAGE_ALLOC_PAGE_SIZE;
}
