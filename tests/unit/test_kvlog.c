/*
 * test_kvlog.c - examples/kv's log replayed over crafted disks
 * (log.c, replay.c): a torn last record at every byte offset, a bit
 * flipped in every byte of a middle record, huge and zero lengths, a
 * torn multi-record command, old bytes beyond a cut, torn headers. In
 * every case replay keeps exactly the records before the damage, never
 * one after it and never garbage, and says what it dropped. And the
 * appends: whole sectors only, the bytes before the end kept.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "../../examples/kv/log.h"
#include "kv_memdisk.h"

#define DISK  (64 * 1024)
#define NRECS 5

static struct memdisk disk;
static struct kvlog klog;
static uint64_t at[NRECS + 2]; /* where record i starts; at[n]: the end */

/* What replay applied, in order. */
static int napplied;
static char applied[64][16];
static int fail_at = -1;

static int record(void *arg, const struct log_rec *r)
{
	(void)arg;
	if (napplied == fail_at)
		return -ENOMEM;
	assert_true(r->klen < sizeof(applied[0]));
	memcpy(applied[napplied], r->key, r->klen);
	applied[napplied][r->klen] = '\0';
	napplied++;
	return 0;
}

static int open_log(struct log_replay *r)
{
	struct log_dev dev = memdisk_dev(&disk);

	napplied = 0;
	free(klog.pend);
	memset(&klog, 0, sizeof(klog));
	return log_open(&klog, &dev, record, NULL, r);
}

static void add(const char *key, const char *val, int more)
{
	struct log_rec rec = { .op = LOG_SET,
			       .flags = more ? LOG_MORE : 0,
			       .key = key,
			       .klen = (uint32_t)strlen(key),
			       .val = val,
			       .vlen = (uint32_t)strlen(val) };

	assert_int_equal(log_reserve(&klog, log_rec_size(rec.klen, rec.vlen)),
			 0);
	log_add(&klog, &rec);
}

/* A fresh disk with records k0..k4 (values of growing length), each
 * written on its own, as separate poll rounds would. */
static int setup(void **state)
{
	struct log_replay r;
	char key[16], val[64];

	(void)state;
	memset(&disk, 0, sizeof(disk));
	disk.bytes = calloc(1, DISK);
	disk.size = DISK;
	assert_int_equal(open_log(&r), 0);
	for (int i = 0; i < NRECS; i++) {
		at[i] = klog.end;
		snprintf(key, sizeof(key), "k%d", i);
		memset(val, 'a' + i, sizeof(val));
		val[10 + 5 * i] = '\0';
		add(key, val, 0);
		assert_int_equal(log_write(&klog), 0);
		assert_int_equal(log_sync(&klog), 0);
	}
	at[NRECS] = klog.end;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(disk.bytes);
	free(klog.pend);
	memset(&klog, 0, sizeof(klog));
	return 0;
}

static void assert_kept(int n)
{
	assert_int_equal(napplied, n);
	for (int i = 0; i < n; i++) {
		char key[16];

		snprintf(key, sizeof(key), "k%d", i);
		assert_string_equal(applied[i], key);
	}
}

static void test_whole_log(void **state)
{
	struct log_replay r;

	(void)state;
	assert_int_equal(open_log(&r), 0);
	assert_kept(NRECS);
	assert_null(r.why);
	assert_int_equal(r.end, at[NRECS]);
	assert_int_equal(klog.gen, 2); /* one more per boot */
}

/* Batches of every size up to a few sectors: each write covers whole
 * sectors, and the log replays whole. Halfway, the copy of the end's
 * sector is lost (as after a cut or a replay): the next append reads
 * the sector back instead of writing garbage. */
static void test_appends_whole_sectors(void **state)
{
	struct log_replay r;
	char key[16], val[1000];
	int n = NRECS;

	(void)state;
	memset(val, 'v', sizeof(val));
	for (int batch = 0; batch < 30; batch++) {
		for (int i = 0; i <= batch % 2; i++, n++) {
			snprintf(key, sizeof(key), "b%d", n);
			val[(batch * 97 + i * 31) % (sizeof(val) - 1)] = '\0';
			add(key, val, 0);
			memset(val, 'v', sizeof(val));
		}
		assert_int_equal(log_write(&klog), 0);
		if (batch == 15) {
			memset(klog.edge.bytes, 0xa5, sizeof(klog.edge.bytes));
			klog.edge.at = 0;
		}
	}
	assert_int_equal(disk.unaligned, 0);
	assert_true(n < 64);
	assert_int_equal(open_log(&r), 0);
	assert_null(r.why);
	assert_int_equal(napplied, n);
	assert_string_equal(applied[n - 1], key);
}

/* The last record torn at every byte: what the disk held past the
 * tear is zeros (a fresh disk) or old bytes (0xa5 here). */
static void test_torn_tail_every_offset(void **state)
{
	uint8_t *orig = malloc(DISK);
	struct log_replay r;

	(void)state;
	memcpy(orig, disk.bytes, DISK);
	for (int fill = 0; fill < 2; fill++) {
		for (uint64_t cut = at[NRECS - 1]; cut < at[NRECS]; cut++) {
			memcpy(disk.bytes, orig, DISK);
			memset(disk.bytes + cut, fill ? 0xa5 : 0,
			       at[NRECS] + LOG_END_MARK - cut);
			assert_int_equal(open_log(&r), 0);
			assert_kept(NRECS - 1);
			assert_int_equal(r.end, at[NRECS - 1]);
			/* Only a tear before any byte landed is no tear. */
			if (fill == 0 && cut == at[NRECS - 1])
				assert_null(r.why);
			else
				assert_non_null(r.why);
			assert_true(r.dropped_records <= 1);
			/* The cut is made once: the next boot finds a whole
			 * log of the records kept. */
			assert_int_equal(open_log(&r), 0);
			assert_kept(NRECS - 1);
			assert_null(r.why);
		}
	}
	free(orig);
}

/* One bit flipped in each byte of record 2: replay stops there, keeps
 * records 0 and 1, and counts the ones it drops. */
static void test_flipped_bit_in_middle(void **state)
{
	uint8_t *orig = malloc(DISK);
	struct log_replay r;

	(void)state;
	memcpy(orig, disk.bytes, DISK);
	for (uint64_t b = at[2]; b < at[3]; b++) {
		memcpy(disk.bytes, orig, DISK);
		disk.bytes[b] ^= (uint8_t)(1u << (b % 8));
		assert_int_equal(open_log(&r), 0);
		assert_kept(2);
		assert_int_equal(r.end, at[2]);
		assert_non_null(r.why);
		if (b >= at[2] + 4) /* the length intact: 2 more seen */
			assert_int_equal(r.dropped_records, 3);
	}
	free(orig);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void test_bad_lengths(void **state)
{
	static const uint32_t lens[] = { 0xffffffffu, LOG_REC_MAX, DISK, 1,
					 23 };
	uint8_t *orig = malloc(DISK);
	struct log_replay r;

	(void)state;
	memcpy(orig, disk.bytes, DISK);
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memcpy(disk.bytes, orig, DISK);
		put32(disk.bytes + at[1], lens[i]);
		assert_int_equal(open_log(&r), 0);
		assert_kept(1);
		assert_string_equal(r.why, "bad length");
	}
	/* Length 0 with a CRC that is not 0: not an end mark. */
	memcpy(disk.bytes, orig, DISK);
	put32(disk.bytes + at[1], 0);
	assert_int_equal(open_log(&r), 0);
	assert_kept(1);
	assert_string_equal(r.why, "bad length");
	free(orig);
}

/* A good CRC over bad fields (a bug's record, or a forged one). */
static void test_bad_fields(void **state)
{
	struct log_replay r;
	uint8_t *p = disk.bytes + at[1];
	uint32_t len = (uint32_t)(at[2] - at[1] - 8);

	(void)state;
	p[8] = 9; /* no such op */
	put32(p + 4, crc32c(crc32c(0, p, 4), p + 8, len));
	assert_int_equal(open_log(&r), 0);
	assert_kept(1);
	assert_string_equal(r.why, "bad fields");
}

/* MSET's three records: a tear anywhere in them applies none. */
static void test_torn_command(void **state)
{
	uint8_t *orig = malloc(DISK);
	struct log_replay r;
	uint64_t start, end;

	(void)state;
	assert_int_equal(open_log(&r), 0);
	start = klog.end;
	add("m1", "x", 1);
	add("m2", "y", 1);
	add("m3", "z", 0);
	assert_int_equal(log_write(&klog), 0);
	end = klog.end;
	assert_int_equal(open_log(&r), 0);
	assert_int_equal(napplied, NRECS + 3);
	assert_string_equal(applied[NRECS + 2], "m3");
	memcpy(orig, disk.bytes, DISK);
	for (uint64_t cut = start + 1; cut < end; cut++) {
		memcpy(disk.bytes, orig, DISK);
		memset(disk.bytes + cut, 0, end + LOG_END_MARK - cut);
		assert_int_equal(open_log(&r), 0);
		assert_kept(NRECS);
		assert_int_equal(r.end, start);
		assert_non_null(r.why);
	}
	free(orig);
}

/* Bytes an earlier boot left beyond a cut never pass for records: a
 * new record the size of the cut one, then the old record after it
 * whole (as if the new end mark's write were lost). */
static void test_old_bytes_after_cut(void **state)
{
	struct log_replay r;
	uint8_t old3[64];
	char val[64];

	(void)state;
	memcpy(old3, disk.bytes + at[3], sizeof(old3));
	disk.bytes[at[2] + 40] ^= 1; /* record 2 corrupt */
	assert_int_equal(open_log(&r), 0);
	assert_kept(2);
	/* This boot writes a record exactly where record 2 was. */
	memset(val, 'z', sizeof(val));
	val[10 + 5 * 2] = '\0';
	add("k2", val, 0);
	assert_int_equal(log_write(&klog), 0);
	assert_int_equal(klog.end, at[3]);
	memcpy(disk.bytes + at[3], old3, sizeof(old3)); /* the lost mark */
	assert_int_equal(open_log(&r), 0);
	assert_kept(3);
	assert_int_equal(r.stale, 1);
	assert_int_equal(r.end, at[3]);
}

static void test_headers(void **state)
{
	struct log_replay r;

	(void)state;
	/* One torn copy: the other serves. */
	disk.bytes[3] ^= 0xff;
	assert_int_equal(open_log(&r), 0);
	assert_kept(NRECS);
	/* ... and the boot wrote both again. Both copies gone, the disk
	 * not zeros: not ours, not touched. */
	assert_int_equal(disk.bytes[3], 'l');
	disk.bytes[3] ^= 0xff;
	disk.bytes[LOG_HEADER_SIZE + 3] ^= 0xff;
	assert_int_equal(open_log(&r), -EINVAL);
	assert_int_equal(disk.bytes[3], (uint8_t)('l' ^ 0xff));
	/* A disk too small for a log. */
	disk.size = LOG_START;
	assert_int_equal(open_log(&r), -ENOSPC);
}

static void test_apply_failure(void **state)
{
	struct log_replay r;

	(void)state;
	fail_at = 3;
	assert_int_equal(open_log(&r), -ENOMEM);
	fail_at = -1;
	assert_int_equal(napplied, 3);
}

static void test_crc32c(void **state)
{
	(void)state;
	/* The check value of CRC-32C (RFC 3720, B.4). */
	assert_int_equal(crc32c(0, "123456789", 9), 0xe3069283u);
	assert_int_equal(crc32c(crc32c(0, "1234", 4), "56789", 5), 0xe3069283u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_whole_log),
		T(test_appends_whole_sectors),
		T(test_torn_tail_every_offset),
		T(test_flipped_bit_in_middle),
		T(test_bad_lengths),
		T(test_bad_fields),
		T(test_torn_command),
		T(test_old_bytes_after_cut),
		T(test_headers),
		T(test_apply_failure),
		cmocka_unit_test(test_crc32c),
#undef T
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
