/*
 * log_rewrite.c - the log rewritten into the other half of the disk
 * while the server goes on (the format: log.h; the dump of the live
 * keys, a step per poll round: rewrite.c).
 *
 * The new region receives, in the order they happen, the records of
 * the keys dumped (each key's value at the moment it is dumped) and
 * every change made meanwhile (log_add appends each record to both
 * logs). Replayed in that order they give the data set of the last
 * moment, whatever a key went through before or after its dump. The
 * old log stays whole and live until the switch: the new region is
 * flushed, then the header naming it, with a new generation, is
 * written and flushed one copy at a time. A crash before the first
 * copy lands leaves the old log; after it, the new one; both hold
 * every acknowledged write, since nothing is answered in between.
 *
 * Records in the new region carry the generation of the moment; the
 * switch bumps it, so bytes left in a region by an earlier use are
 * older than anything written there since (replay stops at them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

int log_rewrite_begin(struct kvlog *log)
{
	struct log_target *t = &log->rw;
	uint64_t limit, start;

	if (t->active)
		return -EBUSY;
	start = log_other_region(log, &limit);
	if (start == 0)
		return -ENOSPC;
	t->active = 1;
	t->start = t->end = start;
	t->limit = limit;
	t->plen = 0;
	t->failed = 0;
	return 0;
}

void log_rewrite_abandon(struct kvlog *log, int err)
{
	struct log_target *t = &log->rw;

	t->active = 0;
	t->failed = err;
	free(t->pend);
	t->pend = NULL;
	t->plen = t->pcap = 0;
}

int log_rewrite_add(struct kvlog *log, const struct log_rec *rec)
{
	struct log_target *t = &log->rw;
	size_t n = log_rec_size(rec->klen, rec->vlen);
	size_t want = t->plen + n + LOG_END_MARK;
	char *p;

	if (!t->active)
		return -EINVAL;
	if (t->end + want > t->limit) {
		log_rewrite_abandon(log, ENOSPC);
		return -ENOSPC;
	}
	want = LOG_BATCH_SIZE(t->plen + n);
	if (want > t->pcap) {
		if (want < 2 * t->pcap)
			want = 2 * t->pcap;
		p = realloc(t->pend, want);
		if (p == NULL) {
			log_rewrite_abandon(log, ENOMEM);
			return -ENOMEM;
		}
		t->pend = p;
		t->pcap = want;
	}
	t->plen += log_encode(t->pend + LOG_ALIGN + t->plen, rec, log->gen);
	return 0;
}

/* The batch, with an end mark after it, in one write. */
int log_rewrite_write(struct kvlog *log)
{
	struct log_target *t = &log->rw;
	int rc;

	if (!t->active || t->plen == 0)
		return 0;
	rc = log_append(&log->dev, &t->end, &t->edge, t->pend, t->plen);
	if (rc < 0) {
		log_rewrite_abandon(log, -rc);
		return rc;
	}
	log->unsynced += t->plen; /* what log_append just added to t->end */
	t->plen = 0;
	return 0;
}

int log_rewrite_switch(struct kvlog *log)
{
	struct log_target *t = &log->rw;
	struct log_head hd = { log->gen + 1, t->start, t->limit };
	int rc;

	if (!t->active || t->plen != 0 || log->plen != 0)
		return -EINVAL;
	/* Every record of the new log durable before a header names it. */
	rc = log->dev.sync(log->dev.arg);
	if (rc == 0)
		rc = log_write_header(&log->dev, &hd);
	if (rc < 0)
		return rc;
	log->gen = hd.gen;
	log->start = t->start;
	log->limit = t->limit;
	log->end = t->end;
	log->edge = t->edge;
	log->unsynced = 0;
	log_rewrite_abandon(log, 0);
	return 0;
}
