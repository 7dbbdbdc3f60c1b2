/*
 * heap.h - the kernel heap: kmalloc and friends, on top of page_alloc.
 *
 * Every pointer returned is 16-byte aligned. Requests of a few KiB and
 * more get whole pages (page_alloc blocks), so asking for 2^n pages'
 * worth wastes nothing. Nothing here locks: callers run on one vCPU,
 * cooperatively. page_alloc_init must have been called first.
 */
#ifndef XENLET_HEAP_H
#define XENLET_HEAP_H

#include <stddef.h>

/*
 * size bytes, or NULL when memory is short or size is beyond the
 * largest page block. kmalloc(0) returns a distinct smallest object.
 */
void *kmalloc(size_t size);

/* kmalloc, zeroed. */
void *kzalloc(size_t size);

/* n * size bytes, zeroed; NULL if n * size overflows. */
void *kcalloc(size_t n, size_t size);

/*
 * Resize p, keeping its contents up to the smaller size. krealloc(NULL,
 * size) is kmalloc(size); krealloc(p, 0) shrinks p to a smallest object
 * (it does not free). On failure returns NULL and p is left as it was;
 * shrinking never fails.
 */
void *krealloc(void *p, size_t size);

/* Free p; NULL is fine. */
void kfree(void *p);

/* The bytes p may really use (>= what was asked for). */
size_t kmalloc_usable_size(void *p);

struct heap_stats {
	size_t bytes_in_use; /* usable sizes of the live objects */
	size_t pages_held;   /* pages taken from page_alloc */
};

void heap_stats(struct heap_stats *s);

/*
 * Called on a kfree (or kmalloc_usable_size, krealloc) of a pointer the
 * heap did not hand out, or already freed, as far as the heap can tell;
 * the call has changed nothing. It calls heap_misuse_hook if set (the
 * kernel: print and crash; unit tests: record), else does nothing.
 */
void heap_misuse(const char *what, void *p);
extern void (*heap_misuse_hook)(const char *what, void *p);

#endif
