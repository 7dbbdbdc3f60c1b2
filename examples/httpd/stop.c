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
#include <unistd.h>
#include <xenlet/control.h>
#include <xenlet/page_alloc.h>
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

/* The most memory the guest has had in use (KiB), sampled once per
 * poll of the serving loop: what memory= must hold. */
static size_t peak_kib;

void memory_sample(void)
{
	size_t kib = (size_t)mallinfo().hblkhd / 1024;

	if (kib > peak_kib)
		peak_kib = kib;
}

int status_line(char *buf, size_t size)
{
	struct mallinfo m = mallinfo();
	long total = sysconf(_SC_PHYS_PAGES) * (sysconf(_SC_PAGESIZE) / 1024);
	size_t free_kib = page_free_count() * (PAGE_ALLOC_PAGE_SIZE / 1024);
	int n;

	memory_sample();
	/* heap: live malloc'd bytes; arena: the heap's pages; used, peak:
	 * KiB of pages taken from the page allocator (heap, stacks, ring
	 * buffers), now and at most; free: the allocator's free KiB now;
	 * total: memory= (the image and its BSS are the rest). */
	n = snprintf(buf, size,
		     "httpd: status requests=%lu open=%lu refused=%lu "
		     "timeouts=%lu failed=%lu bytes=%llu heap=%zu "
		     "arena=%zu used=%zuK peak=%zuK free=%zuK total=%ldK\n",
		     counts.requests, counts.open, counts.refused,
		     counts.timeouts, counts.failed, counts.bytes,
		     (size_t)m.uordblks, (size_t)m.arena,
		     (size_t)m.hblkhd / 1024, peak_kib, free_kib, total);

	return n < (int)size ? n : (int)size - 1;
}
