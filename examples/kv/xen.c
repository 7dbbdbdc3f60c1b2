/*
 * xen.c - the guest's free memory, which decides the default maxmemory
 * (main.c also registers its last words with control_on_stop).
 */
#include <stddef.h>
#include <xenlet/page_alloc.h>
#include "server.h"

size_t free_memory(void)
{
	return page_free_count() * PAGE_ALLOC_PAGE_SIZE;
}
