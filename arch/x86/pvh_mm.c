/*
 * pvh_mm.c - the page tables of a PVH guest.
 *
 * Unlike PV, a PVH guest owns its page tables outright: plain memory,
 * written directly, loaded into CR3. pvh_entry.S ran on a coarse
 * identity map; this file builds the real one, with 4 KiB pages so that
 * code is read-only, data not executable, page 0 and guard pages
 * unmapped. It maps, 1:1, the RAM region that holds the image (from
 * hvm_start_info's memory map) and the special pages Xen put outside
 * RAM (console, XenStore). Table pages come from the free memory after
 * the image and the structures Xen placed right behind it.
 */
#include "x86.h"
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>

static pte_t *l4_table;
static uintptr_t next_free; /* bump allocator for table pages */
static uint64_t pte_nx;

static uintptr_t page_up(uintptr_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static pte_t *new_table(void)
{
	pte_t *t = (pte_t *)next_free;

	next_free += PAGE_SIZE;
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* The L1 entry for va; tables on the way are created when create is 1. */
static pte_t *walk(uintptr_t va, int create)
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

/* The RAM entry that holds the image, and the RAM total in pages. */
static void find_ram(const struct hvm_start_info *si, uintptr_t *start,
		     uintptr_t *end)
{
	const struct hvm_memmap_table_entry *map =
		(const void *)(uintptr_t)si->memmap_paddr;
	uint32_t i;

	if (si->version < 1 || map == NULL || si->memmap_entries == 0)
		boot_fail("no memory map in hvm_start_info", si->version);
	*start = *end = 0;
	boot_info.nr_pages = 0;
	for (i = 0; i < si->memmap_entries; i++) {
		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		boot_info.nr_pages += map[i].size >> PAGE_SHIFT;
		if (map[i].addr <= (uintptr_t)_text &&
		    (uintptr_t)_end <= map[i].addr + map[i].size) {
			*start = map[i].addr;
			*end = (map[i].addr + map[i].size) & ~(PAGE_SIZE - 1);
		}
	}
	if (*end == 0)
		boot_fail("the image is not in RAM", 0);
}

void pvh_mm_init(const struct hvm_start_info *si, void **free_base,
		 size_t *free_pages)
{
	uintptr_t ram_start, ram_end, page;
	uint32_t a, b, c, d;

	cpuid(0x80000001, &a, &b, &c, &d);
	pte_nx = (d >> 20) & 1 ? PTE_NX : 0;
	find_ram(si, &ram_start, &ram_end);
	next_free = end_of_boot_data(si);

	l4_table = new_table();
	map_range(ram_start, ram_end);
	/* The special pages live outside RAM: map them one by one. */
	page = (uintptr_t)boot_info.console_ring;
	*walk(page, 1) = page | PTE_PRESENT | PTE_RW | pte_nx;
	page = (uintptr_t)boot_info.xenstore_ring;
	*walk(page, 1) = page | PTE_PRESENT | PTE_RW | pte_nx;
	asm volatile("mov %0, %%cr3" ::"r"(l4_table) : "memory");

	*free_base = (void *)next_free;
	*free_pages = (ram_end - next_free) >> PAGE_SHIFT;
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
