/*
 * disk - a dd-like tool for a virtual disk: write a pattern over a
 * range, read it back, verify it, and say how fast each went.
 *
 *   xl create config/disk.cfg 'extra="-o 0 -n 64 -b 1024 all"'
 *
 *   disk [-d DEVICE] [-o OFFSET-KiB] [-n LENGTH-MiB] [-b BLOCK-KiB] ACTION
 *   ACTION: write (then fsync) | read | verify | all (the three in turn)
 *
 * Byte i of the disk gets pattern(i) (below), so a verify also catches
 * data that went to the wrong place. The device is a file of the POSIX
 * layer (blk_files_init, <xenlet/blk_file.h>): /dev/xvda by default.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xenlet/blk_file.h>

static const char *device = "/dev/xvda";
static uint64_t offset, length = 16 << 20;
static size_t block = 1 << 20;

static uint8_t pattern(uint64_t off)
{
	uint64_t x = (off >> 3) * 0x9e3779b97f4a7c15ULL ^ 0x100000001ULL;

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (uint8_t)(x >> ((off & 7) * 8));
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* "16 MiB in 1024 KiB blocks: 0.52 s, 30.7 MB/s" */
static void report(const char *what, uint64_t bytes, uint64_t ns)
{
	uint64_t ms = ns / 1000000, tenths_mbs = ns ? bytes * 10000 / ns : 0;

	/* newlib's printf has no %z: sizes go as unsigned long. */
	printf("disk: %s %llu MiB in %lu KiB blocks: %llu.%03llu s, "
	       "%llu.%llu MB/s\n",
	       what, (unsigned long long)(bytes >> 20),
	       (unsigned long)(block >> 10), (unsigned long long)(ms / 1000),
	       (unsigned long long)(ms % 1000),
	       (unsigned long long)(tenths_mbs / 10),
	       (unsigned long long)(tenths_mbs % 10));
}

/* One pass over the range: write, read, or read and compare. */
static int pass(int fd, char action, uint8_t *buf)
{
	uint64_t pos, t = now_ns(), bad = 0;
	size_t i, n;

	for (pos = offset; pos < offset + length; pos += n) {
		n = offset + length - pos < block ? offset + length - pos
						  : block;
		if (action == 'w') {
			for (i = 0; i < n; i++)
				buf[i] = pattern(pos + i);
			if (pwrite(fd, buf, n, (off_t)pos) != (ssize_t)n)
				break;
			continue;
		}
		if (pread(fd, buf, n, (off_t)pos) != (ssize_t)n)
			break;
		for (i = 0; action == 'v' && i < n; i++)
			if (buf[i] != pattern(pos + i) && bad++ == 0)
				printf("disk: first wrong byte at %llu\n",
				       (unsigned long long)(pos + i));
	}
	if (pos < offset + length) {
		printf("disk: %s at %llu: %s\n",
		       action == 'w' ? "write" : "read",
		       (unsigned long long)pos, strerror(errno));
		return 1;
	}
	if (action == 'w' && fsync(fd) < 0) {
		printf("disk: fsync: %s\n", strerror(errno));
		return 1;
	}
	t = now_ns() - t;
	report(action == 'w'   ? "wrote"
	       : action == 'r' ? "read"
			       : "verified",
	       length, t);
	if (action == 'v')
		printf("disk: verify: %s (%llu bytes differ)\n",
		       bad ? "FAILED" : "ok", (unsigned long long)bad);
	return bad != 0;
}

static int usage(void)
{
	printf("usage: disk [-d DEVICE] [-o OFFSET-KiB] [-n LENGTH-MiB] "
	       "[-b BLOCK-KiB] write|read|verify|all\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *actions;
	uint8_t *buf;
	int c, fd, rc = 0;

	while ((c = getopt(argc, argv, "d:o:n:b:")) != -1) {
		if (c == 'd')
			device = optarg;
		else if (c == 'o')
			offset = strtoull(optarg, NULL, 0) << 10;
		else if (c == 'n')
			length = strtoull(optarg, NULL, 0) << 20;
		else if (c == 'b')
			block = strtoul(optarg, NULL, 0) << 10;
		else
			return usage();
	}
	if (optind != argc - 1 || block == 0)
		return usage();
	actions = strcmp(argv[optind], "all") == 0	? "wrv"
		  : strcmp(argv[optind], "write") == 0	? "w"
		  : strcmp(argv[optind], "read") == 0	? "r"
		  : strcmp(argv[optind], "verify") == 0 ? "v"
							: NULL;
	if (actions == NULL)
		return usage();
	blk_files_init();
	fd = open(device, strchr(actions, 'w') ? O_RDWR : O_RDONLY);
	buf = aligned_alloc(4096, (block + 4095) & ~(size_t)4095);
	if (fd < 0 || buf == NULL) {
		printf("disk: %s: %s\n", device, strerror(errno));
		return 1;
	}
	for (; *actions != '\0' && rc == 0; actions++)
		rc = pass(fd, *actions, buf);
	close(fd);
	return rc;
}
