/*
 * txq.c - a bounded backlog of frames waiting for tx ring slots.
 *
 * The tx ring has 256 slots, and netback gives a slot back only when
 * dom0 is done with the frame in it; a burst (200 clients' SYN-ACKs at
 * once, a window of segments) can send faster than that. Waiting for
 * slots in the output call would stall whoever holds lwIP's core lock,
 * the tcpip thread among them, which then handles no received frame;
 * dropping the frame costs TCP a resend, a whole second for a SYN-ACK.
 * So, as Linux netfront stops its queue and wakes it from tx
 * completions, a frame that finds the ring full waits here, and the
 * backlog goes out, in order, as responses free slots. Every frame
 * still goes to netdev_send whole (one req_prod update each).
 *
 * Order: once a frame waits, every later one queues behind it, even if
 * a slot is free meanwhile, so frames leave in the order lwIP sent
 * them (TCP would take reordering for loss).
 */
#include <stddef.h>
#include <xen/errno.h>
#include "txq.h"

void txq_init(struct txq *q, const struct txq_ops *ops, void *arg)
{
	q->ops = ops;
	q->arg = arg;
	q->head = q->count = q->peak = 0;
	q->overflow = q->unsent = 0;
}

static int link_gone(int rc)
{
	return rc == -XEN_ENOTCONN || rc == -XEN_EIO;
}

/* Take the oldest frame off the queue and let it go. */
static void pop(struct txq *q)
{
	q->ops->release(q->arg, q->q[q->head].frame);
	q->head = (q->head + 1) % TXQ_MAX;
	q->count--;
}

unsigned int txq_flush(struct txq *q)
{
	unsigned int n = q->count;

	while (q->count > 0)
		pop(q);
	q->unsent += n;
	return n;
}

int txq_drain(struct txq *q)
{
	int rc, sent = 0;

	while (q->count > 0) {
		struct txq_entry *e = &q->q[q->head];

		rc = q->ops->xmit(q->arg, e->frame, e->flags);
		if (rc == -XEN_ENOBUFS)
			break; /* the next response drains again */
		if (link_gone(rc)) {
			txq_flush(q);
			return rc;
		}
		if (rc < 0)
			q->unsent++; /* this frame alone was refused */
		else
			sent++;
		pop(q);
	}
	return sent;
}

static int enqueue(struct txq *q, void *frame, unsigned int flags)
{
	void *kept;

	if (q->count == TXQ_MAX) {
		q->overflow++;
		return -XEN_ENOBUFS;
	}
	kept = q->ops->hold(q->arg, frame);
	if (kept == NULL) {
		q->unsent++;
		return -XEN_ENOMEM;
	}
	q->q[(q->head + q->count) % TXQ_MAX] =
		(struct txq_entry){ .frame = kept, .flags = flags };
	if (++q->count > q->peak)
		q->peak = q->count;
	return 0;
}

int txq_output(struct txq *q, void *frame, unsigned int flags)
{
	int rc;

	if (q->count > 0) {
		rc = txq_drain(q);
		if (rc < 0)
			return rc;
	}
	if (q->count == 0) {
		rc = q->ops->xmit(q->arg, frame, flags);
		if (rc != -XEN_ENOBUFS)
			return rc;
	}
	return enqueue(q, frame, flags);
}
