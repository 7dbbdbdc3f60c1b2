/*
 * fuzz_cpio.c - the root file system's archive check and tree
 * (lib/rootfs) on any bytes: rootfs_init on the input as the ramdisk,
 * then every lookup and listing a program could make. The archive is
 * a buffer of exactly its size, so a read past the end is an ASan
 * report; a hang (a walk that never ends) is libFuzzer's timeout.
 *
 * Random bytes rarely get past "070701" and 13 hex fields, so an input
 * whose first byte is odd is a recipe instead: entries (type, name,
 * data) that build() packs as a well-formed archive, which reaches the
 * tree's code (implied directories, duplicates, ".." in names), and
 * then one byte of it overwritten and its end cut where the recipe
 * says, which reaches every check of a header.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/rootfs.h>

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}

static unsigned int budget; /* listing steps per input */

/* Look every listed name up again, and list the directories, down to
 * a bounded depth and number of steps. */
static void walk(const char *dir, size_t len, int depth)
{
	struct rootfs_node n, m;
	size_t cursor = 0;

	while (budget > 0 && rootfs_dir_next(dir, len, &cursor, &n)) {
		budget--;
		if (rootfs_lookup(n.path, n.path_len, &m) != 0 ||
		    m.mode != n.mode)
			abort(); /* a listed entry must be found, the same */
		if (n.size > 0 && n.data != NULL)
			(void)*(volatile const uint8_t *)(n.data + n.size - 1);
		if (depth < 8 && (n.mode & ROOTFS_C_ISFMT) == ROOTFS_C_ISDIR)
			walk(n.path, n.path_len, depth + 1);
	}
}

static uint8_t packed[1 << 16];
static size_t packed_len;

static void emit(const void *p, size_t n)
{
	if (n > sizeof(packed) - packed_len)
		n = sizeof(packed) - packed_len;
	if (n > 0)
		memcpy(packed + packed_len, p, n);
	packed_len += n;
	while (packed_len % 4 && packed_len < sizeof(packed))
		packed[packed_len++] = 0;
}

static void emit_entry(uint32_t mode, const char *name, size_t name_len,
		       const uint8_t *data, size_t size)
{
	char h[112];
	uint8_t nm[300];

	snprintf(h, sizeof(h),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)packed_len, mode, 0u, 0u, 1u, 0u, (unsigned)size, 0u,
		 0u, 0u, 0u, (unsigned)name_len + 1, 0u);
	memcpy(nm, h, 110);
	memcpy(nm + 110, name, name_len);
	nm[110 + name_len] = '\0';
	emit(nm, 110 + name_len + 1);
	emit(data, size);
}

/* Recipe: entries of [type][name length][name][data length][data],
 * then [at low][at high][byte][cut]: the mutation. */
static void build(const uint8_t *in, size_t size)
{
	static const uint32_t types[4] = { ROOTFS_C_ISREG | 0644,
					   ROOTFS_C_ISDIR | 0755,
					   ROOTFS_C_ISLNK | 0777, 0020644 };
	size_t i = 1;

	packed_len = 0;
	while (i + 2 <= size - 4 && size >= 4 + 2) {
		uint32_t type = types[in[i] & 3];
		size_t nl = in[i + 1] % 64, dl;

		if (i + 2 + nl + 1 > size - 4)
			break;
		dl = in[i + 2 + nl] % 128;
		if (i + 3 + nl + dl > size - 4)
			break;
		emit_entry(type, (const char *)in + i + 2, nl, in + i + 3 + nl,
			   dl);
		i += 3 + nl + dl;
	}
	emit_entry(0, "TRAILER!!!", 10, NULL, 0);
	if (size >= 5) {
		size_t at = in[size - 4] | (size_t)in[size - 3] << 8;

		if (in[size - 2] != 0 && at < packed_len)
			packed[at] = in[size - 2];
		if ((in[size - 1] & 0x80) && (in[size - 1] & 0x7f) < packed_len)
			packed_len -= in[size - 1] & 0x7f; /* cut the end */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char norm[ROOTFS_PATH_MAX];
	struct rootfs_node n;
	int must_dir, len;
	uint8_t *a;

	if (size > 0 && (data[0] & 1)) {
		build(data, size);
		a = malloc(packed_len ? packed_len : 1);
		memcpy(a, packed, packed_len);
	} else {
		packed_len = size;
		a = malloc(size ? size : 1);
		memcpy(a, data, size);
	}
	rootfs_reset();
	rootfs_init(a, packed_len);
	budget = 10000;
	walk("", 0, 0);
	/* The input read as a path too. */
	len = rootfs_path_normalize((const char *)data, size, norm, &must_dir);
	if (len >= 0) {
		if ((size_t)len >= ROOTFS_PATH_MAX || norm[len] != '\0')
			abort();
		rootfs_lookup(norm, (size_t)len, &n);
	}
	rootfs_reset();
	free(a);
	return 0;
}
