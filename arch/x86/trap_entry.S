/*
 * trap_entry.S - exception entry points, for PV and for PVH.
 *
 * PV (trap_entry_N, registered with set_trap_table):
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
 *
 * PVH (hvm_trap_N, in the IDT of idt.c): the CPU itself pushes
 *
 *   rsp ->  [error code], rip, cs, rflags, rsp, ss
 *
 * so the stubs only add the missing error code and the vector.
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

.macro HVM_NOERR vec
	.globl hvm_trap_\vec
hvm_trap_\vec:
	pushq $0
	pushq $\vec
	jmp trap_common
.endm

.macro HVM_ERR vec
	.globl hvm_trap_\vec
hvm_trap_\vec:
	pushq $\vec
	jmp trap_common
.endm

/* Both flavours of one vector. */
.macro NOERR vec
	TRAP_NOERR \vec
	HVM_NOERR \vec
.endm

.macro ERR vec
	TRAP_ERR \vec
	HVM_ERR \vec
.endm

	.text
NOERR 0	/* #DE divide error */
NOERR 1	/* #DB debug */
NOERR 3	/* #BP breakpoint */
NOERR 4	/* #OF overflow */
NOERR 5	/* #BR bound range */
NOERR 6	/* #UD invalid opcode */
NOERR 7	/* #NM device not available */
/* NMI and #DF (PVH only) run on the IST stack of idt.c: install its
 * limit for the -fsplit-stack checks (stack_check.S) first. */
	.globl hvm_trap_2, hvm_trap_8
hvm_trap_2:
	pushq $0
	pushq $2
	jmp ist_common
hvm_trap_8:
	pushq $8
ist_common:
	pushq %rax
	leaq ist_stack(%rip), %rax
	movq %rax, %fs:0x70
	popq %rax
	jmp trap_common

NOERR 9	/* coprocessor segment overrun */
ERR 10	/* #TS invalid TSS */
ERR 11	/* #NP segment not present */
ERR 12	/* #SS stack fault */
ERR 13	/* #GP general protection */
ERR 14	/* #PF page fault */
NOERR 16	/* #MF x87 floating point */
ERR 17	/* #AC alignment check */
NOERR 19	/* #XM SIMD floating point */

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
