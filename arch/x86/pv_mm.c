/*
 * pv_mm.c - mapping all of a PV guest's memory.
 *
 * Xen's domain builder maps only the image and the bootstrap structures
 * after it (about 4 MiB). xenlet maps every pseudo-physical page at
 * virtual address pfn * 4 KiB, so a page's address is its PFN shifted.
 *
 * The PV rules that shape this file:
 * - Page-table frames must never be mapped writable: before a frame
 *   becomes a table, our own mapping of it is made read-only.
 * - Table entries hold machine frame numbers (MFNs). The p2m list
 *   (start_info.mfn_list) turns our PFNs into MFNs; Xen's read-only m2p
 *   table turns MFNs back.
 * - Existing tables are changed only through mmu_update, which names
 *   the entry by its machine address.
 *
 * A fresh L1 table is filled while still writable and then hooked into
 * its L2 with one hypercall, so mapping 2 MiB costs two hypercalls, not
 * 512. Table frames are taken from the first free pages, which are
 * always already mapped.
 */
#include "x86.h"
#include <xenlet/arch.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/string.h>

/* A 64-bit PV kernel runs in ring 3: its pages carry the user bit. */
#define TABLE_PROT (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)

#define MMU_BATCH      64
#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * ((l)-1))

static const xen_pfn_t *p2m; /* start_info.mfn_list */
static pte_t *l4_table;	     /* start_info.pt_base */
static unsigned long next_free_pfn;
static uint64_t pte_nx; /* PTE_NX if the CPU has it, else 0 */

/* pfn < nr_pages, which pv_check_start_info bounded: every caller
 * passes one of our own pages. */
static xen_pfn_t pfn_to_mfn(unsigned long pfn)
{
	return p2m[pfn];
}

/* Only for the MFNs in our page tables' entries: Xen validated every
 * one of them as a frame of ours (a PV table cannot point elsewhere),
 * so each has an M2P entry. MFNs from start_info go through
 * pv_check_start_info's bounded lookup instead. */
static unsigned long mfn_to_pfn(xen_pfn_t mfn)
{
	return ((const unsigned long *)MACH2PHYS_VIRT_START)[mfn];
}

uint64_t pv_virt_to_mfn(const void *va)
{
	return pfn_to_mfn((uintptr_t)va >> PAGE_SHIFT);
}

/* The table an entry points to, as a virtual address. */
static pte_t *entry_table(pte_t e)
{
	return (pte_t *)(mfn_to_pfn((e & PTE_ADDR) >> PAGE_SHIFT)
			 << PAGE_SHIFT);
}

/* The machine address of an entry, which is how mmu_update names it. */
static uint64_t entry_maddr(const pte_t *e)
{
	return (pv_virt_to_mfn(e) << PAGE_SHIFT) |
	       ((uintptr_t)e & (PAGE_SIZE - 1));
}

static unsigned int table_index(uintptr_t va, int level)
{
	return (va >> LEVEL_SHIFT(level)) & (ENTRIES - 1);
}

static __attribute__((noreturn)) void mm_fail(const char *what, long rc)
{
	printk("xenlet: memory setup failed: %s (error %ld)\n", what, rc);
	xen_shutdown(SHUTDOWN_crash);
}

/* Write one entry through Xen. */
static void set_entry(pte_t *e, pte_t val)
{
	struct mmu_update u = { .ptr = entry_maddr(e) | MMU_NORMAL_PT_UPDATE,
				.val = val };
	long rc = HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);

	if (rc < 0)
		mm_fail("mmu_update", rc);
}

/* Our mapping of a page, with the given protection bits. */
static pte_t page_pte(unsigned long pfn, uint64_t prot)
{
	return (pfn_to_mfn(pfn) << PAGE_SHIFT) | prot;
}

/*
 * Take the next free page as a table. fill() may write entries while
 * the page is still writable; then our mapping of it becomes read-only,
 * as Xen demands of every page-table frame.
 */
static pte_t *new_table(void (*fill)(pte_t *t, uintptr_t va), uintptr_t va)
{
	unsigned long pfn = next_free_pfn++;
	pte_t *t = (pte_t *)(pfn << PAGE_SHIFT);
	long rc;

	/* The bound on table pages: our own memory, one page left for the
	 * allocator (pv_check_start_info saw at least one free page). */
	if (next_free_pfn >= boot_info.nr_pages)
		mm_fail("no room for page tables", 0);
	memset(t, 0, PAGE_SIZE);
	if (fill)
		fill(t, va);
	rc = HYPERVISOR_update_va_mapping(
		(uintptr_t)t,
		page_pte(pfn, PTE_PRESENT | PTE_USER | PTE_ACCESSED | pte_nx),
		UVMF_INVLPG);
	if (rc < 0)
		mm_fail("making a page table read-only", rc);
	return t;
}

/* An L1 table mapping the 2 MiB at va, read-write, not executable. */
static void fill_l1(pte_t *t, uintptr_t va)
{
	unsigned long pfn = va >> PAGE_SHIFT;
	int i;

	for (i = 0; i < ENTRIES && pfn + i < boot_info.nr_pages; i++)
		t[i] = page_pte(pfn + i, TABLE_PROT | pte_nx);
}

/* The entry at `level` (1..3) for va, creating missing tables above it. */
static pte_t *walk_create(uintptr_t va, int level)
{
	pte_t *t = l4_table;
	int l;

	for (l = 4; l > level; l--) {
		pte_t *e = &t[table_index(va, l)];

		if (!(*e & PTE_PRESENT)) {
			pte_t *nt = new_table(NULL, 0);
			set_entry(e, page_pte((uintptr_t)nt >> PAGE_SHIFT,
					      TABLE_PROT));
		}
		t = entry_table(*e);
	}
	return &t[table_index(va, level)];
}

/* The L1 entry for va, or NULL if a table above it is missing. */
static pte_t *walk(uintptr_t va)
{
	pte_t *t = l4_table;
	int l;

	for (l = 4; l > 1; l--) {
		pte_t e = t[table_index(va, l)];

		if (!(e & PTE_PRESENT))
			return NULL;
		t = entry_table(e);
	}
	return &t[table_index(va, 1)];
}

/* Map what the builder left unmapped, 2 MiB at a time where possible. */
static void map_all_memory(void)
{
	uintptr_t end = boot_info.nr_pages << PAGE_SHIFT;
	uintptr_t va = PAGE_SIZE;
	const uintptr_t l1_span = 1UL << LEVEL_SHIFT(2);

	while (va < end) {
		pte_t *l2e = walk_create(va, 2);

		if (!(*l2e & PTE_PRESENT) && (va & (l1_span - 1)) == 0) {
			pte_t *t = new_table(fill_l1, va);
			set_entry(l2e, page_pte((uintptr_t)t >> PAGE_SHIFT,
						TABLE_PROT));
			va += l1_span;
			continue;
		}
		/* A partly mapped 2 MiB: one page at a time. */
		pte_t *e = walk(va);
		if (e == NULL) {
			pte_t *t = new_table(NULL, 0);
			set_entry(l2e, page_pte((uintptr_t)t >> PAGE_SHIFT,
						TABLE_PROT));
			e = walk(va);
		}
		if (!(*e & PTE_PRESENT))
			set_entry(e, page_pte(va >> PAGE_SHIFT,
					      TABLE_PROT | pte_nx));
		va += PAGE_SIZE;
	}
}

/* The protection a page of the bootstrap area should have. */
static uint64_t image_prot(uintptr_t va, pte_t cur)
{
	if (va >= (uintptr_t)_text && va < (uintptr_t)_etext)
		return PTE_PRESENT | PTE_USER | PTE_ACCESSED; /* r-x */
	if (va >= (uintptr_t)_rodata && va < (uintptr_t)_data)
		return PTE_PRESENT | PTE_USER | PTE_ACCESSED | pte_nx;
	if (!(cur & PTE_RW)) /* a page-table frame: stays read-only */
		return PTE_PRESENT | PTE_USER | PTE_ACCESSED | pte_nx;
	return TABLE_PROT | pte_nx;
}

/*
 * Code read-only, everything else not executable, for every page the
 * domain builder mapped (up to end), in batches.
 */
static void protect_builder_mappings(uintptr_t end)
{
	struct mmu_update u[MMU_BATCH];
	unsigned int n = 0;
	uintptr_t va;
	long rc;

	for (va = PAGE_SIZE; va < end; va += PAGE_SIZE) {
		pte_t *e = walk(va);
		pte_t want;

		if (e == NULL || !(*e & PTE_PRESENT))
			continue;
		want = (*e & PTE_ADDR) | image_prot(va, *e);
		if ((*e & ~(PTE_ACCESSED | PTE_DIRTY)) ==
		    (want & ~(PTE_ACCESSED | PTE_DIRTY)))
			continue;
		u[n].ptr = entry_maddr(e) | MMU_NORMAL_PT_UPDATE;
		u[n].val = want;
		if (++n == MMU_BATCH) {
			rc = HYPERVISOR_mmu_update(u, n, NULL, DOMID_SELF);
			if (rc < 0)
				mm_fail("protecting the image", rc);
			n = 0;
		}
	}
	if (n > 0 && (rc = HYPERVISOR_mmu_update(u, n, NULL, DOMID_SELF)) < 0)
		mm_fail("protecting the image", rc);
}

static int cpu_has_nx(void)
{
	uint32_t a = 0x80000001, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d >> 20) & 1;
}

void pv_mm_init(const start_info_t *si, unsigned long first_free_pfn,
		void **free_base, size_t *free_pages)
{
	p2m = (const xen_pfn_t *)si->mfn_list;
	l4_table = (pte_t *)si->pt_base;
	pte_nx = cpu_has_nx() ? PTE_NX : 0;
	next_free_pfn = first_free_pfn;

	protect_builder_mappings(boot_info.nr_pages << PAGE_SHIFT);
	map_all_memory();
	/* next_free_pfn < nr_pages (new_table): this cannot wrap. */
	*free_base = (void *)(next_free_pfn << PAGE_SHIFT);
	*free_pages = boot_info.nr_pages - next_free_pfn;
}

int pv_page_unmap(void *va)
{
	return (int)HYPERVISOR_update_va_mapping((uintptr_t)va, 0, UVMF_INVLPG);
}

int pv_page_remap(void *va)
{
	return (int)HYPERVISOR_update_va_mapping(
		(uintptr_t)va,
		page_pte((uintptr_t)va >> PAGE_SHIFT, TABLE_PROT | pte_nx),
		UVMF_INVLPG);
}

/*
 * PV: a grant-table frame is a machine frame of Xen's; our page-table
 * entry may point at it like at any frame we own.
 */
int pv_map_grant_frames(void *va, const xen_pfn_t *frames, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		long rc = HYPERVISOR_update_va_mapping(
			(uintptr_t)va + (uintptr_t)i * PAGE_SIZE,
			(frames[i] << PAGE_SHIFT) | TABLE_PROT | pte_nx,
			UVMF_INVLPG);

		if (rc < 0)
			return (int)rc;
	}
	return 0;
}
