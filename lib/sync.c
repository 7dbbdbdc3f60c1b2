/*
 * sync.c - semaphores and mutexes, on wait queues.
 *
 * Threads are cooperative, so testing and changing a count needs no
 * atomic instruction: nothing runs between the two. Waiters re-check
 * after waking, since another thread may have taken the unit first.
 */
#include <xen/errno.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>

void sem_init(struct semaphore *s, unsigned int count)
{
	s->count = count;
	waitq_init(&s->q);
}

int sem_down(struct semaphore *s, uint64_t deadline_ns)
{
	while (s->count == 0)
		if (waitq_wait(&s->q, deadline_ns) == -XEN_ETIMEDOUT &&
		    s->count == 0)
			return -XEN_ETIMEDOUT;
	s->count--;
	return 0;
}

void sem_up(struct semaphore *s)
{
	s->count++;
	waitq_wake_one(&s->q);
}

void mutex_init(struct mutex *m)
{
	m->owner = NULL;
	waitq_init(&m->q);
}

void mutex_lock(struct mutex *m)
{
	while (m->owner != NULL)
		waitq_wait(&m->q, 0);
	m->owner = thread_self();
}

int mutex_trylock(struct mutex *m)
{
	if (m->owner != NULL)
		return 0;
	m->owner = thread_self();
	return 1;
}

void mutex_unlock(struct mutex *m)
{
	if (m->owner != thread_self()) {
		printk("xenlet: thread '%s' unlocks a mutex it does not hold\n",
		       thread_name(thread_self()));
		return;
	}
	m->owner = NULL;
	waitq_wake_one(&m->q);
}
