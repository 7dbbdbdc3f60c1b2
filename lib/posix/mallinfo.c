/*
 * mallinfo.c - what the heap holds, in the C library's terms, so that a
 * program can watch its own memory (examples/echo reports it, and the
 * integration tests check that it returns to a baseline).
 *
 * malloc is the kernel heap (malloc.c), shared with everything else in
 * the guest (lwIP's buffers, thread bookkeeping), so these are the
 * whole guest's figures, not only the program's.
 */
#include <malloc.h>
#include <reent.h>
#include <string.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>

struct mallinfo _mallinfo_r(struct _reent *r)
{
	struct mallinfo m;
	struct heap_stats s;

	(void)r;
	heap_stats(&s);
	memset(&m, 0, sizeof(m));
	m.arena = s.pages_held * PAGE_ALLOC_PAGE_SIZE; /* the heap's pages */
	m.uordblks = s.bytes_in_use; /* live objects, usable sizes */
	m.fordblks = m.arena > m.uordblks ? m.arena - m.uordblks : 0;
	/* Not mmap here: every page taken from the page allocator, by the
	 * heap or not (thread stacks, ring buffers, grant pages). */
	m.hblkhd =
		(page_total_count() - page_free_count()) * PAGE_ALLOC_PAGE_SIZE;
	return m;
}

struct mallinfo mallinfo(void)
{
	return _mallinfo_r(_REENT);
}
