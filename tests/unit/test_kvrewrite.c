/*
 * test_kvrewrite.c - examples/kv's compaction (rewrite.c,
 * log_rewrite.c, log.c, replay.c) and a crash at every step of it.
 *
 * A script of poll rounds (one command each) fills a data set, starts
 * a rewrite, changes keys already dumped and keys not dumped yet, runs
 * a FLUSHALL in the middle of one, and rewrites again (back into the
 * first half, over the bytes of the first log). Then the script runs
 * again and again, each time with the disk "crashing" at its Nth write
 * or flush (that one whole or torn in half, nothing after it landing),
 * for every N: the log replayed from what the disk holds must give the
 * data set of the rounds acknowledged before the crash, or of those
 * and the round in flight: never less, never anything else.
 */
#define _GNU_SOURCE /* asprintf */
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
#include "kv_exec.h"
#include "kv_memdisk.h"

#define T0	   1700000000000ll
#define DISK	   (256 << 10)
#define KEYS	   600 /* more than one step of the dump (STEP_KEYS) */
#define MAX_ROUNDS 128
#define DUMP	   (48 << 10)

static struct memdisk disk;
static struct kvlog klog;
static char *script[MAX_ROUNDS];
static int nrounds;
static char state[MAX_ROUNDS + 1][DUMP]; /* after round r (0: none) */

/* The crash: device operations after boot are counted; the crash_at-th
 * lands whole, or half of it if torn; none after it lands. */
static unsigned ops, crash_at;
static int torn;

static int crash_write(void *arg, uint64_t off, const void *buf, size_t n)
{
	ops++;
	if (crash_at && ops > crash_at)
		return 0;
	if (crash_at && ops == crash_at && torn)
		n /= 2;
	return memdisk_write(arg, off, buf, n);
}

static int crash_sync(void *arg)
{
	ops++;
	return memdisk_sync(arg);
}

static void add_round(const char *fmt, ...)
{
	va_list ap;

	assert_true(nrounds < MAX_ROUNDS);
	va_start(ap, fmt);
	assert_true(vasprintf(&script[nrounds++], fmt, ap) > 0);
	va_end(ap);
}

static void make_script(void)
{
	char *m = NULL;

	for (int i = 0; i < KEYS; i += 50) {
		size_t len = 0;
		FILE *f = open_memstream(&m, &len);

		fprintf(f, "MSET");
		for (int j = i; j < i + 50; j++)
			fprintf(f, " k%d v%d-%0*d", j, j, j % 40, 0);
		fclose(f);
		add_round("%s", m);
		free(m);
	}
	add_round("SET n 1");
	for (int i = 0; i < 20; i++)
		add_round("SET k%d again%d", i * 37 % KEYS, i);
	add_round("BGREWRITEAOF");
	for (int i = 0; i < 12; i++) {
		add_round("SET k%d during%d", (KEYS - 1 - i * 41) % KEYS, i);
		add_round("DEL k%d", (i * 53 + 7) % KEYS);
		add_round("INCR n");
		add_round("EXPIRE k%d 1000", (i * 29 + 3) % KEYS);
	}
	add_round("FLUSHALL");
	add_round("MSET a 1 b 2 c 3");
	add_round("BGREWRITEAOF");
	for (int i = 0; i < 8; i++)
		add_round("SET z%d %d", i, i);
	add_round("BGREWRITEAOF");
	add_round("SET last 1");
}

static void dump(char *to)
{
	static char *lines[KEYS + 64];
	char **end = lines;
	size_t len = 0;

	assert_true(kv.db.count < KEYS + 64);
	db_scan(&kv.db, 0, (size_t)-1 >> 1, collect, &end);
	qsort(lines, (size_t)(end - lines), sizeof(lines[0]), by_text);
	for (char **p = lines; p < end; p++) {
		size_t n = strlen(*p);

		assert_true(len + n < DUMP);
		memcpy(to + len, *p, n);
		len += n;
		free(*p);
	}
	to[len] = '\0';
}

/* strict: the log must be whole (no crash came before). */
static void boot(int strict)
{
	struct log_dev dev = memdisk_dev(&disk);
	struct log_replay r;

	dev.write = crash_write;
	dev.sync = crash_sync;
	db_free(&kv.db);
	free(klog.pend);
	free(klog.rw.pend);
	memset(&kv, 0, sizeof(kv));
	assert_int_equal(db_init(&kv.db), 0);
	kv.db.now = T0;
	crash_at = 0;
	assert_int_equal(log_open(&klog, &dev, store_apply, &kv.db, &r), 0);
	if (strict && r.why != NULL)
		fail_msg("replay: %s at %llu", r.why,
			 (unsigned long long)r.end);
	kv.log = &klog;
	kv.rewrite_base = klog.end - klog.start;
}

/* The script from a disk of zeros; the rounds acknowledged before the
 * crash (all of them without one). */
static int play(unsigned crash, int is_torn, int record)
{
	int acked = 0;

	free(disk.bytes);
	disk = (struct memdisk){ .bytes = calloc(1, DISK), .size = DISK };
	boot(1);
	ops = 0;
	crash_at = crash;
	torn = is_torn;
	if (record)
		dump(state[0]);
	for (int r = 0; r < nrounds; r++) {
		struct outbuf o = { 0 };

		exec(script[r], &o);
		assert_int_equal(store_commit(r * 10), COMMIT_OK);
		assert_true(o.len > 0 && o.buf[0] != '-');
		outbuf_free(&o);
		if (crash_at == 0 || ops < crash_at)
			acked = r + 1;
		if (record)
			dump(state[r + 1]);
	}
	return acked;
}

static int setup(void **st)
{
	(void)st;
	make_script();
	return 0;
}

static int teardown(void **st)
{
	(void)st;
	for (int r = 0; r < nrounds; r++)
		free(script[r]);
	db_free(&kv.db);
	free(klog.pend);
	free(klog.rw.pend);
	free(disk.bytes);
	return 0;
}

/* The whole script: two switches, the log smaller after each, and
 * the same data set after a reboot. */
static void test_rewrite(void **st)
{
	static char live[DUMP], after[DUMP];
	uint64_t before;

	(void)st;
	play(0, 0, 1);
	assert_int_equal(kv.rewrites, 3);
	assert_int_equal(klog.start, LOG_START + (DISK - LOG_START) / 2);
	dump(live);
	before = klog.end;
	boot(1);
	dump(after);
	assert_string_equal(live, after);
	assert_int_equal(klog.end, before);
}

static void test_crash_at_every_step(void **st)
{
	static char got[DUMP];
	unsigned total;
	int acked;

	(void)st;
	play(0, 0, 1);
	total = ops;
	for (unsigned k = 1; k <= total; k++) {
		for (int t = 0; t <= 1; t++) {
			acked = play(k, t, 0);
			/* The reboot: the disk as the crash left it. */
			boot(0);
			dump(got);
			if (strcmp(got, state[acked]) != 0 &&
			    (acked == nrounds ||
			     strcmp(got, state[acked + 1]) != 0))
				fail_msg("crash at operation %u of %u%s: after "
					 "%d acknowledged rounds, the log "
					 "gives neither their data set nor "
					 "the next one's",
					 k, total, t ? " (torn)" : "", acked);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_crash_at_every_step),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
