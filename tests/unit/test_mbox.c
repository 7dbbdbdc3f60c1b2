/*
 * test_mbox.c - the mailboxes under lwIP's sys_mbox_* (net/lwip/mbox.c),
 * on the real scheduler over the simulated Xen of xen_host.c: order,
 * full and empty, a fetch's deadline, and waiters woken by the other
 * side. Simulated time jumps to the next deadline when every thread
 * waits, so a wait that never ends is reported as a hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include "../../net/lwip/mbox.h"
#include "xen_host.h"

static void test_order_full_empty(void **state)
{
	struct mbox *mb = mbox_new(3);
	void *m;

	(void)state;
	assert_non_null(mb);
	assert_null(mbox_new(0));
	assert_int_equal(mbox_tryfetch(mb, &m), -XEN_EAGAIN);
	for (uintptr_t i = 1; i <= 3; i++)
		assert_int_equal(mbox_trypost(mb, (void *)i), 0);
	assert_int_equal(mbox_trypost(mb, (void *)4), -XEN_ENOBUFS);
	for (uintptr_t i = 1; i <= 3; i++) {
		assert_int_equal(mbox_fetch(mb, &m, 0), 0);
		assert_ptr_equal(m, (void *)i);
	}
	/* Around the ring's end. */
	for (uintptr_t i = 5; i < 10; i++) {
		assert_int_equal(mbox_trypost(mb, (void *)i), 0);
		assert_int_equal(mbox_tryfetch(mb, &m), 0);
		assert_ptr_equal(m, (void *)i);
	}
	mbox_free(mb);
}

static void test_fetch_deadline(void **state)
{
	struct mbox *mb = mbox_new(1);
	uint64_t deadline = sim_now + 250 * 1000000ULL;
	void *m = NULL;

	(void)state;
	assert_int_equal(mbox_fetch(mb, &m, deadline), -XEN_ETIMEDOUT);
	assert_true(sim_now >= deadline);
	assert_null(m);
	mbox_free(mb);
}

static struct mbox *shared;
static uint64_t posted_at;

static void poster(void *arg)
{
	thread_sleep(100 * 1000000ULL);
	posted_at = sim_now;
	mbox_post(shared, arg);
	thread_exit(0);
}

static void test_fetch_woken_by_post(void **state)
{
	struct thread *t;
	void *m = NULL;

	(void)state;
	shared = mbox_new(2);
	t = thread_create("poster", poster, (void *)0x1234, 0);
	assert_non_null(t);
	/* A deadline far away: the post, not the clock, ends the wait. */
	assert_int_equal(mbox_fetch(shared, &m, sim_now + 10000000000ULL), 0);
	assert_ptr_equal(m, (void *)0x1234);
	assert_int_equal(sim_now, posted_at);
	thread_join(t);
	mbox_free(shared);
}

static int posts_done;

static void filler(void *arg)
{
	(void)arg;
	for (uintptr_t i = 1; i <= 4; i++) {
		mbox_post(shared, (void *)i); /* waits at the third */
		posts_done++;
	}
	thread_exit(0);
}

static void test_post_waits_for_room(void **state)
{
	struct thread *t;
	void *m;

	(void)state;
	shared = mbox_new(2);
	posts_done = 0;
	t = thread_create("filler", filler, NULL, 0);
	thread_yield();
	assert_int_equal(posts_done, 2); /* full: the third post waits */
	for (uintptr_t i = 1; i <= 4; i++) {
		assert_int_equal(mbox_fetch(shared, &m, 0), 0);
		assert_ptr_equal(m, (void *)i);
	}
	thread_join(t);
	assert_int_equal(posts_done, 4);
	mbox_free(shared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_full_empty),
		cmocka_unit_test(test_fetch_deadline),
		cmocka_unit_test(test_fetch_woken_by_post),
		cmocka_unit_test(test_post_waits_for_room),
	};

	sched_init();
	return cmocka_run_group_tests_name("mbox", tests, NULL, NULL);
}
