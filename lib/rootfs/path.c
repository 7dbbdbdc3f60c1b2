/*
 * path.c - paths of the root file system: normalizing, and the order
 * the index keeps them in.
 *
 * The guest has one working directory, "/", so a relative path is
 * read from the root. Normalizing is textual (there are no symlinks to
 * follow, see lib/posix/rootfs_file.c): empty and "." components go,
 * ".." takes the previous component off, and at the root stays there,
 * as Linux's "/.." is "/": no path leaves the root.
 */
#include <xen/errno.h>
#include <xenlet/rootfs.h>

/* Take the last component off out[0, len): the new length. */
static size_t drop_last(const char *out, size_t len)
{
	while (len > 0 && out[len - 1] != '/')
		len--;
	return len > 0 ? len - 1 : 0;
}

int rootfs_path_normalize(const char *path, size_t len, char *out,
			  int *must_dir)
{
	size_t i = 0, o = 0;

	*must_dir = 0;
	while (i < len) {
		size_t s, n;

		while (i < len && path[i] == '/')
			i++;
		if (i == len) {
			*must_dir = len > 0; /* "x/" names a directory */
			break;
		}
		for (s = i; i < len && path[i] != '/'; i++)
			;
		n = i - s;
		*must_dir = (n == 1 && path[s] == '.') ||
			    (n == 2 && path[s] == '.' && path[s + 1] == '.');
		if (n == 1 && path[s] == '.')
			continue;
		if (n == 2 && path[s] == '.' && path[s + 1] == '.') {
			o = drop_last(out, o);
			continue;
		}
		/* The bounds: a component fits struct dirent's d_name, the
		 * whole path (with "/" and the NUL) PATH_MAX. */
		if (n > ROOTFS_NAME_MAX || o + 1 + n + 1 > ROOTFS_PATH_MAX)
			return -XEN_ENAMETOOLONG;
		if (o > 0)
			out[o++] = '/';
		for (; s < i; s++)
			out[o++] = path[s];
	}
	out[o] = '\0';
	return (int)o;
}

/* "/" before any other byte (a name has no NUL), so that everything
 * under "a/" sorts between "a" and its next sibling "a-b". */
static unsigned int order(char c)
{
	return c == '/' ? 0 : (unsigned char)c;
}

int rootfs_path_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return order(a[i]) < order(b[i]) ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}
