/*
 * idt.c - the interrupt descriptor table of a PVH guest.
 *
 * A PVH guest is an HVM container: exceptions come through a real IDT,
 * as on bare metal (a PV guest gives Xen a trap table instead). Each
 * entry is a 64-bit interrupt gate: the CPU clears IF on entry.
 *
 * A double fault (an exception while delivering another, typically on
 * a stack that ran into an unmapped page) and an NMI switch to a stack
 * of their own through the TSS's interrupt stack table (IST 1), so they
 * are reported instead of ending in a triple fault: on HVM, a reboot.
 */
#include "x86.h"

#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define SEL_CODE64     0x08 /* pvh_entry.S's GDT */
#define SEL_TSS	       0x20
#define TSS_AVAILABLE  0x89 /* present, 64-bit TSS, not busy */
#define IST_EMERGENCY  1

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __attribute__((packed));

struct idt_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct tss tss;
char ist_stack[16384] __attribute__((aligned(16))); /* trap_entry.S */
extern uint64_t pvh_gdt[];

/* clang-format off */
extern char hvm_trap_0[], hvm_trap_1[], hvm_trap_2[], hvm_trap_8[],
	hvm_trap_3[], hvm_trap_4[],
	hvm_trap_5[], hvm_trap_6[], hvm_trap_7[], hvm_trap_9[], hvm_trap_10[],
	hvm_trap_11[], hvm_trap_12[], hvm_trap_13[], hvm_trap_14[],
	hvm_trap_16[], hvm_trap_17[], hvm_trap_19[];

static const struct { int vector; char *entry; int ist; } gates[] = {
	{ 2, hvm_trap_2, IST_EMERGENCY }, { 8, hvm_trap_8, IST_EMERGENCY },
	{ 0, hvm_trap_0, 0 },   { 1, hvm_trap_1, 0 },   { 3, hvm_trap_3, 0 },
	{ 4, hvm_trap_4, 0 },   { 5, hvm_trap_5, 0 },   { 6, hvm_trap_6, 0 },
	{ 7, hvm_trap_7, 0 },   { 9, hvm_trap_9, 0 },   { 10, hvm_trap_10, 0 },
	{ 11, hvm_trap_11, 0 }, { 12, hvm_trap_12, 0 }, { 13, hvm_trap_13, 0 },
	{ 14, hvm_trap_14, 0 }, { 16, hvm_trap_16, 0 }, { 17, hvm_trap_17, 0 },
	{ 19, hvm_trap_19, 0 },
};
/* clang-format on */

static void set_gate(int vector, const void *entry, int ist)
{
	uintptr_t a = (uintptr_t)entry;

	idt[vector] = (struct idt_gate){
		.offset_low = a & 0xffff,
		.selector = SEL_CODE64,
		.ist = ist,
		.type = GATE_INTERRUPT,
		.offset_mid = (a >> 16) & 0xffff,
		.offset_high = a >> 32,
	};
}

/* A 64-bit TSS descriptor takes two GDT slots. */
static void load_tss(void)
{
	uintptr_t base = (uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.ist[IST_EMERGENCY - 1] = (uintptr_t)(ist_stack + sizeof(ist_stack));
	tss.iomap_base = sizeof(tss);
	pvh_gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			       ((uint64_t)TSS_AVAILABLE << 40) |
			       ((limit >> 16) << 48) |
			       ((uint64_t)((base >> 24) & 0xff) << 56);
	pvh_gdt[SEL_TSS / 8 + 1] = base >> 32;
	asm volatile("ltr %w0" ::"r"(SEL_TSS));
}

void idt_init(void)
{
	struct idt_pointer p = { sizeof(idt) - 1, (uintptr_t)idt };
	size_t i;

	load_tss();
	for (i = 0; i < sizeof(gates) / sizeof(gates[0]); i++)
		set_gate(gates[i].vector, gates[i].entry, gates[i].ist);
	asm volatile("lidt %0" ::"m"(p));
}
