/*
 * mbox.c - bounded mailboxes (mbox.h): a ring of pointers and two wait
 * queues. Threads are cooperative, so the ring needs no lock; a woken
 * thread re-checks, since another may have come first.
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include "mbox.h"

struct mbox *mbox_new(unsigned int size)
{
	struct mbox *mb;

	if (size == 0)
		return NULL;
	mb = kzalloc(sizeof(*mb));
	if (mb == NULL)
		return NULL;
	mb->slot = kmalloc(size * sizeof(void *));
	if (mb->slot == NULL) {
		kfree(mb);
		return NULL;
	}
	mb->size = size;
	waitq_init(&mb->not_empty);
	waitq_init(&mb->not_full);
	return mb;
}

void mbox_free(struct mbox *mb)
{
	kfree(mb->slot);
	kfree(mb);
}

int mbox_trypost(struct mbox *mb, void *msg)
{
	if (mb->count == mb->size)
		return -XEN_ENOBUFS;
	mb->slot[(mb->head + mb->count++) % mb->size] = msg;
	waitq_wake_one(&mb->not_empty);
	return 0;
}

void mbox_post(struct mbox *mb, void *msg)
{
	while (mbox_trypost(mb, msg) < 0)
		waitq_wait(&mb->not_full, 0);
}

int mbox_tryfetch(struct mbox *mb, void **msg)
{
	if (mb->count == 0)
		return -XEN_EAGAIN;
	*msg = mb->slot[mb->head];
	mb->head = (mb->head + 1) % mb->size;
	mb->count--;
	waitq_wake_one(&mb->not_full);
	return 0;
}

int mbox_fetch(struct mbox *mb, void **msg, uint64_t deadline_ns)
{
	while (mbox_tryfetch(mb, msg) < 0)
		if (waitq_wait(&mb->not_empty, deadline_ns) < 0 &&
		    mb->count == 0)
			return -XEN_ETIMEDOUT;
	return 0;
}
