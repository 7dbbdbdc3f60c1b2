/*
 * test_attach.c - net/attach.c (netdev_open_next, hot attach) on the
 * real scheduler and XenStore client, facing a xenstored played here
 * (xsd_sim.c) that adds and removes vif directories as libxl does.
 * netdev_open and netdev_close are played too (the handshake is not
 * what is tested): open marks the vif Connected, as netfront does, or
 * fails when the test says so.
 *
 * What must hold: the lowest vif in state Initialising that no netdev
 * holds is opened; one a frontend took (any other state) is not; a vif
 * added later wakes the waiter; a vif that failed to open is not tried
 * again until its directory goes; a devid comes free when its netdev is
 * closed; names that are no devid are passed over; and with nothing to
 * open the call ends at its deadline.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenstore.h>
#include "../../net/vif.h"
#include "xen_host.h"
#include "xsd_sim.h"

/* --- netfront, played ------------------------------------------------------ */

struct netdev *netfront_vifs;
struct waitq netfront_vifs_wq = WAITQ_INIT(netfront_vifs_wq);
unsigned long netfront_vifs_changed;

static int opens;	    /* netdev_open calls */
static int fail_devid = -1; /* netdev_open of it fails */

struct netdev *netfront_find(unsigned int devid)
{
	struct netdev *d;

	for (d = netfront_vifs; d != NULL; d = d->next)
		if (d->devid == devid)
			return d;
	return NULL;
}

static void set_state(unsigned int devid, const char *state)
{
	char path[64];

	snprintf(path, sizeof(path), "device/vif/%u/state", devid);
	xsd_set(path, state);
}

int netdev_open(unsigned int devid, struct netdev **out)
{
	struct netdev *dev;

	opens++;
	if ((int)devid == fail_devid)
		return -XEN_ETIMEDOUT;
	dev = kzalloc(sizeof(*dev));
	CHECK(dev != NULL);
	dev->devid = devid;
	dev->next = netfront_vifs;
	netfront_vifs = dev;
	set_state(devid, "4"); /* netfront goes Connected */
	*out = dev;
	return 0;
}

int netdev_close(struct netdev *dev)
{
	struct netdev **p;

	for (p = &netfront_vifs; *p != dev; p = &(*p)->next)
		;
	*p = dev->next;
	kfree(dev);
	netfront_vifs_changed++;
	waitq_wake_all(&netfront_vifs_wq);
	return 0;
}

/* --- the toolstack, played ------------------------------------------------- */

/* libxl's frontend directory: written in one go, state Initialising. */
static void add_vif(unsigned int devid)
{
	char path[64];

	snprintf(path, sizeof(path), "device/vif/%u/backend-id", devid);
	xsd_set(path, "0");
	set_state(devid, "1");
}

static void remove_vif(unsigned int devid)
{
	char path[64];

	snprintf(path, sizeof(path), "device/vif/%u", devid);
	xsd_rm(path);
}

static uint64_t in(uint64_t s)
{
	return xen_system_time_ns() + s * NSEC_PER_SEC;
}

/* netdev_open_next's devid, or its error. */
static int next(uint64_t deadline)
{
	struct netdev *dev;
	int rc = netdev_open_next(&dev, deadline);

	return rc < 0 ? rc : (int)dev->devid;
}

/* --- scenarios ----------------------------------------------------------------- */

static void lowest_untaken_first(void)
{
	add_vif(2);
	add_vif(0);
	set_state(0, "4"); /* taken by another frontend */
	add_vif(1);
	CHECK(next(0) == 1);
	CHECK(next(0) == 2);
	CHECK(next(0) == -XEN_ETIMEDOUT);
	CHECK(next(in(5)) == -XEN_ETIMEDOUT);
	CHECK(opens == 2);
}

static void no_vifs_at_all(void)
{
	uint64_t t0 = xen_system_time_ns();

	CHECK(next(in(3)) == -XEN_ETIMEDOUT);
	/* It slept until the deadline, not in a loop of directory reads. */
	CHECK(xen_system_time_ns() - t0 >= 3 * NSEC_PER_SEC);
	CHECK(xsd_requests[XS_DIRECTORY] <= 2); /* and once for the watch set */
}

static void attacher(void *arg)
{
	(void)arg;
	thread_sleep(10 * NSEC_PER_SEC);
	add_vif(3);
}

static void attach_wakes_waiter(void)
{
	struct thread *t = thread_create("attacher", attacher, NULL, 0);
	uint64_t t0 = xen_system_time_ns();

	CHECK(t != NULL);
	CHECK(next(in(60)) == 3);
	/* Woken by the watch at 10 s, not by the deadline. */
	CHECK(xen_system_time_ns() - t0 < 20 * NSEC_PER_SEC);
	CHECK(thread_join(t) == 0);
}

static void failed_not_retried_until_gone(void)
{
	fail_devid = 0;
	add_vif(0);
	CHECK(next(0) == -XEN_ETIMEDOUT); /* netdev_open's error */
	CHECK(opens == 1);
	/* Still there, still Initialising: not tried again. */
	CHECK(next(in(5)) == -XEN_ETIMEDOUT);
	CHECK(opens == 1);
	/* Detached, then attached again: a new vif, tried. */
	remove_vif(0);
	CHECK(next(in(1)) == -XEN_ETIMEDOUT);
	fail_devid = -1;
	add_vif(0);
	CHECK(next(in(5)) == 0);
	CHECK(opens == 2);
}

static struct netdev *to_close;

static void closer(void *arg)
{
	(void)arg;
	thread_sleep(10 * NSEC_PER_SEC);
	netdev_close(to_close);
}

static void close_frees_devid(void)
{
	struct thread *t;

	add_vif(0);
	CHECK(netdev_open_next(&to_close, 0) == 0);
	/* Detached (our netdev not closed yet), attached again. */
	remove_vif(0);
	add_vif(0);
	CHECK(next(in(5)) == -XEN_ETIMEDOUT);
	t = thread_create("closer", closer, NULL, 0);
	CHECK(t != NULL);
	CHECK(next(in(60)) == 0);
	CHECK(thread_join(t) == 0);
}

static void names_not_devids(void)
{
	xsd_set("device/vif/abc/state", "1");
	xsd_set("device/vif/-1/state", "1");
	xsd_set("device/vif/99999999999999999999/state", "1");
	xsd_set("device/vif/7/state", "x1");
	add_vif(5);
	CHECK(next(0) == 5);
	CHECK(next(0) == -XEN_ETIMEDOUT);
	CHECK(opens == 1);
}

#define SCENARIO(name)                                                         \
	static void test_##name(void **state)                                  \
	{                                                                      \
		(void)state;                                                   \
		xsd_run_guest(name);                                           \
	}
SCENARIO(lowest_untaken_first)
SCENARIO(no_vifs_at_all)
SCENARIO(attach_wakes_waiter)
SCENARIO(failed_not_retried_until_gone)
SCENARIO(close_frees_devid)
SCENARIO(names_not_devids)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lowest_untaken_first),
		cmocka_unit_test(test_no_vifs_at_all),
		cmocka_unit_test(test_attach_wakes_waiter),
		cmocka_unit_test(test_failed_not_retried_until_gone),
		cmocka_unit_test(test_close_frees_devid),
		cmocka_unit_test(test_names_not_devids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
