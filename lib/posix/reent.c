/*
 * reent.c - newlib's per-thread state, and its locks.
 *
 * newlib keeps errno, strtok's position, the random seed and so on in a
 * struct _reent. Built with __DYNAMIC_REENT__ and GETREENT_PROVIDED, it
 * finds the current one by calling __getreent(), which is ours: each
 * xenlet thread gets its own, kept in its struct posix_tls, which hangs
 * off the thread's one "local" pointer (thread.h), is made on first use
 * and is reclaimed when the thread ends. The main thread uses newlib's
 * global one (_impure_ptr), the one exit() cleans up. stdin, stdout and
 * stderr are shared by all threads (newlib
 * is configured with global stdio streams).
 *
 * Threads are cooperative, but a thread can still be switched away in
 * the middle of a stdio or malloc call (a write that waits for the
 * console ring), so newlib's locks are real: newlib is configured with
 * retargetable locking, and its lock functions and static locks are
 * defined here as recursive mutexes over xenlet wait queues.
 */
#include <reent.h>
#include <stdlib.h>
#include <sys/lock.h>
#include <xenlet/heap.h>
#include <xenlet/panic.h>
#include <xenlet/posix.h>
#include <xenlet/thread.h>

/* --- per-thread state ---------------------------------------------------- */

static void tls_free(void *local)
{
	struct posix_tls *tls = local;

	/* A thread that never used the C library has no state of its own. */
	if (tls->reent != NULL && tls->reent != _impure_ptr) {
		_reclaim_reent(tls->reent);
		kfree(tls->reent);
	}
	kfree(tls);
}

struct posix_tls *posix_tls(void)
{
	struct posix_tls *tls = thread_get_local();

	if (tls != NULL)
		return tls;
	tls = kzalloc(sizeof(*tls));
	if (tls == NULL)
		panic("no memory for a thread's C library state");
	thread_local_destructor = tls_free;
	thread_set_local(tls);
	return tls;
}

struct _reent *__getreent(void)
{
	struct posix_tls *tls = posix_tls();

	if (tls->reent == NULL) {
		tls->reent = kmalloc(sizeof(*tls->reent));
		if (tls->reent == NULL)
			panic("no memory for a thread's C library state");
		_REENT_INIT_PTR(tls->reent);
	}
	return tls->reent;
}

void posix_tls_adopt_global(void)
{
	struct posix_tls *tls = posix_tls();

	if (tls->reent == NULL)
		tls->reent = _impure_ptr;
}

/* --- locks --------------------------------------------------------------- */

struct __lock {
	struct thread *owner;
	unsigned int depth; /* recursive acquisitions by owner */
	struct waitq q;
};

#define STATIC_LOCK(name) struct __lock name = { NULL, 0, WAITQ_INIT(name.q) }

STATIC_LOCK(__lock___sinit_recursive_mutex);
STATIC_LOCK(__lock___sfp_recursive_mutex);
STATIC_LOCK(__lock___atexit_recursive_mutex);
STATIC_LOCK(__lock___at_quick_exit_mutex);
STATIC_LOCK(__lock___malloc_recursive_mutex);
STATIC_LOCK(__lock___env_recursive_mutex);
STATIC_LOCK(__lock___tz_mutex);
STATIC_LOCK(__lock___dd_hash_mutex);
STATIC_LOCK(__lock___arc4random_mutex);

void __retarget_lock_init(_LOCK_T *lock)
{
	*lock = kzalloc(sizeof(**lock));
	if (*lock == NULL)
		panic("no memory for a C library lock");
	waitq_init(&(*lock)->q);
}

void __retarget_lock_init_recursive(_LOCK_T *lock)
{
	__retarget_lock_init(lock);
}

void __retarget_lock_close(_LOCK_T lock)
{
	kfree(lock);
}

void __retarget_lock_close_recursive(_LOCK_T lock)
{
	kfree(lock);
}

int __retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
	struct thread *self = thread_self();

	if (lock->owner != NULL && lock->owner != self)
		return 0;
	lock->owner = self;
	lock->depth++;
	return 1;
}

int __retarget_lock_try_acquire(_LOCK_T lock)
{
	return __retarget_lock_try_acquire_recursive(lock);
}

void __retarget_lock_acquire_recursive(_LOCK_T lock)
{
	while (!__retarget_lock_try_acquire_recursive(lock))
		waitq_wait(&lock->q, 0);
}

void __retarget_lock_acquire(_LOCK_T lock)
{
	__retarget_lock_acquire_recursive(lock);
}

void __retarget_lock_release_recursive(_LOCK_T lock)
{
	if (lock->owner != thread_self() || lock->depth == 0)
		panic("C library lock released by a thread that does not hold "
		      "it");
	if (--lock->depth == 0) {
		lock->owner = NULL;
		waitq_wake_one(&lock->q);
	}
}

void __retarget_lock_release(_LOCK_T lock)
{
	__retarget_lock_release_recursive(lock);
}
