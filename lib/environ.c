/*
 * environ.c - the environment array and its assignments from the
 * command line (see include/xenlet/environ.h).
 */
#include <xen/errno.h>
#include <xenlet/environ.h>
#include <xenlet/heap.h>
#include <xenlet/string.h>

static char *vars[ENV_MAX + 1]; /* "NAME=value", NULL-terminated */
static int nvars;
char **xenlet_environ = vars;

static int is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

/* The length of the NAME of "NAME=..." (or of a bare NAME), 0 if bad. */
static size_t name_len(const char *s, char end)
{
	size_t n = 0;

	if (!is_name_start(s[0]))
		return 0;
	while (is_name_char(s[n]))
		n++;
	return s[n] == end ? n : 0;
}

/*
 * Is var ("NAME=value") the variable named name[0..n)? var may be
 * shorter than n: the loop stops at its NUL (name[0..n) holds none), so
 * nothing past var's end is read, as memcmp(var, name, n) would.
 */
static int is_named(const char *var, const char *name, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (var[k] != name[k])
			return 0;
	return var[n] == '=';
}

/* The index of the variable named name[0..n), or -1. */
static int find(const char *name, size_t n)
{
	int i;

	for (i = 0; i < nvars; i++)
		if (is_named(vars[i], name, n))
			return i;
	return -1;
}

char *xenlet_getenv(const char *name)
{
	size_t n = strlen(name);
	int i = n > 0 ? find(name, n) : -1;

	return i < 0 ? NULL : vars[i] + n + 1;
}

int env_set(const char *name, const char *value, int overwrite)
{
	size_t n = name_len(name, '\0'), vlen = strlen(value);
	int i;
	char *s;

	if (n == 0)
		return -XEN_EINVAL;
	i = find(name, n);
	if (i >= 0 && !overwrite)
		return 0;
	if (i < 0 && nvars == ENV_MAX)
		return -XEN_ENOSPC;
	s = kmalloc(n + 1 + vlen + 1);
	if (s == NULL)
		return -XEN_ENOMEM;
	memcpy(s, name, n);
	s[n] = '=';
	memcpy(s + n + 1, value, vlen + 1);
	if (i >= 0) {
		kfree(vars[i]);
		vars[i] = s;
	} else {
		vars[nvars++] = s;
		vars[nvars] = NULL;
	}
	return 0;
}

/* Set one "NAME=value" word; the word itself is left as it was. */
static int set_word(char *w)
{
	size_t n = name_len(w, '=');
	int rc;

	w[n] = '\0';
	rc = env_set(w, w + n + 1, 1);
	w[n] = '=';
	return rc;
}

int env_take_words(char **argv, int argc)
{
	int i, rc;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		if (name_len(argv[i], '=') == 0)
			break;
		rc = set_word(argv[i]);
		if (rc < 0)
			return rc;
	}
	return i;
}
