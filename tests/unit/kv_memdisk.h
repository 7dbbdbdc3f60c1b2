/*
 * kv_memdisk.h - a disk in memory for examples/kv's log (log.h), for
 * test_kvdb.c and test_kvlog.c: reads and writes of its bytes, a count
 * of flushes and of writes not of whole sectors, and switches that make writes or flushes fail: at once,
 * past a chosen byte (a host file system that fills), or from the Nth
 * flush on.
 */
#ifndef KV_MEMDISK_H
#define KV_MEMDISK_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "../../examples/kv/log.h"

struct memdisk {
	uint8_t *bytes;
	size_t size;
	unsigned syncs, writes;
	unsigned unaligned; /* writes not of whole LOG_ALIGN sectors */
	int fail_writes;    /* errno to fail with, 0: none */
	/* Full from this byte on (0: never): a write reaching past it
	 * stores what lies before it, then fails with ENOSPC, as a
	 * request whose first segments landed before the host's file
	 * system filled. */
	uint64_t full_at;
	/* The Nth flush fails with EIO, and the fail_sync_count - 1 after
	 * it (0: every one after it). */
	unsigned fail_sync_from, fail_sync_count;
};

static int memdisk_read(void *arg, uint64_t off, void *buf, size_t n)
{
	struct memdisk *d = arg;

	if (off > d->size || n > d->size - off)
		return -EIO;
	memcpy(buf, d->bytes + off, n);
	return 0;
}

static int memdisk_write(void *arg, uint64_t off, const void *buf, size_t n)
{
	struct memdisk *d = arg;

	if (off % LOG_ALIGN != 0 || n % LOG_ALIGN != 0)
		d->unaligned++;
	if (d->fail_writes)
		return -d->fail_writes;
	if (off > d->size || n > d->size - off)
		return -ENOSPC;
	if (d->full_at && off + n > d->full_at) {
		if (off < d->full_at)
			memcpy(d->bytes + off, buf, d->full_at - off);
		return -ENOSPC;
	}
	memcpy(d->bytes + off, buf, n);
	d->writes++;
	return 0;
}

static int memdisk_sync(void *arg)
{
	struct memdisk *d = arg;

	d->syncs++;
	if (d->fail_sync_from && d->syncs >= d->fail_sync_from &&
	    (d->fail_sync_count == 0 ||
	     d->syncs < d->fail_sync_from + d->fail_sync_count))
		return -EIO;
	return 0;
}

static inline struct log_dev memdisk_dev(struct memdisk *d)
{
	return (struct log_dev){ .arg = d,
				 .size = d->size,
				 .read = memdisk_read,
				 .write = memdisk_write,
				 .sync = memdisk_sync };
}

#endif
