/*
 * sys_arch.c - lwIP's operating-system layer (lwip/sys.h) on xenlet:
 * threads, semaphores, mutexes and mailboxes of include/xenlet/thread.h,
 * time from Xen's system clock.
 *
 * lwIP's timeouts are in milliseconds, 0 meaning "for ever"; each wait
 * becomes a deadline in Xen system time, and a wait that ends says how
 * long it took (or SYS_ARCH_TIMEOUT).
 */
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xenlet/fd.h>
#include <xenlet/heap.h>
#include <xenlet/panic.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include "lwip/sys.h"
#include "mbox.h"

#define NSEC_PER_MSEC 1000000ULL

static struct thread *tcpip_thread;

void sys_init(void)
{
}

u32_t sys_now(void)
{
	return (u32_t)(xen_system_time_ns() / NSEC_PER_MSEC);
}

/* A wait of timeout ms from start: its deadline (0: none). */
static uint64_t deadline_of(u32_t timeout_ms, uint64_t start)
{
	return timeout_ms ? start + timeout_ms * NSEC_PER_MSEC : 0;
}

/* What lwIP wants back from a wait: the ms it took, at least 0. */
static u32_t waited_ms(uint64_t start)
{
	return (u32_t)((xen_system_time_ns() - start) / NSEC_PER_MSEC);
}

/* --- threads ----------------------------------------------------------- */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg,
			    int stacksize, int prio)
{
	struct thread *t;

	(void)prio; /* one run queue: no priorities */
	t = thread_create(name, fn, arg, stacksize > 0 ? (size_t)stacksize : 0);
	if (t == NULL)
		panic("lwIP: no memory for thread %s", name);
	thread_detach(t);
	if (tcpip_thread == NULL)
		tcpip_thread = t; /* tcpip_init starts it first, and only it */
	return t;
}

/* --- semaphores --------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
	*sem = kmalloc(sizeof(**sem));
	if (*sem == NULL)
		return ERR_MEM;
	sem_init(*sem, count);
	return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
	kfree(*sem);
	*sem = NULL;
}

void sys_sem_signal(sys_sem_t *sem)
{
	sem_up(*sem);
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
	uint64_t start = xen_system_time_ns();

	if (sem_down(*sem, deadline_of(timeout, start)) < 0)
		return SYS_ARCH_TIMEOUT;
	return waited_ms(start);
}

/* --- mutexes (the core lock) ------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *m)
{
	*m = kmalloc(sizeof(**m));
	if (*m == NULL)
		return ERR_MEM;
	mutex_init(*m);
	return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
	kfree(*m);
	*m = NULL;
}

void sys_mutex_lock(sys_mutex_t *m)
{
	mutex_lock(*m);
}

void sys_mutex_unlock(sys_mutex_t *m)
{
	mutex_unlock(*m);
}

/* --- mailboxes ---------------------------------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
	*mb = mbox_new(size > 0 ? (unsigned int)size : 64);
	return *mb ? ERR_OK : ERR_MEM;
}

void sys_mbox_free(sys_mbox_t *mb)
{
	mbox_free(*mb);
	*mb = NULL;
}

void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
	mbox_post(*mb, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
	return mbox_trypost(*mb, msg) < 0 ? ERR_MEM : ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg)
{
	return sys_mbox_trypost(mb, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout)
{
	uint64_t start = xen_system_time_ns();
	void *dummy;

	/*
	 * The tcpip thread runs every received frame and timer: once it
	 * has nothing left to do, sockets may have become readable or
	 * writable. Tell poll() and select() waiters to look again, once
	 * per batch (include/xenlet/fd.h).
	 */
	if ((*mb)->count == 0 && thread_self() == tcpip_thread)
		fd_poll_wake();
	if (mbox_fetch(*mb, msg ? msg : &dummy, deadline_of(timeout, start)) <
	    0)
		return SYS_ARCH_TIMEOUT;
	return waited_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
	void *dummy;

	if (mbox_tryfetch(*mb, msg ? msg : &dummy) < 0)
		return SYS_MBOX_EMPTY;
	return 0;
}

/* --- what arch/cc.h promised -------------------------------------------- */

uint32_t lwip_port_rand(void)
{
	uint32_t r;

	if (getentropy(&r, sizeof(r)) < 0)
		r = (uint32_t)xen_system_time_ns() * 2654435761u;
	return r;
}

void lwip_port_diag(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void lwip_port_assert(const char *msg, const char *file, int line)
{
	panic("lwIP assertion \"%s\" failed at %s:%d", msg, file, line);
}
