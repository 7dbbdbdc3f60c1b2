/*
 * test_xenstore.c - the XenStore client, xenbus and the environment
 * from XenStore, as they are (xen/xenstore.c, xen/xenbus.c,
 * lib/environ_xs.c on lib/sched.c), facing a xenstored played here.
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

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                 \
			_exit(1);                                              \
		}                                                              \
	} while (0)

/* --- a small xenstored ---------------------------------------------------- */

#define NODES	2048
#define WATCHES 16
#define HELD	16

struct node {
	char path[96];
	char value[96];
};

static struct node nodes[NODES];
static int nnodes;
static struct {
	char path[96];
	char token[32];
} watches[WATCHES];
static struct {
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
} held[HELD];
static int nheld;

/* What dom0 does with a request: answer now, after everything else, or never. */
enum { ANSWER, HOLD, DROP };
static int (*policy)(const struct xsd_sockmsg *h, const char *body);

static struct node *lookup(const char *path)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (strcmp(nodes[i].path, path) == 0)
			return &nodes[i];
	return NULL;
}

/* Replies wait here until rsp[] has room, as in xenstored. */
static char out[1 << 16];
static size_t out_len;

static void rsp_put(const void *buf, size_t len)
{
	CHECK(out_len + len <= sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
}

/* Move what fits of the queued replies into rsp[]; 1 if any moved. */
static int rsp_flush(void)
{
	struct xenstore_domain_interface *r = &sim_xs_ring;
	size_t n = XENSTORE_RING_SIZE - (r->rsp_prod - r->rsp_cons), i;

	if (n > out_len)
		n = out_len;
	for (i = 0; i < n; i++)
		r->rsp[MASK_XENSTORE_IDX(r->rsp_prod + i)] = out[i];
	r->rsp_prod += (XENSTORE_RING_IDX)n;
	memmove(out, out + n, out_len - n);
	out_len -= n;
	return n > 0;
}

static void reply(uint32_t type, uint32_t id, const void *body, size_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };

	rsp_put(&h, sizeof(h));
	rsp_put(body, len);
}

static void fire(const char *path)
{
	char body[256];
	int i, n;

	for (i = 0; i < WATCHES; i++) {
		size_t wl = strlen(watches[i].path);

		if (wl == 0 || strncmp(path, watches[i].path, wl) != 0 ||
		    (path[wl] != '\0' && path[wl] != '/'))
			continue;
		n = snprintf(body, sizeof(body), "%s%c%s", path, 0,
			     watches[i].token);
		reply(XS_WATCH_EVENT, 0, body, (size_t)n + 1);
	}
}

static void store_set(const char *path, const char *value)
{
	struct node *n = lookup(path);

	if (n == NULL) {
		CHECK(nnodes < NODES);
		n = &nodes[nnodes++];
		snprintf(n->path, sizeof(n->path), "%s", path);
	}
	snprintf(n->value, sizeof(n->value), "%s", value);
}

/* The children of path, as XS_DIRECTORY lists them. */
static size_t list_children(const char *path, char *out)
{
	size_t pl = strlen(path), len = 0;
	int i;

	for (i = 0; i < nnodes; i++) {
		const char *p = nodes[i].path;

		if (strncmp(p, path, pl) != 0 || p[pl] != '/' ||
		    strchr(p + pl + 1, '/') != NULL)
			continue;
		CHECK(len + strlen(p + pl + 1) + 1 <= XENSTORE_PAYLOAD_MAX);
		strcpy(out + len, p + pl + 1);
		len += strlen(p + pl + 1) + 1;
	}
	return len;
}

static void answer(const struct xsd_sockmsg *h, const char *body)
{
	static const char ok[] = "OK", enoent[] = "ENOENT";
	char buf[XENSTORE_PAYLOAD_MAX];
	const char *arg2 = body + strlen(body) + 1;
	struct node *n;
	int i;

	switch (h->type) {
	case XS_READ:
		n = lookup(body);
		if (n == NULL)
			reply(XS_ERROR, h->req_id, enoent, sizeof(enoent));
		else
			reply(XS_READ, h->req_id, n->value, strlen(n->value));
		break;
	case XS_WRITE:
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)(h->len - strlen(body) - 1), arg2);
		store_set(body, buf);
		reply(XS_WRITE, h->req_id, ok, sizeof(ok));
		fire(body);
		break;
	case XS_DIRECTORY:
		reply(XS_DIRECTORY, h->req_id, buf, list_children(body, buf));
		break;
	case XS_WATCH:
		for (i = 0; i < WATCHES && watches[i].path[0]; i++)
			;
		CHECK(i < WATCHES);
		snprintf(watches[i].path, sizeof(watches[i].path), "%s", body);
		snprintf(watches[i].token, sizeof(watches[i].token), "%s",
			 arg2);
		reply(XS_WATCH, h->req_id, ok, sizeof(ok));
		fire(body); /* xenstored's rule: once when set */
		break;
	case XS_UNWATCH:
		for (i = 0; i < WATCHES; i++)
			if (strcmp(watches[i].token, arg2) == 0)
				watches[i].path[0] = '\0';
		reply(XS_UNWATCH, h->req_id, ok, sizeof(ok));
		break;
	default:
		reply(XS_ERROR, h->req_id, "ENOSYS", 7);
	}
}

/* Take one whole request from req[], if there is one. */
static int req_take(struct xsd_sockmsg *h, char *body)
{
	struct xenstore_domain_interface *r = &sim_xs_ring;
	uint32_t avail = r->req_prod - r->req_cons, i;

	if (avail < sizeof(*h) || avail > XENSTORE_RING_SIZE)
		return 0; /* nothing, or a ring the test has broken */
	for (i = 0; i < sizeof(*h); i++)
		((char *)h)[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
	CHECK(h->len <= XENSTORE_PAYLOAD_MAX);
	if (avail < sizeof(*h) + h->len)
		return 0;
	for (i = 0; i < h->len; i++)
		body[i] =
			r->req[MASK_XENSTORE_IDX(r->req_cons + sizeof(*h) + i)];
	body[h->len] = '\0';
	r->req_cons += sizeof(*h) + h->len;
	return 1;
}

/* sim_dom0: answer what came; what is held only when nothing else is. */
static int xenstored(void)
{
	struct xsd_sockmsg h;
	static char body[XENSTORE_PAYLOAD_MAX + 1];
	int said = rsp_flush(), i;

	while (req_take(&h, body)) {
		int what = policy != NULL ? policy(&h, body) : ANSWER;

		if (what == ANSWER) {
			answer(&h, body);
			said |= rsp_flush();
		} else if (what == HOLD) {
			CHECK(nheld < HELD);
			held[nheld].h = h;
			memcpy(held[nheld++].body, body, h.len + 1);
		}
	}
	if (said || nheld == 0)
		return said;
	for (i = 0; i < nheld; i++)
		answer(&held[i].h, held[i].body);
	nheld = 0;
	return rsp_flush();
}

/* Run scenario in a child with a fresh guest; 0 if all went well. */
static void run_guest(void (*scenario)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(60); /* the simulated clock jumps: real time stays short */
		sim_dom0 = xenstored;
		sched_init();
		CHECK(xenstore_init() == 0);
		scenario();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("the guest died of signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) == SIM_HANG)
		fail_msg("the guest hung");
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* --- a device whose backend state read can be made slow -------------------- */

#define BACKEND "/local/domain/0/backend/vif/1/0"

static void add_device(const char *state)
{
	store_set("device/vif/0/backend", BACKEND);
	store_set("device/vif/0/backend-id", "0");
	store_set(BACKEND "/state", state);
}

static int hold_state_reads(const struct xsd_sockmsg *h, const char *body)
{
	return h->type == XS_READ && strcmp(body, BACKEND "/state") == 0
		       ? HOLD
		       : ANSWER;
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
	policy = hold_state_reads;
	CHECK(xenbus_device_init(dev, "vif", "0", NULL) == 0);
	thread_yield(); /* xenwatch runs the first event's callback, and waits */
	xenbus_device_free(dev);
	free(dev);
	thread_sleep(NSEC_PER_SEC); /* the held read is answered */
}

static void test_unwatch_during_callback(void **state)
{
	(void)state;
	run_guest(unwatch_during_callback);
}

/* The same, unwatched before xenwatch got to the event. */
static void unwatch_before_callback(void)
{
	struct xenbus_device *dev = malloc(sizeof(*dev));

	add_device("2");
	policy = hold_state_reads;
	CHECK(xenbus_device_init(dev, "vif", "0", NULL) == 0);
	xenbus_device_free(dev);
	free(dev);
	thread_sleep(NSEC_PER_SEC);
}

static void test_unwatch_before_callback(void **state)
{
	(void)state;
	run_guest(unwatch_before_callback);
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
	run_guest(unwatch_with_waiter);
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
	run_guest(broken_response_ring);
}

static int drop_slow(const struct xsd_sockmsg *h, const char *body)
{
	return h->type == XS_READ && strcmp(body, "data/slow") == 0 ? DROP
								    : ANSWER;
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

	policy = drop_slow;
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
	run_guest(broken_request_ring);
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
	run_guest(state_above_max);
}

static int answer_first_three(const struct xsd_sockmsg *h, const char *body)
{
	if (h->type != XS_READ || strncmp(body, "environ/V", 9) != 0)
		return ANSWER;
	return atoi(body + 9) < 3 ? ANSWER : DROP;
}

/* 800 names listed, only three of them answered: one deadline in all. */
static void environ_deadline(void)
{
	char path[32];
	uint64_t start = sim_now;
	int i;

	for (i = 0; i < 800; i++) {
		snprintf(path, sizeof(path), "environ/V%d", i);
		store_set(path, "x");
	}
	policy = answer_first_three;
	CHECK(env_from_xenstore() == 0);
	CHECK(sim_now - start <= XS_TIMEOUT_NS);
	CHECK(xenlet_getenv("V2") != NULL);
	CHECK(xenlet_getenv("V3") == NULL);
	CHECK(sim_printk_lines == 1); /* "environ/V3 and after ignored" */
}

static void test_environ_deadline(void **state)
{
	(void)state;
	run_guest(environ_deadline);
}

static int drop_all(const struct xsd_sockmsg *h, const char *body)
{
	(void)h;
	(void)body;
	return DROP;
}

/* xenstored stops answering: the wait ends by the caller's 10 ms. */
static void wait_backend_timeout(void)
{
	struct xenbus_device dev;
	uint64_t start;

	add_device("2");
	CHECK(xenbus_device_init(&dev, "vif", "0", NULL) == 0);
	policy = drop_all;
	start = sim_now;
	CHECK(xenbus_wait_backend(&dev, XenbusStateConnected,
				  10 * NSEC_PER_MS) == -XEN_ETIMEDOUT);
	CHECK(sim_now - start <= 10 * NSEC_PER_MS);
	xenbus_device_free(&dev);
}

static void test_wait_backend_timeout(void **state)
{
	(void)state;
	run_guest(wait_backend_timeout);
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
	run_guest(past_deadline);
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
