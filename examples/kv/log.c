/*
 * log.c - the log's header and its appends (the format: log.h). Replay
 * is replay.c. The server batches the records of one poll round, then
 * writes them with a new end mark in one write (log_write) and, for
 * the default durability policy, flushes the disk's cache before any
 * of those commands is answered (log_sync): group commit.
 *
 * Each write covers whole sectors (log_append). A write that began or
 * ended inside a sector would have the block layer read that sector
 * first and write it back patched (a read-modify-write: blk_file.c),
 * two more round trips to the disk before a round's flush; the log
 * knows the bytes itself: those before its end it keeps from its last
 * write, and those past its end mark are never read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

static const char MAGIC[8] = "xenletkv";

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

size_t log_rec_size(size_t klen, size_t vlen)
{
	return LOG_REC_HEAD + klen + vlen;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The header copy in h into *hd: 0, or -1 if it is not one (not our
 * magic, a torn write, a version we do not know, or a region outside
 * the disk). */
static int header_read(const uint8_t *h, uint64_t size, struct log_head *hd)
{
	uint32_t version = get32(h + 8);

	if (memcmp(h, MAGIC, sizeof(MAGIC)) != 0)
		return -1;
	if (version == 1 && crc32c(0, h, 16) == get32(h + 16)) {
		/* Version 1: one region, the whole disk. */
		*hd = (struct log_head){ get32(h + 12), LOG_START, size };
		return 0;
	}
	if (version != LOG_VERSION || crc32c(0, h, 32) != get32(h + 32))
		return -1;
	*hd = (struct log_head){ get32(h + 12), get64(h + 16), get64(h + 24) };
	/* The region must lie inside the disk, after the headers, and
	 * hold an end mark. */
	if (hd->start < LOG_START || hd->limit > size ||
	    hd->limit < hd->start + LOG_END_MARK)
		return -1;
	return 0;
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* The regions a disk of size bytes is cut into: two halves after the
 * headers, each a whole number of sectors (a rewrite writes the one
 * the log is not in). */
static uint64_t half_of(uint64_t size)
{
	return ((size - LOG_START) / 2) & ~(uint64_t)(LOG_HEADER_SIZE - 1);
}

/* The newest header into *hd: 0; 1 for a disk of zeros (then *hd is
 * the first region at generation 0); -EINVAL for anything else. */
static int read_header(const struct log_dev *dev, struct log_head *hd)
{
	static uint8_t h[2 * LOG_HEADER_SIZE];
	struct log_head a, b;
	int ra, rb, rc = dev->read(dev->arg, 0, h, sizeof(h));

	if (rc < 0)
		return rc;
	ra = header_read(h, dev->size, &a);
	rb = header_read(h + LOG_HEADER_SIZE, dev->size, &b);
	if (ra < 0 && rb < 0) {
		if (!all_zero(h, sizeof(h)))
			return -EINVAL;
		*hd = (struct log_head){ 0, LOG_START,
					 LOG_START + half_of(dev->size) };
		return 1;
	}
	*hd = ra < 0 || (rb == 0 && b.gen > a.gen) ? b : a;
	return 0;
}

/* Both copies of the header, one at a time, each flushed: a torn
 * write of one leaves the other, and the newer generation wins. */
int log_write_header(const struct log_dev *dev, const struct log_head *hd)
{
	static uint8_t h[LOG_HEADER_SIZE];
	int rc = 0;

	memset(h, 0, sizeof(h));
	memcpy(h, MAGIC, sizeof(MAGIC));
	put32(h + 8, LOG_VERSION);
	put32(h + 12, hd->gen);
	put64(h + 16, hd->start);
	put64(h + 24, hd->limit);
	put32(h + 32, crc32c(0, h, 32));
	for (int copy = 0; copy < 2 && rc == 0; copy++) {
		rc = dev->write(dev->arg, (uint64_t)copy * LOG_HEADER_SIZE, h,
				sizeof(h));
		if (rc == 0)
			rc = dev->sync(dev->arg);
	}
	return rc;
}

/* The region a rewrite writes: the half the log is not in, or 0 when
 * the log spans both (a version 1 log longer than a half). */
uint64_t log_other_region(const struct kvlog *log, uint64_t *limit)
{
	uint64_t half = half_of(log->dev.size), a = LOG_START, b = a + half;

	if (log->start == a && log->limit <= b) {
		*limit = b + half;
		return b;
	}
	if (log->start == b) {
		*limit = b;
		return a;
	}
	return 0;
}

/* The buffer of an append of no records: only the end mark is new. */
static char mark_only[LOG_BATCH_SIZE(0)];

int log_open(struct kvlog *log, const struct log_dev *dev,
	     int (*apply)(void *arg, const struct log_rec *rec), void *arg,
	     struct log_replay *r)
{
	struct log_head hd;
	int rc, fresh;

	*log = (struct kvlog){ .dev = *dev };
	*r = (struct log_replay){ 0 };
	if (dev->size < LOG_START + 2 * LOG_HEADER_SIZE)
		return -ENOSPC;
	fresh = read_header(dev, &hd);
	if (fresh < 0)
		return fresh;
	if (hd.gen >= UINT32_MAX - 1)
		return -EOVERFLOW;
	log->start = hd.start;
	log->limit = hd.limit;
	rc = log_replay_records(log, apply, arg, r);
	if (rc < 0)
		return rc;
	/* A version 1 log that fits in the first half is given that half:
	 * the other one is then free for a rewrite. */
	if (hd.start == LOG_START &&
	    log->end + LOG_END_MARK <= LOG_START + half_of(dev->size))
		log->limit = LOG_START + half_of(dev->size);
	/* A new generation before anything new is written: bytes left
	 * beyond the end of the kept log are older than every record this
	 * boot writes (log.h). */
	log->gen = hd.gen + 1;
	rc = log_write_header(
		dev, &(struct log_head){ log->gen, log->start, log->limit });
	if (rc == 0 && (r->dropped || r->stale || fresh))
		rc = log_append(dev, &log->end, &log->edge, mark_only, 0);
	if (rc == 0)
		rc = dev->sync(dev->arg);
	return rc;
}

int log_reserve(struct kvlog *log, size_t n)
{
	size_t want = log->plen + n + LOG_END_MARK;
	char *p;

	if (want < n || log->end + want > log->limit)
		return -ENOSPC;
	want = LOG_BATCH_SIZE(log->plen + n);
	if (want <= log->pcap)
		return 0;
	if (want < 2 * log->pcap)
		want = 2 * log->pcap;
	p = realloc(log->pend, want);
	if (p == NULL)
		return -ENOMEM;
	log->pend = p;
	log->pcap = want;
	return 0;
}

size_t log_encode(void *at, const struct log_rec *rec, uint32_t gen)
{
	uint8_t *p = at;
	uint32_t len = LOG_REC_HEAD - 8 + rec->klen + rec->vlen;

	put32(p, len);
	p[8] = rec->op;
	p[9] = rec->flags;
	p[10] = p[11] = 0;
	put32(p + 12, gen);
	put32(p + 16, rec->klen);
	put32(p + 20, rec->vlen);
	put64(p + 24, (uint64_t)rec->expire);
	if (rec->klen)
		memcpy(p + LOG_REC_HEAD, rec->key, rec->klen);
	if (rec->vlen)
		memcpy(p + LOG_REC_HEAD + rec->klen, rec->val, rec->vlen);
	put32(p + 4, crc32c(crc32c(0, p, 4), p + 8, len));
	return 8 + (size_t)len;
}

void log_add(struct kvlog *log, const struct log_rec *rec)
{
	log->plen +=
		log_encode(log->pend + LOG_ALIGN + log->plen, rec, log->gen);
	/* A rewrite gets every change too, after the keys it has dumped
	 * (if it cannot take it, it is abandoned: the log goes on). */
	if (log->rw.active)
		log_rewrite_add(log, rec);
}

int log_write(struct kvlog *log)
{
	int rc;

	if (log->plen == 0) {
		if (log->rw.active)
			log_rewrite_write(log);
		return 0;
	}
	rc = log_append(&log->dev, &log->end, &log->edge, log->pend, log->plen);
	if (rc < 0)
		return rc;
	log->unsynced += log->plen;
	log->plen = 0;
	/* The rewrite's batch: its failure only ends the rewrite. */
	if (log->rw.active)
		log_rewrite_write(log);
	/* A big batch's buffer goes back to the heap. */
	if (log->pcap > (256u << 10)) {
		free(log->pend);
		log->pend = NULL;
		log->pcap = 0;
	}
	return 0;
}

/*
 * The records at buf + LOG_ALIGN, after the bytes of the end's sector
 * before the end (e, read from the disk if e is for another end: after
 * a cut, a replay or a switch), then the end mark and zeros to the
 * sector's end: whole sectors, in one write.
 */
int log_append(const struct log_dev *dev, uint64_t *end, struct log_edge *e,
	       char *buf, size_t len)
{
	size_t lead = (size_t)(*end % LOG_ALIGN);
	size_t n = lead + len + LOG_END_MARK;
	size_t pad = (LOG_ALIGN - n % LOG_ALIGN) % LOG_ALIGN;
	uint64_t at = *end - lead;
	size_t keep;
	int rc;

	if (e->at != *end && lead > 0) {
		rc = dev->read(dev->arg, at, e->bytes, lead);
		if (rc < 0)
			return rc;
		e->at = *end; /* kept, should the write fail */
	}
	/* Regions end on a sector, so the zeros stay inside; a disk
	 * whose size is not one (a test's) gets no more than it has. */
	if (at + n <= dev->size && pad > dev->size - (at + n))
		pad = (size_t)(dev->size - (at + n));
	memcpy(buf + LOG_ALIGN - lead, e->bytes, lead);
	memset(buf + LOG_ALIGN + len, 0, LOG_END_MARK + pad);
	rc = dev->write(dev->arg, at, buf + LOG_ALIGN - lead, n + pad);
	if (rc < 0)
		return rc;
	*end += len;
	keep = (size_t)(*end % LOG_ALIGN);
	memcpy(e->bytes, buf + LOG_ALIGN + len - keep, keep);
	e->at = *end;
	return 0;
}

int log_cut(struct kvlog *log)
{
	int rc;

	log->plen = 0;
	rc = log_append(&log->dev, &log->end, &log->edge, mark_only, 0);
	if (rc == 0)
		rc = log->dev.sync(log->dev.arg);
	if (rc == 0)
		log->unsynced = 0;
	return rc;
}

int log_sync(struct kvlog *log)
{
	int rc;

	if (log->unsynced == 0)
		return 0;
	rc = log->dev.sync(log->dev.arg);
	if (rc == 0)
		log->unsynced = 0;
	return rc;
}
