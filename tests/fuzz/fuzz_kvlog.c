/*
 * fuzz_kvlog.c - libFuzzer target for examples/kv's log replay (log.c,
 * replay.c): the input is the disk, header and records, any bytes.
 * Most inputs are taken as the records after a good header (a disk
 * formatted first), one in four as the whole disk, header included,
 * one in four as a good header naming a region the input chooses (any
 * start and end, inside the disk or not) and the records there.
 * Replay must not crash or read outside the disk; what it keeps must
 * end inside the disk; and after its cut a second boot must find a
 * whole log with exactly the records the first one kept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../tests/unit/kv_memdisk.h"

static unsigned long applied;

static int count(void *arg, const struct log_rec *r)
{
	(void)arg;
	if (r->klen > LOG_FIELD_MAX || r->vlen > LOG_FIELD_MAX)
		abort();
	applied++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memdisk d = { 0 };
	struct log_dev dev;
	struct log_replay r1, r2;
	struct kvlog log;
	unsigned long first;
	int rc;

	if (size > 1 << 20)
		return 0;
	/* Records at LOG_START fit in the first of the two regions. */
	d.size = LOG_START + 2 * (size + 64 + LOG_HEADER_SIZE);
	d.bytes = calloc(1, d.size);
	dev = memdisk_dev(&d);
	if (size > 0 && (data[0] & 3) == 0) {
		memcpy(d.bytes, data, size);
	} else if ((data[0] & 3) == 1 && size >= 17) {
		struct log_head hd = { data[1], 0, 0 };

		memcpy(&hd.start, data + 1, 8);
		memcpy(&hd.limit, data + 9, 8);
		hd.start %= d.size + 1024; /* near the disk, so often in it */
		hd.limit %= d.size + 1024;
		if (log_write_header(&dev, &hd) != 0)
			abort();
		if (hd.start < d.size)
			memcpy(d.bytes + hd.start, data + 17,
			       size - 17 < d.size - hd.start
				       ? size - 17
				       : d.size - hd.start);
	} else {
		if (log_open(&log, &dev, count, NULL, &r1) != 0)
			abort(); /* a disk of zeros is formatted */
		free(log.pend);
		memcpy(d.bytes + LOG_START, data, size);
	}
	applied = 0;
	rc = log_open(&log, &dev, count, NULL, &r1);
	free(log.pend);
	if (rc == 0) {
		if (r1.end < log.start || r1.end > log.limit ||
		    log.start < LOG_START || log.limit > d.size ||
		    applied != r1.records)
			abort();
		first = applied;
		applied = 0;
		if (log_open(&log, &dev, count, NULL, &r2) != 0 ||
		    r2.why != NULL || applied != first || r2.end != r1.end)
			abort();
		free(log.pend);
	}
	free(d.bytes);
	return 0;
}
