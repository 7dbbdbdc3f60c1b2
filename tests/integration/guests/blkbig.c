/*
 * blkbig - a disk over 4 GiB (a sparse 5 GiB image in dom0): 3000
 * bytes of pattern 88 (helpers/blkpat.c) written through /dev/xvda
 * across the 4 GiB mark, where offsets need more than 32 bits, read
 * back, and fsynced for dom0 to find.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xenlet/blk_file.h>

#include "../pattern.h"

/* A call's result and the errno it left, in that order. */
static void show(const char *what, long rc)
{
	printf("blkbig: %s: %ld errno %d\n", what, rc, rc < 0 ? errno : 0);
}

int main(void)
{
	static uint8_t b[3000], back[3000];
	off_t at = (4LL << 30) - 1000;
	struct stat st;
	size_t i;
	int fd;

	blk_files_init();
	fd = open("/dev/xvda", O_RDWR);
	if (fd < 0 || fstat(fd, &st) < 0) {
		show("open", -1);
		return 1;
	}
	printf("blkbig: size %lld\n", (long long)st.st_size);
	for (i = 0; i < sizeof(b); i++)
		b[i] = pattern(88, (uint64_t)at + i);
	show("pwrite across 4 GiB", pwrite(fd, b, sizeof(b), at));
	show("fsync", fsync(fd));
	show("pread across 4 GiB", pread(fd, back, sizeof(back), at));
	printf("blkbig: read back: %s\n",
	       memcmp(b, back, sizeof(b)) == 0 ? "ok" : "FAILED");
	show("pread at the end", pread(fd, back, 10, st.st_size));
	close(fd);
	return 0;
}
