/*
 * pvh_mm.c - the page tables of a PVH guest.
 *
 * Unlike PV, a PVH guest owns its page tables outright: plain memory,
 * written directly, loaded into CR3. pvh_entry.S ran on a coarse
 * identity map; this file builds the real one, with 4 KiB pages so that
 * code is read-only, data not executable, page 0 and guard pages
 * unmapped. It maps, 1:1, every RAM entry of hvm_start_info's memory
 * map (below 4 GiB up to the MMIO hole, and above 4 GiB the rest when
 * the guest is large) and the special pages Xen put outside RAM
 * (console, XenStore). Table pages come from the free memory right
 * after the image and the structures Xen placed behind it.
 *
 * The memory map is input from the toolstack: pvh_start_info.c has
 * checked its entries (count, overlap, alignment, the address space we
 * can identity-map) before any of them reaches this file.
 */
#include "start_info.h"
#include "x86.h"
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>

static pte_t *l4_table;
static uintptr_t next_free, table_limit; /* bump allocator for tables */
static uint64_t pte_nx;

static pte_t *new_table(void)
{
	pte_t *t = (pte_t *)next_free;

	if (next_free + PAGE_SIZE > table_limit)
		boot_fail("no room for page tables", 0);
	next_free += PAGE_SIZE;
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The L1 entry for va; tables on the way are created when create is 1. */
static __attribute__((noinline)) pte_t *walk(uintptr_t va, int create)
{
	pte_t *t = l4_table;
	int level;

	for (level = 4; level > 1; level--) {
		pte_t *e = &t[(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511];

		if (!(*e & PTE_PRESENT)) {
			if (!create)
				return NULL;
			*e = (uintptr_t)new_table() | PTE_PRESENT | PTE_RW;
		}
		t = (pte_t *)(*e & PTE_ADDR);
	}
	return &t[(va >> PAGE_SHIFT) & 511];
}

static uint64_t page_prot(uintptr_t va)
{
	if (va >= (uintptr_t)_text && va < (uintptr_t)_etext)
		return PTE_PRESENT; /* r-x */
	if (va >= (uintptr_t)_rodata && va < (uintptr_t)_data)
		return PTE_PRESENT | pte_nx;
	return PTE_PRESENT | PTE_RW | pte_nx;
}

static void map_range(uintptr_t start, uintptr_t end)
{
	uintptr_t va;

	for (va = start; va < end; va += PAGE_SIZE)
		if (va != 0) /* page 0 stays unmapped: NULL faults */
			*walk(va, 1) = va | page_prot(va);
}

/* The RAM range that holds the whole image. */
static unsigned int image_ram(const struct ram *ram, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (ram[i].start <= (uintptr_t)_text &&
		    (uintptr_t)_end <= ram[i].end)
			return i;
	boot_fail("the image is not in RAM", 0);
}

/* A page Xen shares with us outside RAM: map it, and make sure it is
 * outside, or the allocator would hand it out as free memory. */
static __attribute__((noinline)) void
map_special(void *p, const struct ram *ram, unsigned int n)
{
	uintptr_t page = (uintptr_t)p;
	unsigned int i;

	for (i = 0; i < n; i++)
		if (page >= ram[i].start && page < ram[i].end)
			boot_fail("a special page in RAM", (long)page);
	*walk(page, 1) = page | PTE_PRESENT | PTE_RW | pte_nx;
}

/*
 * Build and load the page tables for the RAM b names; fill free[] with
 * the memory left for the allocator (the rest of the image's range
 * first) and return how many ranges that is.
 */
unsigned int pvh_mm_init(const struct pvh_boot *b, struct mem_region *free)
{
	const struct ram *ram = b->ram;
	unsigned int n = b->nr_ram, i, k, img;
	uint32_t a, bx, c, d;

	cpuid(0x80000001, &a, &bx, &c, &d);
	pte_nx = (d >> 20) & 1 ? PTE_NX : 0;
	img = image_ram(ram, n);
	next_free = b->data_end;
	table_limit = ram[img].end;

	l4_table = new_table();
	for (i = 0; i < n; i++)
		map_range(ram[i].start, ram[i].end);
	map_special(boot_info.console_ring, ram, n);
	map_special(boot_info.xenstore_ring, ram, n);
	asm volatile("mov %0, %%cr3" ::"r"(l4_table) : "memory");

	/* Xen's start info, memory map and command line are behind us now
	 * (setup_cmdline copied the line): every other range is free. */
	free[0] =
		(struct mem_region){ (void *)next_free,
				     (ram[img].end - next_free) >> PAGE_SHIFT };
	for (i = 0, k = 1; i < n; i++) {
		uintptr_t start = ram[i].start ? ram[i].start : PAGE_SIZE;

		if (i != img && start < ram[i].end)
			free[k++] = (struct mem_region){ (void *)start,
							 (ram[i].end - start) >>
								 PAGE_SHIFT };
	}
	return k;
}

/* Write va's entry and drop the stale translation. 0, or -1 if unmapped. */
static int set_pte(void *va, pte_t val)
{
	pte_t *e = walk((uintptr_t)va, 0);

	if (e == NULL)
		return -1;
	*e = val;
	asm volatile("invlpg (%0)" ::"r"(va) : "memory");
	return 0;
}

int pvh_page_unmap(void *va)
{
	return set_pte(va, 0);
}

int pvh_page_remap(void *va)
{
	return set_pte(va, (uintptr_t)va | page_prot((uintptr_t)va));
}
