/*
 * thread.h - cooperative threads, sleeping, and what they wait on.
 *
 * Threads run one at a time on the guest's single vCPU and switch only
 * when the running one yields, sleeps, waits or exits: no preemption,
 * so no locks are needed around plain data. When no thread can run,
 * the vCPU blocks in Xen until the next event or timer: nothing spins.
 *
 * Every thread stack has an unmapped guard page below it, and every
 * function checks its stack limit on entry (-fsplit-stack), so a stack
 * overflow is reported with the thread's name and crashes the domain.
 */
#ifndef XENLET_THREAD_H
#define XENLET_THREAD_H

#include <stddef.h>
#include <stdint.h>
#include <xenlet/list.h>

#define THREAD_NAME_MAX	     31
#define THREAD_STACK_DEFAULT (64 * 1024)

struct thread;

/* Start the scheduler: the boot context becomes thread "boot". */
void sched_init(void);

/*
 * Create a runnable thread that calls fn(arg); stack_size 0 means
 * THREAD_STACK_DEFAULT. Returns NULL if memory runs out.
 */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg,
			     size_t stack_size);
struct thread *thread_self(void);
const char *thread_name(const struct thread *t);

/* Let the other runnable threads run first. */
void thread_yield(void);

/* End the calling thread; status goes to thread_join. */
__attribute__((noreturn)) void thread_exit(int status);

/* Wait for t to end, free it, and return its exit status. */
int thread_join(struct thread *t);

/*
 * One pointer of per-thread state for the layer above the kernel (the
 * C library keeps its errno and reentrancy state there). It starts
 * NULL. When a thread with one ends, thread_local_destructor (if set)
 * is called with it, in the ending thread.
 */
void thread_set_local(void *local);
void *thread_get_local(void);
extern void (*thread_local_destructor)(void *local);

/* Nobody will join t: it is freed when it ends (or now, if it has). */
void thread_detach(struct thread *t);

/* Sleep at least ns nanoseconds. */
void thread_sleep(uint64_t ns);

/* --- wait queues ---------------------------------------------------------- */

struct waitq {
	struct list waiters;
};

#define WAITQ_INIT(q)                                                          \
	{                                                                      \
		LIST_INIT((q).waiters)                                         \
	}

void waitq_init(struct waitq *q);

/*
 * Sleep on q until woken, or until Xen system time reaches deadline_ns
 * (0: no deadline). Returns 0 if woken, -XEN_ETIMEDOUT on timeout.
 * As with condition variables, re-check the condition after waking.
 */
int waitq_wait(struct waitq *q, uint64_t deadline_ns);
void waitq_wake_one(struct waitq *q);
void waitq_wake_all(struct waitq *q);

/* --- semaphores and mutexes ---------------------------------------------- */

struct semaphore {
	unsigned int count;
	struct waitq q;
};

void sem_init(struct semaphore *s, unsigned int count);
/* Take one unit, waiting until deadline_ns (0: forever); 0 or -XEN_ETIMEDOUT. */
int sem_down(struct semaphore *s, uint64_t deadline_ns);
void sem_up(struct semaphore *s);

struct mutex {
	struct thread *owner;
	struct waitq q;
};

void mutex_init(struct mutex *m);
void mutex_lock(struct mutex *m);
int mutex_trylock(struct mutex *m); /* 1 if taken */
void mutex_unlock(struct mutex *m);

#endif
