/*
 * txq.h - the frames an interface has sent that wait for tx ring slots
 * (net/lwip/txq.c), for the netif glue (net/lwip/netif.c).
 *
 * The queue knows frames only as opaque pointers: the glue says how to
 * send one (netdev_send, which never waits), how to keep one past the
 * output call (lwIP's pbuf_ref, or a copy) and how to let it go. So
 * netfront never sees a pbuf, and the queue's logic runs on the host
 * (tests/unit/test_txq.c) with a fake ring.
 */
#ifndef NET_LWIP_TXQ_H
#define NET_LWIP_TXQ_H

/*
 * How many frames may wait. The tx ring holds 256 one-slot frames; the
 * backlog takes what a burst sends beyond that before netback's
 * responses free slots: 200 SYN-ACKs at once, a few connections'
 * windows (one 512 KiB window is 360 frames), 100 keep-alive answers
 * at once (the httpd case saw 465 frames wait). More are dropped,
 * counted (TCP sends them again). A frame waiting holds a reference on
 * what lwIP already allocated (TCP keeps it until it is acked anyway),
 * so the bound is on lwIP's memory held, and the queue itself costs
 * 16 bytes a frame, allocated with the interface.
 */
#define TXQ_MAX 1024

struct txq_ops {
	/* Send now: 0, -XEN_ENOBUFS (no free slot yet: keep it), or
	 * another error: -XEN_ENOTCONN or -XEN_EIO (the link is gone:
	 * nothing more will go), anything else (this frame is bad). */
	int (*xmit)(void *arg, void *frame, unsigned int flags);
	/* Keep frame past the output call; NULL if there is no memory. */
	void *(*hold)(void *arg, void *frame);
	/* Let go of a kept frame. */
	void (*release)(void *arg, void *frame);
};

struct txq_entry {
	void *frame; /* what hold returned */
	unsigned int flags;
};

struct txq {
	const struct txq_ops *ops;
	void *arg;
	struct txq_entry *q; /* max entries, a ring */
	unsigned int max, head, count;
	unsigned int peak;	/* the most frames that ever waited */
	unsigned long overflow; /* dropped: the backlog was full */
	unsigned long unsent;	/* dropped: the link went, or no memory */
};

/*
 * An empty backlog of up to max frames (its entries allocated here).
 * -XEN_ENOMEM without memory for them: the backlog then holds none,
 * and a frame that finds the ring full is dropped (counted).
 */
int txq_init(struct txq *q, unsigned int max, const struct txq_ops *ops,
	     void *arg);

/* Let every waiting frame go, and free the entries. */
void txq_destroy(struct txq *q);

/*
 * Send frame after every frame already waiting, in order: at once if
 * the ring has room, else it waits in the backlog (kept with
 * ops->hold). Never waits. 0 when sent or queued; -XEN_ENOBUFS when
 * the backlog is full (dropped, counted in overflow); -XEN_ENOMEM when
 * it cannot be kept; or xmit's error (the link's: the backlog is then
 * emptied, see txq_drain).
 */
int txq_output(struct txq *q, void *frame, unsigned int flags);

/*
 * Send waiting frames, oldest first, until the ring is full or none is
 * left; call it when the backend gave slots back. The number sent, or
 * the link's error (-XEN_ENOTCONN, -XEN_EIO): then every waiting frame
 * is let go, counted in unsent, since no slot will ever come back. A
 * frame xmit refuses for itself is let go and counted; the rest go on.
 */
int txq_drain(struct txq *q);

/* Let every waiting frame go (the interface is removed); how many. */
unsigned int txq_flush(struct txq *q);

#endif
