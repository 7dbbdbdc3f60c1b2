/*
 * vdev.c - names of virtual disks, and the numbers XenStore uses.
 *
 * The toolstack names a vbd's directory (device/vbd/<n>) by a number
 * that encodes the vdev of the xl config (Xen's vbd-interface.txt):
 *   xvd, disks 0..15     202 << 8 | disk << 4 | partition
 *   xvd, any disk        1 << 28 | disk << 8 | partition
 * A disk number is written as letters, bijective base 26: a = 0,
 * z = 25, aa = 26. xenlet opens whole disks, so partition is 0.
 * Numbers of other schemes (sd, hd) are named by the number itself.
 */
#include <xen/errno.h>
#include <xenlet/printk.h>
#include <xenlet/xs_wire.h>
#include "blkfront.h"

#define XVD_MAJOR     202
#define XVD_EXTENDED  (1UL << 28)
#define XVD_MAX_DISKS (1UL << 20) /* the extended scheme's 20 bits */

static int parse_letters(const char *s, unsigned long *disk)
{
	unsigned long d = 0;

	if (*s == '\0')
		return -XEN_EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < 'a' || *s > 'z' || d > XVD_MAX_DISKS)
			return -XEN_EINVAL;
		d = d * 26 + (unsigned long)(*s - 'a') + 1;
	}
	if (d - 1 >= XVD_MAX_DISKS)
		return -XEN_EINVAL;
	*disk = d - 1;
	return 0;
}

int blk_vdev_parse(const char *name, unsigned long *vdev)
{
	unsigned long disk;

	if (name[0] >= '0' && name[0] <= '9')
		return xs_parse_ulong(name, 0xffffffffUL, vdev);
	if (name[0] != 'x' || name[1] != 'v' || name[2] != 'd' ||
	    parse_letters(name + 3, &disk) < 0)
		return -XEN_EINVAL;
	if (disk < 16)
		*vdev = XVD_MAJOR << 8 | disk << 4;
	else
		*vdev = XVD_EXTENDED | disk << 8;
	return 0;
}

/* "xvd" and the letters of disk, or the number if it does not fit. */
void blk_vdev_name(unsigned long vdev, char *buf, unsigned int size)
{
	char letters[8];
	unsigned long disk;
	int n = 0, i;

	if (vdev >> 8 == XVD_MAJOR && (vdev & 15) == 0)
		disk = (vdev >> 4) & 15;
	else if ((vdev & ~0xfffff00UL) == XVD_EXTENDED)
		disk = (vdev >> 8) & (XVD_MAX_DISKS - 1);
	else {
		snprintk(buf, size, "%lu", vdev);
		return;
	}
	for (disk++; disk > 0 && n < (int)sizeof(letters);
	     disk = (disk - 1) / 26)
		letters[n++] = (char)('a' + (disk - 1) % 26);
	i = snprintk(buf, size, "xvd");
	while (n > 0 && i + 1 < (int)size) {
		buf[i++] = letters[--n];
		buf[i] = '\0';
	}
}
