/*
 * db.c - the hash table of keys (see db.h): chained buckets, a 64-bit
 * FNV-1a hash, the table doubled when it holds as many keys as buckets.
 * It never shrinks except on db_flush, which is what keeps SCAN's
 * cursor valid between calls.
 */
#include <stdlib.h>
#include <string.h>
#include "db.h"

#define INITIAL_BUCKETS 64

static uint64_t hash_of(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

size_t db_cost(size_t klen, size_t vlen)
{
	/* The entry, key and value, and malloc's header on each. */
	return sizeof(struct entry) + klen + vlen + 32;
}

int db_init(struct db *db)
{
	*db = (struct db){ 0 };
	db->bucket = calloc(INITIAL_BUCKETS, sizeof(*db->bucket));
	if (db->bucket == NULL)
		return -1;
	db->nbucket = INITIAL_BUCKETS;
	return 0;
}

static void entry_free(struct db *db, struct entry *e)
{
	db->used -= db_cost(e->klen, e->vlen);
	db->count--;
	free(e->val);
	free(e);
}

void db_flush(struct db *db)
{
	for (size_t b = 0; b < db->nbucket; b++) {
		while (db->bucket[b] != NULL) {
			struct entry *e = db->bucket[b];

			db->bucket[b] = e->next;
			entry_free(db, e);
		}
	}
	db->sweep = 0;
}

void db_free(struct db *db)
{
	db_flush(db);
	free(db->bucket);
	db->bucket = NULL;
}

static int expired(const struct db *db, const struct entry *e)
{
	return e->expire != 0 && e->expire <= db->now;
}

/* The link that points at key's entry (or at the NULL ending its
 * bucket). */
static struct entry **link_of(struct db *db, const char *key, size_t klen,
			      uint64_t h)
{
	struct entry **pp = &db->bucket[h & (db->nbucket - 1)];

	while (*pp != NULL && ((*pp)->hash != h || (*pp)->klen != klen ||
			       memcmp((*pp)->key, key, klen) != 0))
		pp = &(*pp)->next;
	return pp;
}

static void unlink_entry(struct db *db, struct entry **pp)
{
	struct entry *e = *pp;

	*pp = e->next;
	entry_free(db, e);
}

struct entry *db_find(struct db *db, const char *key, size_t klen)
{
	struct entry **pp = link_of(db, key, klen, hash_of(key, klen));

	if (*pp == NULL)
		return NULL;
	if (expired(db, *pp)) {
		unlink_entry(db, pp);
		db->expired++;
		return NULL;
	}
	return *pp;
}

/* Double the table when it is full; a failed allocation only leaves
 * chains longer. */
static void grow(struct db *db)
{
	size_t n = db->nbucket * 2;
	struct entry **nb;

	if (db->count < db->nbucket || n > ((size_t)1 << 40))
		return;
	nb = calloc(n, sizeof(*nb));
	if (nb == NULL)
		return;
	for (size_t b = 0; b < db->nbucket; b++) {
		while (db->bucket[b] != NULL) {
			struct entry *e = db->bucket[b];

			db->bucket[b] = e->next;
			e->next = nb[e->hash & (n - 1)];
			nb[e->hash & (n - 1)] = e;
		}
	}
	free(db->bucket);
	db->bucket = nb;
	db->nbucket = n;
}

static char *copy_of(const char *val, size_t vlen)
{
	char *p = malloc(vlen ? vlen : 1);

	if (p != NULL)
		memcpy(p, val, vlen);
	return p;
}

int db_replace(struct db *db, struct entry *e, const char *val, size_t vlen)
{
	char *v = copy_of(val, vlen);

	if (v == NULL)
		return -1;
	db->used =
		db->used - db_cost(e->klen, e->vlen) + db_cost(e->klen, vlen);
	free(e->val);
	e->val = v;
	e->vlen = vlen;
	return 0;
}

int db_set(struct db *db, const char *key, size_t klen, const char *val,
	   size_t vlen, int64_t expire)
{
	uint64_t h = hash_of(key, klen);
	struct entry **pp = link_of(db, key, klen, h), *e;

	if (*pp != NULL) {
		if (db_replace(db, *pp, val, vlen) < 0)
			return -1;
		(*pp)->expire = expire;
		return 0;
	}
	e = malloc(sizeof(*e) + klen);
	if (e == NULL)
		return -1;
	e->val = copy_of(val, vlen);
	if (e->val == NULL) {
		free(e);
		return -1;
	}
	memcpy(e->key, key, klen);
	e->klen = klen;
	e->vlen = vlen;
	e->hash = h;
	e->expire = expire;
	e->next = *pp;
	*pp = e;
	db->count++;
	db->used += db_cost(klen, vlen);
	grow(db);
	return 0;
}

int db_del(struct db *db, const char *key, size_t klen)
{
	uint64_t h = hash_of(key, klen);
	struct entry **pp = link_of(db, key, klen, h);
	int live;

	if (*pp == NULL)
		return 0;
	live = !expired(db, *pp);
	unlink_entry(db, pp);
	return live;
}

size_t db_sweep(struct db *db, size_t buckets)
{
	size_t removed = 0;

	for (; buckets > 0; buckets--) {
		struct entry **pp;

		if (db->sweep >= db->nbucket)
			db->sweep = 0;
		pp = &db->bucket[db->sweep++];
		while (*pp != NULL) {
			if (expired(db, *pp)) {
				unlink_entry(db, pp);
				removed++;
			} else {
				pp = &(*pp)->next;
			}
		}
	}
	db->expired += removed;
	return removed;
}

size_t db_scan(struct db *db, size_t cursor, size_t count,
	       void (*fn)(struct entry *e, void *arg), void *arg)
{
	size_t seen = 0;

	while (cursor < db->nbucket && seen < count) {
		struct entry *e;

		for (e = db->bucket[cursor]; e != NULL; e = e->next) {
			if (!expired(db, e)) {
				fn(e, arg);
				seen++;
			}
		}
		cursor++;
	}
	return cursor < db->nbucket ? cursor : 0;
}
