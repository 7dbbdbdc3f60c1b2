/*
 * pthread.c - a POSIX threads subset on xenlet's cooperative threads:
 * create/join/detach/self/exit, mutexes (normal, recursive, error-
 * checking), condition variables with timeouts, once, keys, and
 * sched_yield. Enough for common C libraries; there is one vCPU, so
 * threads interleave only where one blocks or yields.
 *
 * newlib's pthread types are 32-bit handles (pthread_mutex_t is an
 * integer whose static initializer is 0xFFFFFFFF), so every object
 * lives in a table here and a handle is its index + 1. A statically
 * initialized mutex or condition variable gets its object on first use.
 * Errors are returned, as POSIX says, not put in errno.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <xenlet/heap.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

#define HANDLES_MAX	   1024
#define STATIC_INIT	   0xFFFFFFFFu
#define PTHREAD_STACK_SIZE (128 * 1024)
#define STACK_MIN	   (16 * 1024) /* room for the C library's calls */

enum kind { K_THREAD = 1, K_MUTEX, K_COND };

struct object {
	enum kind kind;
};

struct pthread {
	struct object obj;
	struct thread *t; /* NULL for a thread pthread did not create */
	void *(*fn)(void *);
	void *arg;
	void *ret;
	int detached, done;
};

struct pmutex {
	struct object obj;
	int type;
	struct thread *owner;
	unsigned int depth;
	struct waitq q;
};

struct pcond {
	struct object obj;
	struct waitq q;
};

static struct object *handles[HANDLES_MAX];

/* --- handles --------------------------------------------------------------- */

static uint32_t handle_new(struct object *o)
{
	uint32_t i;

	for (i = 0; i < HANDLES_MAX; i++)
		if (handles[i] == NULL) {
			handles[i] = o;
			return i + 1;
		}
	return 0;
}

static void *handle_get(uint32_t h, enum kind kind)
{
	if (h == 0 || h > HANDLES_MAX || handles[h - 1] == NULL ||
	    handles[h - 1]->kind != kind)
		return NULL;
	return handles[h - 1];
}

static void handle_free(uint32_t h)
{
	kfree(handles[h - 1]);
	handles[h - 1] = NULL;
}

/* --- threads --------------------------------------------------------------- */

struct key {
	int used;
	void (*destructor)(void *);
};

static struct key keys[POSIX_KEYS_MAX];

/* POSIX: destructors run at thread exit, for non-NULL values, repeated
 * while they set new ones (up to PTHREAD_DESTRUCTOR_ITERATIONS). */
static void run_key_destructors(void)
{
	struct posix_tls *tls = posix_tls();
	int round, k, again = 1;

	for (round = 0; round < 4 && again; round++) {
		again = 0;
		for (k = 0; k < POSIX_KEYS_MAX; k++) {
			void *v = tls->specific[k];

			if (v == NULL || !keys[k].used || !keys[k].destructor)
				continue;
			tls->specific[k] = NULL;
			keys[k].destructor(v);
			again = 1;
		}
	}
}

static __attribute__((noreturn)) void thread_end(struct pthread *p, void *ret)
{
	p->ret = ret;
	run_key_destructors();
	p->done = 1;
	if (p->detached) /* nobody will join: the handle goes now */
		handle_free(posix_tls()->pthread_id);
	thread_exit(0);
}

static void trampoline(void *arg)
{
	uint32_t id = (uint32_t)(uintptr_t)arg;
	struct pthread *p = handle_get(id, K_THREAD);

	posix_tls()->pthread_id = id;
	thread_end(p, p->fn(p->arg));
}

int pthread_create(pthread_t *out, const pthread_attr_t *attr,
		   void *(*fn)(void *), void *arg)
{
	struct pthread *p = kzalloc(sizeof(*p));
	size_t stack = PTHREAD_STACK_SIZE;
	uint32_t id;

	if (p == NULL)
		return EAGAIN;
	p->obj.kind = K_THREAD;
	p->fn = fn;
	p->arg = arg;
	if (attr) {
		if (attr->stacksize > 0)
			stack = (size_t)attr->stacksize;
		p->detached = attr->detachstate == PTHREAD_CREATE_DETACHED;
	}
	id = handle_new(&p->obj);
	if (id == 0) {
		kfree(p);
		return EAGAIN;
	}
	p->t = thread_create("pthread", trampoline, (void *)(uintptr_t)id,
			     stack);
	if (p->t == NULL) {
		handle_free(id);
		return EAGAIN;
	}
	if (p->detached)
		thread_detach(p->t);
	*out = id;
	return 0;
}

int pthread_join(pthread_t id, void **ret)
{
	struct pthread *p = handle_get(id, K_THREAD);

	if (p == NULL || p->t == NULL)
		return ESRCH;
	if (p->detached)
		return EINVAL;
	if (id == posix_tls()->pthread_id)
		return EDEADLK;
	thread_join(p->t);
	if (ret)
		*ret = p->ret;
	handle_free(id);
	return 0;
}

int pthread_detach(pthread_t id)
{
	struct pthread *p = handle_get(id, K_THREAD);
	struct thread *t;

	if (p == NULL || p->t == NULL)
		return ESRCH;
	if (p->detached)
		return EINVAL;
	t = p->t;
	p->detached = 1;
	if (p->done) /* it has ended: its handle goes too (and p with it) */
		handle_free(id);
	thread_detach(t);
	return 0;
}

pthread_t pthread_self(void)
{
	struct posix_tls *tls = posix_tls();
	struct pthread *p;

	if (tls->pthread_id != 0)
		return tls->pthread_id;
	/* main, or a kernel thread: give it a handle that cannot be joined */
	p = kzalloc(sizeof(*p));
	if (p != NULL) {
		p->obj.kind = K_THREAD;
		tls->pthread_id = handle_new(&p->obj);
		if (tls->pthread_id == 0)
			kfree(p);
	}
	return tls->pthread_id;
}

int pthread_equal(pthread_t a, pthread_t b)
{
	return a == b;
}

void pthread_exit(void *ret)
{
	struct pthread *p = handle_get(posix_tls()->pthread_id, K_THREAD);

	if (p == NULL || p->t == NULL) /* main: like returning from it */
		exit(0);
	thread_end(p, ret);
}

int sched_yield(void)
{
	thread_yield();
	return 0;
}

int pthread_attr_init(pthread_attr_t *a)
{
	*a = (pthread_attr_t){ .is_initialized = 1,
			       .stacksize = PTHREAD_STACK_SIZE,
			       .detachstate = PTHREAD_CREATE_JOINABLE };
	return 0;
}

int pthread_attr_destroy(pthread_attr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *a, size_t size)
{
	if (size < STACK_MIN || size > INT32_MAX)
		return EINVAL;
	a->stacksize = (int)size;
	return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *a, size_t *size)
{
	*size = (size_t)a->stacksize;
	return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *a, int state)
{
	if (state != PTHREAD_CREATE_DETACHED &&
	    state != PTHREAD_CREATE_JOINABLE)
		return EINVAL;
	a->detachstate = state;
	return 0;
}

/* --- mutexes --------------------------------------------------------------- */

int pthread_mutexattr_init(pthread_mutexattr_t *a)
{
	*a = (pthread_mutexattr_t){ .is_initialized = 1,
				    .type = PTHREAD_MUTEX_DEFAULT };
	return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *a)
{
	a->is_initialized = 0;
	return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *a, int type)
{
	if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_DEFAULT)
		return EINVAL;
	a->type = type;
	return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	struct pmutex *pm = kzalloc(sizeof(*pm));

	if (pm == NULL)
		return ENOMEM;
	pm->obj.kind = K_MUTEX;
	pm->type = a ? a->type : PTHREAD_MUTEX_DEFAULT;
	waitq_init(&pm->q);
	*m = handle_new(&pm->obj);
	if (*m == 0) {
		kfree(pm);
		return EAGAIN;
	}
	return 0;
}

/* The mutex behind m, made now if m is PTHREAD_MUTEX_INITIALIZER. */
static struct pmutex *mutex_of(pthread_mutex_t *m)
{
	if (*m == STATIC_INIT && pthread_mutex_init(m, NULL) != 0)
		return NULL;
	return handle_get(*m, K_MUTEX);
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
	struct pmutex *pm = handle_get(*m, K_MUTEX);

	if (*m == STATIC_INIT)
		return 0;
	if (pm == NULL)
		return EINVAL;
	if (pm->owner != NULL)
		return EBUSY;
	handle_free(*m);
	*m = 0;
	return 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
	struct pmutex *pm = mutex_of(m);
	struct thread *self = thread_self();

	if (pm == NULL)
		return EINVAL;
	if (pm->owner == NULL) {
		pm->owner = self;
		pm->depth = 1;
		return 0;
	}
	if (pm->owner == self && pm->type == PTHREAD_MUTEX_RECURSIVE) {
		pm->depth++;
		return 0;
	}
	return EBUSY;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
	struct pmutex *pm = mutex_of(m);
	int rc;

	if (pm == NULL)
		return EINVAL;
	/* A normal mutex locked again by its owner would hang for ever:
	 * report the deadlock instead, as an error-checking one does. */
	if (pm->owner == thread_self() && pm->type != PTHREAD_MUTEX_RECURSIVE)
		return EDEADLK;
	while ((rc = pthread_mutex_trylock(m)) == EBUSY)
		waitq_wait(&pm->q, 0);
	return rc;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
	struct pmutex *pm = mutex_of(m);

	if (pm == NULL)
		return EINVAL;
	if (pm->owner != thread_self())
		return EPERM;
	if (--pm->depth == 0) {
		pm->owner = NULL;
		waitq_wake_one(&pm->q);
	}
	return 0;
}

/* --- condition variables --------------------------------------------------- */

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *a)
{
	struct pcond *pc = kzalloc(sizeof(*pc));

	(void)a;
	if (pc == NULL)
		return ENOMEM;
	pc->obj.kind = K_COND;
	waitq_init(&pc->q);
	*c = handle_new(&pc->obj);
	if (*c == 0) {
		kfree(pc);
		return EAGAIN;
	}
	return 0;
}

static struct pcond *cond_of(pthread_cond_t *c)
{
	if (*c == STATIC_INIT && pthread_cond_init(c, NULL) != 0)
		return NULL;
	return handle_get(*c, K_COND);
}

int pthread_cond_destroy(pthread_cond_t *c)
{
	struct pcond *pc = handle_get(*c, K_COND);

	if (*c == STATIC_INIT)
		return 0;
	if (pc == NULL)
		return EINVAL;
	if (!list_empty(&pc->q.waiters))
		return EBUSY;
	handle_free(*c);
	*c = 0;
	return 0;
}

/* deadline_ns: Xen system time, 0 for none. Unlocking and starting to
 * wait cannot be separated by another thread: nothing switches between
 * them on a cooperative vCPU, so no wakeup is lost. */
static int cond_wait(pthread_cond_t *c, pthread_mutex_t *m,
		     uint64_t deadline_ns)
{
	struct pcond *pc = cond_of(c);
	struct pmutex *pm = mutex_of(m);
	unsigned int depth;
	int rc, timed_out;

	if (pc == NULL || pm == NULL)
		return EINVAL;
	if (pm->owner != thread_self())
		return EPERM;
	depth = pm->depth; /* a recursive mutex is released fully */
	pm->depth = 1;
	pthread_mutex_unlock(m);
	timed_out = waitq_wait(&pc->q, deadline_ns) != 0;
	rc = pthread_mutex_lock(m);
	pm->depth = depth;
	return rc ? rc : timed_out ? ETIMEDOUT : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	return cond_wait(c, m, 0);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
			   const struct timespec *abstime)
{
	int64_t wall_ns, until_ns;

	if (abstime->tv_nsec < 0 || abstime->tv_nsec >= (long)NSEC_PER_SEC)
		return EINVAL;
	/* abstime is CLOCK_REALTIME; the wait runs on system time. */
	until_ns = (int64_t)abstime->tv_sec * (int64_t)NSEC_PER_SEC +
		   abstime->tv_nsec;
	wall_ns = (int64_t)xen_wallclock_ns();
	if (until_ns <= wall_ns)
		until_ns = wall_ns + 1; /* already past: give up at once */
	return cond_wait(c, m,
			 xen_system_time_ns() + (uint64_t)(until_ns - wall_ns));
}

int pthread_cond_signal(pthread_cond_t *c)
{
	struct pcond *pc = cond_of(c);

	if (pc == NULL)
		return EINVAL;
	waitq_wake_one(&pc->q);
	return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	struct pcond *pc = cond_of(c);

	if (pc == NULL)
		return EINVAL;
	waitq_wake_all(&pc->q);
	return 0;
}

/* --- once and keys --------------------------------------------------------- */

enum { ONCE_NOT_RUN, ONCE_RUNNING, ONCE_DONE }; /* in init_executed */

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
	if (once->init_executed == ONCE_NOT_RUN) {
		once->init_executed = ONCE_RUNNING;
		fn();
		once->init_executed = ONCE_DONE;
	}
	while (once->init_executed == ONCE_RUNNING) /* fn blocked: wait */
		thread_yield();
	return 0;
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	int k;

	for (k = 0; k < POSIX_KEYS_MAX; k++)
		if (!keys[k].used) {
			keys[k].used = 1;
			keys[k].destructor = destructor;
			*key = (pthread_key_t)k;
			return 0;
		}
	return EAGAIN;
}

/* Values left in threads for a deleted key are not freed (POSIX). They
 * must not come back through a new key with the same number, so a key
 * is never reused while values remain: deleting only forgets the
 * destructor and the slot stays taken. */
int pthread_key_delete(pthread_key_t key)
{
	if (key >= POSIX_KEYS_MAX || !keys[key].used)
		return EINVAL;
	keys[key].destructor = NULL;
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	if (key >= POSIX_KEYS_MAX)
		return NULL;
	return posix_tls()->specific[key];
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	if (key >= POSIX_KEYS_MAX || !keys[key].used)
		return EINVAL;
	posix_tls()->specific[key] = (void *)value;
	return 0;
}
