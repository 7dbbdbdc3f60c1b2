/*
 * overflow - a thread named "deep" recurses without end. Its stack
 * overflow must be reported with the thread's name, and crash.
 */
#include <xenlet/thread.h>
#include <xenlet/xenlet.h>

/* A flag the compiler cannot see through, so it must keep the recursion
 * (and not warn that it never ends). */
static volatile int keep_going = 1;

static int recurse(volatile char *prev, int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	frame[255] = prev ? prev[0] : 0;
	if (!keep_going)
		return 0;
	return recurse(frame, depth + 1) + frame[255];
}

static void deep(void *arg)
{
	(void)arg;
	printk("overflow: recursing\n");
	recurse(NULL, 0);
}

int main(int argc, char **argv)
{
	struct thread *t;

	(void)argc;
	(void)argv;
	t = thread_create("deep", deep, NULL, 32768);
	if (t == NULL)
		return 1;
	thread_join(t);
	printk("overflow: the thread returned\n");
	return 0;
}
