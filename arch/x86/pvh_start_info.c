/*
 * pvh_start_info.c - checking hvm_start_info, the toolstack's
 * description of a PVH guest: where the start info, memory map, command
 * line and module list are, and which memory is RAM.
 *
 * Xen's domain builder places these right after the image; pvh_mm.c
 * puts the page tables after them, and hands the RAM the map names to
 * the page allocator. Pure code (see start_info.h).
 */
#include "start_info.h"
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/arch.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>

/* More entries than this is not a map a toolstack writes: refuse it. */
#define MAX_MEMMAP_ENTRIES 128
/* Identity-mapped addresses must be canonical: below 2^47. */
#define VA_LIMIT (1UL << 47)

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The RAM entries of the map, trimmed inwards to whole pages, into
 * b->ram[]; their pages are counted into b->nr_pages. */
static const char *read_memmap(struct pvh_boot *b, const struct phys_window *w,
			       const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i, j;

	b->bad = si->version;
	if (si->version < 1 || si->memmap_paddr == 0 || si->memmap_entries == 0)
		return "no memory map in hvm_start_info";
	b->bad = si->memmap_entries;
	if (si->memmap_entries > MAX_MEMMAP_ENTRIES ||
	    si->memmap_paddr >= w->end ||
	    w->end - si->memmap_paddr < si->memmap_entries * sizeof(*map))
		return "bad memory map";
	map = (const void *)(w->base + si->memmap_paddr);
	for (i = 0; i < si->memmap_entries; i++) {
		uint64_t start = page_up(map[i].addr);
		uint64_t end = (map[i].addr + map[i].size) & ~(PAGE_SIZE - 1);

		b->bad = i;
		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM)
			continue;
		if (map[i].addr + map[i].size < map[i].addr)
			return "bad memory map"; /* wraps around */
		if (end > VA_LIMIT) {
			printk("xenlet: RAM at 0x%lx left unused\n", VA_LIMIT);
			end = VA_LIMIT;
		}
		if (start >= end)
			continue;
		for (j = 0; j < b->nr_ram; j++)
			if (start < b->ram[j].end && b->ram[j].start < end)
				return "bad memory map"; /* overlap */
		if (b->nr_ram == PAGE_ALLOC_MAX_REGIONS) {
			printk("xenlet: RAM at 0x%lx left unused\n",
			       (unsigned long)start); /* too many ranges */
			continue;
		}
		b->ram[b->nr_ram++] = (struct ram){ start, end };
		b->nr_pages += (end - start) >> PAGE_SHIFT;
	}
	return NULL;
}

/* The end of what Xen placed after the image: start info, memory map,
 * command line, module list. */
static uint64_t end_of_boot_data(const struct pvh_boot *b,
				 const struct hvm_start_info *si,
				 uint64_t si_paddr, uint64_t image_end)
{
	uint64_t end = max64(image_end, si_paddr + sizeof(*si));

	if (b->cmdline)
		end = max64(end, si->cmdline_paddr + strlen(b->cmdline) + 1);
	end = max64(end, si->memmap_paddr +
				 si->memmap_entries *
					 sizeof(struct hvm_memmap_table_entry));
	if (si->nr_modules && si->modlist_paddr)
		end = max64(end,
			    si->modlist_paddr +
				    si->nr_modules *
					    sizeof(struct hvm_modlist_entry));
	return page_up(end);
}

const char *pvh_check_start_info(struct pvh_boot *b,
				 const struct phys_window *w, uint64_t si_paddr,
				 uint64_t image_end)
{
	const struct hvm_start_info *si = (const void *)(w->base + si_paddr);
	const char *why;

	*b = (struct pvh_boot){ .bad = si->magic };
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return "bad hvm_start_info magic";
	why = read_memmap(b, w, si);
	if (why != NULL)
		return why;
	if (si->cmdline_paddr) {
		b->cmdline = (const char *)(w->base + si->cmdline_paddr);
		b->cmdline_max = MAX_GUEST_CMDLINE;
	}
	b->data_end = end_of_boot_data(b, si, si_paddr, image_end);
	return NULL;
}
