/*
 * malloc.c - the C library's allocator is the kernel heap.
 *
 * newlib's own malloc grows one region with sbrk(); xenlet's memory is
 * pages handed out by page_alloc, so malloc and friends (and newlib's
 * internal _malloc_r...) are kmalloc here instead. A program's double
 * free is then caught by the heap's checks and crashes with a report.
 * Alignment: kmalloc gives 16 bytes; blocks above 2016 bytes are whole
 * page_alloc blocks, aligned to their own power-of-two size, which is
 * how memalign gets larger alignments.
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>
#include <xenlet/heap.h>

#define KMALLOC_ALIGN 16
#define KMALLOC_PAGED 2017 /* the smallest request given whole pages */

void *_malloc_r(struct _reent *r, size_t size)
{
	void *p = kmalloc(size);

	if (p == NULL)
		r->_errno = ENOMEM;
	return p;
}

void _free_r(struct _reent *r, void *p)
{
	(void)r;
	kfree(p);
}

void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
	void *p = kcalloc(n, size);

	if (p == NULL)
		r->_errno = ENOMEM;
	return p;
}

void *_realloc_r(struct _reent *r, void *p, size_t size)
{
	void *q;

	if (p != NULL && size == 0) { /* glibc's meaning: free it */
		kfree(p);
		return NULL;
	}
	q = krealloc(p, size);
	if (q == NULL)
		r->_errno = ENOMEM;
	return q;
}

void *_memalign_r(struct _reent *r, size_t align, size_t size)
{
	void *p;

	if (align == 0 || (align & (align - 1)) != 0) {
		r->_errno = EINVAL;
		return NULL;
	}
	if (align <= KMALLOC_ALIGN)
		return _malloc_r(r, size);
	if (size < align)
		size = align;
	if (size < KMALLOC_PAGED)
		size = KMALLOC_PAGED;
	p = _malloc_r(r, size);
	if (p != NULL && ((uintptr_t)p & (align - 1)) != 0) {
		kfree(p); /* cannot happen with page blocks; never lie */
		r->_errno = ENOMEM;
		return NULL;
	}
	return p;
}

size_t _malloc_usable_size_r(struct _reent *r, void *p)
{
	(void)r;
	return p ? kmalloc_usable_size(p) : 0;
}

void *malloc(size_t size)
{
	return _malloc_r(_REENT, size);
}

void free(void *p)
{
	kfree(p);
}

void *calloc(size_t n, size_t size)
{
	return _calloc_r(_REENT, n, size);
}

void *realloc(void *p, size_t size)
{
	return _realloc_r(_REENT, p, size);
}

void *memalign(size_t align, size_t size)
{
	return _memalign_r(_REENT, align, size);
}

void *aligned_alloc(size_t align, size_t size)
{
	return _memalign_r(_REENT, align, size);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	void *p;

	if (align < sizeof(void *))
		return EINVAL;
	p = _memalign_r(_REENT, align, size);
	if (p == NULL)
		return (align & (align - 1)) ? EINVAL : ENOMEM;
	*out = p;
	return 0;
}

size_t malloc_usable_size(void *p)
{
	return _malloc_usable_size_r(_REENT, p);
}
