/*
 * blkbench - the disk jobs of `make bench`, the ones a Linux PV guest
 * runs with fio on the same kind of disk (tests/bench/linux-guest/init,
 * with the same sizes, depths and times), through the block API:
 *
 *   seqwrite-qd1   1 MiB writes over SIZE MiB, one in flight, then a
 *                  flush (fio's --end_fsync=1)
 *   seqwrite-qd8   the same, 8 in flight
 *   seqread-qd1    1 MiB reads over SIZE MiB, one in flight
 *   seqread-qd8    the same, 8 in flight
 *   randread-qd1   4 KiB reads at random 4 KiB offsets in SIZE MiB,
 *                  one in flight, for SECONDS
 *   randread-qd32  the same, 32 in flight
 *   writefsync     pwrite 4 KiB then fsync on /dev/<disk> (the POSIX
 *                  file over the block API), pair after pair at
 *                  consecutive offsets for SECONDS: the time of each
 *                  pair (fio --rw=write --bs=4k --fsync=1, psync)
 *
 * Each throughput job prints "blkbench: JOB MB/s IOPS" (MB = 10^6
 * bytes) and "blkbench: JOB stats ..." (ring requests, segments,
 * copies, events... the driver's counts); writefsync prints
 * "blkbench: writefsync P50 P99" (microseconds, the pair) and the
 * same percentiles of its two halves. At the end "blkbench: done".
 *
 *   blkbench [-s SIZE-MiB] [-t SECONDS] [-j JOB,JOB...] [-v] [DEVICE]
 *
 * Defaults: 256 MiB, 20 s, every job in the order above, the first
 * disk. -v checks what the seqreads read against what the seqwrites
 * wrote (tests; costs CPU time).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenlet/blk.h>
#include <xenlet/blk_file.h>

#include "../pattern.h"

#define MiB	 (1024 * 1024)
#define SEED	 44
#define MAXDEPTH 32
#define BUFBYTES (8 * MiB) /* the largest job's: 8 x 1 MiB */
/* writefsync keeps each pair's time: at most this many pairs (a pair
 * takes over 100 us, so 20 s rarely reaches it; the job ends there). */
#define MAXPAIRS 65536

struct job {
	const char *name;
	enum blk_op op;
	size_t bs;
	unsigned int depth;
	int random; /* timed, random offsets; else one pass over size */
};

static const struct job jobs[] = {
	{ "seqwrite-qd1", BLK_WRITE, MiB, 1, 0 },
	{ "seqwrite-qd8", BLK_WRITE, MiB, 8, 0 },
	{ "seqread-qd1", BLK_READ, MiB, 1, 0 },
	{ "seqread-qd8", BLK_READ, MiB, 8, 0 },
	{ "randread-qd1", BLK_READ, 4096, 1, 1 },
	{ "randread-qd32", BLK_READ, 4096, 32, 1 },
	{ "writefsync", BLK_WRITE, 4096, 1, 0 },
};
#define NJOBS (sizeof(jobs) / sizeof(jobs[0]))

static struct blkdev *dev;
static uint64_t size = 256 * (uint64_t)MiB;
static unsigned int seconds = 20;
static int selected[NJOBS];
static int verify;
static int failures;

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* "blkbench: seqread-qd1 63.2 61": MB/s with one decimal, IOPS whole. */
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

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Where a stream job goes next: 0 once it is over. */
struct cursor {
	const struct job *j;
	uint64_t pos, seed, end_ns;
};

static int next_offset(struct cursor *c, uint64_t *off)
{
	if (c->j->random) {
		if (now_ns() >= c->end_ns)
			return 0;
		*off = xorshift(&c->seed) % (size / c->j->bs) * c->j->bs;
		return 1;
	}
	if (c->pos + c->j->bs > size)
		return 0;
	*off = c->pos;
	c->pos += c->j->bs;
	return 1;
}

/*
 * Send req again, at the job's next offset, if the job goes on; 0 or
 * an error. A slot with nothing on the ring has len 0.
 */
static int resubmit(struct cursor *c, struct blk_request *req)
{
	int rc;

	if (!next_offset(c, &req->offset)) {
		req->len = 0;
		return 0;
	}
	if (req->op == BLK_WRITE && verify)
		fill(req->buf, req->offset, req->len);
	rc = blk_submit(dev, req);
	if (rc != 0)
		req->len = 0;
	return rc;
}

/*
 * One throughput job: depth requests in flight, each sent again as it
 * ends (the oldest is waited for first, round robin), like fio's
 * libaio at that iodepth. A write job ends with a flush.
 */
static void stream(const struct job *j, uint8_t *bufs)
{
	static struct blk_request req[MAXDEPTH];
	struct cursor c = { j, 0, 0x9e3779b97f4a7c15ULL, 0 };
	uint64_t t0, ops = 0, bad = 0;
	struct blk_stats a, b;
	unsigned int i, live = 0;
	int rc = 0;

	blk_get_stats(dev, &a);
	t0 = now_ns();
	c.end_ns = t0 + (uint64_t)seconds * 1000000000ULL;
	for (i = 0; i < j->depth; i++) {
		req[i] = (struct blk_request){ .op = j->op,
					       .buf = bufs + i * j->bs,
					       .len = j->bs };
		if (rc == 0)
			rc = resubmit(&c, &req[i]);
		else
			req[i].len = 0;
		live += req[i].len != 0;
	}
	for (i = 0; live > 0 && rc == 0; i = (i + 1) % j->depth) {
		if (req[i].len == 0)
			continue;
		rc = blk_wait(dev, &req[i]);
		if (rc != 0)
			break;
		ops++;
		if (j->op == BLK_READ && verify && !j->random)
			bad += differs(req[i].buf, req[i].offset, j->bs);
		rc = resubmit(&c, &req[i]);
		live -= req[i].len == 0;
	}
	/* After an error, the others still on the ring end first: their
	 * buffers are ours again only then (blk_wait's deadline bounds it). */
	for (i = 0; rc != 0 && i < j->depth; i++)
		if (req[i].len != 0)
			blk_wait(dev, &req[i]);
	if (rc == 0 && j->op == BLK_WRITE)
		rc = blk_flush(dev);
	t0 = now_ns() - t0;
	blk_get_stats(dev, &b);
	if (rc != 0) {
		printf("blkbench: %s: error %d\n", j->name, rc);
		failures++;
		return;
	}
	report(j->name, ops * j->bs, ops, t0, &a, &b);
	if (j->op == BLK_READ && verify && !j->random) {
		printf("blkbench: %s verify: %llu MiB differ\n", j->name,
		       (unsigned long long)bad);
		failures += bad != 0;
	}
}

static int by_value(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile of n values (nearest rank); sorts them. */
static uint32_t percentile(uint32_t *v, unsigned int n, unsigned int p)
{
	unsigned int rank = (n * p + 99) / 100;

	qsort(v, n, sizeof(*v), by_value);
	return v[rank > 0 ? rank - 1 : 0];
}

static uint32_t us_since(uint64_t t0, uint64_t t1)
{
	uint64_t us = (t1 - t0) / 1000;

	return us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

/* pwrite + fsync pairs for SECONDS, through the POSIX file. */
static int pairs(int fd, const uint8_t *buf, uint32_t *pair, uint32_t *wr,
		 uint32_t *sync, unsigned int *n)
{
	uint64_t end = now_ns() + (uint64_t)seconds * 1000000000ULL;
	uint64_t off = 0, t0, t1, t2;

	for (*n = 0; *n < MAXPAIRS && now_ns() < end; (*n)++) {
		t0 = now_ns();
		if (pwrite(fd, buf, 4096, (off_t)off) != 4096)
			return -1;
		t1 = now_ns();
		if (fsync(fd) != 0)
			return -1;
		t2 = now_ns();
		pair[*n] = us_since(t0, t2);
		wr[*n] = us_since(t0, t1);
		sync[*n] = us_since(t1, t2);
		off = (off + 4096) % size;
	}
	return 0;
}

static void write_fsync(const uint8_t *buf)
{
	uint32_t *v = malloc(3 * MAXPAIRS * sizeof(*v));
	char path[32];
	unsigned int n = 0;
	int fd, rc;

	snprintf(path, sizeof(path), "/dev/%s", blk_name(dev));
	fd = open(path, O_RDWR);
	if (fd < 0 || v == NULL) {
		printf("blkbench: writefsync: cannot open %s\n", path);
		failures++;
		free(v);
		return;
	}
	rc = pairs(fd, buf, v, v + MAXPAIRS, v + 2 * MAXPAIRS, &n);
	close(fd);
	if (rc != 0 || n == 0) {
		printf("blkbench: writefsync: I/O error after %u pairs\n", n);
		failures++;
	} else {
		printf("blkbench: writefsync %lu %lu\n",
		       (unsigned long)percentile(v, n, 50),
		       (unsigned long)percentile(v, n, 99));
		printf("blkbench: writefsync parts: %u pairs in %u s, pwrite "
		       "p50 %lu p99 %lu us, fsync p50 %lu p99 %lu us\n",
		       n, seconds,
		       (unsigned long)percentile(v + MAXPAIRS, n, 50),
		       (unsigned long)percentile(v + MAXPAIRS, n, 99),
		       (unsigned long)percentile(v + 2 * MAXPAIRS, n, 50),
		       (unsigned long)percentile(v + 2 * MAXPAIRS, n, 99));
	}
	free(v);
}

/* -j: a comma-separated list of job names. */
static int select_jobs(char *list)
{
	char *name, *save = NULL;
	unsigned int i;

	memset(selected, 0, sizeof(selected));
	for (name = strtok_r(list, ",", &save); name != NULL;
	     name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < NJOBS && strcmp(name, jobs[i].name) != 0; i++)
			;
		if (i == NJOBS) {
			printf("blkbench: no job %s\n", name);
			return -1;
		}
		selected[i] = 1;
	}
	return 0;
}

/* The words of extra= come from outside: bounded here. */
static int options(int argc, char **argv)
{
	unsigned long long mib = 256;
	unsigned long secs = 20;
	unsigned int i;
	int c;

	for (i = 0; i < NJOBS; i++)
		selected[i] = 1;
	while ((c = getopt(argc, argv, "s:t:j:v")) != -1)
		switch (c) {
		case 's':
			mib = strtoull(optarg, NULL, 0);
			break;
		case 't':
			secs = strtoul(optarg, NULL, 0);
			break;
		case 'j':
			if (select_jobs(optarg) < 0)
				return -1;
			break;
		case 'v':
			verify = 1;
			break;
		default:
			return -1;
		}
	/* 1 MiB .. 1 TiB; 1 s .. 1 h: a job longer than that is a typo. */
	if (mib < 1 || mib > (1ULL << 20) || secs < 1 || secs > 3600)
		return -1;
	size = mib * MiB;
	seconds = (unsigned int)secs;
	return 0;
}

int main(int argc, char **argv)
{
	struct blk_stats st;
	unsigned int i;
	uint8_t *bufs;
	int rc;

	if (options(argc, argv) < 0) {
		printf("usage: blkbench [-s MiB] [-t s] [-j job,...] [-v] "
		       "[dev]\n");
		return 2;
	}
	blk_files_init();
	rc = blk_open(optind < argc ? argv[optind] : NULL, &dev);
	if (rc < 0) {
		printf("blkbench: open: %d\n", rc);
		return 1;
	}
	if ((uint64_t)blk_sectors(dev) * blk_sector_size(dev) < size)
		size = blk_sectors(dev) * blk_sector_size(dev) / MiB * MiB;
	bufs = aligned_alloc(4096, BUFBYTES);
	if (bufs == NULL || size < MiB) {
		printf("blkbench: no memory or disk too small\n");
		return 1;
	}
	memset(bufs, 0x5a, BUFBYTES);
	blk_get_stats(dev, &st);
	printf("blkbench: %s, %llu MiB, %u s\n", blk_name(dev),
	       (unsigned long long)(size / MiB), seconds);
	printf("blkbench: ring %u slots, %u segments a request, persistent "
	       "grants %s\n",
	       st.ring_slots, st.max_segments, st.persistent ? "on" : "off");
	for (i = 0; i < NJOBS; i++) {
		if (!selected[i])
			continue;
		if (jobs[i].random || jobs[i].bs == MiB)
			stream(&jobs[i], bufs);
		else
			write_fsync(bufs);
	}
	printf("blkbench: done, %d failures\n", failures);
	return failures != 0;
}
