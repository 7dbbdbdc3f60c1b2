/*
 * boottime - how long xenlet takes from the guest's first instruction
 * (the TSC both entry points record) to main(). For make bench.
 */
#include <xenlet/arch.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

int main(int argc, char **argv)
{
	uint64_t ns = xen_tsc_to_ns(arch_rdtsc() - boot_entry_tsc);

	(void)argc;
	(void)argv;
	printk("boottime: first instruction to main: %lu us\n",
	       (unsigned long)(ns / 1000));
	return 0;
}
