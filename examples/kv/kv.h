/*
 * kv.h - examples/kv's commands, as the server (server.c) calls them
 * and the tests (tests/unit/test_kvdb.c) drive them: the command table
 * (cmd.c), the handlers (cmd_string.c, cmd_keys.c, cmd_server.c), and
 * the store (store.c), through which every change reaches both the
 * data set (db.h) and the log (log.h).
 */
#ifndef KV_KV_H
#define KV_KV_H

#include <stddef.h>
#include <stdint.h>
#include "db.h"
#include "log.h"
#include "reply.h"

/* The longest string value, as Redis's proto-max-bulk-len is its own:
 * what one bulk string of a request can carry (resp.h), and what the
 * log accepts (log.h). APPEND past it is refused with Redis's words. */
#define KV_STRING_MAX LOG_FIELD_MAX

enum kv_fsync { FSYNC_ALWAYS, FSYNC_EVERYSEC };
/* appendfsync everysec: the longest written records wait for a flush. */
#define EVERYSEC_MS 1000

/* The server's state that commands see. */
struct kv {
	struct db db;
	struct kvlog *log; /* NULL: no disk, the data set is memory only */
	size_t maxmemory;  /* bytes of keys and values (db.used); 0: none */
	enum kv_fsync fsync;
	int log_failed;	       /* errno of a failed log write: writes refused */
	int64_t synced_at;     /* ms, monotonic: the last flush (everysec) */
	unsigned rewrite_pct;  /* auto_aof_rewrite_percentage; 0: never */
	uint64_t rewrite_base; /* the log's bytes after the last rewrite */
	unsigned long rewrites;
	unsigned long commands, connections;
};
extern struct kv kv;

/* One command being run: its arguments (argv[0] the name) and the
 * client's output. quit: close the client after this answer. */
struct call {
	struct outbuf *out;
	int argc;
	char **argv;
	size_t *argl;
	int quit;
};

enum cmd_flag {
	CMD_WRITE = 1,	 /* changes the data set: refused on a log error */
	CMD_DENYOOM = 2, /* may grow it: refused above maxmemory */
	CMD_READONLY = 4,
	CMD_FAST = 8,
};

struct command {
	const char *name; /* lower case, as COMMAND lists it */
	int arity;	  /* Redis's: N exactly, -N at least N (name too) */
	unsigned flags;
	void (*fn)(struct call *c);
	int first_key, last_key, step; /* for COMMAND */
};

extern const struct command commands[];
extern const size_t ncommands;

/* The handlers of the table (cmd_string.c, cmd_keys.c, cmd_server.c). */
void cmd_get(struct call *), cmd_set(struct call *), cmd_getset(struct call *),
	cmd_incr(struct call *), cmd_decr(struct call *),
	cmd_incrby(struct call *), cmd_decrby(struct call *),
	cmd_append(struct call *), cmd_strlen(struct call *),
	cmd_mget(struct call *), cmd_mset(struct call *);
void cmd_del(struct call *), cmd_exists(struct call *),
	cmd_expire(struct call *), cmd_pexpire(struct call *),
	cmd_ttl(struct call *), cmd_pttl(struct call *),
	cmd_persist(struct call *), cmd_keys(struct call *),
	cmd_scan(struct call *), cmd_dbsize(struct call *),
	cmd_flushall(struct call *), cmd_type(struct call *);
void cmd_ping(struct call *), cmd_echo(struct call *),
	cmd_select(struct call *), cmd_quit(struct call *),
	cmd_command(struct call *), cmd_info(struct call *),
	cmd_config(struct call *), cmd_bgrewriteaof(struct call *);

/* The command named name[0..n), in any case, or NULL. */
const struct command *cmd_lookup(const char *name, size_t n);

/* Run one command: look it up, check its arity and whether it may run
 * now, then call it. Its answer goes to c->out. */
void cmd_exec(struct call *c);

/* Argument i as a Redis integer (strict decimal, in range): 0 or -1,
 * after replying "ERR value is not an integer or out of range". */
int arg_ll(struct call *c, int i, long long *v);
/* Argument i equals word, ignoring case. */
int arg_is(const struct call *c, int i, const char *word);

/* Every change goes through these: the data set, then the log's
 * batch. store_room first: 0, or -1 after replying the error (the log
 * is full, MISCONF; memory, OOM) with nothing changed. */
int store_room(struct call *c, size_t bytes);
int store_set(struct call *c, const char *key, size_t klen, const char *val,
	      size_t vlen, int64_t expire, int more);
int store_del(const char *key, size_t klen);
int store_expire(struct entry *e, int64_t expire);
void store_flush(void);
/* The log bytes of these, for store_room. */
size_t store_set_size(size_t klen, size_t vlen);

/* "-MISCONF Errors writing to the AOF file: <strerror(err)>", Redis's
 * answer to a write it cannot log. */
void reply_misconf(struct outbuf *o, int err);

/*
 * The poll round's log batch to the disk (commit.c), before any of the
 * round's replies leave: written, and flushed with appendfsync always
 * (with everysec, flushed when a second has passed since the last).
 * COMMIT_OK: the replies may go. COMMIT_UNDONE: the write or the
 * flush failed, the data set is what the disk held before the round
 * (its changes undone), the disk is cut there, writes are refused from
 * now on: every reply of the round must become reply_misconf(
 * kv.log_failed). COMMIT_LOST: the same, but the cut failed too, so
 * the disk may still hold the round's records: its clients must get no
 * answer at all (their writes are neither acknowledged nor refused).
 * COMMIT_FATAL: the log could not be read back: stop serving.
 */
enum commit_result { COMMIT_OK, COMMIT_UNDONE, COMMIT_LOST, COMMIT_FATAL };
enum commit_result store_commit(int64_t now);
/* A client's replies of that round (n of them, from byte mark of o)
 * as r wants them; 1: close the client, unanswered. */
int commit_replies(struct outbuf *o, size_t mark, unsigned n,
		   enum commit_result r);

/* Compaction (rewrite.c). store_rewrite_start: begin one (0, -EBUSY
 * one runs, -ENOSPC the log spans the disk, -ENODEV no log, -EIO the
 * log failed). store_commit calls the others: store_rewrite_step
 * before the round's write, store_rewrite_after once it is durable. */
int store_rewrite_start(void);
void store_rewrite_step(void);
void store_rewrite_after(void);

/* A record replayed from the log into the data set (log_open's apply). */
int store_apply(void *arg, const struct log_rec *rec);

/* Redis's glob (KEYS, SCAN MATCH, CONFIG GET): * ? [a-z] [^a] \x. */
int glob_match(const char *pat, size_t plen, const char *s, size_t slen,
	       int nocase);

/* The INFO text into o. */
void info_reply(struct outbuf *o, const char *section, size_t slen);

#endif
