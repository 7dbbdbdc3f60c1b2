/*
 * pvh_start_info.c - checking hvm_start_info, the toolstack's
 * description of a PVH guest: where the start info, memory map, command
 * line and module list are, and which memory is RAM.
 *
 * Xen's domain builder places these right after the image; pvh_mm.c
 * puts the page tables after them, and hands the RAM the map names to
 * the page allocator. Every address, count and length is bounded here
 * first (pure code, see start_info.h):
 * - an address Xen gives is read only if the whole object lies in the
 *   window we can read (boot_data): no sum of address and size wraps;
 * - the memory map has at most MAX_MEMMAP_ENTRIES entries, and a RAM
 *   entry is taken only within the canonical address space;
 * - the command line is read only inside RAM, and never more than
 *   MAX_GUEST_CMDLINE bytes of it (Xen's own limit).
 */
#include "start_info.h"
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/arch.h>
#include <xenlet/printk.h>

/* More entries than this is not a map a toolstack writes: refuse it. */
#define MAX_MEMMAP_ENTRIES 128
/* Identity-mapped addresses must be canonical: below 2^47. */
#define VA_LIMIT (1UL << 47)

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * Where the len bytes at physical address pa can be read, or NULL if
 * any of them lies outside w. The bound is decided here for every
 * address of the start info: pa + len is computed only once it is known
 * not to wrap. Address 0 holds none of Xen's boot data (it means
 * "none"). Xen put them all after the image, and the page tables go
 * after the last: b->data_end is raised past them.
 */
static const void *boot_data(struct pvh_boot *b, const struct phys_window *w,
			     uint64_t pa, uint64_t len)
{
	if (pa == 0 || pa > w->end || len > w->end - pa)
		return NULL;
	if (pa + len > b->data_end)
		b->data_end = pa + len;
	return (const void *)(w->base + pa);
}

/* Take the RAM entry e, trimmed inwards to whole pages and to the
 * canonical addresses, into b->ram[]. NULL, or why the map is bad. */
static const char *add_ram(struct pvh_boot *b,
			   const struct hvm_memmap_table_entry *e)
{
	uint64_t start, end = e->addr + e->size;
	unsigned int j;

	if (end < e->addr)
		return "bad memory map"; /* wraps around */
	if (end > VA_LIMIT) {
		printk("xenlet: RAM at 0x%lx left unused\n", VA_LIMIT);
		end = VA_LIMIT;
	}
	/* Rounded up only below end (<= VA_LIMIT), so it cannot wrap to 0:
	 * RAM near 2^64 is left unused, not taken as RAM from 0. */
	start = e->addr < end ? page_up(e->addr) : end;
	end &= ~(PAGE_SIZE - 1);
	if (start >= end)
		return NULL;
	for (j = 0; j < b->nr_ram; j++)
		if (start < b->ram[j].end && b->ram[j].start < end)
			return "bad memory map"; /* overlap */
	if (b->nr_ram == PAGE_ALLOC_MAX_REGIONS) {
		printk("xenlet: RAM at 0x%lx left unused\n",
		       (unsigned long)start); /* too many ranges */
		return NULL;
	}
	b->ram[b->nr_ram++] = (struct ram){ start, end };
	b->nr_pages += (end - start) >> PAGE_SHIFT;
	return NULL;
}

/* The RAM entries of the map into b->ram[]. */
static const char *read_memmap(struct pvh_boot *b, const struct phys_window *w,
			       const struct hvm_start_info *si)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int i;
	const char *why;

	b->bad = si->version;
	if (si->version < 1 || si->memmap_entries == 0)
		return "no memory map in hvm_start_info";
	b->bad = si->memmap_entries;
	if (si->memmap_entries > MAX_MEMMAP_ENTRIES)
		return "bad memory map";
	map = boot_data(b, w, si->memmap_paddr,
			(uint64_t)si->memmap_entries * sizeof(*map));
	if (map == NULL)
		return "bad memory map";
	for (i = 0; i < si->memmap_entries; i++) {
		struct hvm_memmap_table_entry e = map[i];

		b->bad = i;
		why = e.type == XEN_HVM_MEMMAP_TYPE_RAM ? add_ram(b, &e) : NULL;
		if (why != NULL)
			return why;
	}
	return NULL;
}

/*
 * The command line: read only if it starts in RAM and inside w, and
 * never past the end of either, nor past MAX_GUEST_CMDLINE bytes (Xen's
 * own limit): setup_cmdline copies no more than b->cmdline_max bytes,
 * and a line without its NUL ends there. The page tables go after that
 * bound, wherever the NUL is. 0, or -1 if the line may not be read.
 */
static int find_cmdline(struct pvh_boot *b, const struct phys_window *w,
			uint64_t pa)
{
	unsigned int i;

	for (i = 0; i < b->nr_ram; i++)
		if (pa >= b->ram[i].start && pa < b->ram[i].end && pa < w->end)
			break;
	if (i == b->nr_ram)
		return -1;
	b->cmdline_max =
		min64(min64(b->ram[i].end, w->end) - pa, MAX_GUEST_CMDLINE);
	b->cmdline = boot_data(b, w, pa, b->cmdline_max);
	return b->cmdline != NULL ? 0 : -1;
}

/*
 * The first module is the ramdisk (xl's ramdisk=). Xen's domain builder
 * puts it right after the image, before the start info: taken only if
 * it lies there, after image_end and inside the RAM range that holds
 * the image and inside w; then b->data_end goes past it, so neither
 * the page tables nor the page allocator ever take its pages.
 */
static void find_module(struct pvh_boot *b, const struct phys_window *w,
			struct hvm_modlist_entry m, uint64_t image_end)
{
	const struct ram *img = NULL;
	unsigned int i;

	if (m.size == 0)
		return;
	for (i = 0; i < b->nr_ram; i++)
		if (image_end > b->ram[i].start && image_end <= b->ram[i].end)
			img = &b->ram[i];
	/* Bounded so: no sum wraps (size <= end - paddr). */
	if (img == NULL || m.paddr < image_end || m.paddr > img->end ||
	    m.size > img->end - m.paddr || m.size > SIZE_MAX) {
		b->module.fault = RAMDISK_OUTSIDE;
		return;
	}
	b->module.start = boot_data(b, w, m.paddr, m.size);
	if (b->module.start == NULL)
		b->module.fault = RAMDISK_OUTSIDE;
	else
		b->module.len = (size_t)m.size;
}

const char *pvh_check_start_info(struct pvh_boot *b,
				 const struct phys_window *w, uint64_t si_paddr,
				 uint64_t image_end)
{
	const struct hvm_start_info *si;
	const struct hvm_modlist_entry *mods;
	const char *why;

	*b = (struct pvh_boot){ .data_end = image_end, .bad = (long)si_paddr };
	si = boot_data(b, w, si_paddr, sizeof(*si));
	if (si == NULL)
		return "bad hvm_start_info";
	b->bad = si->magic;
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return "bad hvm_start_info";
	why = read_memmap(b, w, si);
	if (why != NULL)
		return why;
	/* The page tables must not go over the module list (or, had its
	 * end wrapped past 2^64, over the image). */
	b->bad = (long)si->modlist_paddr;
	if (si->nr_modules != 0) {
		mods = boot_data(b, w, si->modlist_paddr,
				 si->nr_modules * sizeof(*mods));
		if (mods == NULL)
			return "bad hvm_start_info";
		find_module(b, w, mods[0], image_end);
	}
	b->bad = (long)si->cmdline_paddr;
	if (si->cmdline_paddr != 0 && find_cmdline(b, w, si->cmdline_paddr))
		return "bad hvm_start_info";
	b->data_end = page_up(b->data_end);
	return NULL;
}
