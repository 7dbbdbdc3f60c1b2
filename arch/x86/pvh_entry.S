/*
 * pvh_entry.S - the PVH entry point, and the climb to 64-bit mode.
 *
 * A PVH guest is started like a bare-metal kernel by a boot loader:
 * XEN_ELFNOTE_PHYS32_ENTRY names a 32-bit physical entry point, entered
 * in protected mode with paging off (cr0 = PE|ET, cr4 = 0, EFER = 0),
 * interrupts off, and %ebx = the physical address of struct
 * hvm_start_info. Every other register is 0, including %esp: there is
 * no stack, and no usable GDT (the selectors are only cached).
 *
 * The image is linked at low addresses with physical = virtual (the
 * same layout the PV builder uses, so one image serves both), so an
 * identity map lets the code run unchanged before and after paging.
 * This file builds a throwaway identity map of the first 4 GiB with
 * 2 MiB pages (the console page Xen gives PVH guests lies just below
 * 4 GiB), enables PAE, long mode, NX and SSE, and jumps to 64-bit code.
 * pvh_mm.c later replaces these tables with 4 KiB ones.
 */
#include <xen/elfnote.h>

#define CR0_PE		(1 << 0)
#define CR0_MP		(1 << 1)
#define CR0_EM		(1 << 2)
#define CR0_NE		(1 << 5)
#define CR0_WP		(1 << 16)
#define CR0_PG		(1 << 31)
#define CR4_PAE		(1 << 5)
#define CR4_OSFXSR	(1 << 9)	/* SSE: newlib and libm use it */
#define CR4_OSXMMEXCPT	(1 << 10)
#define MSR_EFER	0xc0000080
#define EFER_LME	(1 << 8)
#define EFER_NXE	(1 << 11)
#define MSR_FS_BASE	0xc0000100

#define SEL_CODE64	0x08
#define SEL_DATA	0x10
#define SEL_CODE32	0x18

#define PTE_P_RW	0x003
#define PTE_LARGE	0x080	/* a 2 MiB page in a page directory */

	.pushsection .note.xen, "a", @note
	.p2align 2
	.long 2f - 1f
	.long 4f - 3f
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.p2align 2
3:	.long pvh_start32
4:	.p2align 2
	.popsection

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cld
	movl %ebx, %esi			/* hvm_start_info; survives below */
	lgdt pvh_gdt_desc
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	ljmp $SEL_CODE32, $1f
1:
	/* Clear .bss (the early page tables live there). */
	movl $__bss_start, %edi
	movl $__bss_end, %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl $boot_stack_top, %esp

	/* Record the TSC now: the boot-time figure of make bench. */
	rdtsc
	movl %eax, boot_entry_tsc
	movl %edx, boot_entry_tsc + 4

	call build_early_map

	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $pvh_pml4, %eax
	movl %eax, %cr3

	/* Long mode, and NX if the CPU has it (CPUID 0x80000001 EDX bit 20). */
	movl $0x80000001, %eax
	cpuid
	movl $EFER_LME, %edi
	btl $20, %edx
	jnc 2f
	orl $EFER_NXE, %edi
2:	movl $MSR_EFER, %ecx
	rdmsr
	orl %edi, %eax
	wrmsr

	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PE | CR0_MP | CR0_NE | CR0_WP | CR0_PG), %eax
	movl %eax, %cr0
	ljmp $SEL_CODE64, $pvh_start64

/*
 * Identity-map [0, 4 GiB): pml4[0] -> pdpt, pdpt[0..3] -> pd[0..3],
 * pd entries -> 2 MiB pages.
 */
build_early_map:
	movl $(pvh_pdpt + PTE_P_RW), pvh_pml4
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $(pvh_pd + PTE_P_RW), %eax
	movl %eax, pvh_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jne 1b
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P_RW | PTE_LARGE), %eax
	movl %eax, pvh_pd(, %ecx, 8)	/* high half stays 0: all < 4 GiB */
	incl %ecx
	cmpl $2048, %ecx
	jne 2b
	ret

	.code64
pvh_start64:
	movl $SEL_DATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp

	/* %fs -> cpu_local before any C function (stack_check.S). */
	leaq cpu_local(%rip), %rax
	movq %rax, %rdx
	shrq $32, %rdx
	movl $MSR_FS_BASE, %ecx
	wrmsr

	movl %esi, %edi			/* hvm_start_info, zero-extended */
	call pvh_start			/* pvh_setup.c; never returns */
1:	hlt
	jmp 1b

/* In .data, not .rodata: ltr (idt.c) marks the TSS descriptor busy. */
	.data
	.p2align 3
	.globl pvh_gdt
pvh_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00cf9a000000ffff	/* 0x18: 32-bit code */
	.quad 0, 0			/* 0x20: the TSS, filled by idt.c */
pvh_gdt_end:
	.globl pvh_gdt_desc
pvh_gdt_desc:
	.word pvh_gdt_end - pvh_gdt - 1
	.quad pvh_gdt

	.section .bss.pvh_early_map, "aw", @nobits
	.p2align 12
pvh_pml4:
	.skip 4096
pvh_pdpt:
	.skip 4096
pvh_pd:
	.skip 4 * 4096
