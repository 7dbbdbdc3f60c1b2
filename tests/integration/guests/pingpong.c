/*
 * pingpong - two threads hand a token back and forth through two
 * semaphores: 100 000 switches. Prints the cost per switch (make bench).
 */
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

#define SWITCHES 100000

static struct semaphore ping, pong;
static int count;

static void ponger(void *arg)
{
	(void)arg;
	while (count < SWITCHES) {
		sem_down(&ping, 0);
		count++;
		sem_up(&pong);
	}
}

int main(int argc, char **argv)
{
	struct thread *t;
	uint64_t t0, ns;

	(void)argc;
	(void)argv;
	sem_init(&ping, 0);
	sem_init(&pong, 0);
	t = thread_create("ponger", ponger, NULL, 0);
	if (t == NULL)
		return 1;
	t0 = xen_system_time_ns();
	while (count < SWITCHES) {
		count++;
		sem_up(&ping);
		sem_down(&pong, 0);
	}
	ns = xen_system_time_ns() - t0;
	thread_join(t);
	printk("pingpong: %d switches in %lu ns: %lu ns per switch\n", count,
	       (unsigned long)ns, (unsigned long)(ns / count));
	return count == SWITCHES ? 0 : 1;
}
