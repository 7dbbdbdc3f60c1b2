/*
 * replay.c - the log read back at boot (the format: log.h).
 *
 * The disk's bytes may be anything: a record is trusted only once its
 * length fits the disk and LOG_REC_MAX, its CRC matches, and its
 * fields agree with its length. The records of one command (MSET: the
 * MORE flag) are applied only when the last of them is read whole, so
 * a torn batch never leaves half a command. The first bad record ends
 * the replay; the records after it are counted, not applied, for the
 * console line that says what was cut.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"

/* Replay reads ahead in chunks of this size: a record is tens of
 * bytes, and each read of the disk is a round trip through dom0. */
#define READ_CHUNK (256 * 1024)

struct reader {
	const struct log_dev *dev;
	uint8_t *chunk;
	uint64_t base;
	size_t len;
	size_t chunk_size;
	uint64_t limit; /* the replay ends here at the latest */
	uint8_t *body;	/* the current record: grown up to LOG_REC_MAX */
	size_t body_size;
};

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* Bytes [off, off + n) of the disk, inside its size. */
static int get(struct reader *r, uint64_t off, void *dst, size_t n)
{
	size_t want = r->chunk_size;
	int rc;

	if (off >= r->base && off + n <= r->base + r->len) {
		memcpy(dst, r->chunk + (off - r->base), n);
		return 0;
	}
	if (n > r->chunk_size)
		return r->dev->read(r->dev->arg, off, dst, n);
	if (want > r->dev->size - off)
		want = (size_t)(r->dev->size - off);
	rc = r->dev->read(r->dev->arg, off, r->chunk, want);
	if (rc < 0) {
		r->len = 0;
		return rc;
	}
	r->base = off;
	r->len = want;
	memcpy(dst, r->chunk, n);
	return 0;
}

enum { REC_OK, REC_END, REC_BAD_LEN, REC_BAD };

/*
 * The record at off into rec (pointing into r->body), its size on the
 * disk in *size. REC_END: the end mark (or no room for one); REC_BAD:
 * its length is sane (*size is right) but its CRC or fields are not;
 * REC_BAD_LEN: even its length is not; < 0: a read failed.
 */
static int read_rec(struct reader *r, uint64_t off, struct log_rec *rec,
		    uint64_t *size, const char **why)
{
	uint8_t head[8], *b;
	uint32_t len, klen, vlen;
	int rc;

	if (off >= r->limit || r->limit - off < 8)
		return REC_END;
	rc = get(r, off, head, 8);
	if (rc < 0)
		return rc;
	len = get32(head);
	if (len == 0 && get32(head + 4) == 0)
		return REC_END;
	if (len < LOG_REC_HEAD - 8 || len > LOG_REC_MAX - 8 ||
	    len > r->limit - off - 8) {
		*why = "bad length";
		return REC_BAD_LEN;
	}
	*size = 8 + (uint64_t)len;
	if (len > r->body_size) {
		b = realloc(r->body, len);
		if (b == NULL)
			return -ENOMEM;
		r->body = b;
		r->body_size = len;
	}
	b = r->body;
	rc = get(r, off + 8, b, len);
	if (rc < 0)
		return rc;
	if (crc32c(crc32c(0, head, 4), b, len) != get32(head + 4)) {
		*why = "bad checksum";
		return REC_BAD;
	}
	klen = get32(b + 8);
	vlen = get32(b + 12);
	if (b[0] < LOG_SET || b[0] > LOG_FLUSHALL || (b[1] & ~LOG_MORE) ||
	    klen > LOG_FIELD_MAX || vlen > LOG_FIELD_MAX ||
	    klen + vlen != len - (LOG_REC_HEAD - 8)) {
		*why = "bad fields";
		return REC_BAD;
	}
	rec->op = b[0];
	rec->flags = b[1];
	rec->gen = get32(b + 4);
	rec->klen = klen;
	rec->vlen = vlen;
	rec->expire = (int64_t)((uint64_t)get32(b + 16) |
				(uint64_t)get32(b + 20) << 32);
	rec->key = (const char *)b + 24;
	rec->val = (const char *)b + 24 + klen;
	return REC_OK;
}

/* Apply the records [from, to]: a whole command, read again. */
static int apply_range(struct reader *r, uint64_t from, uint64_t to,
		       int (*apply)(void *, const struct log_rec *), void *arg,
		       struct log_replay *st)
{
	const char *why;
	struct log_rec rec;
	uint64_t size;

	for (uint64_t off = from; off <= to; off += size) {
		int rc = read_rec(r, off, &rec, &size, &why);

		if (rc != REC_OK)
			return rc < 0 ? rc
				      : -EIO; /* it was good a moment ago */
		rc = apply(arg, &rec);
		if (rc < 0)
			return rc;
		st->records++;
	}
	return 0;
}

/* After a bad record at off: count what follows it, for the line. */
static void count_dropped(struct reader *r, uint64_t cut, uint64_t off, int bad,
			  uint64_t size, uint32_t gen, struct log_replay *st)
{
	const char *why;
	struct log_rec rec;

	if (bad == REC_BAD_LEN) {
		st->dropped = off - cut + 8;
		return;
	}
	off += size;
	st->dropped_records++; /* the bad one */
	while (read_rec(r, off, &rec, &size, &why) == REC_OK &&
	       rec.gen >= gen) {
		st->dropped_records++;
		off += size;
	}
	st->dropped = off - cut;
}

static int replay(struct kvlog *log, uint64_t limit,
		  int (*apply)(void *arg, const struct log_rec *rec), void *arg,
		  struct log_replay *st)
{
	struct reader r = { .dev = &log->dev, .limit = limit };
	uint64_t off = log->start, group = 0, size = 0, ngroup = 0;
	uint32_t gen = 0;
	struct log_rec rec;
	int rc;

	r.chunk_size = READ_CHUNK;
	if (r.chunk_size > log->dev.size)
		r.chunk_size = (size_t)log->dev.size;
	r.chunk = malloc(r.chunk_size);
	if (r.chunk == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	for (;;) {
		rc = read_rec(&r, off, &rec, &size, &st->why);
		if (rc < 0)
			goto out;
		if (rc == REC_OK && rec.gen < gen) {
			st->stale = 1; /* an earlier boot's bytes */
			rc = REC_END;
		}
		if (rc == REC_END && group != 0) {
			st->why = "unfinished command";
			st->dropped = off - group;
			st->dropped_records = ngroup;
			off = group;
			break;
		}
		if (rc == REC_END)
			break;
		if (rc != REC_OK) {
			uint64_t cut = group ? group : off;

			st->dropped_records = ngroup;
			count_dropped(&r, cut, off, rc, size, gen, st);
			off = cut;
			break;
		}
		gen = rec.gen;
		if (rec.flags & LOG_MORE) {
			if (group == 0)
				group = off;
			ngroup++;
		} else if (group != 0) {
			rc = apply_range(&r, group, off, apply, arg, st);
			if (rc < 0)
				goto out;
			group = ngroup = 0;
		} else {
			rc = apply(arg, &rec);
			if (rc < 0)
				goto out;
			st->records++;
		}
		off += size;
	}
	rc = 0;
out:
	st->end = log->end = off;
	free(r.chunk);
	free(r.body);
	return rc;
}

int log_replay_records(struct kvlog *log,
		       int (*apply)(void *arg, const struct log_rec *rec),
		       void *arg, struct log_replay *st)
{
	return replay(log, log->limit, apply, arg, st);
}

int log_reload(struct kvlog *log,
	       int (*apply)(void *arg, const struct log_rec *rec), void *arg,
	       struct log_replay *st)
{
	*st = (struct log_replay){ 0 };
	return replay(log, log->end, apply, arg, st);
}
