/*
 * test_rootfs.c - the root file system's archive checks, paths and
 * tree (lib/rootfs/{cpio,path,index}.c) on crafted cpio archives. Each
 * archive is a heap buffer of exactly its size, so ASan reports any
 * read past its end; the console line of a bad archive is captured and
 * compared whole, offset included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/rootfs.h>

/* --- what the kernel gives lib/rootfs --------------------------------- */

static char console[1024];
static int console_lines;

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(console, sizeof(console), fmt, ap);
	va_end(ap);
	console_lines++;
	return n;
}

void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(void *p)
{
	free(p);
}

/* --- crafting archives -------------------------------------------------- */

static uint8_t work[1 << 16];
static size_t work_len;
static uint8_t *archive; /* a copy of work, exactly work_len bytes */

static void pad4(void)
{
	while (work_len % 4)
		work[work_len++] = 0;
}

/* One newc entry; namesize and filesize as given (to craft lies). */
static size_t put_raw(const char *name, uint32_t namesize, uint32_t mode,
		      uint32_t mtime, const void *data, uint32_t filesize,
		      size_t data_len)
{
	size_t at = work_len;
	char h[111];

	snprintf(h, sizeof(h),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)(at / 4 + 1), mode, 0u, 0u, 1u, mtime, filesize, 0u,
		 0u, 0u, 0u, namesize, 0u);
	memcpy(work + work_len, h, 110);
	work_len += 110;
	memcpy(work + work_len, name, strlen(name) + 1);
	work_len += strlen(name) + 1;
	pad4();
	if (data_len > 0)
		memcpy(work + work_len, data, data_len);
	work_len += data_len;
	pad4();
	return at;
}

static size_t put(const char *name, uint32_t mode, const char *data)
{
	size_t n = data ? strlen(data) : 0;

	return put_raw(name, (uint32_t)strlen(name) + 1, mode, 1700000000u,
		       data, (uint32_t)n, n);
}

static size_t put_file(const char *name, const char *data)
{
	return put(name, ROOTFS_C_ISREG | 0644, data);
}

static size_t put_dir(const char *name)
{
	return put(name, ROOTFS_C_ISDIR | 0755, NULL);
}

static void put_trailer(void)
{
	put("TRAILER!!!", 0, NULL);
}

/* Index work[0, len) as the ramdisk; the result of rootfs_init. */
static int load_len(size_t len)
{
	free(archive);
	archive = malloc(len ? len : 1);
	memcpy(archive, work, len);
	rootfs_reset();
	console[0] = '\0';
	console_lines = 0;
	return rootfs_init(archive, len);
}

static int load(void)
{
	return load_len(work_len);
}

static int setup(void **state)
{
	(void)state;
	work_len = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rootfs_reset();
	free(archive);
	archive = NULL;
	return 0;
}

static int lookup(const char *path, struct rootfs_node *n)
{
	return rootfs_lookup(path, strlen(path), n);
}

/* The names of dir's entries, "a b c". */
static const char *list(const char *dir)
{
	static char out[512];
	struct rootfs_node n;
	size_t cursor = 0, o = 0;

	out[0] = '\0';
	while (rootfs_dir_next(dir, strlen(dir), &cursor, &n)) {
		const char *name = n.path + n.path_len;

		while (name > n.path && name[-1] != '/')
			name--;
		o += (size_t)snprintf(out + o, sizeof(out) - o, "%s%.*s",
				      o ? " " : "",
				      (int)(n.path + n.path_len - name), name);
	}
	return out;
}

/* The console line a fault gives. */
static void expect_fault(size_t off, const char *why)
{
	char want[512];

	snprintf(want, sizeof(want),
		 "rootfs: bad cpio header at offset %zu: %s (root file system "
		 "left empty)\n",
		 off, why);
	assert_string_equal(console, want);
	assert_int_equal(console_lines, 1);
}

/* After a fault: the root is there, and empty. */
static void expect_empty_root(void)
{
	struct rootfs_node n;

	assert_int_equal(lookup("", &n), 0);
	assert_int_equal(n.mode & ROOTFS_C_ISFMT, ROOTFS_C_ISDIR);
	assert_string_equal(list(""), "");
	assert_int_equal(lookup("hello.txt", &n), -XEN_ENOENT);
}

/* --- good archives ------------------------------------------------------ */

static void test_files_and_dirs(void **state)
{
	struct rootfs_node n;

	(void)state;
	put_dir(".");
	put_file("./hello.txt", "hello, world\n");
	put_dir("./sub");
	put_dir("./sub/dir");
	put_file("./sub/dir/f", "deep");
	put_file("./sub-x", "sibling");
	put_trailer();
	assert_int_equal(load(), 0);
	assert_int_equal(console_lines, 0);

	assert_int_equal(lookup("hello.txt", &n), 0);
	assert_int_equal(n.size, 13);
	assert_memory_equal(n.data, "hello, world\n", 13);
	assert_int_equal(n.mode, ROOTFS_C_ISREG | 0644);
	assert_int_equal(n.mtime, 1700000000u);
	/* Served from the archive itself, not a copy. */
	assert_true(n.data > archive && n.data < archive + work_len);
	assert_int_equal(lookup("sub/dir/f", &n), 0);
	assert_memory_equal(n.data, "deep", 4);
	assert_int_equal(lookup("sub/dir", &n), 0);
	assert_int_equal(n.mode, ROOTFS_C_ISDIR | 0755);
	assert_int_equal(lookup("", &n), 0);
	assert_int_equal(n.mode & ROOTFS_C_ISFMT, ROOTFS_C_ISDIR);
	assert_int_equal(lookup("missing", &n), -XEN_ENOENT);
	assert_int_equal(lookup("sub/missing", &n), -XEN_ENOENT);
	assert_int_equal(lookup("hello.txt/x", &n), -XEN_ENOTDIR);
	assert_int_equal(lookup("sub/dir/f/g/h", &n), -XEN_ENOTDIR);
	assert_int_equal(lookup("sub-", &n), -XEN_ENOENT);
	assert_int_equal(lookup("su", &n), -XEN_ENOENT);

	/* "sub-x" sorts after the whole of sub/ (tree order). */
	assert_string_equal(list(""), "hello.txt sub sub-x");
	assert_string_equal(list("sub"), "dir");
	assert_string_equal(list("sub/dir"), "f");
	assert_string_equal(list("sub/dir/f"), "");
}

static void test_implicit_dirs(void **state)
{
	struct rootfs_node n, m;

	(void)state;
	put_file("a/b/c", "1");
	put_file("a/d", "2");
	put_file("x/y/z", "3");
	put_file("a/b/e", "4");
	put_file("a/b-c", "5");
	put_trailer();
	assert_int_equal(load(), 0);
	assert_int_equal(lookup("a", &n), 0);
	assert_int_equal(n.mode, ROOTFS_C_ISDIR | 0555);
	assert_int_equal(lookup("a/b", &m), 0);
	assert_int_equal(m.mode, ROOTFS_C_ISDIR | 0555);
	assert_true(n.ino != m.ino);
	assert_int_equal(lookup("x/y", &n), 0);
	assert_int_equal(lookup("a/b/c", &n), 0);
	assert_int_equal(n.mode, ROOTFS_C_ISREG | 0644);
	assert_int_equal(lookup("a/c", &n), -XEN_ENOENT);
	assert_int_equal(lookup("x/y/z/w", &n), -XEN_ENOTDIR);
	/* Each implied directory listed once, in name order. */
	assert_string_equal(list(""), "a x");
	assert_string_equal(list("a"), "b b-c d");
	assert_string_equal(list("a/b"), "c e");
	assert_string_equal(list("x"), "y");
}

/* 1000 levels of directories only implied by one deep file: each level
 * is found and lists the next, the checks stay linear in the entries. */
static void test_deep_implicit(void **state)
{
	static char deep[2100];
	struct rootfs_node n;
	int i;

	(void)state;
	for (i = 0; i < 1000; i++)
		memcpy(deep + 2 * i, "d/", 2);
	memcpy(deep + 2000, "f", 2);
	for (i = 0; i < 20; i++) {
		deep[2000] = (char)('a' + i);
		put_file(deep, "x");
	}
	put_trailer();
	assert_int_equal(load(), 0);
	for (i = 1; i < 1000; i++) {
		assert_int_equal(rootfs_lookup(deep, (size_t)(2 * i - 1), &n),
				 0);
		assert_int_equal(n.mode & ROOTFS_C_ISFMT, ROOTFS_C_ISDIR);
	}
	deep[1999] = '\0';
	assert_string_equal(list(deep),
			    "a b c d e f g h i j k l m n o p q r s t");
	deep[1999] = '/';
	deep[2000] = 'z';
	assert_int_equal(rootfs_lookup(deep, 2001, &n), -XEN_ENOENT);
	memcpy(deep + 2000, "a/b", 4); /* "a" is a file */
	assert_int_equal(rootfs_lookup(deep, 2003, &n), -XEN_ENOTDIR);
}

static void test_later_entry_wins(void **state)
{
	struct rootfs_node n;

	(void)state;
	put_file("f", "old");
	put_file("g", "g");
	put_file("./f", "newer");
	put_trailer();
	assert_int_equal(load(), 0);
	assert_int_equal(lookup("f", &n), 0);
	assert_int_equal(n.size, 5);
	assert_memory_equal(n.data, "newer", 5);
	assert_string_equal(list(""), "f g");
}

static void test_names_stay_in_root(void **state)
{
	struct rootfs_node n;

	(void)state;
	put_file("../../etc/passwd", "root");
	put_file("/abs//path/./x", "x");
	put_trailer();
	assert_int_equal(load(), 0);
	assert_int_equal(lookup("etc/passwd", &n), 0);
	assert_int_equal(lookup("abs/path/x", &n), 0);
	assert_string_equal(list(""), "abs etc");
}

/* Header field i (0 ino, 4 nlink...) of the entry at `at`. */
static void set_field(size_t at, int i, uint32_t v)
{
	char f[9];

	snprintf(f, sizeof(f), "%08X", v);
	memcpy(work + at + 6 + 8 * i, f, 8);
}

/* GNU cpio's newc hard links: one inode, the data with the last name. */
static void test_hard_links(void **state)
{
	size_t a, b, c, d;
	struct rootfs_node n;

	(void)state;
	a = put_file("z-first", NULL);
	b = put_file("lone", "alone");
	c = put_file("m-second", NULL);
	d = put_file("a-last", "shared data");
	put_trailer();
	set_field(a, 0, 77);
	set_field(c, 0, 77);
	set_field(d, 0, 77);
	set_field(a, 4, 3);
	set_field(c, 4, 3);
	set_field(d, 4, 3);
	set_field(b, 0, 78);
	assert_int_equal(load(), 0);
	assert_int_equal(lookup("z-first", &n), 0);
	assert_int_equal(n.size, 11);
	assert_memory_equal(n.data, "shared data", 11);
	assert_int_equal(lookup("m-second", &n), 0);
	assert_int_equal(n.size, 11);
	assert_int_equal(lookup("a-last", &n), 0);
	assert_int_equal(n.size, 11);
	assert_int_equal(lookup("lone", &n), 0);
	assert_memory_equal(n.data, "alone", 5);
	assert_string_equal(list(""), "a-last lone m-second z-first");
}

static void test_no_ramdisk(void **state)
{
	(void)state;
	rootfs_reset();
	assert_int_equal(rootfs_init(NULL, 0), 0);
	assert_int_equal(console_lines, 0);
	expect_empty_root();
}

static void test_trailer_padding_cut(void **state)
{
	struct rootfs_node n;

	(void)state;
	put_file("f", "abc");
	put_trailer();
	/* The trailer's own padding is optional at the very end. */
	assert_int_equal(load_len(work_len - 1), 0);
	assert_int_equal(lookup("f", &n), 0);
	assert_int_equal(console_lines, 0);
}

/* --- faults: one line naming the offset, then an empty root ---------- */

static void test_truncated_header(void **state)
{
	size_t second;

	(void)state;
	put_file("f", "abc");
	second = put_file("g", "def");
	put_trailer();
	assert_int_equal(load_len(second + 50), -XEN_EINVAL);
	expect_fault(second, "truncated header");
	expect_empty_root();
}

static void test_bad_magic(void **state)
{
	size_t second;

	(void)state;
	put_file("hello.txt", "abc");
	second = put_file("g", "def");
	put_trailer();
	work[second + 5] = '7';
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(second, "bad magic (not a newc cpio archive)");
	expect_empty_root();
}

static void test_not_hex(void **state)
{
	size_t second;

	(void)state;
	put_file("hello.txt", "abc");
	second = put_file("g", "def");
	put_trailer();
	work[second + 6 + 8 * 6 + 3] = 'g'; /* in filesize */
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(second, "a header field is not hex");
	expect_empty_root();
}

static void test_name_size_zero(void **state)
{
	(void)state;
	put_raw("", 0, ROOTFS_C_ISREG, 0, NULL, 0, 0);
	put_trailer();
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "name size 0");
}

static void test_name_size_huge(void **state)
{
	size_t second;

	(void)state;
	put_file("hello.txt", "abc");
	second = put_raw("x", 0xffffffffu, ROOTFS_C_ISREG, 0, NULL, 0, 0);
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(second, "name longer than PATH_MAX");
}

static void test_name_past_end(void **state)
{
	(void)state;
	put_raw("abc", 4000, ROOTFS_C_ISREG, 0, NULL, 0, 0);
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "truncated name");
}

static void test_name_without_nul(void **state)
{
	(void)state;
	put_raw("abcdef", 4, ROOTFS_C_ISREG, 0, NULL, 0, 0);
	put_trailer();
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "the name does not end in NUL");
}

static void test_nul_inside_name(void **state)
{
	(void)state;
	put_raw("ab", 5, ROOTFS_C_ISREG, 0, NULL, 0, 0); /* "ab\0" + pad */
	put_trailer();
	work[113] = 'x'; /* "ab\0x\0": the NUL at 112 is inside */
	work[114] = '\0';
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "a NUL inside the name");
}

static void test_file_past_end(void **state)
{
	size_t second;

	(void)state;
	put_file("a", "abc");
	second = put_raw("b", 2, ROOTFS_C_ISREG, 0, "xyz", 0x7fffffffu, 3);
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(second, "file data past the end of the archive");
	/* And one byte short of a file's data. */
	work_len = 0;
	put_file("a", "abc");
	put_file("b", "defgh");
	assert_int_equal(load_len(116 + 112 + 4), -XEN_EINVAL);
	expect_fault(116, "file data past the end of the archive");
}

static void test_missing_trailer(void **state)
{
	(void)state;
	put_file("a", "abc");
	put_file("b", "def");
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(work_len, "no TRAILER!!! entry (truncated?)");
	expect_empty_root();
}

static void test_entry_below_file(void **state)
{
	size_t bad;

	(void)state;
	put_file("f", "abc");
	bad = put_file("f/x", "def");
	put_trailer();
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(bad, "an entry below a non-directory");
	expect_empty_root();
}

static void test_root_not_dir(void **state)
{
	(void)state;
	put_file("..", "abc");
	put_trailer();
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "the root is not a directory");
}

static void test_component_too_long(void **state)
{
	char name[300];

	(void)state;
	memset(name, 'n', 256);
	name[256] = '\0';
	put_file(name, "x");
	put_trailer();
	assert_int_equal(load(), -XEN_EINVAL);
	expect_fault(0, "path or path component too long");
}

static void test_checked_once(void **state)
{
	(void)state;
	put_file("a", "abc");
	assert_int_equal(load(), -XEN_EINVAL);
	assert_int_equal(rootfs_init(archive, work_len), -XEN_EINVAL);
	assert_int_equal(console_lines, 1);
}

/* --- paths --------------------------------------------------------------- */

static void expect_norm(const char *in, const char *out, int must_dir)
{
	static char buf[ROOTFS_PATH_MAX];
	int d = -1, n = rootfs_path_normalize(in, strlen(in), buf, &d);

	assert_int_equal(n, (int)strlen(out));
	assert_string_equal(buf, out);
	assert_int_equal(d, must_dir);
}

static void test_normalize(void **state)
{
	(void)state;
	expect_norm("/", "", 1);
	expect_norm("", "", 0);
	expect_norm("a", "a", 0);
	expect_norm("/a/b/c", "a/b/c", 0);
	expect_norm("//a///b//", "a/b", 1);
	expect_norm("./a/./b/.", "a/b", 1);
	expect_norm("a/../b", "b", 0);
	expect_norm("..", "", 1);
	expect_norm("/../../..", "", 1);
	expect_norm("a/b/../../../../c", "c", 0);
	expect_norm("a/b/..", "a", 1);
	expect_norm("...", "...", 0);
	expect_norm("..a/.b", "..a/.b", 0);
}

static void test_normalize_bounds(void **state)
{
	static char path[3 * ROOTFS_PATH_MAX], buf[ROOTFS_PATH_MAX];
	size_t i;
	int d;

	(void)state;
	/* A 255-byte component is fine, 256 is not. */
	memset(path, 'x', 256);
	assert_int_equal(rootfs_path_normalize(path, 255, buf, &d), 255);
	assert_int_equal(rootfs_path_normalize(path, 256, buf, &d),
			 -XEN_ENAMETOOLONG);
	/* Deep: 2048 "a" are 4095 bytes with their "/": with the NUL,
	 * PATH_MAX exactly; one more is too long. */
	for (i = 0; i < 2049; i++)
		memcpy(path + 2 * i, "a/", 2);
	assert_int_equal(rootfs_path_normalize(path, 2 * 2048, buf, &d), 4095);
	assert_int_equal(rootfs_path_normalize(path, 2 * 2049, buf, &d),
			 -XEN_ENAMETOOLONG);
	/* Long only before "..": what counts is what is kept. */
	for (i = 0; i < 2048; i++)
		memcpy(path + 3 * i, "../", 3);
	assert_int_equal(rootfs_path_normalize(path, 3 * 2048, buf, &d), 0);
}

static void test_path_order(void **state)
{
	(void)state;
	assert_true(rootfs_path_cmp("a", 1, "a/b", 3) < 0);
	assert_true(rootfs_path_cmp("a/b", 3, "a-b", 3) < 0);
	assert_true(rootfs_path_cmp("a/z", 3, "a0", 2) < 0);
	assert_true(rootfs_path_cmp("b", 1, "a/b", 3) > 0);
	assert_int_equal(rootfs_path_cmp("ab", 2, "ab", 2), 0);
	assert_true(rootfs_path_cmp("\xff", 1, "a", 1) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_files_and_dirs),
		T(test_implicit_dirs),
		T(test_deep_implicit),
		T(test_later_entry_wins),
		T(test_names_stay_in_root),
		T(test_hard_links),
		T(test_no_ramdisk),
		T(test_trailer_padding_cut),
		T(test_truncated_header),
		T(test_bad_magic),
		T(test_not_hex),
		T(test_name_size_zero),
		T(test_name_size_huge),
		T(test_name_past_end),
		T(test_name_without_nul),
		T(test_nul_inside_name),
		T(test_file_past_end),
		T(test_missing_trailer),
		T(test_entry_below_file),
		T(test_root_not_dir),
		T(test_component_too_long),
		T(test_checked_once),
		T(test_normalize),
		T(test_normalize_bounds),
		T(test_path_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
