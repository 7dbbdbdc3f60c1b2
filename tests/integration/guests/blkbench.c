/*
 * blkbench - the disk jobs of `make bench`, the ones a Linux PV guest
 * runs with fio on the same kind of disk, through the block API:
 *
 *   seqwrite   1 MiB requests over SIZE MiB, one at a time, then a flush
 *   seqread    1 MiB requests over SIZE MiB, one at a time
 *   randread   4 KiB requests at random 4 KiB offsets in SIZE MiB,
 *              DEPTH in flight, for SECONDS
 *   randwrite  the same, writing
 *
 * For each job one line "blkbench: JOB MB/s IOPS" (MB = 10^6 bytes),
 * then "blkbench: JOB stats ..." with what the driver did (ring
 * requests, segments, events...), and at the end "blkbench: done".
 *
 *   blkbench [-s SIZE-MiB] [-t SECONDS] [-d DEPTH] [-v] [DEVICE]
 *
 * Defaults: 256 MiB, 20 s, 32, the first disk. -v checks what seqread
 * read against what seqwrite wrote (tests; costs CPU time).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenlet/blk.h>

#include "../pattern.h"

#define MiB	 (1024 * 1024)
#define SEED	 44
#define MAXDEPTH 256

static struct blkdev *dev;
static uint64_t size = 256 * (uint64_t)MiB;
static unsigned int seconds = 20, depth = 32;
static int verify;
static int failures;

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* "blkbench: seqread 63.2 61": MB/s with one decimal, IOPS whole. */
static void report(const char *job, uint64_t bytes, uint64_t ops, uint64_t ns,
		   const struct blk_stats *a, const struct blk_stats *b)
{
	uint64_t tenths = ns ? bytes * 10000 / ns : 0;
	uint64_t iops = ns ? ops * 1000000000ULL / ns : 0;

	printf("blkbench: %s %llu.%llu %llu\n", job,
	       (unsigned long long)(tenths / 10),
	       (unsigned long long)(tenths % 10), (unsigned long long)iops);
	printf("blkbench: %s stats: %llu ops in %llu ms, %lu ring requests, "
	       "%lu segments, %lu bounced, %lu events, %lu notifies, "
	       "up to %u in flight\n",
	       job, (unsigned long long)ops, (unsigned long long)(ns / 1000000),
	       b->ring_requests - a->ring_requests, b->segments - a->segments,
	       b->bounced - a->bounced, b->events - a->events,
	       b->notifies - a->notifies, b->max_in_flight);
}

static void fill(uint8_t *p, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pattern(SEED, off + i);
}

static int differs(const uint8_t *p, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(SEED, off + i))
			return 1;
	return 0;
}

/* seqwrite (write = 1, then a flush) or seqread, 1 MiB at a time. */
static void sequential(int write, uint8_t *buf)
{
	struct blk_stats a, b;
	uint64_t off, t0, bad = 0;
	int rc = 0;

	blk_get_stats(dev, &a);
	t0 = now_ns();
	for (off = 0; off < size && rc == 0; off += MiB) {
		if (write && verify)
			fill(buf, off, MiB);
		rc = write ? blk_write(dev, off, buf, MiB)
			   : blk_read(dev, off, buf, MiB);
		if (rc == 0 && !write && verify)
			bad += differs(buf, off, MiB);
	}
	if (rc == 0 && write)
		rc = blk_flush(dev);
	t0 = now_ns() - t0;
	blk_get_stats(dev, &b);
	if (rc != 0) {
		printf("blkbench: %s: error %d at %llu\n",
		       write ? "seqwrite" : "seqread", rc,
		       (unsigned long long)off);
		failures++;
		return;
	}
	report(write ? "seqwrite" : "seqread", size, size / MiB, t0, &a, &b);
	if (!write && verify) {
		printf("blkbench: seqread verify: %llu MiB differ\n",
		       (unsigned long long)bad);
		failures += bad != 0;
	}
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* DEPTH requests of 4 KiB in flight, each resubmitted as it ends. */
static void random_io(int write, uint8_t *bufs)
{
	static struct blk_request req[MAXDEPTH];
	uint64_t seed = 0x9e3779b97f4a7c15ULL, t0, end, ops = 0;
	uint64_t blocks = size / 4096;
	struct blk_stats a, b;
	unsigned int i, live = 0;
	int rc = 0;

	blk_get_stats(dev, &a);
	t0 = now_ns();
	end = t0 + (uint64_t)seconds * 1000000000ULL;
	for (i = 0; i < depth && rc == 0; i++, live++) {
		req[i] = (struct blk_request){
			.op = write ? BLK_WRITE : BLK_READ,
			.offset = xorshift(&seed) % blocks * 4096,
			.buf = bufs + (size_t)i * 4096,
			.len = 4096,
		};
		rc = blk_submit(dev, &req[i]);
	}
	/* Round robin: wait for the oldest, count it, send it again. */
	for (i = 0; live > 0; i = (i + 1) % depth) {
		if (req[i].len == 0)
			continue;
		rc = blk_wait(dev, &req[i]);
		if (rc != 0)
			break;
		ops++;
		if (now_ns() >= end) {
			req[i].len = 0;
			live--;
			continue;
		}
		req[i].offset = xorshift(&seed) % blocks * 4096;
		rc = blk_submit(dev, &req[i]);
		if (rc != 0)
			break;
	}
	t0 = now_ns() - t0;
	blk_get_stats(dev, &b);
	if (rc != 0) {
		printf("blkbench: %s: error %d\n",
		       write ? "randwrite" : "randread", rc);
		failures++;
		return;
	}
	report(write ? "randwrite" : "randread", ops * 4096, ops, t0, &a, &b);
}

static int options(int argc, char **argv)
{
	int c;

	while ((c = getopt(argc, argv, "s:t:d:v")) != -1)
		switch (c) {
		case 's':
			size = strtoull(optarg, NULL, 0) * MiB;
			break;
		case 't':
			seconds = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'd':
			depth = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'v':
			verify = 1;
			break;
		default:
			return -1;
		}
	if (size < MiB || depth == 0 || depth > MAXDEPTH)
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t *big, *small;
	int rc;

	if (options(argc, argv) < 0) {
		printf("usage: blkbench [-s MiB] [-t s] [-d depth] [-v] "
		       "[dev]\n");
		return 2;
	}
	rc = blk_open(optind < argc ? argv[optind] : NULL, &dev);
	if (rc < 0) {
		printf("blkbench: open: %d\n", rc);
		return 1;
	}
	if ((uint64_t)blk_sectors(dev) * blk_sector_size(dev) < size)
		size = blk_sectors(dev) * blk_sector_size(dev) / MiB * MiB;
	big = aligned_alloc(4096, MiB);
	small = aligned_alloc(4096, (size_t)depth * 4096);
	if (big == NULL || small == NULL || size < MiB) {
		printf("blkbench: no memory or disk too small\n");
		return 1;
	}
	memset(big, 0x5a, MiB);
	memset(small, 0xa5, (size_t)depth * 4096);
	printf("blkbench: %s, %llu MiB, %u s, depth %u\n", blk_name(dev),
	       (unsigned long long)(size / MiB), seconds, depth);
	sequential(1, big);
	sequential(0, big);
	random_io(0, small);
	random_io(1, small);
	printf("blkbench: done, %d failures\n", failures);
	return failures != 0;
}
