/*
 * test_xenstore.c - the XenStore client, xenbus and the environment
 * from XenStore, as they are (xen/xenstore.c, xen/xenbus.c,
 * lib/environ_xs.c on lib/sched.c), facing the xenstored of xsd_sim.c.
 *
 * The threads are xenlet's own, run by its real scheduler on a
 * simulated Xen (xen_host.c): switches happen only where xenlet's code
 * waits, and dom0 speaks only when every thread waits, so each race
 * below happens the same way at every run. Each test runs in a child
 * process (a fresh scheduler and client); a use after free ends it
 * through ASan, a hang through the simulator, a failed check through
 * CHECK: the parent sees a non-zero exit status.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/environ.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenbus.h>
#include <xenlet/xenstore.h>
#include "xen_host.h"
#include "xsd_sim.h"

/* --- a device whose backend state read can be made slow -------------------- */

#define BACKEND "/local/domain/0/backend/vif/1/0"

static void add_device(const char *state)
{
	xsd_set("device/vif/0/backend", BACKEND);
	xsd_set("device/vif/0/backend-id", "0");
	xsd_set(BACKEND "/state", state);
}

static int hold_state_reads(const struct xsd_sockmsg *h, const char *body)
{
	return h->type == XS_READ && strcmp(body, BACKEND "/state") == 0
		       ? XSD_HOLD
		       : XSD_ANSWER;
}

/*
 * xenbus_device_free while the xenwatch thread is inside backend_changed
 * for the device, waiting for its read of the state: once free returns,
 * the caller frees the device, and the callback must not write to it.
 */
static void unwatch_during_callback(void)
{
	struct xenbus_device *dev = malloc(sizeof(*dev));

	add_device("2");
	xsd_policy = hold_state_reads;
	CHECK(xenbus_device_init(dev, "vif", "0", NULL) == 0);
	thread_yield(); /* xenwatch runs the first event's callback, and waits */
	xenbus_device_free(dev);
	free(dev);
	thread_sleep(NSEC_PER_SEC); /* the held read is answered */
}

static void test_unwatch_during_callback(void **state)
{
	(void)state;
	xsd_run_guest(unwatch_during_callback);
}

/* The same, unwatched before xenwatch got to the event. */
static void unwatch_before_callback(void)
{
	struct xenbus_device *dev = malloc(sizeof(*dev));

	add_device("2");
	xsd_policy = hold_state_reads;
	CHECK(xenbus_device_init(dev, "vif", "0", NULL) == 0);
	xenbus_device_free(dev);
	free(dev);
	thread_sleep(NSEC_PER_SEC);
}

static void test_unwatch_before_callback(void **state)
{
	(void)state;
	xsd_run_guest(unwatch_before_callback);
}

/* --- watch waiters --------------------------------------------------------- */

static struct xs_watch *shared_watch;

/* Take events until an error; return it. */
static void waiter(void *arg)
{
	int rc, *result = arg;
	char *path;

	while ((rc = xs_watch_wait(shared_watch, &path,
				   sim_now + 5 * NSEC_PER_SEC)) == 0)
		free(path);
	*result = rc;
}

static struct thread *start_waiter(int *result)
{
	struct thread *t;

	shared_watch = malloc(sizeof(*shared_watch));
	CHECK(xs_watch(shared_watch, "data/x", NULL, NULL) == 0);
	t = thread_create("waiter", waiter, result, 0);
	CHECK(t != NULL);
	thread_yield(); /* it takes the first event, then sleeps */
	return t;
}

static void unwatch_with_waiter(void)
{
	int result = 1;
	struct thread *t = start_waiter(&result);

	CHECK(xs_unwatch(shared_watch, "data/x") == 0);
	free(shared_watch);
	thread_join(t);
	CHECK(result == -XEN_EINVAL);
}

static void test_unwatch_with_waiter(void **state)
{
	(void)state;
	xsd_run_guest(unwatch_with_waiter);
}

/* xenstored writes an impossible rsp_prod: every waiter fails now. */
static void broken_response_ring(void)
{
	int result = 1;
	struct thread *t = start_waiter(&result);
	uint64_t start = sim_now;
	char *v;

	sim_xs_ring.rsp_prod = sim_xs_ring.rsp_cons + XENSTORE_RING_SIZE + 1;
	sim_notify();
	thread_join(t);
	CHECK(result == -XEN_EIO);
	CHECK(sim_now == start); /* not woken by its deadline */
	CHECK(xs_read(XBT_NIL, "data/x", &v, NULL) == -XEN_EIO);
	CHECK(xs_unwatch(shared_watch, "data/x") == -XEN_EIO);
	free(shared_watch);
}

static void test_broken_response_ring(void **state)
{
	(void)state;
	xsd_run_guest(broken_response_ring);
}

static int drop_slow(const struct xsd_sockmsg *h, const char *body)
{
	return h->type == XS_READ && strcmp(body, "data/slow") == 0
		       ? XSD_DROP
		       : XSD_ANSWER;
}

static void reader(void *arg)
{
	int *result = arg;
	char *v;

	*result = xs_read(XBT_NIL, "data/slow", &v, NULL);
}

/*
 * xenstored moves req_cons somewhere impossible: the writer that finds
 * it fails, and so do a request waiting for its reply and a waiter.
 */
static void broken_request_ring(void)
{
	int wresult = 1, rresult = 1;
	struct thread *w = start_waiter(&wresult), *r;
	uint64_t start;

	xsd_policy = drop_slow;
	r = thread_create("reader", reader, &rresult, 0);
	CHECK(r != NULL);
	thread_sleep(1000); /* its request goes out and is taken */
	start = sim_now;
	sim_xs_ring.req_cons = sim_xs_ring.req_prod + 1;
	CHECK(xs_write(XBT_NIL, "data/y", "1") == -XEN_EIO);
	thread_join(r);
	thread_join(w);
	CHECK(rresult == -XEN_EIO);
	CHECK(wresult == -XEN_EIO);
	CHECK(sim_now == start);
	xs_unwatch(shared_watch, "data/x");
	free(shared_watch);
}

static void test_broken_request_ring(void **state)
{
	(void)state;
	xsd_run_guest(broken_request_ring);
}

/* --- numbers and deadlines ---------------------------------------------- */

/* A backend state of 9, one above XenbusStateReconfigured, is Unknown. */
static void state_above_max(void)
{
	struct xenbus_device dev;

	add_device("9");
	CHECK(xenbus_device_init(&dev, "vif", "0", NULL) == 0);
	CHECK(xenbus_backend_state(&dev) == XenbusStateUnknown);
	xenbus_device_free(&dev);
}

static void test_state_above_max(void **state)
{
	(void)state;
	xsd_run_guest(state_above_max);
}

static int answer_first_three(const struct xsd_sockmsg *h, const char *body)
{
	if (h->type != XS_READ || strncmp(body, "environ/V", 9) != 0)
		return XSD_ANSWER;
	return atoi(body + 9) < 3 ? XSD_ANSWER : XSD_DROP;
}

/* 800 names listed, only three of them answered: one deadline in all. */
static void environ_deadline(void)
{
	char path[32];
	uint64_t start = sim_now;
	int i;

	for (i = 0; i < 800; i++) {
		snprintf(path, sizeof(path), "environ/V%d", i);
		xsd_set(path, "x");
	}
	xsd_policy = answer_first_three;
	CHECK(env_from_xenstore() == 0);
	CHECK(sim_now - start <= XS_TIMEOUT_NS);
	CHECK(xenlet_getenv("V2") != NULL);
	CHECK(xenlet_getenv("V3") == NULL);
	CHECK(sim_printk_lines == 1); /* "environ/V3 and after ignored" */
}

static void test_environ_deadline(void **state)
{
	(void)state;
	xsd_run_guest(environ_deadline);
}

static int drop_all(const struct xsd_sockmsg *h, const char *body)
{
	(void)h;
	(void)body;
	return XSD_DROP;
}

/* xenstored stops answering: the wait ends by the caller's 10 ms. */
static void wait_backend_timeout(void)
{
	struct xenbus_device dev;
	uint64_t start;

	add_device("2");
	CHECK(xenbus_device_init(&dev, "vif", "0", NULL) == 0);
	xsd_policy = drop_all;
	start = sim_now;
	CHECK(xenbus_wait_backend(&dev, XenbusStateConnected,
				  10 * NSEC_PER_MS) == -XEN_ETIMEDOUT);
	CHECK(sim_now - start <= 10 * NSEC_PER_MS);
	xenbus_device_free(&dev);
}

static void test_wait_backend_timeout(void **state)
{
	(void)state;
	xsd_run_guest(wait_backend_timeout);
}

/* A deadline already past sends nothing. */
static void past_deadline(void)
{
	char *v;
	uint32_t prod = sim_xs_ring.req_prod;

	CHECK(xs_read_until(XBT_NIL, "data/x", sim_now, &v, NULL) ==
	      -XEN_ETIMEDOUT);
	CHECK(sim_xs_ring.req_prod == prod);
}

static void test_past_deadline(void **state)
{
	(void)state;
	xsd_run_guest(past_deadline);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unwatch_during_callback),
		cmocka_unit_test(test_unwatch_before_callback),
		cmocka_unit_test(test_unwatch_with_waiter),
		cmocka_unit_test(test_broken_response_ring),
		cmocka_unit_test(test_broken_request_ring),
		cmocka_unit_test(test_state_above_max),
		cmocka_unit_test(test_environ_deadline),
		cmocka_unit_test(test_wait_backend_timeout),
		cmocka_unit_test(test_past_deadline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
