/*
 * pv_upcall.S - the event upcall and the failsafe callback of a PV guest.
 *
 * Xen enters the event callback with the same frame as an exception
 * (rcx, r11, rip, cs, rflags, rsp, ss on the current stack) and events
 * masked. xenlet only ever has events unmasked inside SCHEDOP_block
 * (xen/evtchn.c explains why), so the upcall has nothing to do: waking
 * the vCPU was its purpose. It returns through the iret hypercall, which
 * wants the stack to hold struct iret_context:
 *   rax, r11, rcx, flags, rip, cs, rflags, rsp, ss
 * and restores the event mask from the saved rflags.IF. The iret stub
 * in the hypercall page pushes rcx, r11 and rax itself (it is jumped
 * to, not called), so the guest pushes only flags on top of Xen's frame.
 */
#include <xen/xen.h>

/*
 * The pending events stay pending for the scheduler to dispatch, so the
 * upcall must return with events masked: returning unmasked with
 * evtchn_upcall_pending still set would have Xen deliver the upcall
 * again at once, for ever. Clearing IF in the saved rflags does that.
 */
#define RFLAGS_IF	0x200
#define FRAME_RFLAGS	16	/* rip, cs, rflags: after rcx and r11 are gone */

	.text
	.globl hypervisor_callback
hypervisor_callback:
	incq arch_upcalls(%rip)	/* rflags are restored by the iret */
	movq (%rsp), %rcx
	movq 8(%rsp), %r11
	addq $16, %rsp
	andq $~RFLAGS_IF, FRAME_RFLAGS(%rsp)
	pushq $0		/* flags: not returning from a syscall */
	jmp hypercall_page + __HYPERVISOR_iret * 32

/*
 * Xen calls this when it cannot load the segment registers of the
 * context it returns to: a bug in xenlet, so report and crash.
 */
	.globl failsafe_callback
failsafe_callback:
	andq $-16, %rsp
	call pv_failsafe	/* does not return */
	ud2
