/*
 * memory - reports the guest's memory, then, twice: takes every free
 * page one at a time, writing and checking each; frees them; takes all
 * memory again in the largest blocks available; frees them. The free
 * count must come back exactly each time. It also reports the highest
 * page it was given: with a large MMIO hole, a PVH guest's memory goes
 * on above 4 GiB.
 */
#include <xenlet/arch.h>
#include <xenlet/page_alloc.h>
#include <xenlet/xenlet.h>

static uintptr_t highest; /* the highest page address handed out */

/* Free pages are chained through their first word while held. */
static size_t take_all(unsigned int order, void **chain)
{
	size_t n = 0;
	void *p;

	while ((p = page_alloc(order)) != NULL) {
		uint64_t *w = p;
		uintptr_t last;
		size_t i;

		/* Every page of the block must be mapped and writable. */
		for (i = 0; i < (1UL << order); i++)
			w[i * PAGE_SIZE / 8 + 1] = (uintptr_t)p + i;
		for (i = 0; i < (1UL << order); i++)
			if (w[i * PAGE_SIZE / 8 + 1] != (uintptr_t)p + i)
				return 0;
		*(void **)p = *chain;
		*chain = p;
		last = (uintptr_t)p + ((1UL << order) - 1) * PAGE_SIZE;
		if (last > highest)
			highest = last;
		n += 1UL << order;
	}
	return n;
}

static void free_all(void *chain, unsigned int order)
{
	while (chain != NULL) {
		void *next = *(void **)chain;

		page_free(chain, order);
		chain = next;
	}
}

/* Largest blocks first, then smaller ones for what is left. */
static size_t take_all_large(void **chains)
{
	size_t n = 0;
	int order;

	for (order = PAGE_ALLOC_MAX_ORDER; order >= 0; order--) {
		chains[order] = NULL;
		n += take_all(order, &chains[order]);
	}
	return n;
}

int main(int argc, char **argv)
{
	void *chains[PAGE_ALLOC_MAX_ORDER + 1];
	size_t before = page_free_count(), small, large;
	int round, order, ok = 1;

	(void)argc;
	(void)argv;
	printk("memory: %lu pages (%lu MiB), %lu free at main\n",
	       boot_info.nr_pages, boot_info.nr_pages >> 8, before);
	for (round = 1; round <= 2; round++) {
		void *chain = NULL;

		small = take_all(0, &chain);
		free_all(chain, 0);
		large = take_all_large(chains);
		for (order = 0; order <= PAGE_ALLOC_MAX_ORDER; order++)
			free_all(chains[order], order);
		printk("memory: round %d: %lu pages one by one, %lu in large "
		       "blocks, %lu free after\n",
		       round, small, large, page_free_count());
		ok &= small == before && large == before &&
		      page_free_count() == before;
	}
	printk("memory: highest page at 0x%lx\n", highest);
	return ok ? 0 : 1;
}
