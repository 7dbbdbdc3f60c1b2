/*
 * commit.c - group commit: a poll round's log batch made durable before
 * any of its replies leave (kv.h, store_commit), and what a failed
 * write or flush undoes.
 *
 * The round's commands have changed the data set in memory already
 * (a later command of the round may read what an earlier one wrote).
 * When their records cannot be made durable, no client may be told
 * they worked, and none may be told they failed while the disk could
 * still replay them at the next boot. So on a failure the round is
 * undone in three steps: the log is cut at the end it had before the
 * round (a new end mark, flushed: records of the round that reached
 * the disk past it are never replayed), the data set is rebuilt from
 * the log up to that end, and the caller turns the round's replies
 * into MISCONF errors. If even the cut fails, the disk may hold the
 * round's records: its clients get no answer at all. Either way writes
 * are refused from then on, as Redis refuses them after a failed AOF
 * write, and reads go on.
 *
 * The rebuild costs a replay of the whole log (seconds for a large
 * one); it happens once, since no write follows it.
 */
#include <stdio.h>
#include <string.h>
#include "kv.h"

static enum commit_result undo(uint64_t end, int err, const char *what)
{
	struct log_replay r;
	int cut, rc;

	printf("kv: log: %s failed: %s: the round's writes are undone, "
	       "writes refused from now on\n",
	       what, strerror(err));
	kv.log_failed = err;
	log_rewrite_abandon(kv.log, err);
	kv.log->end = end;
	cut = log_cut(kv.log);
	db_flush(&kv.db);
	rc = log_reload(kv.log, store_apply, &kv.db, &r);
	if (rc < 0) {
		printf("kv: log: cannot read it back: %s\n", strerror(-rc));
		return COMMIT_FATAL;
	}
	if (cut < 0) {
		printf("kv: log: cut at offset %llu failed too: %s: the "
		       "round's clients get no answer\n",
		       (unsigned long long)end, strerror(-cut));
		return COMMIT_LOST;
	}
	return COMMIT_UNDONE;
}

enum commit_result store_commit(int64_t now)
{
	struct kvlog *log = kv.log;
	uint64_t end = log->end;
	int rc;

	store_rewrite_step();
	rc = log_write(log);
	if (rc < 0)
		return undo(end, -rc, "write");
	if (kv.fsync == FSYNC_ALWAYS) {
		rc = log_sync(log);
		if (rc < 0)
			return undo(end, -rc, "flush");
		store_rewrite_after();
		return COMMIT_OK;
	}
	/* everysec: the round's replies wait for the write only, and a
	 * flush that fails concerns replies that are out already. */
	if (now - kv.synced_at >= EVERYSEC_MS) {
		kv.synced_at = now;
		rc = log_sync(log);
		if (rc < 0 && !kv.log_failed) {
			printf("kv: log: flush failed: %s: writes refused "
			       "from now on\n",
			       strerror(-rc));
			kv.log_failed = -rc;
		}
	}
	store_rewrite_after();
	return COMMIT_OK;
}

int commit_replies(struct outbuf *o, size_t mark, unsigned n,
		   enum commit_result r)
{
	if (r == COMMIT_OK || n == 0)
		return 0;
	outbuf_truncate(o, mark);
	if (r != COMMIT_UNDONE)
		return 1;
	for (unsigned i = 0; i < n; i++)
		reply_misconf(o, kv.log_failed);
	return 0;
}
