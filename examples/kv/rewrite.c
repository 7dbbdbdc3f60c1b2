/*
 * rewrite.c - compaction of the log while the server goes on: on
 * BGREWRITEAOF, and on its own when the log has grown by
 * auto_aof_rewrite_percentage since the last rewrite (Redis's
 * auto-aof-rewrite-percentage: an environment name cannot hold '-';
 * 100 by default, 0: never) or its half of the disk is
 * nearly full. The live keys are dumped into the other half a step per
 * poll round, after that round's changes; once the dump is whole, the
 * header is switched to the new log (log_rewrite.c says why a crash at
 * any moment leaves a whole log).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kv.h"

/* A step's bounds: at most this many keys (each up to LOG_FIELD_MAX)
 * or bytes of records, so that one round's dump costs milliseconds and
 * its batch little memory, whatever the data set's size. */
#define STEP_KEYS  256
#define STEP_BYTES (256u << 10)
/* Logs smaller than this are not worth an automatic rewrite. */
#define REWRITE_MIN (64u << 10)

static size_t cursor;
static int dumped; /* the dump has passed the table's end */

static uint64_t log_size(void)
{
	return kv.log->end - kv.log->start;
}

int store_rewrite_start(void)
{
	int rc;

	if (kv.log == NULL)
		return -ENODEV;
	if (kv.log_failed)
		return -EIO;
	rc = log_rewrite_begin(kv.log);
	if (rc < 0)
		return rc;
	cursor = 0;
	dumped = 0;
	printf("kv: log: rewrite started (%llu bytes, %zu keys)\n",
	       (unsigned long long)log_size(), kv.db.count);
	return 0;
}

static void dump_one(struct entry *e, void *arg)
{
	struct log_rec r = { .op = LOG_SET,
			     .key = e->key,
			     .klen = (uint32_t)e->klen,
			     .val = e->val,
			     .vlen = (uint32_t)e->vlen,
			     .expire = e->expire };
	size_t *bytes = arg;

	if (kv.log->rw.active && log_rewrite_add(kv.log, &r) == 0)
		*bytes += log_rec_size(r.klen, r.vlen);
}

void store_rewrite_step(void)
{
	size_t bytes = 0;

	if (kv.log == NULL || !kv.log->rw.active)
		return;
	/* One bucket a call: each stops after the bucket of its first
	 * live key, so the bounds are checked between buckets. */
	for (int n = 0; !dumped && n < STEP_KEYS && bytes < STEP_BYTES; n++) {
		cursor = db_scan(&kv.db, cursor, 1, dump_one, &bytes);
		dumped = cursor == 0;
	}
}

/* Grown by the percentage since the last rewrite (or the boot), or
 * the region's last eighth reached with a sixteenth of it new. */
static int due(void)
{
	uint64_t size = log_size(), base = kv.rewrite_base;
	uint64_t region = kv.log->limit - kv.log->start;

	if (kv.rewrite_pct == 0 || kv.log_failed)
		return 0;
	if (size >= REWRITE_MIN &&
	    size - base >= base / 100 * (uint64_t)kv.rewrite_pct && size > base)
		return 1;
	return region - size < region / 8 && size >= base + region / 16;
}

void store_rewrite_after(void)
{
	struct kvlog *log = kv.log;
	uint64_t before = log_size();
	int rc;

	if (log->rw.failed) {
		printf("kv: log: rewrite abandoned: %s\n",
		       strerror(log->rw.failed));
		log->rw.failed = 0;
		kv.rewrite_base = before; /* retried once it grows again */
	}
	if (log->rw.active && dumped) {
		rc = log_rewrite_switch(log);
		if (rc < 0) {
			printf("kv: log: switch to the rewritten log failed: "
			       "%s: writes refused from now on\n",
			       strerror(-rc));
			kv.log_failed = -rc;
			log_rewrite_abandon(log, 0);
			return;
		}
		kv.rewrites++;
		kv.rewrite_base = log_size();
		printf("kv: log: rewritten: %llu bytes at offset %llu "
		       "(generation %u)\n",
		       (unsigned long long)log_size(),
		       (unsigned long long)log->start, log->gen);
		return;
	}
	if (!log->rw.active && due())
		store_rewrite_start();
}
