/*
 * hypercall.h - calling the hypervisor.
 *
 * Every hypercall goes through the hypercall page that Xen fills at
 * boot: stub n lives at hypercall_page + n * 32 and holds the right
 * instruction for this guest type (syscall for PV, vmcall or vmmcall for
 * PVH). Arguments go in rdi, rsi, rdx, r10, r8; the result comes back
 * in rax. Xen may clobber the argument registers, so they are all
 * declared as outputs.
 */
#ifndef XENLET_HYPERCALL_H
#define XENLET_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/callback.h>
#include <xen/vcpu.h>
#include <xen/grant_table.h>

extern char hypercall_page[];

#define hypercall2(nr, a1, a2)                                                 \
	({                                                                     \
		register unsigned long rdi_ asm("rdi") = (unsigned long)(a1);  \
		register unsigned long rsi_ asm("rsi") = (unsigned long)(a2);  \
		long ret_;                                                     \
		asm volatile("call hypercall_page + %c[off]"                   \
			     : "=a"(ret_), "+r"(rdi_), "+r"(rsi_)              \
			     : [off] "i"((nr)*32)                              \
			     : "memory", "rdx", "r10", "r8");                  \
		ret_;                                                          \
	})

#define hypercall3(nr, a1, a2, a3)                                             \
	({                                                                     \
		register unsigned long rdi_ asm("rdi") = (unsigned long)(a1);  \
		register unsigned long rsi_ asm("rsi") = (unsigned long)(a2);  \
		register unsigned long rdx_ asm("rdx") = (unsigned long)(a3);  \
		long ret_;                                                     \
		asm volatile("call hypercall_page + %c[off]"                   \
			     : "=a"(ret_), "+r"(rdi_), "+r"(rsi_), "+r"(rdx_)  \
			     : [off] "i"((nr)*32)                              \
			     : "memory", "r10", "r8");                         \
		ret_;                                                          \
	})

#define hypercall4(nr, a1, a2, a3, a4)                                         \
	({                                                                     \
		register unsigned long rdi_ asm("rdi") = (unsigned long)(a1);  \
		register unsigned long rsi_ asm("rsi") = (unsigned long)(a2);  \
		register unsigned long rdx_ asm("rdx") = (unsigned long)(a3);  \
		register unsigned long r10_ asm("r10") = (unsigned long)(a4);  \
		long ret_;                                                     \
		asm volatile("call hypercall_page + %c[off]"                   \
			     : "=a"(ret_), "+r"(rdi_), "+r"(rsi_), "+r"(rdx_), \
			       "+r"(r10_)                                      \
			     : [off] "i"((nr)*32)                              \
			     : "memory", "r8");                                \
		ret_;                                                          \
	})

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long HYPERVISOR_multicall(multicall_entry_t *calls,
					unsigned int n)
{
	return hypercall2(__HYPERVISOR_multicall, calls, n);
}

static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

static inline long HYPERVISOR_set_trap_table(const void *table)
{
	return hypercall2(__HYPERVISOR_set_trap_table, table, 0);
}

/* PV only: change the PTE that maps va to val, then flush as flags say. */
static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t val,
						unsigned long flags)
{
	return hypercall3(__HYPERVISOR_update_va_mapping, va, val, flags);
}

/* PV only: a batch of page-table writes; *done counts those applied. */
static inline long HYPERVISOR_mmu_update(const struct mmu_update *req,
					 unsigned int count, unsigned int *done,
					 domid_t domid)
{
	return hypercall4(__HYPERVISOR_mmu_update, req, count, done, domid);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{
	return hypercall2(__HYPERVISOR_callback_op, cmd, arg);
}

/* PV only: the base of %fs or %gs (the 64-bit guest cannot write the MSRs). */
static inline long HYPERVISOR_set_segment_base(unsigned int which,
					       unsigned long base)
{
	return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

/* count operations of type cmd (GNTTABOP_*) in the array uop. */
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *uop,
					     unsigned int count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, uop, count);
}

static inline long HYPERVISOR_console_io(int cmd, int count, const char *buf)
{
	return hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}

#endif
