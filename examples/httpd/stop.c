/*
 * stop.c - the one part of examples/httpd that knows it runs on xenlet:
 * `xl shutdown` asks the guest to stop (include/xenlet/control.h); the
 * counts are printed and the program exits 0, a poweroff. Also the
 * status line, with the heap's figures (mallinfo: every live malloc'd
 * byte, lwIP's buffers too), which a test watches return to its
 * baseline after many requests.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <xenlet/control.h>
#include "httpd.h"

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

int status_line(char *buf, size_t size)
{
	struct mallinfo m = mallinfo();
	int n = snprintf(buf, size,
			 "httpd: status requests=%lu open=%lu refused=%lu "
			 "timeouts=%lu failed=%lu bytes=%llu heap=%zu "
			 "arena=%zu\n",
			 counts.requests, counts.open, counts.refused,
			 counts.timeouts, counts.failed, counts.bytes,
			 (size_t)m.uordblks, (size_t)m.arena);

	return n < (int)size ? n : (int)size - 1;
}
