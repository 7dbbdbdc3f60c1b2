/*
 * xenbus - the frontend side of the xenbus handshake with a real
 * netback: enumerate device/vif, find the backend, see it in InitWait,
 * then either
 *   (no argument) follow it when dom0 detaches the device (backend
 *   Closing -> frontend Closed -> backend Closed), or
 *   ("connect") grant it two empty rings and an event channel, connect
 *   (both sides Connected), close, and revoke the rings' grants.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>
#include <xen/io/netif.h>
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenbus.h>
#include <xenlet/xenlet.h>

#define TIMEOUT (60 * NSEC_PER_SEC)

static void changed(struct xenbus_device *dev, enum xenbus_state s)
{
	(void)dev;
	printk("xenbus: callback: backend now %s\n", xenbus_state_name(s));
}

struct rings {
	grant_ref_t tx, rx;
	evtchn_port_t port;
};

static void no_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
}

/* An empty shared ring (SHARED_RING_INIT) granted to the backend. */
static int ring_page(domid_t backend, grant_ref_t *ref)
{
	struct netif_tx_sring *s = page_alloc(0);

	if (s == NULL)
		return -XEN_ENOMEM;
	memset(s, 0, PAGE_SIZE);
	s->req_event = s->rsp_event = 1;
	return gnttab_grant_access(backend, virt_to_mfn(s), 0, ref);
}

/* What netback reads from a single-queue frontend. */
static int publish(struct xenbus_device *dev, xs_transaction_t t, void *arg)
{
	struct rings *r = arg;
	int rc = xenbus_write_ulong(dev, t, "tx-ring-ref", r->tx);

	if (rc == 0)
		rc = xenbus_write_ulong(dev, t, "rx-ring-ref", r->rx);
	if (rc == 0)
		rc = xenbus_write_ulong(dev, t, "event-channel", r->port);
	if (rc == 0)
		rc = xenbus_write(dev, t, "request-rx-copy", "1");
	if (rc == 0)
		rc = xenbus_write(dev, t, "feature-rx-notify", "1");
	return rc;
}

/* The backend unmaps the rings when it closes: retry while busy. */
static int revoke(grant_ref_t ref)
{
	int i, rc = -XEN_EBUSY;

	for (i = 0; i < 100 && rc == -XEN_EBUSY; i++) {
		rc = gnttab_end_access(ref);
		if (rc == -XEN_EBUSY)
			thread_sleep(100 * NSEC_PER_MS);
	}
	return rc;
}

static int connect_and_close(struct xenbus_device *dev)
{
	struct rings r;
	int rc;

	rc = ring_page(dev->otherend_id, &r.tx);
	if (rc == 0)
		rc = ring_page(dev->otherend_id, &r.rx);
	if (rc == 0)
		rc = evtchn_alloc_unbound(dev->otherend_id, no_event, NULL,
					  &r.port);
	if (rc < 0) {
		printk("xenbus: rings: %d\n", rc);
		return 1;
	}
	rc = xenbus_connect(dev, XenbusStateConnected, publish, &r, TIMEOUT);
	printk("xenbus: connect: %d, backend %s\n", rc,
	       xenbus_state_name(xenbus_backend_state(dev)));
	if (rc < 0)
		return 1;
	rc = xenbus_close(dev, TIMEOUT);
	printk("xenbus: close: %d\n", rc);
	rc = xenbus_wait_backend(dev, XenbusStateClosed, TIMEOUT);
	printk("xenbus: backend Closed: %d\n", rc);
	rc = revoke(r.tx) | revoke(r.rx);
	printk("xenbus: ring grants revoked: %d\n", rc);
	xenbus_device_free(dev);
	return rc == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct xenbus_device dev;
	char **ids;
	int n, rc;

	rc = xenbus_enumerate("vbd", &ids, &n);
	printk("xenbus: enumerate vbd: %d\n", rc);
	rc = xenbus_enumerate("vif", &ids, &n);
	if (rc < 0 || n < 1) {
		printk("xenbus: no vif (%d)\n", rc);
		return 1;
	}
	printk("xenbus: %d vif, first id %s\n", n, ids[0]);
	rc = xenbus_device_init(&dev, "vif", ids[0], changed);
	kfree(ids);
	if (rc < 0) {
		printk("xenbus: device init: %d\n", rc);
		return 1;
	}
	printk("xenbus: backend %s (domain %u)\n", dev.otherend,
	       dev.otherend_id);
	rc = xenbus_wait_backend(&dev, XenbusStateInitWait, TIMEOUT);
	printk("xenbus: backend InitWait: %d\n", rc);
	if (argc > 1 && strcmp(argv[1], "connect") == 0)
		return connect_and_close(&dev);
	/* Not connecting: wait for dom0 to detach us. */
	printk("xenbus: waiting for Connected or a close\n");
	rc = xenbus_wait_backend(&dev, XenbusStateConnected, TIMEOUT);
	printk("xenbus: wait for Connected: %d, backend %s\n", rc,
	       xenbus_state_name(xenbus_backend_state(&dev)));
	if (rc != -XEN_ENOTCONN)
		return 1;
	rc = xenbus_switch_state(&dev, XBT_NIL, XenbusStateClosed);
	printk("xenbus: frontend Closed: %d\n", rc);
	rc = xenbus_wait_backend(&dev, XenbusStateClosed, TIMEOUT);
	printk("xenbus: backend Closed: %d\n", rc);
	xenbus_device_free(&dev);
	return rc == 0 ? 0 : 1;
}
