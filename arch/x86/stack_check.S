/*
 * stack_check.S - catching stack overflows with a report.
 *
 * xenlet is compiled with -fsplit-stack: every function's prologue
 * compares its future stack pointer with the limit at %fs:0x70 and
 * calls __morestack if it would go below. (gcc meant this for growing
 * stacks in pieces; here the answer is always "overflow".) The limit
 * is the current thread's stack bottom plus a margin, installed by
 * arch_switch. This works where a guard page alone cannot report: a
 * PV guest's exception frame is pushed on the current stack, and on an
 * overflowed stack Xen can only kill the domain. The unmapped guard
 * page stays as the backstop for code built without the check.
 *
 * A dynamic allocation (alloca, a variable-length array) in such a
 * function is checked against the same limit: gcc calls
 * __morestack_allocate_stack_space only when it would not fit, so that
 * too is an overflow. (newlib's scanf uses alloca.)
 *
 * %fs points at cpu_local; only the slot at 0x70 is used.
 */
#define FS_STACK_LIMIT		0x70
#define STACK_LIMIT_MARGIN	1024	/* gcc lets a small frame go 256 B below */

	.data
	.p2align 6
	.globl cpu_local
cpu_local:
	.fill FS_STACK_LIMIT / 8, 8, 0
	.quad boot_stack + STACK_LIMIT_MARGIN	/* %fs:0x70 */

	.text
	.globl __morestack
	.globl __morestack_allocate_stack_space
__morestack:
__morestack_allocate_stack_space:
	/* (%rsp) is a return address inside the function that overflowed.
	 * Move to a stack of our own, with its own limit, to report it. */
	movq (%rsp), %rdi
	leaq emergency_stack(%rip), %rax
	movq %rax, %fs:FS_STACK_LIMIT
	leaq emergency_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call arch_stack_overflow	/* traps.c; does not return */
	ud2

	.section .bss.emergency_stack, "aw", @nobits
	.p2align 12
emergency_stack:
	.skip 16384
emergency_stack_top:
