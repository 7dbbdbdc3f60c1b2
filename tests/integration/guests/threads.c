/*
 * threads - 1000 threads are created, each yields and sleeps once and
 * adds its number to a sum, and all are joined: the sum must be exact.
 */
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

#define NTHREADS 1000

static struct thread *threads[NTHREADS];
static long sum;
static struct mutex sum_lock;

static void worker(void *arg)
{
	long n = (long)arg;

	thread_yield();
	thread_sleep(1000 * (n % 7));
	mutex_lock(&sum_lock);
	thread_yield(); /* others must wait for the lock, not race past it */
	sum += n;
	mutex_unlock(&sum_lock);
	thread_exit((int)n);
}

int main(int argc, char **argv)
{
	long i, statuses = 0;
	char name[16];

	(void)argc;
	(void)argv;
	mutex_init(&sum_lock);
	for (i = 0; i < NTHREADS; i++) {
		snprintk(name, sizeof(name), "worker%ld", i);
		threads[i] = thread_create(name, worker, (void *)i, 16384);
		if (threads[i] == NULL) {
			printk("threads: cannot create thread %ld\n", i);
			return 1;
		}
	}
	for (i = 0; i < NTHREADS; i++)
		statuses += thread_join(threads[i]);
	printk("threads: %d joined, sum %ld, statuses %ld\n", NTHREADS, sum,
	       statuses);
	return sum == 499500 && statuses == 499500 ? 0 : 1;
}
