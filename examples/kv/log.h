/*
 * log.h - the append-only log on the disk that makes the data set
 * survive: every change is a checksummed record, replayed at boot.
 *
 * The format (all integers little-endian; documented in the README):
 *
 *   offset 0 and 512: two copies of the header, one sector each
 *     0  magic "xenletkv"         8 bytes
 *     8  version, 2               u32
 *     12 generation               u32  (one more at every boot and at
 *                                       every switch to a rewritten log)
 *     16 start of the log's region, in bytes     u64
 *     24 end of the log's region (exclusive)     u64
 *     32 CRC32C of bytes 0..32    u32
 *     The copy with a good CRC and the higher generation is the one
 *     read; they are written one at a time, with a flush between, so
 *     a torn write of one leaves the other. (Version 1, read still:
 *     no region fields, the CRC at 16 over bytes 0..16; its log runs
 *     from 1024 to the disk's end.)
 *
 *   The rest of the disk is two halves, whole sectors each; the log
 *   lives in the one the header names, and a rewrite (compaction)
 *   writes the live set into the other, then switches the header to
 *   it (log_rewrite.c). A disk of zeros starts in the first half.
 *
 *   from the region's start: records, one after another, no padding
 *     0  length L of the rest     u32  (from offset 8 on: 24 + K + V)
 *     4  CRC32C of bytes 0..4 and 8..8+L   u32
 *     8  op: 1 SET, 2 DEL, 3 EXPIRE, 4 FLUSHALL           u8
 *     9  flags: 1 MORE (the next record is part of the same
 *        command: all of them apply, or none)              u8
 *     10 zero                     u16
 *     12 generation of the boot that wrote it              u32
 *     16 key length K             u32
 *     20 value length V           u32
 *     24 expiry: ms since the epoch, 0 none (SET, EXPIRE)  i64
 *     32 the key, then the value
 *   and after the last one, 8 zero bytes (length 0, CRC 0): the end.
 *
 * Every write appends the records of a batch and a new end mark; a
 * record never changes once written. Writes are of whole 512-byte
 * sectors: the sector the log ends in is written again whole, its
 * bytes before the end as they were, and the last one is filled with
 * zeros after the end mark. Replay stops at the end mark, at
 * a record older (by generation) than the one before it (bytes an
 * earlier boot left beyond a cut: each boot bumps the generation, so
 * old bytes cannot pass for new records), or at a record whose length
 * or CRC is wrong: that one, and anything after it, is cut off with one
 * console line saying what was dropped; what precedes it is kept.
 */
#ifndef KV_LOG_H
#define KV_LOG_H

#include <stddef.h>
#include <stdint.h>

#define LOG_HEADER_SIZE 512
#define LOG_START	1024 /* the first region */
#define LOG_VERSION	2
#define LOG_REC_HEAD	32
#define LOG_END_MARK	8
/* The unit of the log's writes: every region starts and ends on it. */
#define LOG_ALIGN 512
/* A batch's buffer: LOG_ALIGN bytes of room before its len bytes of
 * records (for the bytes the log's last sector holds already), and
 * after them the end mark and the zeros to the sector's end. */
#define LOG_BATCH_SIZE(len) (LOG_ALIGN + (len) + LOG_END_MARK + LOG_ALIGN)

enum log_op { LOG_SET = 1, LOG_DEL, LOG_EXPIRE, LOG_FLUSHALL };
#define LOG_MORE 1

/* Bounds on what replay accepts from the disk (whose bytes may be
 * anything): a key or a value at most LOG_FIELD_MAX bytes (the server
 * never stores a longer one), hence a record at most LOG_REC_MAX. */
#define LOG_FIELD_MAX (512 * 1024)
#define LOG_REC_MAX   (LOG_REC_HEAD + 2 * LOG_FIELD_MAX)

/* Where the log lives: a disk, or memory in the tests. Each returns 0
 * or a negative errno. */
struct log_dev {
	void *arg;
	uint64_t size; /* bytes */
	int (*read)(void *arg, uint64_t off, void *buf, size_t n);
	int (*write)(void *arg, uint64_t off, const void *buf, size_t n);
	int (*sync)(void *arg);
};

struct log_rec {
	uint8_t op, flags;
	uint32_t gen;
	int64_t expire;
	const char *key, *val;
	uint32_t klen, vlen;
};

/* What replay found, for its console line and the tests. */
struct log_replay {
	uint64_t records;	  /* applied */
	uint64_t end;		  /* where the kept log ends */
	uint64_t dropped;	  /* bytes cut off (0: the log was whole) */
	uint64_t dropped_records; /* records cut off with them */
	const char *why;	  /* the first bad record's fault, or NULL */
	int stale;		  /* ended at an older generation's bytes */
};

/* What a header says. */
struct log_head {
	uint32_t gen;
	uint64_t start, limit; /* the log's region: [start, limit) */
};

/* The bytes of the sector an end lies in, before it: what an append
 * writes again (log_append). at: the end they are for; an append at
 * another end reads them from the disk first. */
struct log_edge {
	uint64_t at;
	uint8_t bytes[LOG_ALIGN];
};

/* The region a rewrite is writing, and its batch. */
struct log_target {
	int active;
	uint64_t start, end, limit;
	char *pend; /* a batch's buffer (LOG_BATCH_SIZE) */
	size_t plen, pcap;
	struct log_edge edge;
	int failed; /* errno that ended the last rewrite, 0: none */
};

struct kvlog {
	struct log_dev dev;
	uint32_t gen;
	uint64_t start, limit; /* the log's region */
	uint64_t end;	       /* where the next batch goes */
	char *pend;	       /* records not written yet (LOG_BATCH_SIZE) */
	size_t plen, pcap;
	struct log_edge edge;
	uint64_t unsynced; /* bytes written since the last flush */
	struct log_target rw;
};

/*
 * log_open: read the header (a disk of zeros is formatted; any other
 * content without a header is refused: -EINVAL, the disk is not ours),
 * replay every record through apply (-ENOMEM from it stops the replay
 * and is returned), cut a bad tail, and start a new generation. 0 or a
 * negative errno; *r says what was found.
 */
int log_open(struct kvlog *log, const struct log_dev *dev,
	     int (*apply)(void *arg, const struct log_rec *rec), void *arg,
	     struct log_replay *r);

/* The replay of log_open, from log->start (replay.c): log->end is set
 * to where the kept log ends. */
int log_replay_records(struct kvlog *log,
		       int (*apply)(void *arg, const struct log_rec *rec),
		       void *arg, struct log_replay *r);

/* The records up to log->end replayed again into a fresh data set:
 * after a failed write the server rebuilds its memory from what the
 * disk holds (commit.c). */
int log_reload(struct kvlog *log,
	       int (*apply)(void *arg, const struct log_rec *rec), void *arg,
	       struct log_replay *r);

/* Bytes a record of klen and vlen takes on the disk. */
size_t log_rec_size(size_t klen, size_t vlen);

/* Room for n more bytes of records (on the disk, and in memory for
 * the batch): 0, -ENOSPC or -ENOMEM. A caller checks before it changes
 * the data set, so that log_add, which must not fail, will not. */
int log_reserve(struct kvlog *log, size_t n);

/* A record into the batch (after log_reserve). */
void log_add(struct kvlog *log, const struct log_rec *rec);

/* The batch to the disk (0, or a negative errno). */
int log_write(struct kvlog *log);
/* Everything written made durable (a flush of the disk's cache). */
int log_sync(struct kvlog *log);
/* After a failed write: the batch dropped, and a new end mark at
 * log->end written and flushed, so that none of the failed batch's
 * records that reached the disk can be replayed. 0 or a negative
 * errno (then the disk's state past log->end is unknown). */
int log_cut(struct kvlog *log);

/* The len bytes of records at buf + LOG_ALIGN (a buffer of
 * LOG_BATCH_SIZE(len)) and an end mark after them, written at *end in
 * whole sectors; *end advanced past the records. 0 or a negative
 * errno (then *end is where it was). */
int log_append(const struct log_dev *dev, uint64_t *end, struct log_edge *e,
	       char *buf, size_t len);

/* The record rec, of generation gen, encoded at p; its size. */
size_t log_encode(void *p, const struct log_rec *rec, uint32_t gen);
/* Both header copies written, each flushed (0 or a negative errno). */
int log_write_header(const struct log_dev *dev, const struct log_head *hd);
/* The start of the region a rewrite would write (the half the log is
 * not in) and its end in *limit; 0: none (a version 1 log longer than
 * half the disk). */
uint64_t log_other_region(const struct kvlog *log, uint64_t *limit);

/*
 * The rewrite (log_rewrite.c). log_rewrite_begin: a new log in the
 * other region (-EBUSY: one runs; -ENOSPC: no other region). From then
 * on log_add appends every record to it too, log_rewrite_add adds the
 * records of the dump, and log_write writes both batches. Once the
 * dump is whole and written, log_rewrite_switch flushes the disk and
 * writes the header naming the new region: the switch (a negative
 * errno if the header's write failed: which log is live is then
 * unknown). A rewrite that runs out of room or memory, or whose write
 * fails, is abandoned (rw.active 0, rw.failed why): the old log goes on.
 */
int log_rewrite_begin(struct kvlog *log);
int log_rewrite_add(struct kvlog *log, const struct log_rec *rec);
void log_rewrite_abandon(struct kvlog *log, int err);
int log_rewrite_write(struct kvlog *log);
int log_rewrite_switch(struct kvlog *log);

/* CRC32C (Castagnoli), as the records carry it. */
uint32_t crc32c(uint32_t crc, const void *buf, size_t n);

#endif
