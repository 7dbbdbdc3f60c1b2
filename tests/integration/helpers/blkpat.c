/*
 * blkpat - a dom0 helper for the blk test: write or check a pattern in
 * a disk image. Each byte depends on the seed and its offset in the
 * image, so data read from or written to the wrong place is caught.
 * The test guest (guests/blk.c) computes the same pattern.
 *
 *   blkpat write FILE SIZE SEED OFFSET LEN   (the file becomes SIZE bytes)
 *   blkpat check FILE SEED OFFSET LEN
 *   blkpat sum FILE                          FNV-1a (32 bits) of all of it
 *
 * check prints "ok LEN bytes" (exit 0) or where the first wrong byte is
 * and how many differ (exit 1).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../pattern.h"

static int do_write(int fd, uint64_t size, uint32_t seed, uint64_t off,
		    uint64_t len)
{
	static uint8_t buf[65536];
	uint64_t done, i;

	if (ftruncate(fd, (off_t)size) < 0)
		return 1;
	for (done = 0; done < len; done += i) {
		for (i = 0; i < sizeof(buf) && done + i < len; i++)
			buf[i] = pattern(seed, off + done + i);
		if (pwrite(fd, buf, i, (off_t)(off + done)) != (ssize_t)i)
			return 1;
	}
	return fsync(fd) < 0;
}

static int do_check(int fd, uint32_t seed, uint64_t off, uint64_t len)
{
	static uint8_t buf[65536];
	uint64_t done, i, bad = 0, first = 0;
	ssize_t n;

	for (done = 0; done < len; done += (uint64_t)n) {
		size_t want =
			len - done < sizeof(buf) ? len - done : sizeof(buf);

		n = pread(fd, buf, want, (off_t)(off + done));
		if (n <= 0) {
			printf("short read at %llu\n",
			       (unsigned long long)(off + done));
			return 1;
		}
		for (i = 0; i < (uint64_t)n; i++)
			if (buf[i] != pattern(seed, off + done + i) &&
			    bad++ == 0)
				first = off + done + i;
	}
	if (bad == 0) {
		printf("ok %llu bytes\n", (unsigned long long)len);
		return 0;
	}
	printf("%llu bytes differ, the first at %llu\n",
	       (unsigned long long)bad, (unsigned long long)first);
	return 1;
}

/* FNV-1a, 32 bits, of the whole file: the guest computes the same. */
static int do_sum(int fd)
{
	static uint8_t buf[65536];
	uint32_t h = 2166136261u;
	uint64_t total = 0;
	ssize_t n, i;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			h = (h ^ buf[i]) * 16777619u;
		total += (uint64_t)n;
	}
	printf("sum %08x of %llu bytes\n", h, (unsigned long long)total);
	return n < 0;
}

int main(int argc, char **argv)
{
	int fd, w = argc == 7 && argv[1][0] == 'w';
	int sum = argc == 3 && argv[1][0] == 's';

	if (!w && !sum && argc != 6) {
		fprintf(stderr, "usage: blkpat write FILE SIZE SEED OFF LEN\n"
				"       blkpat check FILE SEED OFF LEN\n"
				"       blkpat sum FILE\n");
		return 2;
	}
	fd = open(argv[2], w ? O_RDWR | O_CREAT : O_RDONLY, 0644);
	if (fd < 0) {
		perror(argv[2]);
		return 2;
	}
	if (sum)
		return do_sum(fd);
	if (w)
		return do_write(fd, strtoull(argv[3], 0, 0),
				(uint32_t)strtoul(argv[4], 0, 0),
				strtoull(argv[5], 0, 0),
				strtoull(argv[6], 0, 0));
	return do_check(fd, (uint32_t)strtoul(argv[3], 0, 0),
			strtoull(argv[4], 0, 0), strtoull(argv[5], 0, 0));
}
