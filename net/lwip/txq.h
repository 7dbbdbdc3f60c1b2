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
 * responses free slots: 200 SYN-ACKs at once, or a few connections'
 * windows (one 512 KiB window is 360 frames). More are dropped, counted
 * (TCP sends them again). A frame waiting holds only a reference on
 * what lwIP already allocated, so the bound is on lwIP's memory held,
 * not on memory of our own.
 */
#define TXQ_MAX 512

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
	struct txq_entry q[TXQ_MAX];
	unsigned int head, count;
	unsigned int peak;	/* the most frames that ever waited */
	unsigned long overflow; /* dropped: the backlog was full */
	unsigned long unsent;	/* dropped: the link went, or no memory */
};

void txq_init(struct txq *q, const struct txq_ops *ops, void *arg);

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
