/*
 * fuzz_pvh_start.c - libFuzzer target for the checks of hvm_start_info
 * (arch/x86/pvh_start_info.c): the start info, its memory map, module
 * list and command line are all under the fuzzer's control.
 *
 * Input: the guest's physical memory [0, size) as the toolstack left
 * it, in a heap block of exactly that size (so ASan sees any read past
 * it), with the start info at address 8. So that most inputs get past
 * the first checks, the harness lays some of it out: unless byte 0
 * says otherwise the magic is right, and an address field whose top bit
 * is clear is taken modulo size (set, it stays raw: near 2^64), and so
 * are the counts (modulo a little more than they may be), and the
 * map's addresses and sizes (lay_out_map). Whenever
 * the checks accept, what they return is checked against the promises
 * of start_info.h, and the command line is copied as setup_cmdline does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/printk.h>
#include "start_info.h"

#define IMAGE_END 0x100 /* the guest's image: [0, IMAGE_END) */
#define PAGE	  4096UL
#define VA_LIMIT  (1ULL << 47)

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

/* Every range page-aligned, non-empty, canonical, and none overlaps. */
static void check_ram(const struct pvh_boot *b)
{
	unsigned long pages = 0;
	unsigned int i, j;

	check(b->nr_ram <= PAGE_ALLOC_MAX_REGIONS);
	for (i = 0; i < b->nr_ram; i++) {
		const struct ram *r = &b->ram[i];

		check(r->start < r->end && r->end <= VA_LIMIT);
		check(r->start % PAGE == 0 && r->end % PAGE == 0);
		for (j = 0; j < i; j++)
			check(r->end <= b->ram[j].start ||
			      b->ram[j].end <= r->start);
		pages += (r->end - r->start) / PAGE;
	}
	check(pages == b->nr_pages);
}

/* The line lies in RAM and in memory; reading it stops at the bound. */
static void check_cmdline(const struct pvh_boot *b, const char *mem,
			  size_t size)
{
	uint64_t pa = (uint64_t)(b->cmdline - mem);
	char copy[MAX_GUEST_CMDLINE];
	unsigned int i;
	size_t n;

	check(b->cmdline >= mem && pa + b->cmdline_max <= size);
	check(b->cmdline_max <= MAX_GUEST_CMDLINE);
	check(pa + b->cmdline_max <= b->data_end);
	for (i = 0; i < b->nr_ram; i++)
		if (pa >= b->ram[i].start && pa < b->ram[i].end)
			break;
	check(i < b->nr_ram);
	for (n = 0; n < b->cmdline_max && n < sizeof(copy) - 1 &&
		    b->cmdline[n] != '\0';
	     n++)
		copy[n] = b->cmdline[n];
	copy[n] = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A memory-map number: raw if its top bit is set (near 2^64), else
 * small: whole pages when bit 62 is clear, any bytes when it is set. */
static void lay_out_map(uint64_t *v)
{
	if (!(*v >> 63))
		*v = *v >> 62 ? *v % (1 << 20) : (*v % 64) * PAGE;
}

/* Make the map's entries mostly RAM, mostly small. The map may overlap
 * the start info: its fields may change under the loop, so the loop
 * reads them once. */
static void lay_out_memmap(char *mem, size_t size,
			   const struct hvm_start_info *si)
{
	uint64_t i, pa = si->memmap_paddr, n = si->memmap_entries;
	struct hvm_memmap_table_entry *e;

	for (i = 0; i < n && pa + (i + 1) * sizeof(*e) <= size; i++) {
		e = (void *)(mem + pa + i * sizeof(*e));
		lay_out_map(&e->addr);
		lay_out_map(&e->size);
		if (!(e->type >> 31))
			e->type = e->type % 3; /* 1 is RAM */
	}
}

/* An address field: within the input, unless its top bit is set. */
static void lay_out(uint64_t *pa, size_t size, uint64_t align)
{
	if (!(*pa >> 63))
		*pa = *pa % size & ~(align - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint64_t si_paddr = 8;
	struct hvm_start_info *si;
	struct phys_window w;
	struct pvh_boot b;
	char *mem;

	if (size < si_paddr + sizeof(*si))
		return 0;
	mem = malloc(size);
	memcpy(mem, data, size);
	w = (struct phys_window){ (uintptr_t)mem, size };
	si = (void *)(mem + si_paddr);
	if (!(data[0] & 1))
		si->magic = XEN_HVM_START_MAGIC_VALUE;
	/* Xen aligns the map; x86 would read it misaligned, C (and UBSan)
	 * would not: a raw misaligned one is refused by being past 2^63. */
	lay_out(&si->memmap_paddr, size, 8);
	si->memmap_paddr &= ~7ULL;
	lay_out(&si->cmdline_paddr, size, 1);
	lay_out(&si->modlist_paddr, size, 8);
	if (!(si->memmap_entries >> 31)) /* counts: mostly small too */
		si->memmap_entries %= 160;
	if (!(si->nr_modules >> 31))
		si->nr_modules %= 8;
	if (!(si->memmap_paddr >> 63))
		lay_out_memmap(mem, size, si);
	si->memmap_paddr &= ~7ULL;
	if (pvh_check_start_info(&b, &w, si_paddr, IMAGE_END) == NULL) {
		check_ram(&b);
		check(b.data_end % PAGE == 0 && b.data_end >= IMAGE_END);
		check(b.data_end <= (size + PAGE - 1) / PAGE * PAGE);
		check(b.data_end >= si_paddr + sizeof(*si));
		if (b.cmdline != NULL)
			check_cmdline(&b, mem, size);
	}
	free(mem);
	return 0;
}
