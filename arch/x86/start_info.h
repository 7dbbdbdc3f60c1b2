/*
 * start_info.h - checking what Xen and the toolstack tell a guest at
 * boot, private to arch/x86.
 *
 * PV's start_info and PVH's hvm_start_info, with its memory map and
 * command line, are written by the domain builder in dom0: input from
 * outside the guest. Every address, count and length in them is bounded
 * here, before the boot code maps, reads or allocates anything by it.
 * The checks are pure code (no hypercall, no page table, no linker
 * symbol), so the host tests and fuzzers (tests/unit/test_start_info.c,
 * tests/fuzz/fuzz_pvh_start.c) run the very code the guest runs.
 */
#ifndef XENLET_ARCH_X86_START_INFO_H
#define XENLET_ARCH_X86_START_INFO_H

#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xenlet/arch.h>
#include <xenlet/page_alloc.h>

/*
 * The physical memory the boot code can read: addresses [0, end), each
 * seen at base + address. In the guest base is 0 (memory is mapped 1:1)
 * and end is where pvh_entry.S's early map stops; a test gives a buffer.
 */
struct phys_window {
	uintptr_t base;
	uint64_t end;
};

/* A range of RAM: page-aligned, end exclusive. */
struct ram {
	uint64_t start, end;
};

/*
 * The boot module (xl's ramdisk=), if any: its bytes where the boot
 * code can read them, and kept out of the page allocator. A module Xen
 * put where that cannot be ensured is not used: fault says why (the
 * root file system reports it, if the program uses files).
 */
struct boot_module {
	const void *start; /* NULL if none */
	size_t len;
	enum ramdisk_fault fault;
};

/* --- PVH -------------------------------------------------------------- */

/* What pvh_check_start_info found in hvm_start_info, all of it bounded. */
struct pvh_boot {
	struct ram ram[PAGE_ALLOC_MAX_REGIONS]; /* RAM we can identity-map */
	unsigned int nr_ram;
	unsigned long nr_pages; /* in all of ram[] */
	uint64_t data_end;	/* page-aligned end of the image and of what Xen
			     * put behind it: the page tables go there */
	const char *cmdline;	/* NULL if none */
	size_t cmdline_max;	/* bytes of it that may be read */
	struct boot_module module; /* the ramdisk: the first module */
	long bad;		   /* on failure: the offending value */
};

/*
 * Check the hvm_start_info at si_paddr, its memory map, command line
 * and module list; image_end is the end of the guest's image. NULL if
 * all is well, else why not (with b->bad): the boot cannot go on.
 */
const char *pvh_check_start_info(struct pvh_boot *b,
				 const struct phys_window *w, uint64_t si_paddr,
				 uint64_t image_end);

/* --- PV --------------------------------------------------------------- */

/* What pv_check_start_info found in start_info, all of it bounded. */
struct pv_boot {
	unsigned long console_pfn; /* PV_NO_PFN if not ours */
	unsigned long store_pfn;
	unsigned long nr_pages;
	unsigned long first_free_pfn; /* after the bootstrap structures */
	struct boot_module module;    /* the ramdisk (mod_start, mod_len) */
	long bad;		      /* on failure: the offending value */
};

#define PV_NO_PFN (~0UL)

/*
 * Check start_info: its console and XenStore frames are looked up in
 * m2p, Xen's machine-to-physical table of m2p_entries entries. NULL if
 * all is well, else why not (with b->bad). console_pfn is set as soon
 * as it is known good, so that the failure can be reported.
 */
const char *pv_check_start_info(struct pv_boot *b, const start_info_t *si,
				const unsigned long *m2p,
				unsigned long m2p_entries);

#endif
