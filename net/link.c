/*
 * link.c - when a vif's link goes down for good, and who is told.
 *
 * A connected vif loses its link in two ways. The backend leaves:
 * `xl network-detach` has libxl write Closing to the backend's state
 * node (netback then goes Closed), then remove both directories once
 * it is Closed; a backend driver that quits goes Closing or Closed on
 * its own. Or the backend breaks the ring protocol (netfront_broken).
 * Either way the device is never used again: the layer above (lwIP's
 * interface) learns it from the link handler, takes its interface
 * away, and closes the netdev; a new vif comes by netdev_open_next.
 */
#include <xen/errno.h>
#include "vif.h"

/*
 * Does backend state s end the link? Closing and Closed do (the
 * xenbus close handshake). Unknown is what the watch reads when the
 * state node is gone: the backend's directory was removed under us
 * (a toolstack that gave up waiting for Closed), or XenStore no
 * longer answers for it; either way no backend is left to talk to.
 */
static int ends_link(enum xenbus_state s)
{
	return s == XenbusStateClosing || s == XenbusStateClosed ||
	       s == XenbusStateUnknown;
}

void netfront_link_down(struct netdev *dev)
{
	if (dev->link_told || dev->link_fn == NULL)
		return;
	dev->link_told = 1;
	dev->link_fn(dev->link_arg);
}

void netfront_backend_changed(struct xenbus_device *xb, enum xenbus_state s)
{
	struct netdev *dev =
		(struct netdev *)((char *)xb - offsetof(struct netdev, xb));

	/* Before Connected, netdev_open's own waits see the state; once
	 * shutting, a close or a detach is under way already. */
	if (!dev->connected || dev->shutting || !ends_link(s))
		return;
	netfront_detached(dev, s);
	netfront_link_down(dev);
}

void netdev_set_link_handler(struct netdev *dev, netdev_link_fn fn, void *arg)
{
	dev->link_fn = fn;
	dev->link_arg = arg;
	if (dev->broken || !dev->connected)
		netfront_link_down(dev);
}
