/*
 * blkstall - a backend that stops answering: dom0 suspends the
 * device-mapper disk under xvda (dmsetup suspend --noflush), so that
 * blkback's requests are held and never complete. We submit an
 * asynchronous read whose completion is a callback, and nobody calls
 * blk_wait on it: it must still end, with -EIO, once the request has
 * been on the ring for BLK_TIMEOUT_NS (30 s), the device disabled.
 *
 * dom0 and we take turns through XenStore keys of our own directory:
 * "data/stalled" (dom0 has suspended the disk) and "data/resumed".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <xen/xen.h>
#include <xenlet/blk.h>
#include <xenlet/xenstore.h>

static volatile int answered;
static volatile int status = 1;
static uint64_t t_answer;

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void done(struct blk_request *r)
{
	status = r->status;
	t_answer = now_ms();
	answered = 1;
}

/* Wait (by polling, 100 ms apart) for dom0 to write key; 0 if it did. */
static int wait_key(const char *key, unsigned int seconds)
{
	unsigned long v;
	unsigned int i;

	for (i = 0; i < seconds * 10; i++) {
		if (xs_read_ulong(XBT_NIL, key, 1, &v) == 0 && v == 1)
			return 0;
		usleep(100000);
	}
	return -1;
}

int main(void)
{
	static struct blk_request r;
	static uint8_t buf[4096] __attribute__((aligned(4096)));
	struct blkdev *d;
	uint64_t t0;
	int rc, i;

	rc = blk_open(NULL, &d);
	printf("blkstall: open: %d\n", rc);
	if (rc < 0)
		return 1;
	printf("blkstall: read before the stall: %d\n",
	       blk_read(d, 0, buf, sizeof(buf)));
	printf("blkstall: ready\n");
	if (wait_key("data/stalled", 240) < 0) {
		printf("blkstall: dom0 never stalled the disk\n");
		return 1;
	}
	r = (struct blk_request){
		.op = BLK_READ,
		.offset = 8192,
		.buf = buf,
		.len = 4096,
		.done = done,
	};
	t0 = now_ms();
	printf("blkstall: submit: %d\n", blk_submit(d, &r));
	/* Nobody waits on r: we only look at the flag its callback sets,
	 * for twice the deadline. */
	for (i = 0; i < 600 && !answered; i++)
		usleep(100000);
	if (answered)
		printf("blkstall: answered after %llu s: %d\n",
		       (unsigned long long)((t_answer - t0 + 500) / 1000),
		       status);
	else
		printf("blkstall: no answer after 60 s\n");
	printf("blkstall: read after: %d\n", blk_read(d, 0, buf, sizeof(buf)));
	printf("blkstall: waiting for dom0 to resume the disk\n");
	if (wait_key("data/resumed", 240) < 0)
		printf("blkstall: dom0 never resumed the disk\n");
	return 0;
}
