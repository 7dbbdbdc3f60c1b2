/*
 * xenbus - the frontend side of the xenbus handshake with a real
 * netback: enumerate device/vif, find the backend, see it in InitWait,
 * then follow it when dom0 detaches the device (backend Closing ->
 * frontend Closed -> backend Closed).
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/time.h>
#include <xenlet/xenbus.h>
#include <xenlet/xenlet.h>

#define TIMEOUT (60 * NSEC_PER_SEC)

static void changed(struct xenbus_device *dev, enum xenbus_state s)
{
	(void)dev;
	printk("xenbus: callback: backend now %s\n", xenbus_state_name(s));
}

int main(int argc, char **argv)
{
	struct xenbus_device dev;
	char **ids;
	int n, rc;

	(void)argc;
	(void)argv;
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
	/* We never connect (no rings here): wait for dom0 to detach us. */
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
