/*
 * blkfile - virtual disks as POSIX files. dom0 filled xvda (4 MiB, rw)
 * with pattern 44 (helpers/blkpat.c) and xvdb (ro) with anything.
 * Random unaligned pread/pwrite on /dev/xvda are compared with a model
 * of the disk kept in memory; then the edges (end of disk, O_RDONLY,
 * read-only disk); then fsync, and the model's checksum, which dom0
 * compares with the image's once we are gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenlet/blk_file.h>

#include "../pattern.h"

#define SEED 44
#define OPS  200

static uint8_t *model;
static uint64_t size;
static int failures;

static uint64_t rng = 88172645463325252ULL;

static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void check(const char *what, int ok)
{
	printf("blkfile: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

/* A random range: mostly small and unaligned, sometimes large, some
 * reaching past the end. */
static void range(uint64_t *off, size_t *len)
{
	*off = next() % (size + 2048);
	*len = next() % 4 == 0 ? next() % 70000 : next() % 1500 + 1;
}

static int random_ops(int fd, uint8_t *buf)
{
	int i, bad = 0;

	for (i = 0; i < OPS && !bad; i++) {
		uint64_t off, want;
		size_t len, j;
		ssize_t n;

		range(&off, &len);
		want = off >= size ? 0 : size - off < len ? size - off : len;
		if (i % 2 == 0) {
			n = pread(fd, buf, len, (off_t)off);
			bad = n != (ssize_t)want ||
			      memcmp(buf, model + off, want);
		} else {
			for (j = 0; j < len; j++)
				buf[j] = (uint8_t)next();
			n = pwrite(fd, buf, len, (off_t)off);
			if (want == 0)
				bad = n != -1 || errno != ENOSPC;
			else
				bad = n != (ssize_t)want;
			if (n > 0)
				memcpy(model + off, buf, (size_t)n);
		}
		if (bad)
			printf("blkfile: op %d (%s %lu at %llu) gave %ld\n", i,
			       i % 2 ? "pwrite" : "pread", (unsigned long)len,
			       (unsigned long long)off, (long)n);
	}
	return !bad;
}

/* The whole disk through read(), 65535 bytes at a time. */
static int read_all(int fd, uint8_t *buf)
{
	uint64_t pos = 0;
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	while ((n = read(fd, buf, 65535)) > 0) {
		if (memcmp(buf, model + pos, (size_t)n) != 0)
			return 0;
		pos += (uint64_t)n;
	}
	return n == 0 && pos == size;
}

/* A call's result and the errno it left, in that order. */
static void show(const char *what, long rc)
{
	printf("blkfile: %s: %ld errno %d\n", what, rc, rc < 0 ? errno : 0);
}

static void edges(int fd)
{
	char b[600];
	int ro;

	show("pread at the end", pread(fd, b, 10, (off_t)size));
	memset(b, 'z', sizeof(b));
	show("pwrite 600 over the end", pwrite(fd, b, 600, (off_t)size - 100));
	memcpy(model + size - 100, b, 100);
	show("pwrite at the end", pwrite(fd, b, 1, (off_t)size));
	show("lseek end", lseek(fd, 0, SEEK_END));
	ro = open("/dev/xvda", O_RDONLY);
	show("write on O_RDONLY", write(ro, b, 1));
	close(ro);
	show("open xvdb O_RDWR", open("/dev/xvdb", O_RDWR));
	ro = open("/dev/xvdb", O_RDONLY);
	show("open xvdb O_RDONLY", ro >= 0 ? 0 : -1);
	show("read xvdb", read(ro, b, 600));
	show("open xvdz", open("/dev/xvdz", O_RDWR));
}

int main(void)
{
	uint8_t *buf = malloc(80000);
	uint64_t bytes = 0, i;
	uint32_t h = 2166136261u;
	struct stat st;
	int fd, ssz = 0;

	blk_files_init();
	fd = open("/dev/xvda", O_RDWR);
	printf("blkfile: open: %s\n", fd >= 0 ? "ok" : strerror(errno));
	if (fd < 0 || buf == NULL)
		return 1;
	fstat(fd, &st);
	ioctl(fd, BLKGETSIZE64, &bytes);
	ioctl(fd, BLKSSZGET, &ssz);
	printf("blkfile: block device %d, size %lld, blksize %ld, "
	       "BLKGETSIZE64 %llu, BLKSSZGET %d\n",
	       S_ISBLK(st.st_mode), (long long)st.st_size, (long)st.st_blksize,
	       (unsigned long long)bytes, ssz);
	size = (uint64_t)st.st_size;
	model = malloc(size);
	if (model == NULL)
		return 1;
	for (i = 0; i < size; i++)
		model[i] = pattern(SEED, i);
	check("random unaligned pread/pwrite", random_ops(fd, buf));
	edges(fd);
	check("read all", read_all(fd, buf));
	show("fsync", fsync(fd));
	show("fdatasync", fdatasync(fd));
	for (i = 0; i < size; i++)
		h = (h ^ model[i]) * 16777619u;
	printf("blkfile: model sum %08x of %llu bytes\n", h,
	       (unsigned long long)size);
	printf("blkfile: %d failures\n", failures);
	return failures != 0;
}
