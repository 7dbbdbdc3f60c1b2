/*
 * test_start_info.c - the checks of PVH's hvm_start_info and PV's
 * start_info (arch/x86/pvh_start_info.c, pv_start_info.c), on crafted
 * hostile values. "Physical memory" is a heap buffer, so ASan reports
 * any read the checks make outside it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/arch-x86/hvm/start_info.h>
#include <xenlet/printk.h>
#include "start_info.h"

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

/* --- PVH: a window of physical memory [0, WINDOW) ------------------------ */

#define WINDOW	  0x10000
#define SI_PA	  0x2000 /* the image is [0x1000, 0x2000) */
#define MAP_PA	  0x2040
#define CMD_PA	  0x2200
#define IMAGE_END SI_PA
#define MiB	  (1UL << 20)

/* A memory-map entry (the reserved field zero, as version 1 wants). */
#define ENTRY(a, s, t)                                                         \
	((struct hvm_memmap_table_entry){                                      \
		.addr = (a), .size = (s), .type = (t) })

static char *mem;
static struct phys_window win;
static struct hvm_start_info *si;
static struct hvm_memmap_table_entry *map;

/* A start info as Xen writes it: RAM [0, 1 MiB) and [1 MiB, 16 MiB). */
static int setup_pvh(void **state)
{
	(void)state;
	mem = calloc(1, WINDOW);
	win = (struct phys_window){ (uintptr_t)mem, WINDOW };
	si = (void *)(mem + SI_PA);
	map = (void *)(mem + MAP_PA);
	*si = (struct hvm_start_info){ .magic = XEN_HVM_START_MAGIC_VALUE,
				       .version = 1,
				       .cmdline_paddr = CMD_PA,
				       .memmap_paddr = MAP_PA,
				       .memmap_entries = 3 };
	map[0] = ENTRY(0, MiB, XEN_HVM_MEMMAP_TYPE_RAM);
	map[1] = ENTRY(MiB, 15 * MiB, XEN_HVM_MEMMAP_TYPE_RAM);
	map[2] = ENTRY(0xfc000000, 0x4000000, XEN_HVM_MEMMAP_TYPE_RESERVED);
	strcpy(mem + CMD_PA, "A=1 -- x");
	return 0;
}

static int teardown_pvh(void **state)
{
	(void)state;
	free(mem);
	return 0;
}

static const char *check(struct pvh_boot *b)
{
	return pvh_check_start_info(b, &win, SI_PA, IMAGE_END);
}

static void test_pvh_good(void **state)
{
	struct pvh_boot b;

	(void)state;
	assert_null(check(&b));
	assert_int_equal(b.nr_ram, 2);
	assert_int_equal(b.nr_pages, 16 * MiB / 4096);
	assert_string_equal(b.cmdline, "A=1 -- x");
	assert_int_equal(b.data_end, 0x3000); /* the page after the line */
}

/* modlist_paddr + nr_modules * 32 past 2^64: the end of the boot data
 * wrapped to a small number, and the page tables went over the image. */
static void test_pvh_modlist_overflow(void **state)
{
	struct pvh_boot b;

	(void)state;
	si->nr_modules = 1;
	si->modlist_paddr = ~0ULL - 15;
	assert_non_null(check(&b));
	si->nr_modules = 0xffffffff; /* 128 GiB of list at 0x3000 */
	si->modlist_paddr = 0x3000;
	assert_non_null(check(&b));
	si->nr_modules = 2; /* a real one: the tables go after it */
	assert_null(check(&b));
	assert_int_equal(b.data_end, 0x4000);
}

/* A RAM entry within 4 KiB of 2^64: rounding its start up wrapped to
 * 0, and it was taken as RAM from 0 to 128 TiB. */
static void test_pvh_ram_near_2_64(void **state)
{
	struct pvh_boot b;

	(void)state;
	map[2] = ENTRY(~0ULL - 0x7ff, 0x100, XEN_HVM_MEMMAP_TYPE_RAM);
	assert_null(check(&b));
	assert_int_equal(b.nr_ram, 2);
	assert_int_equal(b.nr_pages, 16 * MiB / 4096);
	map[2].addr = 1ULL << 47; /* past the canonical half: unused */
	map[2].size = 1 << 20;
	assert_null(check(&b));
	assert_int_equal(b.nr_pages, 16 * MiB / 4096);
	map[2].addr = ~0ULL - 0xff; /* wraps past 2^64: refused */
	assert_non_null(check(&b));
}

/* A command line with no NUL up to the end of readable memory: the old
 * strlen read on past it (ASan: heap-buffer-overflow). */
static void test_pvh_unterminated_cmdline(void **state)
{
	struct pvh_boot b;

	(void)state;
	si->cmdline_paddr = WINDOW - 16;
	memset(mem + WINDOW - 16, 'a', 16);
	assert_null(check(&b));
	assert_int_equal(b.cmdline_max, 16);
	assert_int_equal(b.data_end, WINDOW);
	/* And no more than MAX_GUEST_CMDLINE bytes of a long one. */
	si->cmdline_paddr = 0x4000;
	memset(mem + 0x4000, 'b', 0x3000);
	assert_null(check(&b));
	assert_int_equal(b.cmdline_max, MAX_GUEST_CMDLINE);
	assert_int_equal(b.data_end, 0x5000);
}

/* A command line outside RAM, or outside what can be read, is refused
 * before anything reads it. */
static void test_pvh_cmdline_outside_ram(void **state)
{
	struct pvh_boot b;

	(void)state;
	map[0].addr = 0x3000; /* RAM now starts above the line */
	map[0].size = MiB - 0x3000;
	assert_non_null(check(&b));
	map[0] = ENTRY(0, MiB, XEN_HVM_MEMMAP_TYPE_RAM);
	si->cmdline_paddr = 4 * MiB; /* RAM, but not readable */
	assert_non_null(check(&b));
}

/* The start info itself, and the map, must lie inside the window. */
static void test_pvh_outside_window(void **state)
{
	struct pvh_boot b;

	(void)state;
	assert_non_null(pvh_check_start_info(&b, &win, WINDOW - 8, IMAGE_END));
	assert_non_null(pvh_check_start_info(&b, &win, ~0ULL - 8, IMAGE_END));
	si->memmap_paddr = WINDOW - 16; /* 3 entries: 48 bytes */
	assert_non_null(check(&b));
	si->memmap_paddr = ~0ULL - 16;
	assert_non_null(check(&b));
}

/* The ramdisk (first module): taken only after the image, inside its
 * RAM range and the window; the page tables then go after it. */
static void test_pvh_module(void **state)
{
	struct hvm_modlist_entry *m = (void *)(mem + 0x3000);
	struct pvh_boot b;

	(void)state;
	si->nr_modules = 1;
	si->modlist_paddr = 0x3000;
	*m = (struct hvm_modlist_entry){ .paddr = 0x4000, .size = 0x2001 };
	assert_null(check(&b));
	assert_ptr_equal(b.module.start, mem + 0x4000);
	assert_int_equal(b.module.len, 0x2001);
	assert_int_equal(b.module.fault, RAMDISK_OK);
	assert_int_equal(b.data_end, 0x7000); /* past the module */

	m->paddr = 0x1000; /* over the image */
	assert_null(check(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	m->paddr = 0x8000; /* past its RAM range's end (1 MiB) */
	m->size = MiB;
	assert_null(check(&b));
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	m->size = ~0ULL - 0x7000; /* paddr + size wraps */
	assert_null(check(&b));
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	m->paddr = WINDOW - 0x1000; /* in RAM, past the window */
	m->size = 0x2000;
	assert_null(check(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.len, 0);
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	m->size = 0; /* an empty module: none */
	assert_null(check(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.fault, RAMDISK_OK);
}

/* --- PV -------------------------------------------------------------------- */

#define NR_PAGES 32
#define MFN_BASE 1000
#define M2P_SIZE 1100 /* the host's frames: Xen's M2P has this many */

static start_info_t psi;
static xen_pfn_t p2m[NR_PAGES];
static unsigned long *m2p;

/* 32 pages at MFN 1000 on; console at PFN 20, XenStore at 19; page
 * tables at PFN 21-24, then the boot stack: PFN 26 on is free. */
static int setup_pv(void **state)
{
	int i;

	(void)state;
	m2p = malloc(M2P_SIZE * sizeof(*m2p));
	for (i = 0; i < M2P_SIZE; i++)
		m2p[i] = 0x5555; /* another domain's */
	for (i = 0; i < NR_PAGES; i++) {
		p2m[i] = MFN_BASE + NR_PAGES - 1 - i;
		m2p[p2m[i]] = i;
	}
	memset(&psi, 0, sizeof(psi));
	psi.nr_pages = NR_PAGES;
	psi.mfn_list = (unsigned long)p2m;
	psi.console.domU.mfn = p2m[20];
	psi.store_mfn = p2m[19];
	psi.pt_base = 21 * 4096;
	psi.nr_pt_frames = 4;
	return 0;
}

static int teardown_pv(void **state)
{
	(void)state;
	free(m2p);
	return 0;
}

static const char *check_pv(struct pv_boot *b)
{
	return pv_check_start_info(b, &psi, m2p, M2P_SIZE);
}

static void test_pv_good(void **state)
{
	struct pv_boot b;

	(void)state;
	assert_null(check_pv(&b));
	assert_int_equal(b.console_pfn, 20);
	assert_int_equal(b.store_pfn, 19);
	assert_int_equal(b.first_free_pfn, 26);
	assert_int_equal(b.nr_pages, NR_PAGES);
}

/* Console and XenStore MFNs past the M2P's end: m2p[mfn] was read
 * anyway (ASan: heap-buffer-overflow; in a guest, a fault). */
static void test_pv_m2p_bound(void **state)
{
	struct pv_boot b;

	(void)state;
	psi.console.domU.mfn = M2P_SIZE;
	assert_non_null(check_pv(&b));
	assert_true(b.console_pfn == PV_NO_PFN);
	psi.console.domU.mfn = p2m[20];
	psi.store_mfn = ~0UL;
	assert_non_null(check_pv(&b));
	assert_int_equal(b.console_pfn, 20); /* known good: can report */
	assert_true(b.store_pfn == PV_NO_PFN);
}

/* A frame in the M2P that is not ours (or whose M2P entry is wrong):
 * refused, not mapped as our console. */
static void test_pv_frame_not_ours(void **state)
{
	struct pv_boot b;

	(void)state;
	psi.console.domU.mfn = 5; /* m2p says PFN 0x5555 */
	assert_non_null(check_pv(&b));
	m2p[5] = 20; /* claims our PFN 20, whose MFN is another */
	assert_non_null(check_pv(&b));
}

/* nr_pages below the end of the bootstrap structures: the free count
 * nr_pages - next_free_pfn wrapped to nearly 2^64 pages. */
static void test_pv_nr_pages_underflow(void **state)
{
	struct pv_boot b;

	(void)state;
	psi.nr_pages = 24; /* the frames themselves are still ours */
	assert_non_null(check_pv(&b));
	psi.nr_pages = 26; /* not one free page */
	assert_non_null(check_pv(&b));
	psi.nr_pages = NR_PAGES;
	psi.nr_pt_frames = ~0UL; /* pt + frames + 1 wraps */
	assert_non_null(check_pv(&b));
	psi.nr_pt_frames = 4;
	psi.pt_base = ~0UL & ~4095UL;
	assert_non_null(check_pv(&b));
	psi.pt_base = 21 * 4096;
	psi.nr_pages = 1UL << 40; /* more than can be mapped at pfn * 4K */
	assert_non_null(check_pv(&b));
}

/* The ramdisk: only in [PAGE_SIZE, pt_base), before the page tables
 * and so before the first free page; never as a PFN. */
static void test_pv_module(void **state)
{
	struct pv_boot b;

	(void)state;
	psi.mod_start = 10 * 4096;
	psi.mod_len = 5000;
	assert_null(check_pv(&b));
	assert_int_equal((uintptr_t)b.module.start, 10 * 4096);
	assert_int_equal(b.module.len, 5000);
	assert_int_equal(b.module.fault, RAMDISK_OK);
	psi.mod_len = 11 * 4096 + 1; /* into the page tables */
	assert_null(check_pv(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	psi.mod_start = ~0UL - 10; /* start + len wraps */
	psi.mod_len = 100;
	assert_null(check_pv(&b));
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	psi.mod_start = 100; /* page 0: unmapped */
	assert_null(check_pv(&b));
	assert_int_equal(b.module.fault, RAMDISK_OUTSIDE);
	psi.mod_start = 10;
	psi.flags = SIF_MOD_START_PFN;
	assert_null(check_pv(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.fault, RAMDISK_AS_PFN);
	psi.mod_start = 0; /* none */
	assert_null(check_pv(&b));
	assert_null(b.module.start);
	assert_int_equal(b.module.fault, RAMDISK_OK);
}

#define PVH_TEST(t) cmocka_unit_test_setup_teardown(t, setup_pvh, teardown_pvh)
#define PV_TEST(t)  cmocka_unit_test_setup_teardown(t, setup_pv, teardown_pv)

int main(void)
{
	const struct CMUnitTest tests[] = {
		PVH_TEST(test_pvh_good),
		PVH_TEST(test_pvh_modlist_overflow),
		PVH_TEST(test_pvh_ram_near_2_64),
		PVH_TEST(test_pvh_unterminated_cmdline),
		PVH_TEST(test_pvh_cmdline_outside_ram),
		PVH_TEST(test_pvh_outside_window),
		PVH_TEST(test_pvh_module),
		PV_TEST(test_pv_module),
		PV_TEST(test_pv_good),
		PV_TEST(test_pv_m2p_bound),
		PV_TEST(test_pv_frame_not_ours),
		PV_TEST(test_pv_nr_pages_underflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
