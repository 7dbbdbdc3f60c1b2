/*
 * xen_host.c - what lies under the scheduler and the XenStore client,
 * simulated on Linux (see xen_host.h).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <xenlet/arch.h>
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/time.h>
#include "xen_host.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SIM_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SIM_ASAN 1
#endif
#ifdef SIM_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

uint64_t sim_now = 1000000000ULL;
struct xenstore_domain_interface sim_xs_ring;
int (*sim_dom0)(void);
void (*sim_hang)(void);
int sim_printk_lines;
int sim_quiet;

struct boot_info boot_info = {
	.xenstore_ring = &sim_xs_ring,
	.xenstore_evtchn = 1,
};
char boot_stack[64], boot_stack_top[1];

/* --- memory: malloc, so that ASan watches every object --------------------- */

void *kmalloc(size_t size)
{
	return malloc(size);
}

void *kzalloc(size_t size)
{
	return calloc(1, size);
}

void kfree(void *p)
{
	free(p);
}

void *page_alloc(unsigned int order)
{
	return aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
}

void page_free(void *p, unsigned int order)
{
	(void)order;
	free(p);
}

int arch_page_unmap(void *va)
{
	(void)va;
	return 0;
}

int arch_page_remap(void *va)
{
	(void)va;
	return 0;
}

void arch_set_crash_context(const char *thread, uintptr_t stack_lo,
			    uintptr_t stack_hi)
{
	(void)thread;
	(void)stack_lo;
	(void)stack_hi;
}

/* --- threads: struct arch_context's rsp holds a struct host_ctx --------- */

struct host_ctx {
	ucontext_t uc;
	const void *stack;
	size_t size;
	void (*entry)(void);
};

static struct host_ctx *host_ctx(struct arch_context *c)
{
	struct host_ctx *h = (struct host_ctx *)(uintptr_t)c->rsp;
	pthread_attr_t attr;
	void *stack;
	size_t size;

	if (h != NULL)
		return h;
	/* The boot thread: the process's own stack. */
	h = calloc(1, sizeof(*h));
	pthread_getattr_np(pthread_self(), &attr);
	pthread_attr_getstack(&attr, &stack, &size);
	pthread_attr_destroy(&attr);
	h->stack = stack;
	h->size = size;
	c->rsp = (uint64_t)(uintptr_t)h;
	return h;
}

static struct host_ctx *starting;

static void fiber_entered(void *fake)
{
#ifdef SIM_ASAN
	__sanitizer_finish_switch_fiber(fake, NULL, NULL);
#else
	(void)fake;
#endif
}

static void trampoline(void)
{
	fiber_entered(NULL);
	starting->entry(); /* never returns */
	abort();
}

/* The host_ctx sits at the top of the thread's stack: freed with it. */
void arch_context_init(struct arch_context *c, uintptr_t lo, uintptr_t hi,
		       void (*entry)(void))
{
	struct host_ctx *h;

	hi = (hi - sizeof(*h)) & ~(uintptr_t)63;
	h = memset((void *)hi, 0, sizeof(*h));
	getcontext(&h->uc);
	h->uc.uc_stack.ss_sp = (void *)lo;
	h->uc.uc_stack.ss_size = hi - lo;
	h->uc.uc_link = NULL;
	h->stack = (void *)lo;
	h->size = hi - lo;
	h->entry = entry;
	makecontext(&h->uc, trampoline, 0);
	c->rsp = (uint64_t)(uintptr_t)h;
}

void arch_switch(struct arch_context *from, struct arch_context *to)
{
	struct host_ctx *f = host_ctx(from), *t = host_ctx(to);
	void *fake = NULL;

	starting = t;
#ifdef SIM_ASAN
	__sanitizer_start_switch_fiber(&fake, t->stack, t->size);
#endif
	swapcontext(&f->uc, &t->uc);
	fiber_entered(fake);
}

/* --- time and the one event channel ---------------------------------------- */

static uint64_t timer_deadline;
static evtchn_handler_t xs_handler;
static void *xs_handler_arg;
static int pending;

uint64_t xen_system_time_ns(void)
{
	return sim_now;
}

void timer_set(uint64_t deadline_ns)
{
	timer_deadline = deadline_ns;
}

int evtchn_set_handler(evtchn_port_t port, evtchn_handler_t h, void *arg)
{
	(void)port;
	xs_handler = h;
	xs_handler_arg = arg;
	return 0;
}

int evtchn_send(evtchn_port_t port)
{
	(void)port;
	return 0;
}

void evtchn_flush(void)
{
}

void sim_notify(void)
{
	pending = 1;
}

int evtchn_any_pending(void)
{
	return pending;
}

void evtchn_dispatch(void)
{
	while (pending && xs_handler != NULL) {
		pending = 0;
		xs_handler(boot_info.xenstore_evtchn, xs_handler_arg);
	}
}

/* Every thread waits: dom0's turn, else the clock jumps to the deadline. */
void evtchn_block(void)
{
	if (sim_dom0 != NULL && sim_dom0()) {
		pending = 1;
		return;
	}
	if (timer_deadline != 0) {
		if (sim_now < timer_deadline)
			sim_now = timer_deadline;
		return;
	}
	fprintf(stderr, "hang: every thread waits with no deadline, and "
			"dom0 has nothing to say\n");
	if (sim_hang != NULL)
		sim_hang();
	_exit(SIM_HANG);
}

/* --- the console ----------------------------------------------------------- */

/* The real lib/printk.c formats; its output lands here, a line counted
 * at each newline. */
void console_write(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sim_printk_lines += buf[i] == '\n';
	if (!sim_quiet)
		fwrite(buf, 1, len, stderr);
}
