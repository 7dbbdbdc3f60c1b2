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
 * The memory map is input from the toolstack: entries are checked
 * (count, overlap, alignment, the address space we can identity-map)
 * before any of them is trusted with the allocator.
 */
#include "x86.h"
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>

/* More entries than this is not a map a toolstack writes: refuse it. */
#define MAX_MEMMAP_ENTRIES 128
/* Identity-mapped addresses must be canonical: below 2^47. */
#define VA_LIMIT (1UL << 47)
/* pvh_entry.S's early map covers the first 4 GiB: the map must lie there. */
#define EARLY_MAP_END (1UL << 32)

struct ram {
	uintptr_t start, end; /* page-aligned, end exclusive */
};

static pte_t *l4_table;
static uintptr_t next_free, table_limit; /* bump allocator for tables */
static uint64_t pte_nx;

static uintptr_t page_up(uintptr_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

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

/* The end of what Xen placed after the image: start info, memory map,
 * command line, module list. */
static uintptr_t end_of_boot_data(const struct hvm_start_info *si)
{
	uintptr_t end = (uintptr_t)_end;
	uintptr_t s = (uintptr_t)si + sizeof(*si);
	const struct hvm_memmap_table_entry *map;

	end = s > end ? s : end;
	if (si->cmdline_paddr) {
		const char *c = (const char *)(uintptr_t)si->cmdline_paddr;
		uintptr_t ce = (uintptr_t)c + strlen(c) + 1;
		end = ce > end ? ce : end;
	}
	if (si->version >= 1 && si->memmap_paddr) {
		map = (const void *)(uintptr_t)si->memmap_paddr;
		s = (uintptr_t)(map + si->memmap_entries);
		end = s > end ? s : end;
	}
	if (si->nr_modules && si->modlist_paddr) {
		s = si->modlist_paddr +
		    si->nr_modules * sizeof(struct hvm_modlist_entry);
		end = s > end ? s : end;
	}
	return page_up(end);
}

/* The RAM entries of the map, trimmed inwards to whole pages; returns
 * how many, and counts their pages into boot_info.nr_pages. */
static unsigned int read_memmap(const struct hvm_start_info *si,
				struct ram *ram, unsigned int max)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)si->memmap_paddr;
	unsigned int n = 0, i, j;

	if (si->version < 1 || map == NULL || si->memmap_entries == 0)
		boot_fail("no memory map in hvm_start_info", si->version);
	if (si->memmap_entries > MAX_MEMMAP_ENTRIES ||
	    si->memmap_paddr >= EARLY_MAP_END ||
	    EARLY_MAP_END - si->memmap_paddr <
		    si->memmap_entries * sizeof(*map))
		boot_fail("bad memory map", si->memmap_entries);
	boot_info.nr_pages = 0;
	for (i = 0; i < si->memmap_entries; i++) {
		uint64_t start = page_up(map[i].addr);
		uint64_t end = (map[i].addr + map[i].size) & ~(PAGE_SIZE - 1);

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		if (map[i].addr + map[i].size < map[i].addr)
			boot_fail("bad memory map", i); /* wraps around */
		if (end > VA_LIMIT) {
			printk("xenlet: RAM at 0x%lx left unused\n", VA_LIMIT);
			end = VA_LIMIT;
		}
		if (start >= end)
			continue;
		for (j = 0; j < n; j++)
			if (start < ram[j].end && ram[j].start < end)
				boot_fail("bad memory map", i); /* overlap */
		if (n == max) {
			printk("xenlet: RAM at 0x%lx left unused\n",
			       (unsigned long)start); /* too many ranges */
			continue;
		}
		ram[n++] = (struct ram){ start, end };
		boot_info.nr_pages += (end - start) >> PAGE_SHIFT;
	}
	return n;
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
 * Build and load the page tables; fill free[] with the memory left for
 * the allocator (the rest of the image's range first) and return how
 * many ranges that is.
 */
unsigned int pvh_mm_init(const struct hvm_start_info *si,
			 struct mem_region *free, unsigned int max)
{
	struct ram ram[PAGE_ALLOC_MAX_REGIONS];
	unsigned int n, i, k, img;
	uint32_t a, b, c, d;

	cpuid(0x80000001, &a, &b, &c, &d);
	pte_nx = (d >> 20) & 1 ? PTE_NX : 0;
	n = read_memmap(si, ram,
			max < PAGE_ALLOC_MAX_REGIONS ? max
						     : PAGE_ALLOC_MAX_REGIONS);
	img = image_ram(ram, n);
	next_free = end_of_boot_data(si);
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
