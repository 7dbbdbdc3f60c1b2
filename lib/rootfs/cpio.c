/*
 * cpio.c - reading one entry of a cpio "newc" archive, checked.
 *
 * The format (the one Linux's initramfs and `cpio -H newc` use): each
 * entry is a 110-byte header, the path, then the file's data. The
 * header is the magic "070701" ("070702" adds a checksum of the data,
 * which we do not verify, as Linux does not) and 13 fields of 8 ASCII
 * hex digits: ino mode uid gid nlink mtime filesize devmajor devminor
 * rdevmajor rdevminor namesize check. namesize counts the path's NUL.
 * The path starts right after the header and the data on the next
 * multiple of 4 after the path; the next header on the next multiple
 * of 4 after the data (offsets from the archive's start). The entry
 * named "TRAILER!!!" ends the archive.
 *
 * The archive is input from outside the guest: every field is checked
 * here, and every length bounded against the archive's end, before
 * anything is read by it.
 */
#include <xenlet/rootfs.h>
#include <xenlet/string.h>

#define HEADER_SIZE 110
#define FIELD_SIZE  8

enum {
	INO,
	MODE,
	UID,
	GID,
	NLINK,
	MTIME,
	FILESIZE,
	DEVMAJOR,
	DEVMINOR,
	RDEVMAJOR,
	RDEVMINOR,
	NAMESIZE,
	CHECK,
	NR_FIELDS
};

static const char trailer[] = "TRAILER!!!";

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

/* The value of 8 hex digits, or -1 if one is not a hex digit. */
static int64_t hex8(const uint8_t *p)
{
	int64_t v = 0;
	int i;

	for (i = 0; i < FIELD_SIZE; i++) {
		uint8_t c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* The header's fields into f[], or why not. */
static const char *read_header(const uint8_t *h, uint32_t *f)
{
	int i;

	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return "bad magic (not a newc cpio archive)";
	for (i = 0; i < NR_FIELDS; i++) {
		int64_t v = hex8(h + 6 + i * FIELD_SIZE);

		if (v < 0)
			return "a header field is not hex";
		f[i] = (uint32_t)v;
	}
	return NULL;
}

/* The path at a + off (namesize bytes with the NUL, bounded by the
 * caller against the archive's end and ROOTFS_PATH_MAX), or why not. */
static const char *check_name(const uint8_t *p, uint32_t namesize)
{
	uint32_t i;

	if (p[namesize - 1] != '\0')
		return "the name does not end in NUL";
	for (i = 0; i + 1 < namesize; i++)
		if (p[i] == '\0')
			return "a NUL inside the name";
	return NULL;
}

int cpio_next(const uint8_t *a, size_t len, size_t *off, struct cpio_entry *e,
	      const char **why)
{
	size_t at = *off, data;
	uint32_t f[NR_FIELDS];

	*why = NULL;
	if (at > len || len - at < HEADER_SIZE)
		*why = at == len ? "no TRAILER!!! entry (truncated?)"
				 : "truncated header";
	else
		*why = read_header(a + at, f);
	if (*why)
		return -1;
	/* The bounds on namesize: one byte (the NUL) at least, Linux's
	 * PATH_MAX at most, and inside the archive. */
	if (f[NAMESIZE] == 0)
		*why = "name size 0";
	else if (f[NAMESIZE] > ROOTFS_PATH_MAX)
		*why = "name longer than PATH_MAX";
	else if (f[NAMESIZE] > len - at - HEADER_SIZE)
		*why = "truncated name";
	else
		*why = check_name(a + at + HEADER_SIZE, f[NAMESIZE]);
	if (*why)
		return -1;
	/* The data: filesize bytes from the next multiple of 4, all
	 * inside the archive. (at + 110 + 4096 + 3 cannot wrap.) */
	data = align4(at + HEADER_SIZE + f[NAMESIZE]);
	if (f[FILESIZE] > 0 && (data > len || f[FILESIZE] > len - data)) {
		*why = "file data past the end of the archive";
		return -1;
	}
	if (data > len)
		data = len; /* no data: its padding may be cut off */
	*e = (struct cpio_entry){
		.name = (const char *)a + at + HEADER_SIZE,
		.name_len = f[NAMESIZE] - 1,
		.ino = f[INO],
		.mode = f[MODE],
		.nlink = f[NLINK],
		.mtime = f[MTIME],
		.data = a + data,
		.size = f[FILESIZE],
	};
	*off = align4(data + e->size);
	if (*off > len)
		*off = len; /* the last padding may be cut off */
	if (e->name_len == sizeof(trailer) - 1 &&
	    memcmp(e->name, trailer, e->name_len) == 0)
		return 0;
	return 1;
}
