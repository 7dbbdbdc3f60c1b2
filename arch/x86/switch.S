/*
 * switch.S - switching between two threads' stacks.
 *
 * A switch happens only inside a function call (the scheduler's), so
 * only what the SysV ABI says a callee must preserve is saved: rbx, rbp,
 * r12-r15, the x87 control word and MXCSR's control bits. Vector and
 * other registers are the caller's to save, so nothing else is needed.
 *
 * void arch_switch(struct arch_context *from, struct arch_context *to)
 *   struct arch_context { uint64_t rsp; uint64_t stack_limit; }
 *
 * It also installs the new thread's stack limit at %fs:0x70, the slot
 * that every -fsplit-stack function prologue compares %rsp against
 * (see stack_check.S).
 */
#define CTX_RSP		0
#define CTX_STACK_LIMIT	8
#define FS_STACK_LIMIT	0x70

	.text
	.globl arch_switch
arch_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp
	stmxcsr 4(%rsp)
	fnstcw (%rsp)
	movq %rsp, CTX_RSP(%rdi)

	movq CTX_RSP(%rsi), %rsp
	movq CTX_STACK_LIMIT(%rsi), %rax
	movq %rax, %fs:FS_STACK_LIMIT
	ldmxcsr 4(%rsp)
	fldcw (%rsp)
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
