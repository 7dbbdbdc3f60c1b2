/*
 * log.c - the log's header and its appends (the format: log.h). Replay
 * is replay.c. The server batches the records of one poll round, then
 * writes them with a new end mark in one write (log_write) and, for
 * the default durability policy, flushes the disk's cache before any
 * of those commands is answered (log_sync): group commit.
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

/* The generation of the header copy in h, or -1 if it is not one.
 * *other: its magic is right but not the rest (a torn write, or a
 * version we do not know). */
static int64_t header_gen(const uint8_t *h, int *other)
{
	if (memcmp(h, MAGIC, sizeof(MAGIC)) != 0)
		return -1;
	if (crc32c(0, h, 16) != get32(h + 16) || get32(h + 8) != 1) {
		*other = 1;
		return -1;
	}
	return get32(h + 12);
}

static int all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/* The newest header's generation; 0 for a disk of zeros (formatted
 * then); -EINVAL for anything else. */
static int64_t read_header(const struct log_dev *dev)
{
	static uint8_t h[2 * LOG_HEADER_SIZE];
	int64_t a, b;
	int other = 0, rc = dev->read(dev->arg, 0, h, sizeof(h));

	if (rc < 0)
		return rc;
	a = header_gen(h, &other);
	b = header_gen(h + LOG_HEADER_SIZE, &other);
	if (a < 0 && b < 0)
		return all_zero(h, sizeof(h)) ? 0 : -EINVAL;
	return a > b ? a : b;
}

/* Both copies of the header, at generation gen, one at a time. */
static int write_header(const struct log_dev *dev, uint32_t gen)
{
	static uint8_t h[LOG_HEADER_SIZE];
	int rc = 0;

	memset(h, 0, sizeof(h));
	memcpy(h, MAGIC, sizeof(MAGIC));
	put32(h + 8, 1);
	put32(h + 12, gen);
	put32(h + 16, crc32c(0, h, 16));
	for (int copy = 0; copy < 2 && rc == 0; copy++) {
		rc = dev->write(dev->arg, (uint64_t)copy * LOG_HEADER_SIZE, h,
				sizeof(h));
		if (rc == 0)
			rc = dev->sync(dev->arg);
	}
	return rc;
}

int log_open(struct kvlog *log, const struct log_dev *dev,
	     int (*apply)(void *arg, const struct log_rec *rec), void *arg,
	     struct log_replay *r)
{
	static const uint8_t mark[LOG_END_MARK];
	int64_t gen;
	int rc;

	*log = (struct kvlog){ .dev = *dev };
	*r = (struct log_replay){ 0 };
	if (dev->size < LOG_START + LOG_END_MARK)
		return -ENOSPC;
	gen = read_header(dev);
	if (gen < 0)
		return (int)gen;
	if (gen >= UINT32_MAX)
		return -EOVERFLOW;
	rc = log_replay_records(log, apply, arg, r);
	if (rc < 0)
		return rc;
	/* A new generation before anything new is written: bytes left
	 * beyond the end of the kept log are older than every record this
	 * boot writes (log.h). */
	log->gen = (uint32_t)gen + 1;
	rc = write_header(dev, log->gen);
	if (rc == 0 && (r->dropped || r->stale || gen == 0))
		rc = dev->write(dev->arg, log->end, mark, sizeof(mark));
	if (rc == 0)
		rc = dev->sync(dev->arg);
	return rc;
}

int log_reserve(struct kvlog *log, size_t n)
{
	size_t want = log->plen + n + LOG_END_MARK;
	char *p;

	if (want < n || log->end + want > log->dev.size)
		return -ENOSPC;
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

void log_add(struct kvlog *log, const struct log_rec *rec)
{
	uint8_t *p = (uint8_t *)log->pend + log->plen;
	uint32_t len = LOG_REC_HEAD - 8 + rec->klen + rec->vlen;

	put32(p, len);
	p[8] = rec->op;
	p[9] = rec->flags;
	p[10] = p[11] = 0;
	put32(p + 12, log->gen);
	put32(p + 16, rec->klen);
	put32(p + 20, rec->vlen);
	put64(p + 24, (uint64_t)rec->expire);
	if (rec->klen)
		memcpy(p + LOG_REC_HEAD, rec->key, rec->klen);
	if (rec->vlen)
		memcpy(p + LOG_REC_HEAD + rec->klen, rec->val, rec->vlen);
	put32(p + 4, crc32c(crc32c(0, p, 4), p + 8, len));
	log->plen += 8 + len;
}

int log_write(struct kvlog *log)
{
	int rc;

	if (log->plen == 0)
		return 0;
	/* The new end mark goes in the same write, after the records. */
	memset(log->pend + log->plen, 0, LOG_END_MARK);
	rc = log->dev.write(log->dev.arg, log->end, log->pend,
			    log->plen + LOG_END_MARK);
	if (rc < 0)
		return rc;
	log->end += log->plen;
	log->unsynced += log->plen;
	log->plen = 0;
	/* A big batch's buffer goes back to the heap. */
	if (log->pcap > (256u << 10)) {
		free(log->pend);
		log->pend = NULL;
		log->pcap = 0;
	}
	return 0;
}

int log_cut(struct kvlog *log)
{
	static const uint8_t mark[LOG_END_MARK];
	int rc;

	log->plen = 0;
	rc = log->dev.write(log->dev.arg, log->end, mark, sizeof(mark));
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
