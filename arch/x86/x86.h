/*
 * x86.h - what the files of arch/x86 share, private to it.
 *
 * The PV and PVH boot paths each provide the functions below; setup.c
 * dispatches between them on arch_pvh.
 */
#ifndef XENLET_ARCH_X86_X86_H
#define XENLET_ARCH_X86_X86_H

#include <stddef.h>
#include <xenlet/arch.h>
#include <xenlet/time.h>

struct pvh_boot;
struct boot_module;

extern int arch_pvh; /* 1 if booted through the PVH entry */
extern char shared_info_page[];
extern char boot_stack[], boot_stack_top[];
extern char _text[], _etext[], _rodata[], _data[], _end[];

/* Free memory for the page allocator: pages from base. */
struct mem_region {
	void *base;
	size_t pages;
};

/* setup.c */
void setup_cmdline(const char *src, size_t max);
void setup_ramdisk(const struct boot_module *m);
__attribute__((noreturn)) void boot_fail(const char *what, long rc);
__attribute__((noreturn)) void setup_finish(const struct mem_region *free,
					    unsigned int n);

/* setup.c: the queued event sends and a SCHEDOP in one hypercall. */
void sched_op_after_sends(struct evtchn_send *sends, unsigned int nsends,
			  int cmd, void *arg);

/* PV: pv_setup.c, pv_mm.c, pv_upcall.S */
void pv_start(start_info_t *si);
void pv_mm_init(const start_info_t *si, unsigned long first_free_pfn,
		void **free_base, size_t *free_pages);
void pv_failsafe(void);
void pv_events_init(void);
void pv_block(const evtchn_port_t *ports, unsigned int n,
	      struct evtchn_send *sends, unsigned int nsends);
int pv_page_unmap(void *va);
int pv_page_remap(void *va);
uint64_t pv_virt_to_mfn(const void *va);
int pv_map_grant_frames(void *va, const xen_pfn_t *frames, int n);

/* PVH: pvh_setup.c, pvh_mm.c, idt.c */
void pvh_start(uint32_t start_info_paddr);
unsigned int pvh_mm_init(const struct pvh_boot *b, struct mem_region *free);
void pvh_block(const evtchn_port_t *ports, unsigned int n,
	       struct evtchn_send *sends, unsigned int nsends);
int pvh_page_unmap(void *va);
int pvh_page_remap(void *va);
int pvh_map_grant_frames(void *va, int n);
void idt_init(void);
extern char ist_stack[];

/* x86 page-table entry bits (PV and PVH tables alike). */
#define PTE_PRESENT  0x001UL
#define PTE_RW	     0x002UL
#define PTE_USER     0x004UL
#define PTE_ACCESSED 0x020UL
#define PTE_DIRTY    0x040UL
#define PTE_NX	     (1UL << 63)
#define PTE_ADDR     0x000ffffffffff000UL /* the frame's address bits */
#define ENTRIES	     512		  /* entries in a page table */

typedef uint64_t pte_t;

/* How long a dying guest waits for xenconsoled to read its last words. */
#define CRASH_FLUSH_NS (5 * NSEC_PER_SEC)

/* traps.c: print "xenlet: crashed", let dom0 read the console, crash. */
__attribute__((noreturn)) void arch_crash(void);

static inline void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr" ::"c"(msr), "a"((uint32_t)val),
		     "d"((uint32_t)(val >> 32)));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c,
			 uint32_t *d)
{
	asm volatile("cpuid"
		     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
		     : "a"(leaf), "c"(0));
}

#endif
