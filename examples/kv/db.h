/*
 * db.h - the data set: keys with string values and an optional expiry,
 * in a hash table in memory (as Redis keeps its own; the log on the
 * disk, log.h, is what makes it survive).
 *
 * Expiry is an absolute time in ms since the epoch (0: none), so that
 * it means the same after a restart. An expired key is removed when it
 * is next looked up (lazy expiry) and by db_sweep, a bounded step the
 * server runs between polls (active expiry), as Redis does both.
 *
 * db->now is the clock the table reads: the caller sets it (the server
 * once per poll round, a test to whatever it wants).
 */
#ifndef KV_DB_H
#define KV_DB_H

#include <stddef.h>
#include <stdint.h>

struct entry {
	struct entry *next; /* in its bucket */
	uint64_t hash;
	int64_t expire; /* ms since the epoch; 0: never */
	char *val;
	size_t vlen, klen;
	char key[];
};

struct db {
	struct entry **bucket;
	size_t nbucket;	       /* a power of 2 */
	size_t count;	       /* keys, expired ones not yet removed included */
	size_t used;	       /* bytes held for keys and values (maxmemory) */
	size_t sweep;	       /* the next bucket db_sweep looks at */
	int64_t now;	       /* ms since the epoch */
	unsigned long expired; /* keys removed by expiry */
};

int db_init(struct db *db);
void db_free(struct db *db);

/* The live entry of key, or NULL (an expired one is removed). */
struct entry *db_find(struct db *db, const char *key, size_t klen);

/* key = val, expiring at expire (0: never). 0, or -1 out of memory
 * (then nothing changed). */
int db_set(struct db *db, const char *key, size_t klen, const char *val,
	   size_t vlen, int64_t expire);

/* The value of e becomes val (its expiry kept). 0 or -1 (unchanged). */
int db_replace(struct db *db, struct entry *e, const char *val, size_t vlen);

/* 1 if key was there (and live), 0 if not. */
int db_del(struct db *db, const char *key, size_t klen);

/* Every key gone. */
void db_flush(struct db *db);

/* Active expiry: look at up to `buckets` buckets from where the last
 * call stopped, removing expired keys; the number removed. */
size_t db_sweep(struct db *db, size_t buckets);

/*
 * SCAN: call fn for each live entry of the buckets from cursor on,
 * until `count` entries were seen or the table ends; the next cursor
 * (0: done). The cursor is a bucket index: the table only grows (by
 * doubling) between calls, which moves an entry of bucket b to b or
 * b + old size, never below a cursor that has passed it, so a key
 * present throughout a scan is returned at least once (perhaps twice),
 * the guarantee Redis gives.
 */
size_t db_scan(struct db *db, size_t cursor, size_t count,
	       void (*fn)(struct entry *e, void *arg), void *arg);

/* Bytes a key of klen with a value of vlen costs (the used figure). */
size_t db_cost(size_t klen, size_t vlen);

#endif
