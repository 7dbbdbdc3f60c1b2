/*
 * test_kvdb.c - examples/kv's data set and commands: the hash table
 * (db.c: growth, lazy and active expiry, SCAN's guarantee, the memory
 * figure), the commands' exact replies (cmd*.c), and the store over an
 * in-memory disk (store.c, log.c, replay.c): what was written is there
 * after a "reboot", a full disk gives MISCONF and a full memory OOM,
 * while reads go on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../examples/kv/kv.h"
#include "../../examples/kv/resp.h"
#include "kv_memdisk.h"

#define T0 1700000000000ll /* ms since the epoch: "now" in the tests */

static struct resp_cmd cmd;
static struct outbuf out;
static struct kvlog klog;

/* Run one inline command line; its raw reply, NUL-ended. */
static const char *run(const char *line)
{
	static char buf[4096], reply[1 << 16];
	size_t n = strlen(line);
	struct call c;

	memcpy(buf, line, n);
	buf[n++] = '\n';
	assert_int_equal(resp_parse(buf, n, &cmd), (long)n);
	c = (struct call){ &out, cmd.argc, cmd.argv, cmd.argl, 0 };
	outbuf_free(&out);
	cmd_exec(&c);
	assert_true(out.len < sizeof(reply));
	memcpy(reply, out.buf, out.len);
	reply[out.len] = '\0';
	return reply;
}

static int setup(void **state)
{
	(void)state;
	memset(&kv, 0, sizeof(kv));
	assert_int_equal(db_init(&kv.db), 0);
	kv.db.now = T0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	db_free(&kv.db);
	outbuf_free(&out);
	free(klog.pend);
	memset(&klog, 0, sizeof(klog));
	return 0;
}

static void test_db_basics(void **state)
{
	char k[32];
	struct entry *e;

	(void)state;
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(k, sizeof(k), "key:%d", i);

		assert_int_equal(db_set(&kv.db, k, (size_t)n, k, (size_t)n, 0),
				 0);
	}
	assert_int_equal(kv.db.count, 10000);
	assert_true(kv.db.nbucket >= 8192);
	for (int i = 0; i < 10000; i++) {
		int n = snprintf(k, sizeof(k), "key:%d", i);

		e = db_find(&kv.db, k, (size_t)n);
		assert_non_null(e);
		assert_memory_equal(e->val, k, (size_t)n);
	}
	assert_int_equal(db_set(&kv.db, "key:1", 5, "x", 1, 0), 0);
	assert_int_equal(kv.db.count, 10000);
	assert_int_equal(db_del(&kv.db, "key:1", 5), 1);
	assert_int_equal(db_del(&kv.db, "key:1", 5), 0);
	assert_null(db_find(&kv.db, "key:1", 5));
	db_flush(&kv.db);
	assert_int_equal(kv.db.count, 0);
	assert_int_equal(kv.db.used, 0); /* every byte counted back */
}

static void test_db_expiry(void **state)
{
	(void)state;
	assert_int_equal(db_set(&kv.db, "a", 1, "1", 1, T0 + 10), 0);
	assert_int_equal(db_set(&kv.db, "b", 1, "1", 1, T0 + 10), 0);
	assert_int_equal(db_set(&kv.db, "c", 1, "1", 1, 0), 0);
	assert_non_null(db_find(&kv.db, "a", 1));
	kv.db.now = T0 + 10;		      /* expiry is "at or before now" */
	assert_null(db_find(&kv.db, "a", 1)); /* lazy */
	assert_int_equal(kv.db.count, 2);
	/* Active: a bounded step; the whole table within nbucket steps. */
	assert_int_equal(db_sweep(&kv.db, kv.db.nbucket), 1);
	assert_int_equal(kv.db.count, 1);
	assert_int_equal(kv.db.expired, 2);
	assert_non_null(db_find(&kv.db, "c", 1));
}

static void mark(struct entry *e, void *arg)
{
	char *seen = arg, num[16];

	assert_true(e->klen - 2 < sizeof(num));
	memcpy(num, e->key + 2, e->klen - 2);
	num[e->klen - 2] = '\0';
	seen[atoi(num)]++;
}

/* SCAN's guarantee: keys present from start to end are returned, even
 * as the table doubles between steps. */
static void test_db_scan_while_growing(void **state)
{
	static char seen[5000];
	size_t cur = 0;
	char k[32];
	int added = 0;

	(void)state;
	for (int i = 0; i < 100; i++) {
		int n = snprintf(k, sizeof(k), "k:%d", i);

		db_set(&kv.db, k, (size_t)n, "v", 1, 0);
	}
	do {
		cur = db_scan(&kv.db, cur, 7, mark, seen);
		for (int j = 0; j < 300 && added < 4900; j++, added++) {
			int n = snprintf(k, sizeof(k), "k:%d", 100 + added);

			db_set(&kv.db, k, (size_t)n, "v", 1, 0);
		}
	} while (cur != 0);
	assert_true(kv.db.nbucket >= 4096);
	for (int i = 0; i < 100; i++)
		assert_true(seen[i] >= 1);
}

struct reply_case {
	const char *cmd, *reply;
};

static void check(const struct reply_case *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = run(t[i].cmd);

		if (strcmp(got, t[i].reply) != 0)
			fail_msg("%s: got '%s', expected '%s'", t[i].cmd, got,
				 t[i].reply);
	}
}

static void test_strings(void **state)
{
	static const struct reply_case t[] = {
		{ "PING", "+PONG\r\n" },
		{ "ping hi", "$2\r\nhi\r\n" },
		{ "SET k v", "+OK\r\n" },
		{ "GET k", "$1\r\nv\r\n" },
		{ "GET nope", "$-1\r\n" },
		{ "SET k v2 NX", "$-1\r\n" },
		{ "SET k v3 XX GET", "$1\r\nv\r\n" },
		{ "SET k v NX XX", "-ERR syntax error\r\n" },
		{ "SET k v EX 0",
		  "-ERR invalid expire time in 'set' command\r\n" },
		{ "SET k v EX x",
		  "-ERR value is not an integer or out of range\r\n" },
		{ "SET k v EX 10 PX 10", "-ERR syntax error\r\n" },
		{ "SET t v EX 100", "+OK\r\n" },
		{ "TTL t", ":100\r\n" },
		{ "PTTL t", ":100000\r\n" },
		{ "SET t v2 KEEPTTL", "+OK\r\n" },
		{ "TTL t", ":100\r\n" },
		{ "GETSET t v3", "$2\r\nv2\r\n" },
		{ "TTL t", ":-1\r\n" },
		{ "INCR n", ":1\r\n" },
		{ "INCRBY n 41", ":42\r\n" },
		{ "DECRBY n 2", ":40\r\n" },
		{ "DECR n", ":39\r\n" },
		{ "INCR k",
		  "-ERR value is not an integer or out of range\r\n" },
		{ "SET big 9223372036854775807", "+OK\r\n" },
		{ "INCR big",
		  "-ERR increment or decrement would overflow\r\n" },
		{ "DECRBY n -9223372036854775808",
		  "-ERR decrement would overflow\r\n" },
		{ "APPEND a hello", ":5\r\n" },
		{ "APPEND a \" world\"", ":11\r\n" },
		{ "STRLEN a", ":11\r\n" },
		{ "MSET x 1 y 2", "+OK\r\n" },
		{ "MGET x nope y", "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n" },
		{ "MSET x",
		  "-ERR wrong number of arguments for 'mset' command\r\n" },
		{ "MSET x 1 y",
		  "-ERR wrong number of arguments for 'mset' command\r\n" },
	};

	(void)state;
	check(t, sizeof(t) / sizeof(t[0]));
}

static void test_keys_and_server(void **state)
{
	static const struct reply_case t[] = {
		{ "MSET a 1 b 2 c 3", "+OK\r\n" },
		{ "DEL a nope a", ":1\r\n" },
		{ "EXISTS b b nope", ":2\r\n" },
		{ "EXPIRE b 10", ":1\r\n" },
		{ "EXPIRE b 20 NX", ":0\r\n" },
		{ "EXPIRE b 5 GT", ":0\r\n" },
		{ "EXPIRE b 30 GT", ":1\r\n" },
		{ "TTL b", ":30\r\n" },
		{ "EXPIRE b 1 NX XX", "-ERR NX and XX, GT or LT options at the "
				      "same time are not compatible\r\n" },
		{ "EXPIRE b 1 GT LT", "-ERR GT and LT options at the same time "
				      "are not compatible\r\n" },
		{ "EXPIRE b 1 FOO", "-ERR Unsupported option FOO\r\n" },
		{ "EXPIRE b 99999999999999999",
		  "-ERR invalid expire time in 'expire' command\r\n" },
		{ "PERSIST b", ":1\r\n" },
		{ "PERSIST b", ":0\r\n" },
		{ "TTL nope", ":-2\r\n" },
		{ "EXPIRE c -1", ":1\r\n" },
		{ "EXISTS c", ":0\r\n" },
		{ "DBSIZE", ":1\r\n" },
		{ "KEYS *", "*1\r\n$1\r\nb\r\n" },
		{ "KEYS [a-c]", "*1\r\n$1\r\nb\r\n" },
		{ "KEYS x*", "*0\r\n" },
		{ "SCAN 0 COUNT 1000", "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n" },
		{ "SCAN 0 TYPE list", "*2\r\n$1\r\n0\r\n*0\r\n" },
		{ "SCAN x", "-ERR invalid cursor\r\n" },
		{ "SCAN 0 COUNT 0", "-ERR syntax error\r\n" },
		{ "TYPE b", "+string\r\n" },
		{ "SELECT 0", "+OK\r\n" },
		{ "SELECT 1", "-ERR DB index is out of range\r\n" },
		{ "ECHO",
		  "-ERR wrong number of arguments for 'echo' command\r\n" },
		{ "foo a b", "-ERR unknown command 'foo', with args beginning "
			     "with: 'a' 'b' \r\n" },
		{ "FOO", "-ERR unknown command 'FOO', with args beginning "
			 "with: \r\n" },
		{ "get",
		  "-ERR wrong number of arguments for 'get' command\r\n" },
		{ "COMMAND FOO",
		  "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n" },
		{ "CONFIG GET save", "*2\r\n$4\r\nsave\r\n$0\r\n\r\n" },
		{ "CONFIG GET appendonly",
		  "*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n" },
		{ "FLUSHALL NOW", "-ERR syntax error\r\n" },
		{ "FLUSHALL", "+OK\r\n" },
		{ "DBSIZE", ":0\r\n" },
		{ "QUIT", "+OK\r\n" },
	};

	(void)state;
	check(t, sizeof(t) / sizeof(t[0]));
}

/* An unknown command's arguments are shown up to 128 bytes. */
static void test_unknown_long_args(void **state)
{
	char line[600];
	const char *got;

	(void)state;
	snprintf(line, sizeof(line), "nope %0200d b", 0);
	got = run(line);
	assert_int_equal(strlen(got), strlen("-ERR unknown command 'nope', "
					     "with args beginning with: ''") +
					      128 + 3);
}

static struct memdisk disk;

static void open_disk(size_t size)
{
	struct log_dev dev;
	struct log_replay r;

	if (disk.bytes == NULL) {
		disk.bytes = calloc(1, size);
		disk.size = size;
	}
	dev = memdisk_dev(&disk);
	assert_int_equal(log_open(&klog, &dev, store_apply, &kv.db, &r), 0);
	assert_null(r.why);
	kv.log = &klog;
}

/* The server's commit, as server.c does it between rounds. */
static void commit(void)
{
	assert_int_equal(log_write(&klog), 0);
	assert_int_equal(log_sync(&klog), 0);
}

static void reboot(void)
{
	db_free(&kv.db);
	free(klog.pend);
	assert_int_equal(db_init(&kv.db), 0);
	kv.db.now = T0 + 5000;
	open_disk(disk.size);
}

static void test_store_survives_reboot(void **state)
{
	static const struct reply_case before[] = {
		{ "SET a 1", "+OK\r\n" },
		{ "SET gone x EX 2", "+OK\r\n" },
		{ "SET stays y EX 100", "+OK\r\n" },
		{ "INCR n", ":1\r\n" },
		{ "INCR n", ":2\r\n" },
		{ "APPEND s ab", ":2\r\n" },
		{ "APPEND s cd", ":4\r\n" },
		{ "MSET m1 x m2 y", "+OK\r\n" },
		{ "DEL m1", ":1\r\n" },
		{ "SET p v EX 100", "+OK\r\n" },
		{ "PERSIST p", ":1\r\n" },
	};
	static const struct reply_case after[] = {
		{ "GET a", "$1\r\n1\r\n" },    { "GET gone", "$-1\r\n" },
		{ "TTL stays", ":95\r\n" },    { "GET n", "$1\r\n2\r\n" },
		{ "GET s", "$4\r\nabcd\r\n" }, { "GET m1", "$-1\r\n" },
		{ "GET m2", "$1\r\ny\r\n" },   { "TTL p", ":-1\r\n" },
		{ "DBSIZE", ":6\r\n" },
	};

	(void)state;
	open_disk(1 << 20);
	check(before, sizeof(before) / sizeof(before[0]));
	commit();
	reboot();
	check(after, sizeof(after) / sizeof(after[0]));
	/* A FLUSHALL survives too. */
	check((struct reply_case[]){ { "FLUSHALL", "+OK\r\n" },
				     { "SET z 1", "+OK\r\n" } },
	      2);
	commit();
	reboot();
	check((struct reply_case[]){ { "DBSIZE", ":1\r\n" } }, 1);
	free(disk.bytes);
	memset(&disk, 0, sizeof(disk));
}

/* Not committed, not there: nothing reaches the disk before commit. */
static void test_uncommitted_is_not_on_disk(void **state)
{
	(void)state;
	open_disk(1 << 20);
	check((struct reply_case[]){ { "SET a 1", "+OK\r\n" } }, 1);
	commit();
	check((struct reply_case[]){ { "SET b 1", "+OK\r\n" } }, 1);
	reboot();
	check((struct reply_case[]){ { "GET a", "$1\r\n1\r\n" },
				     { "GET b", "$-1\r\n" } },
	      2);
	free(disk.bytes);
	memset(&disk, 0, sizeof(disk));
}

static void test_disk_full(void **state)
{
	char line[1200];
	int i;

	(void)state;
	open_disk(6144); /* a log region of 2560 bytes (log.h) */
	memset(line, 0, sizeof(line));
	snprintf(line, sizeof(line), "SET big %01000d", 0);
	check((struct reply_case[]){ { "SET a 1", "+OK\r\n" } }, 1);
	commit();
	check((struct reply_case[]){ { line, "+OK\r\n" } }, 1);
	line[4] = 'c'; /* "SET cig ...": a second big key */
	check((struct reply_case[]){ { line, "+OK\r\n" } }, 1);
	commit();
	check(
		(struct reply_case[]){
			{ line, "-MISCONF Errors writing to the AOF file: No "
				"space left on device\r\n" } },
		1);
	/* Small writes fill what is left, then are refused too. */
	for (i = 0; i < 100 && strcmp(run("SET f 1"), "+OK\r\n") == 0; i++)
		;
	assert_true(i > 0 && i < 100);
	check(
		(struct reply_case[]){
			{ "INCR f", "-MISCONF Errors writing to the AOF file: "
				    "No space left on device\r\n" },
			{ "GET a", "$1\r\n1\r\n" }, /* reads go on */
			{ "DBSIZE", ":4\r\n" } },
		3);
	commit();
	assert_true(klog.end <= disk.size - LOG_END_MARK);
	reboot();
	check((struct reply_case[]){ { "GET a", "$1\r\n1\r\n" },
				     { "GET f", "$1\r\n1\r\n" },
				     { "DBSIZE", ":4\r\n" } },
	      3);
	free(disk.bytes);
	memset(&disk, 0, sizeof(disk));
}

static void test_maxmemory(void **state)
{
	char line[64];
	int i, oom = 0;

	(void)state;
	kv.maxmemory = 10000;
	for (i = 0; i < 1000 && !oom; i++) {
		snprintf(line, sizeof(line), "SET key%d %040d", i, i);
		oom = strcmp(run(line), "+OK\r\n") != 0;
	}
	assert_true(oom);
	assert_string_equal(run(line), "-OOM command not allowed when used "
				       "memory > 'maxmemory'.\r\n");
	assert_string_equal(run("GET key0"),
			    "$40\r\n0000000000000000000000000000000000000000"
			    "\r\n");
	assert_string_equal(run("DEL key0 key1"), ":2\r\n"); /* may shrink */
	assert_string_equal(run("SET again 1"), "+OK\r\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_db_basics),
		T(test_db_expiry),
		T(test_db_scan_while_growing),
		T(test_strings),
		T(test_keys_and_server),
		T(test_unknown_long_args),
		T(test_store_survives_reboot),
		T(test_uncommitted_is_not_on_disk),
		T(test_disk_full),
		T(test_maxmemory),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
