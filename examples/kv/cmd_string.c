/*
 * cmd_string.c - the string commands: GET SET GETSET INCR DECR INCRBY
 * DECRBY APPEND STRLEN MGET MSET, with Redis 7's replies and errors.
 * (Strings are the only type here, so WRONGTYPE never arises.)
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kv.h"

static void reply_value(struct outbuf *o, const struct entry *e)
{
	if (e == NULL)
		reply_nil(o);
	else
		reply_bulk(o, e->val, e->vlen);
}

void cmd_get(struct call *c)
{
	reply_value(c->out, db_find(&kv.db, c->argv[1], c->argl[1]));
}

enum { SET_NX = 1, SET_XX = 2, SET_GET = 4, SET_KEEPTTL = 8 };

/* SET's options: flags, and the expiry's unit and argument (0: none).
 * Syntax first, values after, as Redis checks them. */
static int set_options(struct call *c, unsigned *flags, int *unit_ms,
		       int *absolute, int *arg)
{
	static const char *const exp[] = { "ex", "px", "exat", "pxat" };

	for (int i = 3; i < c->argc; i++) {
		int e = -1;

		for (int k = 0; k < 4; k++)
			if (arg_is(c, i, exp[k]))
				e = k;
		if (arg_is(c, i, "nx") && !(*flags & SET_XX)) {
			*flags |= SET_NX;
		} else if (arg_is(c, i, "xx") && !(*flags & SET_NX)) {
			*flags |= SET_XX;
		} else if (arg_is(c, i, "get")) {
			*flags |= SET_GET;
		} else if (arg_is(c, i, "keepttl") && *arg == 0) {
			*flags |= SET_KEEPTTL;
		} else if (e >= 0 && *arg == 0 && !(*flags & SET_KEEPTTL) &&
			   i + 1 < c->argc) {
			*unit_ms = e & 1;
			*absolute = e >= 2;
			*arg = ++i;
		} else {
			reply_error(c->out, "ERR syntax error");
			return -1;
		}
	}
	return 0;
}

/* An expiry argument as an absolute time in ms; -1 after the error. */
static int expire_at(struct call *c, int i, int unit_ms, int absolute,
		     const char *cmd, int64_t *at)
{
	long long v;

	if (arg_ll(c, i, &v) < 0)
		return -1;
	if (v <= 0 || (!unit_ms && v > LLONG_MAX / 1000) ||
	    (!absolute && (unit_ms ? v : v * 1000) > LLONG_MAX - kv.db.now)) {
		reply_errorf(c->out, "invalid expire time in '%s' command",
			     cmd);
		return -1;
	}
	v = unit_ms ? v : v * 1000;
	*at = absolute ? v : kv.db.now + v;
	return 0;
}

void cmd_set(struct call *c)
{
	unsigned flags = 0;
	int unit_ms = 0, absolute = 0, arg = 0;
	int64_t at = 0;
	struct entry *e;

	if (set_options(c, &flags, &unit_ms, &absolute, &arg) < 0)
		return;
	if (arg && expire_at(c, arg, unit_ms, absolute, "set", &at) < 0)
		return;
	if (store_room(c, store_set_size(c->argl[1], c->argl[2])) < 0)
		return;
	e = db_find(&kv.db, c->argv[1], c->argl[1]);
	if (flags & SET_GET)
		reply_value(c->out, e);
	if (((flags & SET_NX) && e) || ((flags & SET_XX) && !e)) {
		if (!(flags & SET_GET))
			reply_nil(c->out);
		return;
	}
	if ((flags & SET_KEEPTTL) && e)
		at = e->expire;
	if (at != 0 && at <= kv.db.now) {
		/* EXAT/PXAT in the past: set, and expired at once. */
		store_del(c->argv[1], c->argl[1]);
	} else if (store_set(c, c->argv[1], c->argl[1], c->argv[2], c->argl[2],
			     at, 0) < 0) {
		return;
	}
	if (!(flags & SET_GET))
		reply_ok(c->out);
}

void cmd_getset(struct call *c)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);

	if (store_room(c, store_set_size(c->argl[1], c->argl[2])) < 0)
		return;
	reply_value(c->out, e);
	/* The reply holds a copy: the old value can go. */
	store_set(c, c->argv[1], c->argl[1], c->argv[2], c->argl[2], 0, 0);
}

static void incr_by(struct call *c, long long by)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);
	long long v = 0;
	char num[24];
	int n;

	if (e != NULL) {
		struct call tmp = *c;
		char *argv[1] = { e->val };
		size_t argl[1] = { e->vlen };

		tmp.argv = argv;
		tmp.argl = argl;
		if (arg_ll(&tmp, 0, &v) < 0)
			return;
	}
	if ((by < 0 && v < 0 && by < LLONG_MIN - v) ||
	    (by > 0 && v > 0 && by > LLONG_MAX - v)) {
		reply_error(c->out,
			    "ERR increment or decrement would overflow");
		return;
	}
	v += by;
	n = snprintf(num, sizeof(num), "%lld", v);
	if (store_room(c, store_set_size(c->argl[1], (size_t)n)) < 0 ||
	    store_set(c, c->argv[1], c->argl[1], num, (size_t)n,
		      e ? e->expire : 0, 0) < 0)
		return;
	reply_int(c->out, v);
}

void cmd_incr(struct call *c)
{
	incr_by(c, 1);
}

void cmd_decr(struct call *c)
{
	incr_by(c, -1);
}

void cmd_incrby(struct call *c)
{
	long long by;

	if (arg_ll(c, 2, &by) == 0)
		incr_by(c, by);
}

void cmd_decrby(struct call *c)
{
	long long by;

	if (arg_ll(c, 2, &by) < 0)
		return;
	if (by == LLONG_MIN) {
		reply_error(c->out, "ERR decrement would overflow");
		return;
	}
	incr_by(c, -by);
}

void cmd_append(struct call *c)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);
	size_t old = e ? e->vlen : 0, len = old + c->argl[2];
	char *v;

	if (len > KV_STRING_MAX) {
		reply_error(c->out, "ERR string exceeds maximum allowed size "
				    "(proto-max-bulk-len)");
		return;
	}
	if (store_room(c, store_set_size(c->argl[1], len)) < 0)
		return;
	v = malloc(len ? len : 1);
	if (v == NULL) {
		reply_error(c->out, "OOM command not allowed when used memory "
				    "> 'maxmemory'.");
		return;
	}
	if (old)
		memcpy(v, e->val, old);
	memcpy(v + old, c->argv[2], c->argl[2]);
	if (store_set(c, c->argv[1], c->argl[1], v, len, e ? e->expire : 0,
		      0) == 0)
		reply_int(c->out, (long long)len);
	free(v);
}

void cmd_strlen(struct call *c)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);

	reply_int(c->out, e ? (long long)e->vlen : 0);
}

void cmd_mget(struct call *c)
{
	reply_array(c->out, c->argc - 1);
	for (int i = 1; i < c->argc; i++)
		reply_value(c->out, db_find(&kv.db, c->argv[i], c->argl[i]));
}

/* The pairs are one command in the log (LOG_MORE on all but the last):
 * after a crash, all of them are there or none. */
void cmd_mset(struct call *c)
{
	size_t bytes = 0;

	if (c->argc % 2 == 0) {
		reply_error(c->out,
			    "ERR wrong number of arguments for 'mset' command");
		return;
	}
	for (int i = 1; i < c->argc; i += 2)
		bytes += store_set_size(c->argl[i], c->argl[i + 1]);
	if (store_room(c, bytes) < 0)
		return;
	for (int i = 1; i < c->argc; i += 2)
		if (store_set(c, c->argv[i], c->argl[i], c->argv[i + 1],
			      c->argl[i + 1], 0, i + 2 < c->argc) < 0)
			return;
	reply_ok(c->out);
}
