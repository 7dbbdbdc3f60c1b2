/*
 * idle - sleeps for 10 s. dom0 measures the CPU time it uses meanwhile,
 * which must be under 5 % of one CPU.
 */
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printk("idle: sleeping\n");
	thread_sleep(10 * NSEC_PER_SEC);
	printk("idle: awake\n");
	return 0;
}
