/*
 * vif.h - one vif: struct netdev as netfront.c (the device and its
 * handshake) and netdev.c (the frame interface) share it.
 */
#ifndef NET_VIF_H
#define NET_VIF_H

#include <xenlet/evtchn.h>
#include <xenlet/netdev.h>
#include <xenlet/thread.h>
#include <xenlet/xenbus.h>
#include "netfront.h"

struct rx_queued {
	void *data; /* kmalloc'ed copy */
	size_t len;
	unsigned int flags;
};

struct netdev {
	struct xenbus_device xb;
	struct netdev *next; /* netfront_vifs: every netdev not closed */
	unsigned int devid;
	uint8_t mac[NETDEV_ETH_ALEN];
	unsigned int mtu;
	char *ip;      /* the backend's `ip` key, or NULL */
	int connected; /* both sides Connected, backend not gone */
	int broken;    /* the backend broke the protocol: never used again */
	int published; /* our ring keys went to XenStore */
	int shutting;  /* detached or being closed: the link stays down */
	int releasing; /* release_buffers runs, or a thread will run it */
	int released;  /* ... and ended: pages and grants are back */
	struct waitq released_wq;
	evtchn_port_t tx_port, rx_port; /* the same port unless split */
	netif_tx_sring_t *tx_sring;
	netif_rx_sring_t *rx_sring;
	grant_ref_t tx_ring_ref, rx_ring_ref;
	struct netfront_tx tx;
	struct netfront_rx rx;
	struct netfront_stats stats;

	/* Received frames (netdev.c). */
	struct rx_queued queue[NETDEV_RX_QUEUE];
	unsigned int q_head, q_count;
	unsigned long rx_dropped;
	struct waitq rx_wq;
	struct waitq tx_wq; /* netdev_wait_tx: tx buffers came back */
	netdev_rx_fn rx_fn;
	netdev_rx_frags_fn rx_frags_fn; /* or this, without the bounce */
	void *rx_arg;
	uint8_t *bounce; /* NETFRONT_FRAME_MAX bytes, for rx_fn */

	/* Link loss (link.c). */
	netdev_link_fn link_fn;
	void *link_arg;
	int link_told; /* link_fn was called: never again */
};

/*
 * netfront.c: the netdevs not closed (open or being opened), so that
 * netdev_open_next skips their devids, and a waitq woken with
 * netfront_vifs_changed whenever one closes (one more devid is free).
 */
extern struct netdev *netfront_vifs;
extern struct waitq netfront_vifs_wq;
extern unsigned long netfront_vifs_changed;
struct netdev *netfront_find(unsigned int devid);

/* netdev.c: drop the frames queued for netdev_recv. */
void netdev_drop_queue(struct netdev *dev);

/* netdev.c: a frame netfront_rx_collect found (arg is the netdev). */
void netdev_deliver(void *arg, const struct netfront_rx_frame *f);

/*
 * link.c: the backend's state changed (xenbus watch, xenwatch thread):
 * a state that ends the link has netfront_detached take the device
 * down, then the program's link handler is told.
 */
void netfront_backend_changed(struct xenbus_device *xb, enum xenbus_state s);
/* link.c: the link is down for good (detached or broken): tell the
 * link handler, once. */
void netfront_link_down(struct netdev *dev);
/* netfront.c: the backend left (state s): mark the link down, follow
 * with Closed, and give the pages and grants back in a thread. */
void netfront_detached(struct netdev *dev, enum xenbus_state s);

/* netfront.c: the backend broke the protocol; say why, once. */
void netfront_broken(struct netdev *dev, const char *why);

/* netfront.c: take tx responses (when a send finds no buffer); with
 * want_event, the next response raises the tx event. */
int netfront_tx_reclaim(struct netdev *dev, int want_event);

#endif
