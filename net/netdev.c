/*
 * netdev.c - the raw frame interface (include/xenlet/netdev.h) on top
 * of netfront's rings.
 *
 * A received frame is copied out of its rx pages at once, in the rx
 * event: the pages go straight back to netback (a guest slow to read
 * must not starve the ring: netback would turn the carrier off after
 * 60 s), and the copy is ours alone (the backend could still write to
 * the shared pages). The copy goes to the program's handler, or to a
 * bounded queue that netdev_recv reads; a handler that copies frames
 * into buffers of its own (lwIP's pbufs) may take the pieces in the rx
 * pages instead, and make that copy the only one.
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/evtchn.h>
#include "vif.h"

static int check_usable(const struct netdev *dev)
{
	if (dev->broken)
		return -XEN_EIO;
	if (!dev->connected)
		return -XEN_ENOTCONN;
	return 0;
}

void netdev_mac(const struct netdev *dev, uint8_t mac[NETDEV_ETH_ALEN])
{
	memcpy(mac, dev->mac, NETDEV_ETH_ALEN);
}

unsigned int netdev_mtu(const struct netdev *dev)
{
	return dev->mtu;
}

unsigned int netdev_devid(const struct netdev *dev)
{
	return dev->devid;
}

const char *netdev_ip(const struct netdev *dev)
{
	return dev->ip;
}

int netdev_link_up(const struct netdev *dev)
{
	return check_usable(dev) == 0;
}

int netdev_send(struct netdev *dev, const struct netdev_frag *frags, int n,
		unsigned int flags)
{
	uint16_t txf = 0;
	int notify, rc = check_usable(dev);

	if (rc < 0)
		return rc;
	/* Linux netfront sets both: dom0 then neither re-checks nor
	 * trusts a checksum it has to finish. */
	if (flags & NETDEV_CSUM_BLANK)
		txf = NETTXF_csum_blank | NETTXF_data_validated;
	rc = netfront_tx_put(&dev->tx, frags, n, dev->mtu + NETDEV_ETH_HLEN,
			     txf, &notify);
	if (rc == -XEN_ENOBUFS && netfront_tx_reclaim(dev, 0) > 0)
		rc = netfront_tx_put(&dev->tx, frags, n,
				     dev->mtu + NETDEV_ETH_HLEN, txf, &notify);
	if (rc == 0 && notify)
		evtchn_notify(dev->tx_port);
	return dev->broken ? -XEN_EIO : rc;
}

int netdev_wait_tx(struct netdev *dev, uint64_t deadline_ns)
{
	int rc = check_usable(dev);

	if (rc < 0)
		return rc;
	/* Responses that came since the last look free buffers now;
	 * else ask for an event at the next one, and wait for it. */
	if (netfront_tx_reclaim(dev, 1) > 0)
		return 0;
	if (waitq_wait(&dev->tx_wq, deadline_ns) < 0)
		return -XEN_ETIMEDOUT;
	return check_usable(dev);
}

static unsigned int rx_flags(uint16_t netrxf)
{
	return ((netrxf & NETRXF_csum_blank) ? NETDEV_CSUM_BLANK : 0) |
	       ((netrxf & NETRXF_data_validated) ? NETDEV_DATA_VALID : 0);
}

static void queue_frame(struct netdev *dev, const struct netfront_rx_frame *f)
{
	struct rx_queued *q;
	void *copy;

	if (dev->q_count == NETDEV_RX_QUEUE ||
	    (copy = kmalloc(f->len)) == NULL) {
		dev->rx_dropped++;
		return;
	}
	netfront_gather(copy, f->frag, f->n, 0, f->len);
	q = &dev->queue[(dev->q_head + dev->q_count++) % NETDEV_RX_QUEUE];
	q->data = copy;
	q->len = f->len;
	q->flags = rx_flags(f->flags);
	waitq_wake_one(&dev->rx_wq);
}

void netdev_deliver(void *arg, const struct netfront_rx_frame *f)
{
	struct netdev *dev = arg;

	if (dev->rx_frags_fn != NULL) {
		dev->rx_frags_fn(dev->rx_arg, f->frag, f->n, f->len,
				 rx_flags(f->flags));
		return;
	}
	if (dev->rx_fn == NULL) {
		queue_frame(dev, f);
		return;
	}
	netfront_gather(dev->bounce, f->frag, f->n, 0, f->len);
	dev->rx_fn(dev->rx_arg, dev->bounce, f->len, rx_flags(f->flags));
}

void netdev_set_rx_handler(struct netdev *dev, netdev_rx_fn fn, void *arg)
{
	if (fn != NULL && dev->bounce == NULL) {
		dev->bounce = kmalloc(NETFRONT_FRAME_MAX);
		if (dev->bounce == NULL)
			return; /* frames keep going to the queue */
	}
	dev->rx_arg = arg;
	dev->rx_frags_fn = NULL;
	dev->rx_fn = fn;
}

void netdev_set_rx_frags_handler(struct netdev *dev, netdev_rx_frags_fn fn,
				 void *arg)
{
	dev->rx_arg = arg;
	dev->rx_fn = NULL;
	dev->rx_frags_fn = fn;
}

/* Take the oldest queued frame into buf. */
static int dequeue(struct netdev *dev, void *buf, size_t size,
		   unsigned int *flags)
{
	struct rx_queued q = dev->queue[dev->q_head];
	int rc = (int)q.len;

	dev->q_head = (dev->q_head + 1) % NETDEV_RX_QUEUE;
	dev->q_count--;
	if (q.len > size) {
		dev->rx_dropped++;
		rc = -XEN_EMSGSIZE;
	} else {
		memcpy(buf, q.data, q.len);
		if (flags != NULL)
			*flags = q.flags;
	}
	kfree(q.data);
	return rc;
}

int netdev_recv(struct netdev *dev, void *buf, size_t size, unsigned int *flags,
		uint64_t deadline_ns)
{
	int rc;

	for (;;) {
		if (dev->q_count > 0)
			return dequeue(dev, buf, size, flags);
		rc = check_usable(dev);
		if (rc < 0)
			return rc;
		if (deadline_ns == 0 ||
		    (waitq_wait(&dev->rx_wq, deadline_ns) < 0 &&
		     dev->q_count == 0))
			return -XEN_ETIMEDOUT;
	}
}

void netdev_drop_queue(struct netdev *dev)
{
	while (dev->q_count > 0) {
		kfree(dev->queue[dev->q_head].data);
		dev->q_head = (dev->q_head + 1) % NETDEV_RX_QUEUE;
		dev->q_count--;
	}
}

void netdev_get_stats(const struct netdev *dev, struct netdev_stats *s)
{
	s->tx_packets = dev->stats.tx_packets;
	s->tx_errors = dev->stats.tx_errors;
	s->rx_packets = dev->stats.rx_packets;
	s->rx_errors = dev->stats.rx_errors;
	s->rx_dropped = dev->rx_dropped;
}
