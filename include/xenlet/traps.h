/*
 * traps.h - CPU exceptions.
 *
 * Every exception is fatal for now: the handler prints what happened
 * (exception, registers, the faulting address of a page fault, a
 * backtrace) on the console and crashes the domain, so that xl applies
 * on_crash and dom0 sees why.
 */
#ifndef XENLET_TRAPS_H
#define XENLET_TRAPS_H

#include <stdint.h>

/* The registers saved by trap_entry.S, lowest address first. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by Xen */
};

void traps_init(void);
void trap_handle(struct trap_frame *f);

/* The faulting address of the last page fault (PV: vcpu_info.arch.cr2). */
uint64_t arch_fault_address(void);

#endif
