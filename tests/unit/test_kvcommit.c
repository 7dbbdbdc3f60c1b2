/*
 * test_kvcommit.c - examples/kv's group commit when the disk fills or
 * fails (commit.c, store.c, log.c, replay.c): a script of poll rounds
 * runs against an in-memory disk that is full from a chosen byte, for
 * every byte the script's log covers, or whose Nth flush fails. The
 * rule checked after every run: a write the client was told failed
 * (MISCONF) or never got an answer for is not in the data set, in
 * memory or in the log replayed after a reboot; every other reply is
 * the one the same script, those commands left out, gets on a disk
 * that never fails, and so is the data set.
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

#define T0	 1700000000000ll /* ms since the epoch */
#define DISK	 (64 << 10)
#define MAX_CMDS 64
#define REPLY	 512

#define V100                                                                   \
	"01234567890123456789012345678901234567890123456789012345678901234567" \
	"89012345678901234567890123456789"

/* The rounds: the commands of one poll round share one commit. */
static const char *const script[][5] = {
	{ "SET a 1", "SET b hello" },
	{ "INCR n", "INCR n", "GET n" },
	{ "MSET m1 x m2 y m3 z" },
	{ "APPEND b _world", "DEL m2", "EXPIRE m1 100", "GET b" },
	{ "SET big " V100 V100, "GET a" },
	{ "FLUSHALL", "SET after 1" },
	{ "SET c 3", "PERSIST c", "INCRBY n 5" },
	{ "SET d " V100 V100 V100 " EX 1000", "SET a 2" },
	{ "DEL c", "MSET m4 p m5 q", "GETSET a 3" },
	{ "GET a", "DBSIZE", "TTL d" },
	{ "SET e " V100, "APPEND e " V100 },
};
#define NROUNDS (sizeof(script) / sizeof(script[0]))

struct run {
	char reply[MAX_CMDS][REPLY]; /* "" : no answer */
	char live[4096], rebooted[4096];
	int skip[MAX_CMDS];
};

static struct memdisk disk;
static struct kvlog klog;
static const char misconf_enospc[] =
	"-MISCONF Errors writing to the AOF file: No space left on device\r\n";

static void dump(char *to, size_t size)
{
	char *lines[256], **end = lines;

	assert_true(kv.db.count < 256);
	db_scan(&kv.db, 0, (size_t)-1 >> 1, collect, &end);
	qsort(lines, (size_t)(end - lines), sizeof(lines[0]), by_text);
	to[0] = '\0';
	for (char **p = lines; p < end; p++) {
		assert_true(strlen(to) + strlen(*p) < size);
		strcat(to, *p);
		free(*p);
	}
}

static void boot(enum kv_fsync policy)
{
	struct log_dev dev = memdisk_dev(&disk);
	struct log_replay r;

	db_free(&kv.db);
	free(klog.pend);
	memset(&kv, 0, sizeof(kv));
	assert_int_equal(db_init(&kv.db), 0);
	kv.db.now = T0;
	kv.fsync = policy;
	assert_int_equal(log_open(&klog, &dev, store_apply, &kv.db, &r), 0);
	assert_null(r.why);
	kv.log = &klog;
}

/* The script on the disk as it is set up now; commands marked in
 * skip are left out. */
static void play(struct run *run, enum kv_fsync policy)
{
	int64_t now = 0;
	int k = 0;

	boot(policy);
	for (size_t r = 0; r < NROUNDS; r++) {
		struct outbuf o = { 0 };
		size_t mark[6];
		unsigned n = 0;
		int first = k, close;
		enum commit_result res;

		for (int i = 0; i < 5 && script[r][i]; i++, k++) {
			mark[n] = o.len;
			if (run->skip[k])
				continue;
			exec(script[r][i], &o);
			n++;
		}
		mark[n] = o.len;
		now += 600; /* everysec flushes every other round */
		res = store_commit(now);
		assert_true(res != COMMIT_FATAL);
		close = commit_replies(&o, 0, n, res);
		assert_int_equal(close, res == COMMIT_LOST);
		for (int i = first, j = 0; i < k; i++) {
			char *to = run->reply[i];

			if (run->skip[i])
				continue;
			if (res == COMMIT_OK) {
				size_t len = mark[j + 1] - mark[j];

				assert_true(len < REPLY);
				memcpy(to, o.buf + mark[j], len);
				to[len] = '\0';
			} else if (res == COMMIT_UNDONE) {
				snprintf(to, REPLY,
					 "-MISCONF Errors writing to the AOF "
					 "file: %s\r\n",
					 strerror(kv.log_failed));
			}
			j++;
		}
		if (res == COMMIT_UNDONE)
			assert_int_equal(o.len, n * strlen(run->reply[k - 1]));
		if (res == COMMIT_LOST)
			assert_int_equal(o.len, 0);
		outbuf_free(&o);
	}
	dump(run->live, sizeof(run->live));
	/* The reboot: what the log replays, the disk working again. */
	disk.full_at = 0;
	disk.fail_sync_from = 0;
	boot(policy);
	dump(run->rebooted, sizeof(run->rebooted));
}

static void new_disk(size_t size)
{
	free(disk.bytes);
	disk = (struct memdisk){ .bytes = calloc(1, size), .size = size };
	assert_non_null(disk.bytes);
}

static int count_cmds(void)
{
	int n = 0;

	for (size_t r = 0; r < NROUNDS; r++)
		for (int i = 0; i < 5 && script[r][i]; i++)
			n++;
	return n;
}

/* The run on a failing disk against the oracle: the same script, the
 * refused and unanswered commands left out, on a disk that works. */
static void judge(const struct run *bad, enum kv_fsync policy, const char *what)
{
	static struct run good;
	int ncmds = 0;

	memset(&good, 0, sizeof(good));
	for (size_t r = 0; r < NROUNDS; r++)
		for (int i = 0; i < 5 && script[r][i]; i++, ncmds++)
			good.skip[ncmds] =
				bad->reply[ncmds][0] == '\0' ||
				strncmp(bad->reply[ncmds], "-MISCONF", 8) == 0;
	new_disk(DISK);
	play(&good, policy);
	for (int i = 0; i < ncmds; i++)
		if (!good.skip[i] && strcmp(good.reply[i], bad->reply[i]) != 0)
			fail_msg("%s: command %d: got '%s', expected '%s'",
				 what, i, bad->reply[i], good.reply[i]);
	if (strcmp(bad->live, good.live) != 0)
		fail_msg("%s: data set '%s', expected '%s'", what, bad->live,
			 good.live);
	if (strcmp(bad->rebooted, good.live) != 0)
		fail_msg("%s: after the reboot '%s', expected '%s'", what,
			 bad->rebooted, good.live);
}

/* The log's end after the whole script on a disk that never fails. */
static uint64_t script_end(void)
{
	static struct run run;

	memset(&run, 0, sizeof(run));
	new_disk(DISK);
	play(&run, FSYNC_ALWAYS);
	assert_string_equal(run.live, run.rebooted);
	return klog.end;
}

static int teardown(void **state)
{
	(void)state;
	db_free(&kv.db);
	memset(&kv, 0, sizeof(kv));
	free(klog.pend);
	memset(&klog, 0, sizeof(klog));
	free(disk.bytes);
	memset(&disk, 0, sizeof(disk));
	return 0;
}

/* The host's file system full at byte x: the write that reaches it
 * fails after storing what lies before x. */
static void test_full_at_every_byte(void **state)
{
	static struct run bad;
	uint64_t end = script_end();
	unsigned undone = 0;
	char what[64];

	(void)state;
	for (int policy = FSYNC_ALWAYS; policy <= FSYNC_EVERYSEC; policy++)
		/* From the end of the boot's own write, a sector with
		 * its end mark, to past the script's last one. */
		for (uint64_t x = LOG_START + LOG_ALIGN;
		     x <= end + LOG_END_MARK + LOG_ALIGN; x++) {
			memset(&bad, 0, sizeof(bad));
			new_disk(DISK);
			disk.full_at = x;
			play(&bad, policy);
			for (int i = 0; i < count_cmds(); i++)
				undone +=
					strstr(bad.reply[i], "MISCONF") != NULL;
			snprintf(what, sizeof(what), "full at %llu, %s",
				 (unsigned long long)x,
				 policy ? "everysec" : "always");
			judge(&bad, policy, what);
		}
	assert_true(undone > 0); /* rounds were refused, not only lost */
}

/* A disk of x bytes: the room is checked before each command. The log
 * has half of what follows the headers (log.h). */
static void test_disk_of_every_size(void **state)
{
	static struct run bad;
	uint64_t end = script_end();
	unsigned refused = 0;
	char what[64];

	(void)state;
	for (uint64_t x = LOG_START + 2 * LOG_HEADER_SIZE;
	     x <= LOG_START + 2 * (end - LOG_START) + 1024; x++) {
		memset(&bad, 0, sizeof(bad));
		new_disk(x);
		play(&bad, FSYNC_ALWAYS);
		for (int i = 0; i < count_cmds(); i++)
			refused += strcmp(bad.reply[i], misconf_enospc) == 0;
		snprintf(what, sizeof(what), "disk of %llu",
			 (unsigned long long)x);
		judge(&bad, FSYNC_ALWAYS, what);
	}
	assert_true(refused > 0);
}

/* The Nth flush fails, once (the round is undone and refused) or for
 * good (the cut fails too: the round's clients get no answer). */
static void test_flush_fails(void **state)
{
	static struct run bad;
	unsigned opened, lost = 0, refused = 0;
	char what[64];

	(void)state;
	new_disk(DISK);
	boot(FSYNC_ALWAYS);
	opened = disk.syncs;
	for (unsigned count = 0; count <= 1; count++)
		for (unsigned n = opened + 1; n <= opened + NROUNDS; n++) {
			memset(&bad, 0, sizeof(bad));
			new_disk(DISK);
			disk.fail_sync_from = n;
			disk.fail_sync_count = count;
			play(&bad, FSYNC_ALWAYS);
			for (int i = 0; i < count_cmds(); i++) {
				lost += count == 0 && bad.reply[i][0] == '\0';
				refused += count == 1 &&
					   strstr(bad.reply[i],
						  "Input/output error") != NULL;
			}
			snprintf(what, sizeof(what), "flush %u fails (%u)", n,
				 count);
			judge(&bad, FSYNC_ALWAYS, what);
		}
	assert_true(lost > 0 && refused > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_full_at_every_byte, teardown),
		cmocka_unit_test_teardown(test_disk_of_every_size, teardown),
		cmocka_unit_test_teardown(test_flush_fails, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
