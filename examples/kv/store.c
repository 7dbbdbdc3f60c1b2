/*
 * store.c - every change to the data set, made in memory and added to
 * the log's batch together (see kv.h), and the log's records applied
 * back at boot. Nothing here writes the disk: the server writes and
 * flushes a poll round's batch before it answers any of its commands
 * (server.c).
 *
 * A value changed in place (INCR, APPEND) is logged as a SET of the
 * whole new value with its expiry: each record stands alone, so replay
 * needs no earlier state to apply it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "kv.h"

struct kv kv;

static const char OOM[] =
	"OOM command not allowed when used memory > 'maxmemory'.";

size_t store_set_size(size_t klen, size_t vlen)
{
	return log_rec_size(klen, vlen);
}

int store_room(struct call *c, size_t bytes)
{
	int rc = kv.log ? log_reserve(kv.log, bytes) : 0;

	/* A full disk is Redis's answer to a failed AOF write: MISCONF,
	 * for writes only; reads go on. */
	if (rc == -ENOSPC)
		reply_misconf(c->out, ENOSPC);
	else if (rc < 0)
		reply_error(c->out, OOM);
	return rc < 0 ? -1 : 0;
}

void reply_misconf(struct outbuf *o, int err)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "MISCONF Errors writing to the AOF file: %s",
		 strerror(err));
	reply_error(o, msg);
}

static void log_it(uint8_t op, const char *key, size_t klen, const char *val,
		   size_t vlen, int64_t expire, int more)
{
	struct log_rec r = {
		.op = op,
		.flags = more ? LOG_MORE : 0,
		.expire = expire,
		.key = key,
		.klen = (uint32_t)klen,
		.val = val,
		.vlen = (uint32_t)vlen,
	};

	if (kv.log)
		log_add(kv.log, &r);
}

int store_set(struct call *c, const char *key, size_t klen, const char *val,
	      size_t vlen, int64_t expire, int more)
{
	if (db_set(&kv.db, key, klen, val, vlen, expire) < 0) {
		reply_error(c->out, OOM);
		return -1;
	}
	log_it(LOG_SET, key, klen, val, vlen, expire, more);
	return 0;
}

int store_del(const char *key, size_t klen)
{
	if (!db_del(&kv.db, key, klen))
		return 0;
	log_it(LOG_DEL, key, klen, NULL, 0, 0, 0);
	return 1;
}

int store_expire(struct entry *e, int64_t expire)
{
	e->expire = expire;
	log_it(LOG_EXPIRE, e->key, e->klen, NULL, 0, expire, 0);
	return 0;
}

void store_flush(void)
{
	db_flush(&kv.db);
	log_it(LOG_FLUSHALL, NULL, 0, NULL, 0, 0, 0);
}

/* Replay: kv.db.now is the boot's clock, so what expired while the
 * guest was down is not loaded at all. */
int store_apply(void *arg, const struct log_rec *r)
{
	struct db *db = arg;
	struct entry *e;

	switch (r->op) {
	case LOG_SET:
		if (r->expire != 0 && r->expire <= db->now) {
			db_del(db, r->key, r->klen);
			return 0;
		}
		return db_set(db, r->key, r->klen, r->val, r->vlen, r->expire) <
				       0
			       ? -ENOMEM
			       : 0;
	case LOG_DEL:
		db_del(db, r->key, r->klen);
		return 0;
	case LOG_EXPIRE:
		e = db_find(db, r->key, r->klen);
		if (e != NULL && r->expire != 0 && r->expire <= db->now)
			db_del(db, r->key, r->klen);
		else if (e != NULL)
			e->expire = r->expire;
		return 0;
	default:
		db_flush(db);
		return 0;
	}
}
