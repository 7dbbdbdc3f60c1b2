/*
 * pv_entry.S - what Xen's PV domain builder needs from a kernel image,
 * and the first instructions it runs.
 *
 * The builder (libxenguest's ELF loader, driven by `xl create`) reads
 * the ELF notes below, places the image at its physical load address
 * (virtual = p_paddr - PADDR_OFFSET + VIRT_BASE; both 0 here), fills the
 * hypercall page, builds the bootstrap page tables and start_info, and
 * jumps to _start in 64-bit mode with:
 *   %rsi = virtual address of start_info
 *   %rsp = top of a one-page bootstrap stack
 *   event delivery masked (vcpu_info.evtchn_upcall_mask = 1)
 */
#include <xen/elfnote.h>
#include <xen/xen.h>

#define PAGE_SIZE 4096

/*
 * One ELF note: name "Xen", a type from xen/elfnote.h, a descriptor.
 * A wrong note gives only "xc_dom_find_loader: no loader found" in xl,
 * so check them with `readelf -n` first.
 */
#define ELFNOTE(type, desctype, descdata)			\
	.pushsection .note.xen, "a", @note;			\
	.p2align 2;						\
	.long 2f - 1f;		/* namesz */			\
	.long 4f - 3f;		/* descsz */			\
	.long type;						\
1:	.asciz "Xen";						\
2:	.p2align 2;						\
3:	desctype descdata;					\
4:	.p2align 2;						\
	.popsection

ELFNOTE(XEN_ELFNOTE_GUEST_OS, .asciz, "xenlet")
ELFNOTE(XEN_ELFNOTE_GUEST_VERSION, .asciz, "0.1")
/* Must be exactly "xen-3.0": it names the ABI, not the hypervisor. */
ELFNOTE(XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0")
ELFNOTE(XEN_ELFNOTE_LOADER, .asciz, "generic")
ELFNOTE(XEN_ELFNOTE_VIRT_BASE, .quad, 0)
ELFNOTE(XEN_ELFNOTE_PADDR_OFFSET, .quad, 0)
ELFNOTE(XEN_ELFNOTE_ENTRY, .quad, _start)
ELFNOTE(XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page)
/*
 * Page tables are never written directly (they are mapped read-only;
 * every change goes through mmu_update / update_va_mapping).
 */
ELFNOTE(XEN_ELFNOTE_FEATURES, .asciz, "!writable_page_tables")

	.section .text.boot, "ax"
	.code64
	.globl _start
_start:
	cld
	/* Clear .bss: %rsi (start_info) survives rep stosb. */
	leaq __bss_start(%rip), %rdi
	leaq __bss_end(%rip), %rcx
	subq %rdi, %rcx
	xorl %eax, %eax
	rep stosb

	/* Record the TSC now: the boot-time figure of make bench. */
	rdtsc
	movl %eax, boot_entry_tsc(%rip)
	movl %edx, boot_entry_tsc + 4(%rip)

	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp			/* ends the backtrace's frame chain */
	movq %rsi, %r12

	/* %fs must point at cpu_local before the first C function: each
	 * one reads its stack limit from %fs:0x70 (stack_check.S). */
	movl $SEGBASE_FS, %edi
	leaq cpu_local(%rip), %rsi
	call hypercall_page + __HYPERVISOR_set_segment_base * 32

	movq %r12, %rdi
	call pv_start			/* arch/x86/pv_setup.c; never returns */
1:	hlt
	jmp 1b

/*
 * The hypercall page: Xen overwrites it with one 32-byte stub per
 * hypercall (syscall on PV, vmcall/vmmcall on PVH), so the guest never
 * hard-codes the instruction. Stub n is at hypercall_page + n * 32.
 */
	.section .text.hypercall_page, "ax"
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.fill PAGE_SIZE, 1, 0xcc	/* int3: a stub Xen did not fill traps */

	.section .bss.boot_stack, "aw", @nobits
	.p2align 12
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip 4 * PAGE_SIZE
boot_stack_top:
