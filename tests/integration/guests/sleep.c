/*
 * sleep - sleeps of 10 ms, 100 ms and 3 s never end early by the
 * guest's clock. The lines around the 3 s sleep are time-stamped by dom0
 * to check it against dom0's clock too.
 */
#include <xenlet/console.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

static int check_sleep(uint64_t ns)
{
	uint64_t t0 = xen_system_time_ns(), slept;

	thread_sleep(ns);
	slept = xen_system_time_ns() - t0;
	printk("sleep %lu ns: slept %lu ns: %s\n", (unsigned long)ns,
	       (unsigned long)slept, slept >= ns ? "ok" : "EARLY");
	return slept >= ns;
}

int main(int argc, char **argv)
{
	int ok = 1;

	(void)argc;
	(void)argv;
	ok &= check_sleep(10 * NSEC_PER_MS);
	ok &= check_sleep(100 * NSEC_PER_MS);
	printk("sleep 3s: start\n");
	/* dom0 stamps the line when it reads it: let it read it first. */
	console_flush(NSEC_PER_SEC);
	ok &= check_sleep(3 * NSEC_PER_SEC);
	printk("sleep 3s: end\n");
	return ok ? 0 : 1;
}
