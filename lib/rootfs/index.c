/*
 * index.c - the root file system's tree: every entry of the archive,
 * checked once, sorted by path for lookups.
 *
 * rootfs_init walks the archive twice with cpio_next: once to check
 * every header and normalize every name (and count), once to fill the
 * index. The index is one record per entry in tree order
 * (rootfs_path_cmp: a directory's whole subtree follows it), so a
 * lookup is a binary search, the entries under a directory are one run
 * of the index, and a directory that the archive only implies ("a" of
 * a lone "a/b/c") is found by looking just past where it would be.
 *
 * Archives may name a path twice: as when Linux unpacks an initramfs,
 * the later entry wins. An entry below a file ("f/x" after a regular
 * "f") is a fault of the archive, like a bad header. Hard links share
 * an inode number (and nlink > 1); newc stores their data once, with
 * the last of the names, the others having size 0: each name is given
 * that data.
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/rootfs.h>
#include <xenlet/string.h>

struct entry {
	struct rootfs_node n;
	size_t offset; /* of its header in the archive: for errors */
};

static struct entry *entries; /* sorted, see rootfs_path_cmp */
static size_t nr_entries;
static char *names; /* the normalized paths, one after another */
static int done, result;
static char path_buf[ROOTFS_PATH_MAX];

static int cmp_path(const struct entry *a, const struct entry *b)
{
	int c = rootfs_path_cmp(a->n.path, a->n.path_len, b->n.path,
				b->n.path_len);

	/* Equal paths stay in archive order: the later one wins. */
	return c != 0 ? c : a->offset < b->offset ? -1 : 1;
}

/* --- checking and filling ------------------------------------------------ */

/* One pass over the archive: counts entries and name bytes; fills the
 * entries when it exists. NULL, or why not (*off at the fault). */
static const char *walk(const uint8_t *a, size_t len, size_t *off,
			size_t *count, size_t *bytes)
{
	struct cpio_entry e;
	const char *why;
	int rc, must_dir, n;

	*off = *count = *bytes = 0;
	while ((rc = cpio_next(a, len, off, &e, &why)) > 0) {
		size_t at = (size_t)(e.name - (const char *)a) - 110;

		n = rootfs_path_normalize(e.name, e.name_len, path_buf,
					  &must_dir);
		if (n < 0) {
			*off = at;
			return "path or path component too long";
		}
		if (entries != NULL) {
			struct entry *x = &entries[*count];

			memcpy(names + *bytes, path_buf, (size_t)n);
			*x = (struct entry){
				.n = { .path = names + *bytes,
				       .path_len = (size_t)n,
				       .ino = e.ino,
				       .mode = e.mode,
				       .nlink = e.nlink,
				       .mtime = e.mtime,
				       .data = e.data,
				       .size = e.size },
				.offset = at,
			};
		}
		(*count)++;
		*bytes += (size_t)n;
	}
	return rc < 0 ? why : NULL;
}

static int is_link(const struct entry *e)
{
	return (e->n.mode & ROOTFS_C_ISFMT) == ROOTFS_C_ISREG && e->n.nlink > 1;
}

/* Hard links together, by inode, in archive order; the rest after. */
static int cmp_link(const struct entry *a, const struct entry *b)
{
	if (is_link(a) != is_link(b))
		return is_link(a) ? -1 : 1;
	if (is_link(a) && a->n.ino != b->n.ino)
		return a->n.ino < b->n.ino ? -1 : 1;
	return a->offset < b->offset ? -1 : 1;
}

typedef int cmp_fn(const struct entry *a, const struct entry *b);

/* Heapsort: no recursion, no extra memory, n log n for any archive. */
static void sift(struct entry *v, size_t root, size_t n, cmp_fn *cmp)
{
	for (;;) {
		size_t c = 2 * root + 1;
		struct entry t;

		if (c >= n)
			return;
		if (c + 1 < n && cmp(&v[c], &v[c + 1]) < 0)
			c++;
		if (cmp(&v[root], &v[c]) >= 0)
			return;
		t = v[root];
		v[root] = v[c];
		v[c] = t;
		root = c;
	}
}

static void sort(struct entry *v, size_t n, cmp_fn *cmp)
{
	size_t i;

	for (i = n / 2; i-- > 0;)
		sift(v, i, n, cmp);
	for (i = n; i-- > 1;) {
		struct entry t = v[0];

		v[0] = v[i];
		v[i] = t;
		sift(v, 0, i, cmp);
	}
}

/* Each hard link without data gets its group's (the last that has). */
static void join_links(void)
{
	size_t i, j, k;

	sort(entries, nr_entries, cmp_link);
	for (i = 0; i < nr_entries && is_link(&entries[i]); i = j) {
		const struct entry *data = NULL;

		for (j = i; j < nr_entries && is_link(&entries[j]) &&
			    entries[j].n.ino == entries[i].n.ino;
		     j++)
			if (entries[j].n.size > 0)
				data = &entries[j];
		for (k = i; data != NULL && k < j; k++)
			if (entries[k].n.size == 0) {
				entries[k].n.data = data->n.data;
				entries[k].n.size = data->n.size;
			}
	}
}

/* Of equal paths keep the last (sorted right after the others). */
static void drop_duplicates(void)
{
	size_t i, k = 0;

	for (i = 0; i < nr_entries; i++) {
		if (i + 1 < nr_entries &&
		    rootfs_path_cmp(entries[i].n.path, entries[i].n.path_len,
				    entries[i + 1].n.path,
				    entries[i + 1].n.path_len) == 0)
			continue;
		entries[k++] = entries[i];
	}
	nr_entries = k;
}

static int below(const struct rootfs_node *p, const char *dir, size_t len);

/*
 * Nothing is below a non-directory, and the root is a directory. In
 * tree order whatever is below an entry comes right after it, so one
 * look at the next entry does: linear, however deep the paths. NULL,
 * or why not (*off: the offending entry's header).
 */
static const char *check_tree(size_t *off)
{
	size_t i;

	for (i = 0; i < nr_entries; i++) {
		const struct rootfs_node *n = &entries[i].n;

		*off = entries[i].offset;
		if ((n->mode & ROOTFS_C_ISFMT) == ROOTFS_C_ISDIR)
			continue;
		if (n->path_len == 0)
			return "the root is not a directory";
		if (i + 1 < nr_entries &&
		    below(&entries[i + 1].n, n->path, n->path_len)) {
			*off = entries[i + 1].offset;
			return "an entry below a non-directory";
		}
	}
	return NULL;
}

static void forget(void)
{
	kfree(entries);
	kfree(names);
	entries = NULL;
	names = NULL;
	nr_entries = 0;
}

static int fail(size_t off, const char *why)
{
	printk("rootfs: bad cpio header at offset %lu: %s (root file system "
	       "left empty)\n",
	       (unsigned long)off, why);
	forget();
	return -XEN_EINVAL;
}

static int build(const uint8_t *a, size_t len)
{
	size_t off, count, bytes;
	const char *why;

	why = walk(a, len, &off, &count, &bytes);
	if (why != NULL)
		return fail(off, why);
	/* count <= len / 112 (each header and NUL): no overflow here. */
	entries = kmalloc(count * sizeof(*entries) + 1);
	names = kmalloc(bytes + 1);
	if (entries == NULL || names == NULL) {
		printk("rootfs: no memory to entries %lu entries\n",
		       (unsigned long)count);
		forget();
		return -XEN_ENOMEM;
	}
	walk(a, len, &off, &nr_entries, &bytes);
	join_links();
	sort(entries, nr_entries, cmp_path);
	drop_duplicates();
	why = check_tree(&off);
	return why != NULL ? fail(off, why) : 0;
}

int rootfs_init(const void *a, size_t len)
{
	if (!done) {
		done = 1;
		result = a != NULL && len > 0 ? build(a, len) : 0;
	}
	return result;
}

void rootfs_reset(void)
{
	forget();
	done = 0;
}

/* --- lookups ---------------------------------------------------------------- */

/* The first entry that sorts after path (nr_entries if none). */
static size_t first_after(const char *path, size_t len)
{
	size_t lo = 0, hi = nr_entries;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rootfs_path_cmp(entries[mid].n.path,
				    entries[mid].n.path_len, path, len) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The entries of path's entry, or -1. */
static int find(const char *path, size_t len)
{
	size_t i = first_after(path, len);

	if (i > 0 && rootfs_path_cmp(entries[i - 1].n.path,
				     entries[i - 1].n.path_len, path, len) == 0)
		return (int)(i - 1);
	return -1;
}

/* Is p strictly below directory dir ("" is the root)? */
static int below(const struct rootfs_node *p, const char *dir, size_t len)
{
	if (len == 0)
		return p->path_len > 0;
	return p->path_len > len && p->path[len] == '/' &&
	       memcmp(p->path, dir, len) == 0;
}

/* A directory only implied by the paths below it. Its ino is a hash of
 * its path with the top bit set, apart from cpio's small numbers. */
static void implied_dir(const char *path, size_t len, struct rootfs_node *n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)path[i]) * 16777619u;
	*n = (struct rootfs_node){ .path = path,
				   .path_len = len,
				   .ino = h | 0x80000000u,
				   .mode = ROOTFS_C_ISDIR | 0555,
				   .nlink = 2 };
}

int rootfs_lookup(const char *path, size_t len, struct rootfs_node *n)
{
	int i = find(path, len);
	size_t j;

	if (i >= 0) {
		*n = entries[i].n;
		return 0;
	}
	j = first_after(path, len);
	if (len == 0 || (j < nr_entries && below(&entries[j].n, path, len))) {
		implied_dir(path, len, n);
		return 0;
	}
	/* Missing: because a leading component is not a directory? */
	for (j = 0; j < len; j++)
		if (path[j] == '/' && (i = find(path, j)) >= 0 &&
		    (entries[i].n.mode & ROOTFS_C_ISFMT) != ROOTFS_C_ISDIR)
			return -XEN_ENOTDIR;
	return -XEN_ENOENT;
}

int rootfs_dir_next(const char *dir, size_t len, size_t *cursor,
		    struct rootfs_node *child)
{
	size_t i = *cursor > 0 ? *cursor - 1 : first_after(dir, len), end;
	const struct rootfs_node *p;

	if (i >= nr_entries || !below(&entries[i].n, dir, len))
		return 0;
	p = &entries[i].n;
	/* The child's name ends at the next "/" after dir's. */
	end = len > 0 ? len + 1 : 0;
	while (end < p->path_len && p->path[end] != '/')
		end++;
	if (end == p->path_len)
		*child = *p;
	else
		implied_dir(p->path, end, child);
	/* Past the child's subtree: it is one run of the entries. */
	for (i++; i < nr_entries && below(&entries[i].n, p->path, end); i++)
		;
	*cursor = i + 1;
	return 1;
}
