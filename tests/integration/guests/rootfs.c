/*
 * rootfs - files by name from the xl ramdisk (guests/rootfs.rootfs/,
 * packed by make into rootfs.cpio).
 *
 * Walks the whole tree with opendir/readdir, printing one line per
 * entry: for a file its size, mtime (stat) and POSIX cksum (the CRC
 * that coreutils' cksum prints) of what read() returned, so the case
 * can compare with what the host computes from the same archive. Then
 * the calls one by one: pread, lseek, fopen+fgets, fread, writes
 * (EROFS), missing names (ENOENT), paths that try to leave the root.
 * With no ramdisk, or a corrupt one, the walk finds an empty root and
 * the rest fails with ENOENT: the case judges which it expected.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int entries;
static const char *prefix = ""; /* of the tree's lines */

/* POSIX cksum: CRC-32 (polynomial 0x04c11db7, most significant bit
 * first) over the data, then over the length's bytes, low first. */
static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
	int i;

	crc ^= (uint32_t)b << 24;
	for (i = 0; i < 8; i++)
		crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
	return crc;
}

static uint32_t cksum_finish(uint32_t crc, uint64_t len)
{
	for (; len > 0; len >>= 8)
		crc = crc_byte(crc, (uint8_t)len);
	return ~crc;
}

/* The file's bytes through read(), in odd-sized pieces. */
static void show_file(const char *path, const struct stat *st)
{
	static uint8_t buf[3001];
	uint32_t crc = 0;
	uint64_t total = 0;
	ssize_t n, i;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("file %s: open: %s\n", path, strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++)
			crc = crc_byte(crc, buf[i]);
		total += (uint64_t)n;
	}
	close(fd);
	printf("%sfile %s size %lld mtime %lld cksum %u %llu%s\n", prefix, path,
	       (long long)st->st_size, (long long)st->st_mtime,
	       cksum_finish(crc, total), (unsigned long long)total,
	       n < 0 ? " read-error" : "");
}

static void walk(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	struct stat st;

	if (d == NULL) {
		printf("opendir %s: %s\n", dir, strerror(errno));
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		entries++;
		snprintf(path, sizeof(path), "%s/%s",
			 strcmp(dir, "/") ? dir : "", e->d_name);
		if (lstat(path, &st) < 0) {
			printf("lstat %s: %s\n", path, strerror(errno));
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			printf("%sdir %s mode %o type %d\n", prefix, path,
			       (unsigned)st.st_mode & 07777, e->d_type);
			walk(path);
		} else if (S_ISREG(st.st_mode)) {
			show_file(path, &st);
		} else {
			printf("%sother %s mode %o type %d\n", prefix, path,
			       (unsigned)st.st_mode, e->d_type);
		}
	}
	closedir(d);
}

/* "NAME: rc errno" lines: the case knows each answer. */
static void result(const char *what, long rc)
{
	printf("%s: %ld %s\n", what, rc, rc < 0 ? strerror(errno) : "ok");
	errno = 0;
}

static void open_checks(void)
{
	struct stat st;
	int fd;

	result("open O_WRONLY", open("/hello.txt", O_WRONLY));
	result("open O_RDWR", open("/hello.txt", O_RDWR));
	result("open O_TRUNC", open("/hello.txt", O_RDONLY | O_TRUNC));
	result("open O_CREAT new", open("/new.txt", O_WRONLY | O_CREAT, 0644));
	result("open O_CREAT|O_EXCL old",
	       open("/hello.txt", O_RDONLY | O_CREAT | O_EXCL, 0644));
	result("open missing", open("/missing.txt", O_RDONLY));
	result("stat missing", stat("/sub/missing", &st));
	result("open through a file", open("/hello.txt/x", O_RDONLY));
	result("open file/", open("/hello.txt/", O_RDONLY));
	result("open O_DIRECTORY file",
	       open("/hello.txt", O_RDONLY | O_DIRECTORY));
	result("open symlink", open("/link", O_RDONLY));
	result("stat symlink", stat("/link", &st));
	result("lstat symlink",
	       lstat("/link", &st) == 0 && S_ISLNK(st.st_mode));
	result("access R_OK", access("hello.txt", R_OK));
	result("access W_OK", access("hello.txt", W_OK));
	result("unlink", unlink("/hello.txt"));
	result("mkdir", mkdir("/newdir", 0755));
	fd = open("/sub", O_RDONLY);
	result("open dir", fd >= 0);
	result("read dir", read(fd, &st, 1));
	close(fd);
}

/* Paths that try to leave the root, or take detours inside it. */
static void path_checks(void)
{
	static const char *const paths[] = {
		"../../../hello.txt",
		"/../hello.txt",
		"sub/../../hello.txt",
		"//sub///dir//../dir/./numbers.txt",
		"./sub/dir/numbers.txt",
		"/sub/dir/",
		"/..",
		"",
	};
	struct stat st;
	unsigned int i;

	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		int rc = stat(paths[i], &st);

		printf("path \"%s\": %s size %lld\n", paths[i],
		       rc < 0		     ? strerror(errno)
		       : S_ISDIR(st.st_mode) ? "dir"
					     : "file",
		       rc < 0 ? -1LL : (long long)st.st_size);
	}
}

/* Bytes as one line: newlines shown as '|'. */
static void show_bytes(const char *what, char *b, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (b[i] == '\n')
			b[i] = '|';
	printf("%s: [%.*s]\n", what, n, b);
}

static void io_checks(void)
{
	char line[128], buf[16];
	int fd = open("/sub/dir/numbers.txt", O_RDONLY), n = 0;
	FILE *f;

	result("pread 10 at 100", pread(fd, buf, 10, 100));
	show_bytes("pread bytes", buf, 10);
	result("lseek end", lseek(fd, 0, SEEK_END));
	result("read at end", read(fd, buf, 10));
	result("lseek set 6", lseek(fd, 6, SEEK_SET));
	result("read 4", read(fd, buf, 4));
	show_bytes("read bytes", buf, 4);
	result("lseek negative", lseek(fd, -1, SEEK_SET));
	close(fd);

	f = fopen("/hello.txt", "r");
	result("fopen", f != NULL ? 1 : -1);
	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		printf("fgets %d: [%s]\n", ++n, line);
	}
	if (f)
		fclose(f);
	f = fopen("/hello.txt", "w");
	result("fopen w", f != NULL ? 0 : -1);
	f = fopen("sub/dir/numbers.txt", "rb");
	if (f) {
		static char big[100000];
		size_t got = fread(big, 1, sizeof(big), f);

		printf("fread: %zu bytes, eof %d\n", got, feof(f));
		fclose(f);
	}
}

/*
 * Take all the memory there is, overwrite it, give it back: had the
 * page allocator handed out a page of the ramdisk, the second walk's
 * checksums would differ from the first's.
 */
static void fill_memory(void)
{
	enum { BLOCK = 64 * 1024, MAX_BLOCKS = 8192 };
	static void *blocks[MAX_BLOCKS];
	int n = 0;

	while (n < MAX_BLOCKS && (blocks[n] = malloc(BLOCK)) != NULL)
		memset(blocks[n++], 0xa5, BLOCK);
	printf("filled %d KiB\n", n * (BLOCK / 1024));
	while (n > 0)
		free(blocks[--n]);
}

int main(void)
{
	walk("/");
	printf("entries: %d\n", entries);
	fill_memory();
	prefix = "after fill: ";
	walk("/");
	open_checks();
	path_checks();
	io_checks();
	printf("rootfs: done\n");
	return 0;
}
