/*
 * traps.c - the trap table and the crash report.
 *
 * A PV guest has no IDT of its own: it hands Xen a table of
 * (vector, privilege, code segment, handler) entries with
 * set_trap_table, and Xen bounces exceptions to those handlers. A 64-bit
 * PV kernel runs in ring 3, so a vector that the kernel raises itself
 * with an instruction (int3, into) needs DPL 3.
 */
#include "x86.h"
#include <xenlet/console.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/traps.h>

#define MAX_BACKTRACE 32

/* Tables read better in columns. */
/* clang-format off */
#define TRAP_ENTRY(v) extern char trap_entry_##v[]
TRAP_ENTRY(0); TRAP_ENTRY(1); TRAP_ENTRY(3); TRAP_ENTRY(4); TRAP_ENTRY(5);
TRAP_ENTRY(6); TRAP_ENTRY(7); TRAP_ENTRY(9); TRAP_ENTRY(10); TRAP_ENTRY(11);
TRAP_ENTRY(12); TRAP_ENTRY(13); TRAP_ENTRY(14); TRAP_ENTRY(16);
TRAP_ENTRY(17); TRAP_ENTRY(19);

/* flags: bits 0-1 DPL; bit 2 masks event delivery while the handler runs. */
#define TI_MASK_EVENTS 4
#define TRAP(v, dpl) \
	{ v, (dpl) | TI_MASK_EVENTS, FLAT_KERNEL_CS, (unsigned long)trap_entry_##v }

static const struct trap_info trap_table[] = {
	TRAP(0, 0),  TRAP(1, 0),  TRAP(3, 3),  TRAP(4, 3),  TRAP(5, 0),
	TRAP(6, 0),  TRAP(7, 0),  TRAP(9, 0),  TRAP(10, 0), TRAP(11, 0),
	TRAP(12, 0), TRAP(13, 0), TRAP(14, 0), TRAP(16, 0), TRAP(17, 0),
	TRAP(19, 0),
	{ 0, 0, 0, 0 }	/* an entry with address 0 ends the table */
};
/* clang-format on */

static const char *const trap_names[20] = {
	[0] = "divide error",
	[1] = "debug trap",
	[2] = "non-maskable interrupt",
	[8] = "double fault",
	[3] = "breakpoint",
	[4] = "overflow",
	[5] = "bound range exceeded",
	[6] = "invalid opcode",
	[7] = "device not available",
	[9] = "coprocessor segment overrun",
	[10] = "invalid TSS",
	[11] = "segment not present",
	[12] = "stack fault",
	[13] = "general protection fault",
	[14] = "page fault",
	[16] = "x87 floating-point error",
	[17] = "alignment check",
	[19] = "SIMD floating-point error",
};

/* The running thread, as the scheduler last said. */
static struct {
	const char *thread;
	uintptr_t stack_lo, stack_hi;
} crash_context;

void arch_set_crash_context(const char *thread, uintptr_t stack_lo,
			    uintptr_t stack_hi)
{
	crash_context.thread = thread;
	crash_context.stack_lo = stack_lo;
	crash_context.stack_hi = stack_hi;
}

/* PV: the trap table goes to Xen. PVH: an IDT of our own. */
void traps_init(void)
{
	if (arch_pvh) {
		idt_init();
		return;
	}
	if (HYPERVISOR_set_trap_table(trap_table) != 0) {
		printk("xenlet: set_trap_table failed\n");
		xen_shutdown(SHUTDOWN_crash);
	}
}

/* The page-fault error code, decoded. */
static void print_page_fault(const struct trap_frame *f)
{
	printk("xenlet: page fault at address 0x%lx: %s %s in %s mode%s\n",
	       arch_fault_address(),
	       (f->error & 2) ? "write" : ((f->error & 16) ? "exec" : "read"),
	       (f->error & 1) ? "protection violation" : "not present",
	       (f->error & 4) ? "user" : "kernel",
	       (f->error & 8) ? " (reserved bit)" : "");
}

/*
 * Xen keeps the vCPU's saved event mask in bits 32-39 of the CS slot
 * (PV frames only), so only the low 16 bits are the selector.
 */
static void print_registers(const struct trap_frame *f)
{
	printk("rip %016lx  rsp %016lx  rflags %08lx  cs %04lx ss %04lx\n",
	       f->rip, f->rsp, f->rflags, f->cs & 0xffff, f->ss & 0xffff);
	printk("rax %016lx  rbx %016lx  rcx %016lx\n", f->rax, f->rbx, f->rcx);
	printk("rdx %016lx  rsi %016lx  rdi %016lx\n", f->rdx, f->rsi, f->rdi);
	printk("rbp %016lx  r8  %016lx  r9  %016lx\n", f->rbp, f->r8, f->r9);
	printk("r10 %016lx  r11 %016lx  r12 %016lx\n", f->r10, f->r11, f->r12);
	printk("r13 %016lx  r14 %016lx  r15 %016lx\n", f->r13, f->r14, f->r15);
}

/*
 * Walk the frame-pointer chain: [rbp] is the caller's rbp, [rbp + 8] the
 * return address. Only frames inside the current stack are followed,
 * and each must be above the last, so a corrupt chain ends the walk
 * instead of faulting again.
 */
static void print_backtrace(const struct trap_frame *f)
{
	uintptr_t lo = crash_context.stack_lo, hi = crash_context.stack_hi;
	uintptr_t rbp = f->rbp;
	int i;

	printk("backtrace (addr2line -e <image> resolves these):\n");
	printk("  %016lx\n", f->rip);
	for (i = 0; i < MAX_BACKTRACE; i++) {
		const uint64_t *frame = (const uint64_t *)rbp;

		if (rbp < lo || rbp + 16 > hi || (rbp & 7))
			break;
		if (frame[1] == 0)
			break;
		printk("  %016lx\n", frame[1]);
		if (frame[0] <= rbp)
			break;
		rbp = frame[0];
	}
}

/* PV: Xen saves CR2 in vcpu_info, as the guest cannot read it. */
uint64_t arch_fault_address(void)
{
	uint64_t cr2;

	if (!arch_pvh)
		return boot_info.shared_info->vcpu_info[0].arch.cr2;
	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	return cr2;
}

static const char *current_thread_name(void)
{
	return crash_context.thread ? crash_context.thread : "boot";
}

void arch_crash(void)
{
	printk("xenlet: crashed\n");
	console_flush(CRASH_FLUSH_NS);
	xen_shutdown(SHUTDOWN_crash);
}

/*
 * Called by __morestack (stack_check.S), on an emergency stack, when a
 * function's frame would reach below its thread's stack limit.
 */
void arch_stack_overflow(uintptr_t where);
void arch_stack_overflow(uintptr_t where)
{
	printk("\nxenlet: stack overflow in thread '%s' (stack 0x%lx-0x%lx), "
	       "in the function at 0x%lx\n",
	       current_thread_name(), crash_context.stack_lo,
	       crash_context.stack_hi, where);
	arch_crash();
}

void trap_handle(struct trap_frame *f)
{
	static int nested;
	const char *name = f->vector < 20 ? trap_names[f->vector] : NULL;

	if (nested++) { /* a fault while reporting one: just stop */
		printk("xenlet: fault in the crash handler, rip 0x%lx\n",
		       f->rip);
		arch_crash();
	}
	printk("\nxenlet: fatal exception %lu (%s), error code 0x%lx, rip "
	       "0x%lx\n",
	       f->vector, name ? name : "unknown", f->error, f->rip);
	if (f->vector == 14)
		print_page_fault(f);
	print_registers(f);
	print_backtrace(f);
	arch_crash();
}
