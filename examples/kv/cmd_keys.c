/*
 * cmd_keys.c - the commands on keys whatever their value: DEL EXISTS
 * EXPIRE PEXPIRE TTL PTTL PERSIST TYPE KEYS SCAN DBSIZE FLUSHALL
 * (FLUSHDB: one database here), with Redis 7's replies and errors.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include "kv.h"

void cmd_del(struct call *c)
{
	size_t bytes = 0;
	long long n = 0;

	for (int i = 1; i < c->argc; i++)
		bytes += log_rec_size(c->argl[i], 0);
	if (store_room(c, bytes) < 0)
		return;
	for (int i = 1; i < c->argc; i++)
		n += store_del(c->argv[i], c->argl[i]);
	reply_int(c->out, n);
}

void cmd_exists(struct call *c)
{
	long long n = 0;

	for (int i = 1; i < c->argc; i++)
		n += db_find(&kv.db, c->argv[i], c->argl[i]) != NULL;
	reply_int(c->out, n);
}

enum { EXP_NX = 1, EXP_XX = 2, EXP_GT = 4, EXP_LT = 8 };

static int expire_flags(struct call *c, unsigned *f)
{
	for (int i = 3; i < c->argc; i++) {
		if (arg_is(c, i, "nx"))
			*f |= EXP_NX;
		else if (arg_is(c, i, "xx"))
			*f |= EXP_XX;
		else if (arg_is(c, i, "gt"))
			*f |= EXP_GT;
		else if (arg_is(c, i, "lt"))
			*f |= EXP_LT;
		else {
			reply_errorf(c->out, "Unsupported option %.*s",
				     (int)c->argl[i], c->argv[i]);
			return -1;
		}
	}
	if ((*f & EXP_NX) && (*f & (EXP_XX | EXP_GT | EXP_LT))) {
		reply_error(c->out, "ERR NX and XX, GT or LT options at the "
				    "same time are not compatible");
		return -1;
	}
	if ((*f & EXP_GT) && (*f & EXP_LT)) {
		reply_error(c->out, "ERR GT and LT options at the same time "
				    "are not compatible");
		return -1;
	}
	return 0;
}

/* Whether NX/XX/GT/LT let an expiry at `at` replace e's (none: an
 * infinite TTL, as Redis counts it). */
static int expire_allowed(unsigned f, const struct entry *e, int64_t at)
{
	if ((f & EXP_NX) && e->expire)
		return 0;
	if ((f & EXP_XX) && !e->expire)
		return 0;
	if ((f & EXP_GT) && (!e->expire || at <= e->expire))
		return 0;
	if ((f & EXP_LT) && e->expire && at >= e->expire)
		return 0;
	return 1;
}

static void expire_generic(struct call *c, int unit_ms, const char *name)
{
	unsigned f = 0;
	long long when;
	struct entry *e;

	if (expire_flags(c, &f) < 0 || arg_ll(c, 2, &when) < 0)
		return;
	if ((!unit_ms &&
	     (when > LLONG_MAX / 1000 || when < LLONG_MIN / 1000))) {
		reply_errorf(c->out, "invalid expire time in '%s' command",
			     name);
		return;
	}
	when = unit_ms ? when : when * 1000;
	if (when > LLONG_MAX - kv.db.now) {
		reply_errorf(c->out, "invalid expire time in '%s' command",
			     name);
		return;
	}
	when += kv.db.now;
	e = db_find(&kv.db, c->argv[1], c->argl[1]);
	if (e == NULL || !expire_allowed(f, e, when)) {
		reply_int(c->out, 0);
		return;
	}
	if (store_room(c, log_rec_size(c->argl[1], 0)) < 0)
		return;
	/* A time already past deletes the key, as Redis does. */
	if (when <= kv.db.now)
		store_del(c->argv[1], c->argl[1]);
	else
		store_expire(e, when);
	reply_int(c->out, 1);
}

void cmd_expire(struct call *c)
{
	expire_generic(c, 0, "expire");
}

void cmd_pexpire(struct call *c)
{
	expire_generic(c, 1, "pexpire");
}

static void ttl_generic(struct call *c, int unit_ms)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);
	long long left;

	if (e == NULL) {
		reply_int(c->out, -2);
		return;
	}
	if (e->expire == 0) {
		reply_int(c->out, -1);
		return;
	}
	left = e->expire - kv.db.now;
	if (left < 0)
		left = 0;
	reply_int(c->out, unit_ms ? left : (left + 500) / 1000);
}

void cmd_ttl(struct call *c)
{
	ttl_generic(c, 0);
}

void cmd_pttl(struct call *c)
{
	ttl_generic(c, 1);
}

void cmd_persist(struct call *c)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);

	if (e == NULL || e->expire == 0) {
		reply_int(c->out, 0);
		return;
	}
	if (store_room(c, log_rec_size(c->argl[1], 0)) < 0)
		return;
	store_expire(e, 0);
	reply_int(c->out, 1);
}

void cmd_type(struct call *c)
{
	struct entry *e = db_find(&kv.db, c->argv[1], c->argl[1]);

	reply_status(c->out, e ? "string" : "none");
}

/* The keys a KEYS or SCAN step found, before the reply's count. */
struct found {
	const char *pat;
	size_t plen, n, cap;
	struct entry **e;
	int oom;
};

static void collect(struct entry *e, void *arg)
{
	struct found *f = arg;

	if (f->pat && !glob_match(f->pat, f->plen, e->key, e->klen, 0))
		return;
	if (f->n == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		struct entry **p = realloc(f->e, cap * sizeof(*p));

		if (p == NULL) {
			f->oom = 1;
			return;
		}
		f->e = p;
		f->cap = cap;
	}
	f->e[f->n++] = e;
}

static void reply_found(struct call *c, struct found *f)
{
	reply_array(c->out, (long long)f->n);
	for (size_t i = 0; i < f->n; i++)
		reply_bulk(c->out, f->e[i]->key, f->e[i]->klen);
	free(f->e);
}

void cmd_keys(struct call *c)
{
	struct found f = { 0 };

	if (!(c->argl[1] == 1 && c->argv[1][0] == '*')) {
		f.pat = c->argv[1];
		f.plen = c->argl[1];
	}
	db_scan(&kv.db, 0, SIZE_MAX, collect, &f);
	if (f.oom) {
		free(f.e);
		reply_error(c->out, "OOM command not allowed when used memory "
				    "> 'maxmemory'.");
		return;
	}
	reply_found(c, &f);
}

/* SCAN's cursor: a decimal unsigned long, as Redis's strtoul check. */
static int scan_cursor(struct call *c, size_t *cur)
{
	unsigned long long v = 0;

	if (c->argl[1] == 0 || c->argl[1] > 20)
		goto bad;
	for (size_t i = 0; i < c->argl[1]; i++) {
		unsigned d = (unsigned)(c->argv[1][i] - '0');

		if (d > 9 || v > (ULLONG_MAX - d) / 10)
			goto bad;
		v = v * 10 + d;
	}
	*cur = v > SIZE_MAX ? SIZE_MAX : (size_t)v;
	return 0;
bad:
	reply_error(c->out, "ERR invalid cursor");
	return -1;
}

void cmd_scan(struct call *c)
{
	struct found f = { 0 };
	size_t cur, next;
	long long count = 10;
	int none = 0;
	char num[24];

	if (scan_cursor(c, &cur) < 0)
		return;
	for (int i = 2; i < c->argc; i += 2) {
		if (i + 1 >= c->argc) {
			reply_error(c->out, "ERR syntax error");
			return;
		}
		if (arg_is(c, i, "count")) {
			if (arg_ll(c, i + 1, &count) < 0)
				return;
			if (count < 1) {
				reply_error(c->out, "ERR syntax error");
				return;
			}
		} else if (arg_is(c, i, "match")) {
			f.pat = c->argv[i + 1];
			f.plen = c->argl[i + 1];
		} else if (arg_is(c, i, "type")) {
			none = !arg_is(c, i + 1, "string");
		} else {
			reply_error(c->out, "ERR syntax error");
			return;
		}
	}
	next = db_scan(&kv.db, cur, (size_t)count, collect, &f);
	if (none || f.oom)
		f.n = 0;
	snprintf(num, sizeof(num), "%zu", next);
	reply_array(c->out, 2);
	reply_cstr(c->out, num);
	reply_found(c, &f);
}

void cmd_dbsize(struct call *c)
{
	reply_int(c->out, (long long)kv.db.count);
}

void cmd_flushall(struct call *c)
{
	if (c->argc > 2 ||
	    (c->argc == 2 && !arg_is(c, 1, "sync") && !arg_is(c, 1, "async"))) {
		reply_error(c->out, "ERR syntax error");
		return;
	}
	if (store_room(c, log_rec_size(0, 0)) < 0)
		return;
	store_flush();
	reply_ok(c->out);
}
