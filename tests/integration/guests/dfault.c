/*
 * dfault - a fault whose exception frame cannot be pushed (the stack
 * pointer is moved into unmapped page 0) must end in a double-fault
 * report, not a silent triple fault. PVH only: there the #DF gate runs
 * on a stack of its own (arch/x86/idt.c); a PV guest has no such stack,
 * and Xen itself crashes the domain.
 */
#include <xenlet/xenlet.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("dfault: forcing a double fault\n");
	asm volatile("mov $0x800, %%rsp; pushq $0" ::: "memory");
	return 0;
}
