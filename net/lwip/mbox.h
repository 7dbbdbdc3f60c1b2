/*
 * mbox.h - a bounded mailbox of pointers on xenlet wait queues: what
 * lwIP's sys_mbox_* (net/lwip/sys_arch.c) are made of. Kept apart from
 * lwIP's headers so that host tests run it on the real scheduler.
 *
 * Any number of threads may post and fetch. trypost never waits, so an
 * event handler (the netif's rx path) may call it.
 */
#ifndef NET_LWIP_MBOX_H
#define NET_LWIP_MBOX_H

#include <stdint.h>
#include <xenlet/thread.h>

struct mbox {
	void **slot;
	unsigned int size, head, count;
	struct waitq not_empty, not_full;
};

/* A mailbox of size slots (>= 1); NULL if memory runs out. */
struct mbox *mbox_new(unsigned int size);
void mbox_free(struct mbox *mb);

/* Post msg, waiting for room as long as it takes. */
void mbox_post(struct mbox *mb, void *msg);
/* Post msg if there is room: 0, or -XEN_ENOBUFS. Never waits. */
int mbox_trypost(struct mbox *mb, void *msg);

/*
 * Take the oldest message into *msg, waiting until Xen system time
 * deadline_ns (0: for ever): 0, or -XEN_ETIMEDOUT. tryfetch never
 * waits: 0 or -XEN_EAGAIN.
 */
int mbox_fetch(struct mbox *mb, void **msg, uint64_t deadline_ns);
int mbox_tryfetch(struct mbox *mb, void **msg);

#endif
