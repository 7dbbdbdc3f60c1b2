/*
 * blk - blkfront against dom0's real blkback, two disks:
 *   xvda (rw, 8 MiB): dom0 wrote pattern 11 over its first 2 MiB; we
 *        read it back in every shape (one large page-aligned read,
 *        unaligned buffers, odd lengths, many requests in flight with
 *        out-of-order answers), then write pattern 22 over
 *        [2 MiB, 4 MiB) the same ways, flush, and wait: dom0 destroys
 *        us at once and checks the image.
 *   xvdb (ro, 1 MiB, pattern 33): reads work, writes and flushes are
 *        refused with -EROFS.
 * The pattern is the one of helpers/blkpat.c.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xenlet/blk.h>

#include "../pattern.h"

#define MiB	 (1024 * 1024)
#define NASYNC	 48 /* more than the ring's 32 slots */
#define SEED_IN	 11
#define SEED_OUT 22
#define SEED_RO	 33

static int failures;

static void fill(uint8_t *p, uint32_t seed, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(seed, off + i);
}

/* 0 if p holds the pattern of [off, off + len). */
static int differs(const uint8_t *p, uint32_t seed, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(seed, off + i)) {
			printf("blk: byte at %llu is %u, want %u\n",
			       (unsigned long long)(off + i), p[i],
			       pattern(seed, off + i));
			return 1;
		}
	return 0;
}

static void report(const char *what, int rc)
{
	printf("blk: %s: %s\n", what, rc == 0 ? "ok" : "FAILED");
	failures += rc != 0;
}

/* A buffer that starts 8 bytes past a page: not sector-aligned. */
static uint8_t *unaligned(size_t len)
{
	uint8_t *p = memalign(4096, len + 4096);

	return p == NULL ? NULL : p + 8;
}

static int check_read(struct blkdev *d, uint8_t *buf, uint32_t seed,
		      uint64_t off, size_t len)
{
	int rc;

	memset(buf, 0, len);
	rc = blk_read(d, off, buf, len);
	if (rc < 0) {
		printf("blk: read %lu at %llu: %d\n", (unsigned long)len,
		       (unsigned long long)off, rc);
		return 1;
	}
	return differs(buf, seed, off, len);
}

/* Sector s of many odd-length pieces: {sector, count}. */
static const unsigned int pieces[][2] = {
	{ 0, 1 },   { 1, 7 },	 { 8, 9 },	{ 17, 11 * 8 }, { 105, 200 },
	{ 305, 3 }, { 308, 64 }, { 372, 2000 }, { 2372, 1 },	{ 2373, 5 },
};

static void reads(struct blkdev *d)
{
	uint8_t *big = memalign(4096, 2 * MiB), *odd = unaligned(MiB);
	unsigned int i;
	int bad = 0;
	struct blk_stats a, b;

	blk_get_stats(d, &a);
	printf("blk: %s: ring of %u, %u segments a request, persistent %d\n",
	       blk_name(d), a.ring_slots, a.max_segments, a.persistent);
	report("read 2 MiB page-aligned",
	       check_read(d, big, SEED_IN, 0, 2 * MiB));
	blk_get_stats(d, &b);
	/* 512 pages: 47 requests of 11 (more than a one-page ring holds),
	 * 2 indirect ones of 256; all bounced with persistent grants. */
	printf("blk: 2 MiB read: %lu ring requests, %lu segments, %lu "
	       "bounced\n",
	       b.ring_requests - a.ring_requests, b.segments - a.segments,
	       b.bounced - a.bounced);
	for (i = 0; i < sizeof(pieces) / sizeof(pieces[0]); i++)
		bad |= check_read(d, odd, SEED_IN, pieces[i][0] * 512ULL,
				  pieces[i][1] * 512);
	report("read odd pieces, unaligned buffer", bad);
	/* Sector-aligned but not page-aligned: segments inside pages. */
	bad = check_read(d, big + 512, SEED_IN, 4096 * 3 + 512, 100 * 512);
	report("read sector-aligned buffer across pages", bad);
	free(big);
	free(odd - 8);
}

static void count_done(struct blk_request *r)
{
	(*(int *)r->arg)++;
}

/* NASYNC 4 KiB reads at scattered offsets, all submitted, then waited. */
static void async_reads(struct blkdev *d)
{
	static struct blk_request r[NASYNC];
	uint8_t *buf = memalign(4096, NASYNC * 4096);
	int i, bad = 0, calls = 0;
	struct blk_stats st;

	for (i = 0; i < NASYNC; i++) {
		r[i] = (struct blk_request){
			.op = BLK_READ,
			.offset = ((uint64_t)i * 7919 % 4000) * 512,
			.buf = buf + i * 4096 + (i % 2) * 8,
			.len = i % 2 ? 4096 - 512 : 4096,
			.done = count_done,
			.arg = &calls,
		};
		if (blk_submit(d, &r[i]) < 0)
			bad = 1;
	}
	for (i = 0; i < NASYNC; i++)
		bad |= blk_wait(d, &r[i]) != 0 ||
		       differs(r[i].buf, SEED_IN, r[i].offset, r[i].len);
	blk_get_stats(d, &st);
	printf("blk: %d completion calls, up to %u requests in flight\n", calls,
	       st.max_in_flight);
	report("48 async reads in flight", bad || calls != NASYNC);
	free(buf);
}

static void errors(struct blkdev *d)
{
	uint64_t end = blk_sectors(d) * blk_sector_size(d);
	static uint8_t buf[4096] __attribute__((aligned(4096)));

	printf("blk: read past the end: %d\n",
	       blk_read(d, end - 512, buf, 1024));
	printf("blk: misaligned offset: %d\n", blk_read(d, 100, buf, 512));
	printf("blk: misaligned length: %d\n", blk_read(d, 0, buf, 100));
	printf("blk: read the last sector: %d\n",
	       blk_read(d, end - 512, buf, 512));
}

static void info(struct blkdev *d)
{
	printf("blk: %s: %llu sectors of %u bytes, %s\n", blk_name(d),
	       (unsigned long long)blk_sectors(d), blk_sector_size(d),
	       blk_readonly(d) ? "read-only" : "read-write");
}

static void readonly_disk(void)
{
	struct blkdev *d;
	uint8_t *buf = memalign(4096, MiB);
	int rc = blk_open("xvdb", &d);

	printf("blk: open xvdb: %d\n", rc);
	if (rc < 0) {
		failures++;
		return;
	}
	info(d);
	printf("blk: xvdb write: %d\n", blk_write(d, 0, buf, 4096));
	printf("blk: xvdb flush: %d\n", blk_flush(d));
	printf("blk: xvdb discard: %d\n", blk_discard(d, 0, 4096));
	report("xvdb read", check_read(d, buf, SEED_RO, 0, MiB));
	free(buf);
}

/* Pattern 22 over [2 MiB, 4 MiB): large, odd and async writes. */
static void writes(struct blkdev *d)
{
	static struct blk_request r[NASYNC];
	uint8_t *big = memalign(4096, MiB), *odd = unaligned(MiB);
	uint64_t base = 2 * MiB, off;
	unsigned int i;
	int bad = 0;

	fill(big, SEED_OUT, base, MiB);
	bad |= blk_write(d, base, big, MiB);
	/* [3 MiB, 3.5 MiB): odd pieces from an unaligned buffer. */
	for (i = 0, off = base + MiB; off < base + MiB + MiB / 2; i++) {
		size_t len = (i % 5 + 1) * 512 * (i % 3 ? 1 : 9);

		if (off + len > base + MiB + MiB / 2)
			len = base + MiB + MiB / 2 - off;
		fill(odd, SEED_OUT, off, len);
		bad |= blk_write(d, off, odd, len);
		off += len;
	}
	/* [3.5 MiB, 4 MiB): 48 async writes of 21 sectors in flight. */
	for (i = 0; i < NASYNC; i++) {
		size_t len = MiB / 2 / NASYNC / 512 * 512;
		uint64_t o = base + MiB + MiB / 2 + i * len;

		if (i == NASYNC - 1)
			len = base + 2 * MiB - o;
		fill(big + i * 16384, SEED_OUT, o, len);
		r[i] = (struct blk_request){ .op = BLK_WRITE,
					     .offset = o,
					     .buf = big + i * 16384,
					     .len = len };
		bad |= blk_submit(d, &r[i]) != 0;
	}
	for (i = 0; i < NASYNC; i++)
		bad |= blk_wait(d, &r[i]) != 0;
	report("write 2 MiB", bad);
	report("read back",
	       check_read(d, big, SEED_OUT, base, MiB) ||
		       check_read(d, big, SEED_OUT, base + MiB, MiB));
	free(big);
	free(odd - 8);
}

/* 64 KiB at 5 MiB: written, discarded, read back as zeros (loop
 * punches a hole in the image). */
static void discard(struct blkdev *d)
{
	uint8_t *buf = memalign(4096, 64 * 1024);
	uint64_t at = 5 * MiB;
	size_t i, nonzero = 0;
	int rc;

	fill(buf, SEED_OUT, at, 64 * 1024);
	rc = blk_write(d, at, buf, 64 * 1024);
	if (rc == 0)
		rc = blk_discard(d, at, 64 * 1024);
	printf("blk: discard: %d\n", rc);
	rc = blk_read(d, at, buf, 64 * 1024);
	for (i = 0; i < 64 * 1024; i++)
		nonzero += buf[i] != 0;
	printf("blk: after discard: read %d, %lu bytes not zero\n", rc,
	       (unsigned long)nonzero);
	free(buf);
}

int main(void)
{
	struct blkdev *d;
	struct blk_stats st, st2;
	int rc = blk_open(NULL, &d);

	printf("blk: open: %d\n", rc);
	if (rc < 0)
		return 1;
	info(d);
	reads(d);
	async_reads(d);
	errors(d);
	readonly_disk();
	writes(d);
	discard(d);
	printf("blk: %d failures\n", failures);
	blk_get_stats(d, &st);
	rc = blk_flush(d);
	blk_get_stats(d, &st2);
	printf("blk: flush: %d (write cache %d, %lu flush sent)\n", rc,
	       st.write_cache, st2.flushes - st.flushes);
	/* dom0 destroys us now: what it finds is what the flush kept. */
	printf("blk: flushed, waiting to be destroyed\n");
	sleep(60);
	return 0;
}
