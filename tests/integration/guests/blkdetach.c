/*
 * blkdetach - `xl block-detach` and `xl block-attach` while the guest
 * runs. xvdb (pattern 66 from dom0) is read, its first 64 KiB written
 * with pattern 77 (no flush: the detach must flush it), then dom0
 * detaches it while we keep writing: the writes start failing with
 * -EIO and the guest lives. dom0 attaches the same image again as xvdb
 * and we read 77 back through the new connection.
 */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xenlet/blk.h>

#include "../pattern.h"

#define KiB 1024
#define MiB (1024 * 1024)

static int holds(const uint8_t *p, uint32_t seed, uint64_t off, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pattern(seed, off + i))
			return 0;
	return 1;
}

/* Write 4 KiB blocks past 1 MiB every 20 ms until one fails (<= 60 s). */
static void write_until_detached(struct blkdev *d, uint8_t *buf)
{
	unsigned int n;
	int rc = 0;

	for (n = 0; n < 3000 && rc == 0; n++) {
		rc = blk_write(d, MiB + (n % 256) * 4 * KiB, buf, 4 * KiB);
		if (rc == 0)
			usleep(20000);
	}
	printf("blkdetach: I/O after detach: %d\n", rc);
}

/* The disk named xvdb again, once dom0 has attached it (<= 120 s). */
static struct blkdev *reopen(struct blkdev *old)
{
	struct blkdev *d;
	int i;

	for (i = 0; i < 600; i++) {
		if (blk_open("xvdb", &d) == 0 && d != old)
			return d;
		usleep(200000);
	}
	return NULL;
}

int main(void)
{
	uint8_t *buf = memalign(4096, 64 * KiB);
	struct blkdev *d;
	size_t i;
	int rc = blk_open("xvdb", &d);

	printf("blkdetach: open: %d\n", rc);
	if (rc < 0 || buf == NULL)
		return 1;
	rc = blk_read(d, 0, buf, 64 * KiB);
	printf("blkdetach: read: %d, pattern %s\n", rc,
	       holds(buf, 66, 0, 64 * KiB) ? "ok" : "wrong");
	for (i = 0; i < 64 * KiB; i++)
		buf[i] = pattern(77, i);
	printf("blkdetach: write: %d\n", blk_write(d, 0, buf, 64 * KiB));
	printf("blkdetach: detach me\n");
	write_until_detached(d, buf);
	d = reopen(d);
	printf("blkdetach: attached again: %s\n", d ? "ok" : "no");
	if (d == NULL)
		return 1;
	memset(buf, 0, 64 * KiB);
	rc = blk_read(d, 0, buf, 64 * KiB);
	printf("blkdetach: read again: %d, pattern %s\n", rc,
	       holds(buf, 77, 0, 64 * KiB) ? "ok" : "wrong");
	printf("blkdetach: close: %d\n", blk_close(d));
	return 0;
}
