/*
 * netfront.c - a vif's device: its buffers and grants, its events, and
 * the xenbus handshake with netback (Linux 6.1 xen-netback's reading of
 * the keys is in shared/notes/net.md §1).
 *
 * Handshake: wait for netback's InitWait (it has written its features
 * by then); refuse a backend without feature-rx-copy (the only rx mode
 * netback has); grant the rings and buffers; then, in one transaction,
 * write our keys and switch straight to Connected: netback ignores
 * Initialised and connects only to a Connected frontend. The keys:
 *   tx-ring-ref, rx-ring-ref      the two ring pages
 *   event-channel                 one port, or event-channel-tx and
 *                                 event-channel-rx if the backend offers
 *                                 feature-split-event-channels
 *   request-rx-copy = 1           without it netback ignores every
 *                                 other feature key
 *   feature-rx-notify = 1         we notify when we post rx buffers,
 *                                 so netback need not poll (and keeps
 *                                 its 10 s drain / 60 s stall timers)
 *   feature-sg = 1                frames of several slots (both ways)
 *   feature-no-csum-offload = 0   checksum offload both ways
 *   feature-gso-tcpv4 = 1         netback may hand us a TCP stream as
 *                                 frames of up to 64 KiB (a GSO extra
 *                                 slot says the segment size; rx only:
 *                                 we send no GSO extras): dom0's stack,
 *                                 its bridge and netback then pay per
 *                                 64 KiB instead of per 1.5 KiB, which
 *                                 is what dom0 -> guest TCP costs
 * No multi-queue, no tx GSO, no ctrl ring (yet). Our MAC and MTU are the
 * toolstack's `mac` and `mtu` keys in our own directory.
 *
 * Events come through evtchn_dispatch, in thread context: an idle
 * guest waits for them blocked in Xen and uses no CPU.
 */
#include <xen/errno.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/hex.h>
#include <xenlet/page_alloc.h>
#include <xenlet/printk.h>
#include <xenlet/time.h>
#include "vif.h"

#define NR_BUFS NETFRONT_RING_SIZE

/* --- buffers and grants ---------------------------------------------------- */

/* A zeroed page (no stale data is ever shared) granted to the backend. */
static int grant_page(struct netdev *dev, int readonly, void **page,
		      grant_ref_t *ref)
{
	void *p = page_alloc(0);
	int rc;

	if (p == NULL)
		return -XEN_ENOMEM;
	memset(p, 0, PAGE_SIZE);
	rc = gnttab_grant_access(dev->xb.otherend_id, virt_to_mfn(p), readonly,
				 ref);
	if (rc < 0) {
		page_free(p, 0);
		return rc;
	}
	*page = p;
	return 0;
}

/*
 * Revoke a grant and free its page. Xen refuses to revoke a grant the
 * backend still maps (netback holds a tx page until dom0's stack frees
 * its packet, and unmaps everything as it disconnects): wait for it
 * until deadline, then leave the page allocated, never to be reused.
 * 1 if the page is kept, else 0. Reference 0 means none.
 */
static int release_page(void *page, grant_ref_t *ref, uint64_t deadline)
{
	int rc;

	if (*ref == 0)
		return 0;
	while ((rc = gnttab_end_access(*ref)) == -XEN_EBUSY &&
	       xen_system_time_ns() < deadline)
		thread_sleep(10 * NSEC_PER_MS);
	if (rc == -XEN_EBUSY)
		return 1;
	page_free(page, 0);
	*ref = 0;
	return 0;
}

/*
 * Give back the rings and buffers (the event channels are closed
 * first: nothing looks at the rings after). The deadline is the one a
 * backend has to connect: one that takes longer to let go is broken.
 */
static void release_buffers(struct netdev *dev)
{
	uint64_t deadline = xen_system_time_ns() + NETDEV_OPEN_TIMEOUT_NS;
	int i, kept = 0;

	if (dev->tx_port)
		evtchn_close(dev->tx_port);
	if (dev->rx_port && dev->rx_port != dev->tx_port)
		evtchn_close(dev->rx_port);
	dev->tx_port = dev->rx_port = 0;
	for (i = 0; i < NR_BUFS; i++) {
		kept += release_page(dev->tx.page[i], &dev->tx.gref[i],
				     deadline);
		kept += release_page(dev->rx.page[i], &dev->rx.gref[i],
				     deadline);
	}
	kept += release_page(dev->tx_sring, &dev->tx_ring_ref, deadline);
	kept += release_page(dev->rx_sring, &dev->rx_ring_ref, deadline);
	if (kept)
		printk("netfront: vif/%u: backend still maps %d pages: "
		       "they are never reused\n",
		       dev->devid, kept);
	dev->released = 1;
	waitq_wake_all(&dev->released_wq);
}

/* The rings and every buffer, granted for the device's life. */
static int grant_buffers(struct netdev *dev)
{
	int i, rc;

	rc = grant_page(dev, 0, (void **)&dev->tx_sring, &dev->tx_ring_ref);
	if (rc == 0)
		rc = grant_page(dev, 0, (void **)&dev->rx_sring,
				&dev->rx_ring_ref);
	for (i = 0; i < NR_BUFS && rc == 0; i++) {
		rc = grant_page(dev, 1, &dev->tx.page[i], &dev->tx.gref[i]);
		if (rc == 0)
			rc = grant_page(dev, 0, &dev->rx.page[i],
					&dev->rx.gref[i]);
	}
	if (rc < 0)
		return rc;
	netfront_tx_init(&dev->tx, dev->tx_sring, dev->tx.page, dev->tx.gref,
			 &dev->stats);
	netfront_rx_init(&dev->rx, dev->rx_sring, dev->rx.page, dev->rx.gref,
			 &dev->stats);
	/* Every rx buffer is posted before netback ever looks. */
	wmb();
	dev->rx_sring->req_prod = dev->rx.ring.req_prod_pvt;
	return 0;
}

/* --- events ----------------------------------------------------------------- */

static int usable(struct netdev *dev)
{
	return dev->connected && !dev->broken;
}

void netfront_broken(struct netdev *dev, const char *why)
{
	if (dev->broken)
		return;
	dev->broken = 1;
	/* Mask, so a backend that keeps kicking costs us nothing. */
	evtchn_mask(dev->tx_port);
	evtchn_mask(dev->rx_port);
	printk("netfront: vif/%u: backend broke the ring protocol (%s): "
	       "device disabled\n",
	       dev->devid, why);
	waitq_wake_all(&dev->rx_wq);
	waitq_wake_all(&dev->tx_wq);
	netfront_link_down(dev);
}

int netfront_tx_reclaim(struct netdev *dev, int want_event)
{
	const char *why;
	int rc = netfront_tx_collect(&dev->tx, want_event, &why);

	if (rc < 0)
		netfront_broken(dev, why);
	return rc;
}

static void tx_event(evtchn_port_t port, void *arg)
{
	struct netdev *dev = arg;

	(void)port;
	/* Only a sender waiting for room asks for this event. */
	if (usable(dev) && netfront_tx_reclaim(dev, 0) > 0)
		waitq_wake_all(&dev->tx_wq);
}

static void rx_event(evtchn_port_t port, void *arg)
{
	struct netdev *dev = arg;
	const char *why;
	int notify, rc;

	(void)port;
	if (!usable(dev))
		return;
	rc = netfront_rx_collect(&dev->rx, netdev_deliver, dev, &notify, &why);
	if (rc < 0)
		netfront_broken(dev, why);
	else if (notify)
		evtchn_notify(dev->rx_port);
}

static void shared_event(evtchn_port_t port, void *arg)
{
	tx_event(port, arg);
	rx_event(port, arg);
}

static int bind_events(struct netdev *dev, int split)
{
	domid_t be = dev->xb.otherend_id;
	int rc;

	if (!split) {
		rc = evtchn_alloc_unbound(be, shared_event, dev, &dev->tx_port);
		dev->rx_port = dev->tx_port;
		return rc;
	}
	rc = evtchn_alloc_unbound(be, tx_event, dev, &dev->tx_port);
	if (rc == 0)
		rc = evtchn_alloc_unbound(be, rx_event, dev, &dev->rx_port);
	return rc;
}

/* --- XenStore ---------------------------------------------------------------- */

/* "00:16:3e:12:34:56" exactly (libxl's format), else -XEN_EINVAL. */
static int parse_mac(const char *s, uint8_t mac[NETDEV_ETH_ALEN])
{
	int i, hi, lo;

	for (i = 0; i < NETDEV_ETH_ALEN; i++, s += 3) {
		hi = hex_digit_value(s[0]);
		lo = hi < 0 ? -1 : hex_digit_value(s[1]);
		if (lo < 0 || s[2] != (i == NETDEV_ETH_ALEN - 1 ? '\0' : ':'))
			return -XEN_EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* Our MAC and MTU, as the toolstack wrote them. */
static int read_config(struct netdev *dev)
{
	unsigned long mtu = 1500; /* libxl's default when it writes none */
	char *v;
	int rc;

	rc = xenbus_read(&dev->xb, "mac", &v);
	if (rc < 0)
		return rc;
	rc = parse_mac(v, dev->mac);
	kfree(v);
	if (rc < 0)
		return rc;
	if (xenbus_read(&dev->xb, "mtu", &v) == 0) {
		/* 68: IPv4's minimum; a frame must fit the ring's 16 bits. */
		rc = xs_parse_ulong(v, NETFRONT_FRAME_MAX - NETFRONT_ETH_HLEN,
				    &mtu);
		kfree(v);
		if (rc < 0 || mtu < 68)
			return -XEN_EINVAL;
	}
	dev->mtu = (unsigned int)mtu;
	/* xl writes the vif's ip= (if any) to the backend; the program
	 * parses it (XenStore bounds a value to 4 KiB). */
	if (xenbus_read_backend(&dev->xb, "ip", &v) == 0)
		dev->ip = v;
	return 0;
}

/* A backend feature flag: 1 if the key reads "1". */
static int backend_feature(struct xenbus_device *xb, const char *key)
{
	char *v;
	int on;

	if (xenbus_read_backend(xb, key, &v) < 0)
		return 0;
	on = strcmp(v, "1") == 0;
	kfree(v);
	return on;
}

static int publish(struct xenbus_device *xb, xs_transaction_t t, void *arg)
{
	struct netdev *dev = arg;
	int split = dev->tx_port != dev->rx_port;
	const struct {
		const char *key;
		unsigned long value;
		int write;
	} keys[] = {
		{ "tx-ring-ref", dev->tx_ring_ref, 1 },
		{ "rx-ring-ref", dev->rx_ring_ref, 1 },
		{ "event-channel", dev->tx_port, !split },
		{ "event-channel-tx", dev->tx_port, split },
		{ "event-channel-rx", dev->rx_port, split },
		{ "request-rx-copy", 1, 1 },
		{ "feature-rx-notify", 1, 1 },
		{ "feature-sg", 1, 1 },
		{ "feature-no-csum-offload", 0, 1 },
		{ "feature-gso-tcpv4", 1, 1 },
	};
	unsigned int i;
	int rc = 0;

	dev->published = 1; /* netback may map the rings from now on */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]) && rc == 0; i++)
		if (keys[i].write)
			rc = xenbus_write_ulong(xb, t, keys[i].key,
						keys[i].value);
	return rc;
}

/* The detach's second half, in a thread of its own: release_buffers
 * may wait for the backend, and xenwatch must go on delivering events. */
static void release_thread(void *arg)
{
	release_buffers(arg);
}

/* xenwatch thread (link.c): the backend left, in state s. */
void netfront_detached(struct netdev *dev, enum xenbus_state s)
{
	struct thread *t;

	/* Detached (or the backend failed): the link is down for good.
	 * Following with Closed lets `xl network-detach` finish; with the
	 * state node gone there is no handshake left to finish, and a
	 * write would only leave a stray node behind. */
	dev->connected = 0;
	dev->shutting = 1;
	/* The release is ours from here on: netdev_close, which the
	 * program may call as soon as it sees the link down (while the
	 * XenStore write below waits), must wait for it, not start a
	 * second one (two releases of one page are a double free). */
	dev->releasing = 1;
	evtchn_mask(dev->tx_port);
	evtchn_mask(dev->rx_port);
	printk("netfront: vif/%u: backend %s, link down\n", dev->devid,
	       s == XenbusStateUnknown ? "gone" : xenbus_state_name(s));
	if (s != XenbusStateUnknown)
		xenbus_switch_state(&dev->xb, XBT_NIL, XenbusStateClosed);
	waitq_wake_all(&dev->rx_wq);
	waitq_wake_all(&dev->tx_wq);
	/* Netback unmaps the rings and buffers as it disconnects: the
	 * pages and grants come back now, not at netdev_close. */
	t = thread_create("netfront-detach", release_thread, dev, 0);
	if (t != NULL)
		thread_detach(t);
	else
		release_buffers(dev); /* no thread: here, though it may wait */
}

/* --- the vifs not closed ------------------------------------------------------ */

struct netdev *netfront_vifs;
struct waitq netfront_vifs_wq = WAITQ_INIT(netfront_vifs_wq);
unsigned long netfront_vifs_changed;

struct netdev *netfront_find(unsigned int devid)
{
	struct netdev *d;

	for (d = netfront_vifs; d != NULL; d = d->next)
		if (d->devid == devid)
			return d;
	return NULL;
}

/* Unlist and free dev (its watch goes first: no callback runs after). */
static void free_netdev(struct netdev *dev)
{
	struct netdev **p;

	xenbus_device_free(&dev->xb);
	for (p = &netfront_vifs; *p != NULL; p = &(*p)->next)
		if (*p == dev) {
			*p = dev->next;
			break;
		}
	netdev_drop_queue(dev);
	kfree(dev->bounce);
	kfree(dev->ip);
	kfree(dev);
	netfront_vifs_changed++;
	waitq_wake_all(&netfront_vifs_wq);
}

/* --- opening ------------------------------------------------------------------ */

static int netfront_connect(struct netdev *dev)
{
	int rc, split;

	rc = xenbus_wait_backend(&dev->xb, XenbusStateInitWait,
				 NETDEV_OPEN_TIMEOUT_NS);
	if (rc < 0)
		return rc;
	if (!backend_feature(&dev->xb, "feature-rx-copy")) {
		printk("netfront: vif/%u: backend lacks feature-rx-copy\n",
		       dev->devid);
		return -XEN_EOPNOTSUPP;
	}
	split = backend_feature(&dev->xb, "feature-split-event-channels");
	rc = grant_buffers(dev);
	if (rc == 0)
		rc = bind_events(dev, split);
	if (rc == 0)
		rc = xenbus_connect(&dev->xb, XenbusStateConnected, publish,
				    dev, NETDEV_OPEN_TIMEOUT_NS);
	return rc;
}

int netdev_open(unsigned int devid, struct netdev **out)
{
	struct netdev *dev;
	char id[12];
	int rc;

	if (netfront_find(devid) != NULL)
		return -XEN_EBUSY;
	dev = kzalloc(sizeof(*dev));
	if (dev == NULL)
		return -XEN_ENOMEM;
	dev->devid = devid;
	waitq_init(&dev->rx_wq);
	waitq_init(&dev->tx_wq);
	waitq_init(&dev->released_wq);
	/* Listed from now: a second open of devid fails while this one
	 * waits for the backend. */
	dev->next = netfront_vifs;
	netfront_vifs = dev;
	snprintk(id, sizeof(id), "%u", devid);
	rc = xenbus_device_init(&dev->xb, "vif", id, netfront_backend_changed);
	if (rc == 0)
		rc = read_config(dev);
	if (rc == 0)
		rc = netfront_connect(dev);
	if (rc < 0) {
		printk("netfront: vif/%u: cannot connect: %d\n", devid, rc);
		/* Once our keys are out netback may have mapped the rings
		 * (seen when hotplug was too slow): it unmaps them only
		 * when we close. */
		if (dev->published)
			xenbus_close(&dev->xb, NETDEV_OPEN_TIMEOUT_NS);
		release_buffers(dev);
		free_netdev(dev);
		return rc;
	}
	dev->connected = 1;
	/* Events that came before we were usable were dropped: look at the
	 * rings now (rsp_event is re-armed there, or nothing would ever
	 * notify us again), and tell netback about the buffers posted
	 * before it connected. */
	shared_event(dev->rx_port, dev);
	evtchn_send(dev->rx_port);
	printk("netfront: vif/%u up: mac %02x:%02x:%02x:%02x:%02x:%02x, "
	       "mtu %u%s\n",
	       devid, dev->mac[0], dev->mac[1], dev->mac[2], dev->mac[3],
	       dev->mac[4], dev->mac[5], dev->mtu,
	       dev->tx_port != dev->rx_port ? ", split event channels" : "");
	*out = dev;
	/* A detach seen while connected was still 0 was passed over. */
	netfront_backend_changed(&dev->xb, xenbus_backend_state(&dev->xb));
	return 0;
}

int netdev_close(struct netdev *dev)
{
	uint64_t deadline;
	int rc = 0;

	if (!dev->shutting) {
		/* Still attached: the close handshake (netback disconnects
		 * when we go Closing, and unmaps everything). */
		dev->shutting = 1;
		dev->connected = 0;
		evtchn_mask(dev->tx_port);
		evtchn_mask(dev->rx_port);
		rc = xenbus_close(&dev->xb, NETDEV_OPEN_TIMEOUT_NS);
	}
	if (!dev->releasing) {
		/* Closed by the program, or no detach thread was made. */
		dev->releasing = 1;
		release_buffers(dev);
	}
	/* A detach thread releases: within its own deadline, plus slack. */
	deadline = xen_system_time_ns() + 2 * NETDEV_OPEN_TIMEOUT_NS;
	while (!dev->released)
		if (waitq_wait(&dev->released_wq, deadline) < 0)
			return -XEN_ETIMEDOUT;
	free_netdev(dev);
	return rc;
}
