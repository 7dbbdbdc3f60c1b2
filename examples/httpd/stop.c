/*
 * stop.c - what httpd says of itself when it stops (`xl shutdown`: main
 * registers it with control_on_stop) or is asked for its status: the
 * counts, and the heap's figures (mallinfo: every live malloc'd byte,
 * lwIP's buffers too), which a test watches return to its baseline
 * after many requests, and the pages in use (xenlet's page allocator).
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xenlet/ipstack.h>
#include <xenlet/page_alloc.h>
#include "httpd.h"

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

int net_status_line(char *buf, size_t size)
{
	return ipstack_status(buf, size);
}
