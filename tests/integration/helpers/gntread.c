/*
 * gntread - a dom0 helper for the grant test: map a page another domain
 * granted to dom0 through /dev/xen/gntdev, print a checksum of its 4096
 * bytes, and keep it mapped until the file named by the third argument
 * exists (so the guest can see its revoke refused as busy), then unmap.
 *
 *   gntread DOMID REF UNMAP-FILE
 *
 * Built on the build host with `gcc -static` (dom0 has no compiler),
 * against the gntdev ioctl definitions of Debian's libxen-dev.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xen/sys/gntdev.h>

/* FNV-1a, 32 bits: the guest computes the same. */
static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

int main(int argc, char **argv)
{
	struct ioctl_gntdev_map_grant_ref map = { .count = 1 };
	struct ioctl_gntdev_unmap_grant_ref unmap = { .count = 1 };
	unsigned char *page;
	int fd, i;

	if (argc != 4) {
		fprintf(stderr, "usage: gntread DOMID REF UNMAP-FILE\n");
		return 2;
	}
	map.refs[0].domid = (uint32_t)strtoul(argv[1], NULL, 10);
	map.refs[0].ref = (uint32_t)strtoul(argv[2], NULL, 10);
	fd = open("/dev/xen/gntdev", O_RDWR);
	if (fd < 0 || ioctl(fd, IOCTL_GNTDEV_MAP_GRANT_REF, &map) < 0) {
		perror("gntread: gntdev map");
		return 1;
	}
	page = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, (off_t)map.index);
	if (page == MAP_FAILED) {
		perror("gntread: mmap");
		return 1;
	}
	printf("checksum %08x first %02x %02x %02x\n", fnv1a(page, 4096),
	       page[0], page[1], page[2]);
	fflush(stdout);
	for (i = 0; i < 600 && access(argv[3], F_OK) != 0; i++)
		usleep(100000);
	munmap(page, 4096);
	unmap.index = map.index;
	if (ioctl(fd, IOCTL_GNTDEV_UNMAP_GRANT_REF, &unmap) < 0) {
		perror("gntread: gntdev unmap");
		return 1;
	}
	printf("unmapped\n");
	return 0;
}
