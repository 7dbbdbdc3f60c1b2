/*
 * trap_entry.S - exception entry points for a 64-bit PV guest.
 *
 * Xen delivers an exception to a PV guest by building this frame on the
 * guest's kernel stack (16-byte aligned first) and jumping to the
 * handler registered with set_trap_table:
 *
 *   rsp ->  rcx, r11, [error code], rip, cs, rflags, rsp, ss
 *
 * rcx and r11 are there because Xen returns to the guest with sysret,
 * which clobbers them. Each stub restores them, pushes a zero where the
 * CPU gives no error code and the vector number, and joins trap_common,
 * which saves the general registers as a struct trap_frame (traps.h).
 */

.macro TRAP_NOERR vec
	.globl trap_entry_\vec
trap_entry_\vec:
	movq (%rsp), %rcx
	movq 8(%rsp), %r11
	addq $16, %rsp
	pushq $0
	pushq $\vec
	jmp trap_common
.endm

.macro TRAP_ERR vec
	.globl trap_entry_\vec
trap_entry_\vec:
	movq (%rsp), %rcx
	movq 8(%rsp), %r11
	addq $16, %rsp
	pushq $\vec
	jmp trap_common
.endm

	.text
TRAP_NOERR 0	/* #DE divide error */
TRAP_NOERR 1	/* #DB debug */
TRAP_NOERR 3	/* #BP breakpoint */
TRAP_NOERR 4	/* #OF overflow */
TRAP_NOERR 5	/* #BR bound range */
TRAP_NOERR 6	/* #UD invalid opcode */
TRAP_NOERR 7	/* #NM device not available */
TRAP_NOERR 9	/* coprocessor segment overrun */
TRAP_ERR 10	/* #TS invalid TSS */
TRAP_ERR 11	/* #NP segment not present */
TRAP_ERR 12	/* #SS stack fault */
TRAP_ERR 13	/* #GP general protection */
TRAP_ERR 14	/* #PF page fault */
TRAP_NOERR 16	/* #MF x87 floating point */
TRAP_ERR 17	/* #AC alignment check */
TRAP_NOERR 19	/* #XM SIMD floating point */

trap_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi		/* 16-byte aligned: 22 quadwords below Xen's frame start */
	call trap_handle	/* fatal: does not return */
	ud2
