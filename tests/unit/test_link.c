/*
 * test_link.c - net/link.c (when a vif's link goes down for good, and
 * the link handler) on the real scheduler, XenStore client and xenbus
 * watch (xen/xenbus.c), facing a xenstored played here (xsd_sim.c)
 * whose backend state node changes as netback's and libxl's writes
 * change it. netfront_detached, the device's own teardown, is played:
 * what is tested is which changes end the link and who is told.
 *
 * What must hold: a connected vif whose backend goes Closing or
 * Closed, or whose backend state node is removed, is taken down and
 * its link handler is called, once; a change to any other state does
 * neither; a vif still connecting is left to netdev_open's own waits;
 * a handler set once the link is down is called at once.
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

#define BACKEND "backend/vif/1/0"

/* --- netfront, played ------------------------------------------------------ */

static int detaches;		      /* netfront_detached calls */
static enum xenbus_state detached_in; /* ... and the state it was given */

void netfront_detached(struct netdev *dev, enum xenbus_state s)
{
	detaches++;
	detached_in = s;
	dev->connected = 0;
	dev->shutting = 1;
}

/* --- the program's link handler --------------------------------------------- */

static int told;

static void link_gone(void *arg)
{
	CHECK(arg == &told);
	told++;
}

/* --- the vif ------------------------------------------------------------------ */

static struct netdev dev;

/* libxl's directories and netback Connected; our device as netdev_open
 * leaves it (watching the backend's state, connected). */
static void connected_vif(void)
{
	xsd_set("device/vif/0/backend", BACKEND);
	xsd_set("device/vif/0/backend-id", "0");
	xsd_set("device/vif/0/state", "4");
	xsd_set(BACKEND "/state", "4");
	memset(&dev, 0, sizeof(dev));
	CHECK(xenbus_device_init(&dev.xb, "vif", "0",
				 netfront_backend_changed) == 0);
	dev.connected = 1;
	netdev_set_link_handler(&dev, link_gone, &told);
	CHECK(told == 0);
}

/* Let the xenwatch thread deliver what the store just did. */
static void settle(void)
{
	thread_sleep(NSEC_PER_SEC);
}

/* --- scenarios ----------------------------------------------------------------- */

static void closing_tells_once(void)
{
	connected_vif();
	xsd_set(BACKEND "/state", "5"); /* libxl: network-detach */
	settle();
	CHECK(detaches == 1 && detached_in == XenbusStateClosing);
	CHECK(told == 1);
	xsd_set(BACKEND "/state", "6"); /* netback follows */
	settle();
	CHECK(detaches == 1 && told == 1);
}

static void closed_tells(void)
{
	connected_vif();
	xsd_set(BACKEND "/state", "6");
	settle();
	CHECK(detaches == 1 && detached_in == XenbusStateClosed);
	CHECK(told == 1);
}

static void backend_removed_tells(void)
{
	connected_vif();
	xsd_rm(BACKEND); /* a toolstack that gave up waiting for Closed */
	settle();
	CHECK(detaches == 1 && detached_in == XenbusStateUnknown);
	CHECK(told == 1);
}

static void other_states_keep_link(void)
{
	connected_vif();
	xsd_set(BACKEND "/state", "3"); /* InitWait: not an end */
	settle();
	xsd_set(BACKEND "/state", "4");
	settle();
	xsd_set(BACKEND "/feature-sg", "1"); /* not the state node */
	settle();
	CHECK(detaches == 0 && told == 0);
	CHECK(dev.connected == 1);
}

static void still_connecting_left_alone(void)
{
	connected_vif();
	dev.connected = 0; /* netdev_open still waits for the backend */
	xsd_set(BACKEND "/state", "5");
	settle();
	CHECK(detaches == 0 && told == 0);
}

static void handler_after_loss_called_at_once(void)
{
	connected_vif();
	netdev_set_link_handler(&dev, NULL, NULL);
	xsd_set(BACKEND "/state", "5");
	settle();
	CHECK(detaches == 1 && told == 0); /* nobody to tell yet */
	netdev_set_link_handler(&dev, link_gone, &told);
	CHECK(told == 1);
	netfront_link_down(&dev); /* a second report: not told again */
	CHECK(told == 1);
}

static void broken_link_tells_once(void)
{
	connected_vif();
	dev.broken = 1; /* as netfront_broken marks it, then reports */
	netfront_link_down(&dev);
	netfront_link_down(&dev);
	CHECK(told == 1);
}

#define SCENARIO(name)                                                         \
	static void test_##name(void **state)                                  \
	{                                                                      \
		(void)state;                                                   \
		xsd_run_guest(name);                                           \
	}
SCENARIO(closing_tells_once)
SCENARIO(closed_tells)
SCENARIO(backend_removed_tells)
SCENARIO(other_states_keep_link)
SCENARIO(still_connecting_left_alone)
SCENARIO(handler_after_loss_called_at_once)
SCENARIO(broken_link_tells_once)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_closing_tells_once),
		cmocka_unit_test(test_closed_tells),
		cmocka_unit_test(test_backend_removed_tells),
		cmocka_unit_test(test_other_states_keep_link),
		cmocka_unit_test(test_still_connecting_left_alone),
		cmocka_unit_test(test_handler_after_loss_called_at_once),
		cmocka_unit_test(test_broken_link_tells_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
