/*
 * sched.c - cooperative threads and the scheduler.
 *
 * A thread is on at most one of: the run queue, or one wait queue; a
 * thread with a deadline (a sleep, a wait with a timeout) is also on
 * the sleepers list, sorted by deadline. schedule() is the only place a
 * switch happens. It first runs pending event handlers and wakes the
 * sleepers whose deadline has passed (both may make threads runnable),
 * then takes the head of the run queue. With nothing to run, it sets
 * the one-shot timer for the earliest deadline and blocks the vCPU in
 * Xen until an event or that timer.
 *
 * The boot context becomes the thread "boot" on the boot stack.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

#define THREAD_MAGIC 0x74687264 /* "thrd" */

enum thread_state { RUNNABLE, BLOCKED, EXITED };

struct thread {
	struct arch_context ctx;
	uint32_t magic;
	enum thread_state state;
	char name[THREAD_NAME_MAX + 1];
	uintptr_t stack_lo, stack_hi; /* the usable stack */
	void *stack_block;	      /* from page_alloc; its first page is
					 the guard. NULL for "boot" */
	unsigned int stack_order;
	void (*fn)(void *);
	void *arg;
	int exit_status;
	uint64_t wake_at; /* deadline, or 0 */
	int timed_out;	  /* the last wait ended by its deadline */
	struct waitq *waiting_on;
	struct list link;	/* run queue or a wait queue */
	struct list sleep_link; /* sleepers */
	struct waitq joiners;
	void *local;  /* the C library's per-thread state, see thread.h */
	int detached; /* nobody joins: freed by the scheduler once ended */
};

extern char boot_stack[], boot_stack_top[];

static struct thread boot_thread;
static struct thread *current;
static struct list run_queue = LIST_INIT(run_queue);
static struct list sleepers = LIST_INIT(sleepers);
static struct list detached_dead = LIST_INIT(detached_dead);

static void make_runnable(struct thread *t)
{
	t->state = RUNNABLE;
	list_push_back(&run_queue, &t->link);
}

/* Keep sleepers sorted by deadline: the head is the next to wake. */
static void sleeper_add(struct thread *t, uint64_t deadline)
{
	struct list *pos;

	t->wake_at = deadline;
	for (pos = sleepers.next; pos != &sleepers; pos = pos->next)
		if (list_entry(pos, struct thread, sleep_link)->wake_at >
		    deadline)
			break;
	list_insert_before(pos, &t->sleep_link);
}

static void wake_expired(uint64_t now)
{
	while (!list_empty(&sleepers)) {
		struct thread *t =
			list_entry(sleepers.next, struct thread, sleep_link);

		if (t->wake_at > now)
			break;
		list_remove(&t->sleep_link);
		t->wake_at = 0;
		if (t->waiting_on) { /* a wait that timed out */
			list_remove(&t->link);
			t->waiting_on = NULL;
			t->timed_out = 1;
		}
		make_runnable(t);
	}
}

/* Nothing to run: sleep in Xen until an event or the next deadline. */
static void idle_block(void)
{
	uint64_t deadline = 0;

	if (!list_empty(&sleepers))
		deadline = list_entry(sleepers.next, struct thread, sleep_link)
				   ->wake_at;
	timer_set(deadline);
	if (!evtchn_any_pending())
		evtchn_block();
}

static void switch_to(struct thread *next)
{
	struct thread *prev = current;

	if (next == prev)
		return;
	current = next;
	arch_set_crash_context(next->name, next->stack_lo, next->stack_hi);
	arch_switch(&prev->ctx, &next->ctx);
}

static void thread_free(struct thread *t)
{
	t->magic = 0;
	arch_page_remap(t->stack_block);
	page_free(t->stack_block, t->stack_order);
	kfree(t);
}

/* An ended detached thread cannot free the stack it ends on: the next
 * thread to pass through the scheduler does. */
static void reap_detached(void)
{
	struct list *n, *next;

	for (n = detached_dead.next; n != &detached_dead; n = next) {
		struct thread *t = list_entry(n, struct thread, link);

		next = n->next;
		if (t != current) {
			list_remove(n);
			thread_free(t);
		}
	}
}

/* Give up the CPU. The caller has set its state (and queued itself if
 * it stays runnable). */
static void schedule(void)
{
	struct list *n;

	reap_detached();
	for (;;) {
		evtchn_dispatch();
		if (!list_empty(&sleepers))
			wake_expired(xen_system_time_ns());
		n = list_pop_front(&run_queue);
		if (n != NULL)
			break;
		idle_block();
	}
	/* Notifications queued while the last thread ran, or by handlers
	 * just now, go out before the next one starts (evtchn_notify). */
	evtchn_flush();
	switch_to(list_entry(n, struct thread, link));
}

static void copy_name(char *dst, const char *src)
{
	int i;

	for (i = 0; i < THREAD_NAME_MAX && src && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
}

void sched_init(void)
{
	struct thread *t = &boot_thread;

	t->magic = THREAD_MAGIC;
	t->state = RUNNABLE;
	copy_name(t->name, "boot");
	t->stack_lo = (uintptr_t)boot_stack;
	t->stack_hi = (uintptr_t)boot_stack_top;
	t->ctx.stack_limit = t->stack_lo + STACK_LIMIT_MARGIN;
	list_init(&t->link);
	list_init(&t->sleep_link);
	waitq_init(&t->joiners);
	current = t;
	arch_set_crash_context(t->name, t->stack_lo, t->stack_hi);
}

static __attribute__((noreturn)) void thread_entry(void)
{
	current->fn(current->arg);
	thread_exit(0);
}

/* The smallest order whose block holds size bytes plus the guard page. */
static unsigned int stack_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size + PAGE_SIZE)
		order++;
	return order;
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg,
			     size_t stack_size)
{
	struct thread *t = kzalloc(sizeof(*t));
	unsigned int order =
		stack_order(stack_size ? stack_size : THREAD_STACK_DEFAULT);

	if (t == NULL || order > PAGE_ALLOC_MAX_ORDER)
		goto fail;
	t->stack_block = page_alloc(order);
	if (t->stack_block == NULL)
		goto fail;
	if (arch_page_unmap(t->stack_block) != 0) { /* the guard page */
		page_free(t->stack_block, order);
		goto fail;
	}
	t->magic = THREAD_MAGIC;
	t->stack_order = order;
	t->stack_lo = (uintptr_t)t->stack_block + PAGE_SIZE;
	t->stack_hi = (uintptr_t)t->stack_block + (PAGE_SIZE << order);
	t->fn = fn;
	t->arg = arg;
	copy_name(t->name, name);
	list_init(&t->sleep_link);
	waitq_init(&t->joiners);
	arch_context_init(&t->ctx, t->stack_lo, t->stack_hi, thread_entry);
	make_runnable(t);
	return t;
fail:
	kfree(t);
	return NULL;
}

struct thread *thread_self(void)
{
	return current;
}

const char *thread_name(const struct thread *t)
{
	return t->name;
}

void thread_yield(void)
{
	make_runnable(current);
	schedule();
}

void (*thread_local_destructor)(void *local);

void thread_set_local(void *local)
{
	current->local = local;
}

void *thread_get_local(void)
{
	return current->local;
}

void thread_exit(int status)
{
	if (current->local && thread_local_destructor)
		thread_local_destructor(current->local);
	current->local = NULL;
	current->exit_status = status;
	current->state = EXITED;
	if (current->detached)
		list_push_back(&detached_dead, &current->link);
	waitq_wake_all(&current->joiners);
	schedule(); /* an exited thread is never queued: no return */
	__builtin_unreachable();
}

int thread_join(struct thread *t)
{
	int status;

	if (t == NULL || t->magic != THREAD_MAGIC || t == current ||
	    t == &boot_thread)
		return -XEN_EINVAL;
	while (t->state != EXITED)
		waitq_wait(&t->joiners, 0);
	status = t->exit_status;
	thread_free(t);
	return status;
}

void thread_detach(struct thread *t)
{
	if (t == NULL || t->magic != THREAD_MAGIC || t == &boot_thread ||
	    t->detached)
		return;
	t->detached = 1;
	if (t->state == EXITED) /* ended already: it is not running */
		thread_free(t);
}

void thread_sleep(uint64_t ns)
{
	uint64_t deadline = xen_system_time_ns() + ns;

	/* Woken only once the clock has passed the deadline (wake_expired
	 * compares with it), so a sleep never ends early. */
	while (xen_system_time_ns() < deadline) {
		current->state = BLOCKED;
		sleeper_add(current, deadline);
		schedule();
	}
}

void waitq_init(struct waitq *q)
{
	list_init(&q->waiters);
}

int waitq_wait(struct waitq *q, uint64_t deadline_ns)
{
	current->state = BLOCKED;
	current->timed_out = 0;
	current->waiting_on = q;
	list_push_back(&q->waiters, &current->link);
	if (deadline_ns)
		sleeper_add(current, deadline_ns);
	schedule();
	return current->timed_out ? -XEN_ETIMEDOUT : 0;
}

static void wake(struct thread *t)
{
	t->waiting_on = NULL;
	if (list_on_list(&t->sleep_link)) {
		list_remove(&t->sleep_link);
		t->wake_at = 0;
	}
	make_runnable(t);
}

void waitq_wake_one(struct waitq *q)
{
	struct list *n = list_pop_front(&q->waiters);

	if (n)
		wake(list_entry(n, struct thread, link));
}

void waitq_wake_all(struct waitq *q)
{
	struct list *n;

	while ((n = list_pop_front(&q->waiters)) != NULL)
		wake(list_entry(n, struct thread, link));
}
