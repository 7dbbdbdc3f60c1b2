/*
 * constall - console output while xenconsoled does not read it
 * (tests/integration/cases/constall.sh).
 *
 * The guest says it is up and waits for dom0's data/go, which dom0
 * writes once it has paused xenconsoled (kill -STOP). Then it writes a
 * burst of 8 KiB, four rings' worth: the write must end once the
 * console's deadline has passed, the rest dropped. The burst's length
 * in ms goes to data/stalled, where dom0 sees it. Then, with argument
 *   (none)  it returns 3 at once, xenconsoled still paused: the domain
 *           must still end, as a crash, within a bound;
 *   back    it waits until dom0 has let xenconsoled go on and the ring
 *           is read, says so and returns 3: the console first says how
 *           many bytes it dropped.
 */
#include <xenlet/console.h>
#include <xenlet/heap.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>
#include <xenlet/xenstore.h>

#define BURST_LINES 128 /* of 64 bytes: 8 KiB */

/* Wait until dom0 has written data/go: 0, or -1 after 60 s. */
static int wait_go(void)
{
	uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;
	struct xs_watch w;
	char *v;
	int rc;

	if (xs_watch(&w, "data/go", NULL, NULL) < 0)
		return -1;
	printk("constall: ready\n");
	for (;;) {
		if (xs_read(XBT_NIL, "data/go", &v, NULL) == 0) {
			kfree(v);
			rc = 0;
			break;
		}
		rc = xs_watch_wait(&w, NULL, deadline);
		if (rc < 0)
			break;
	}
	xs_unwatch(&w, "data/go");
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	int back = argc > 1 && strcmp(argv[1], "back") == 0;
	uint64_t t0;
	unsigned long ms;
	int i;

	if (wait_go() < 0) {
		printk("constall: no data/go from dom0\n");
		return 1;
	}
	t0 = xen_system_time_ns();
	for (i = 0; i < BURST_LINES; i++)
		printk("constall: burst %03d "
		       "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq\n",
		       i);
	ms = (unsigned long)((xen_system_time_ns() - t0) / NSEC_PER_MS);
	xs_write_ulong(XBT_NIL, "data/stalled", ms);
	if (!back)
		return 3;
	if (console_flush(60 * NSEC_PER_SEC) < 0)
		printk("constall: the console did not come back\n");
	printk("constall: back, the burst took %lu ms\n", ms);
	return 3;
}
