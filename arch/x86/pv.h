/*
 * pv.h - what the PV boot files share, private to arch/x86.
 */
#ifndef XENLET_ARCH_X86_PV_H
#define XENLET_ARCH_X86_PV_H

#include <stddef.h>
#include <xenlet/arch.h>

/* pv_entry.S calls it with start_info; it never returns. */
void pv_start(start_info_t *si);

/* Map all memory; the free pages that remain are [*base, *base + *n). */
void pv_mm_init(const start_info_t *si, void **free_base, size_t *free_pages);

/* The failsafe callback's C half (pv_upcall.S). */
void pv_failsafe(void);

#endif
