/*
 * cmdline.c - shell-like word splitting of the guest command line.
 *
 * Words are rewritten in place: the write pointer never passes the read
 * pointer, because quotes and backslashes only ever remove characters.
 */
#include <xenlet/cmdline.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Copy one word starting at *rp to wp, removing quoting. Returns 0, or
 * CMDLINE_UNTERMINATED. Leaves *rp past the word and its blank.
 */
static int take_word(char **rp, char *wp)
{
	char *r = *rp;
	char quote = 0;

	while (*r && (quote || !is_blank(*r))) {
		if (quote == '\'') {
			if (*r == '\'')
				quote = 0;
			else
				*wp++ = *r;
			r++;
		} else if (*r == '\\' && r[1] &&
			   (!quote || r[1] == '"' || r[1] == '\\')) {
			*wp++ = r[1]; /* a backslash keeps the next char */
			r += 2;
		} else if (*r == '"' || (!quote && *r == '\'')) {
			quote = (quote == *r) ? 0 : *r;
			r++;
		} else {
			*wp++ = *r++;
		}
	}
	if (quote)
		return CMDLINE_UNTERMINATED;
	if (*r)
		r++; /* step over the blank that ends the word ... */
	*rp = r;
	*wp = '\0'; /* ... before the NUL, which may land on it */
	return 0;
}

/* Is line longer than max characters? Reads at most max + 1 of them. */
static int longer_than(const char *line, int max)
{
	int n = 0;

	while (line[n] && n <= max)
		n++;
	return n > max;
}

int cmdline_split(char *line, char **argv, int max_args)
{
	char *r = line;
	int argc = 0, rc;

	if (longer_than(line, CMDLINE_MAX_LEN))
		return CMDLINE_TOO_LONG;
	for (;;) {
		while (is_blank(*r))
			r++;
		if (*r == '\0')
			break;
		if (argc == max_args)
			return CMDLINE_TOO_MANY;
		argv[argc] = r;
		rc = take_word(&r, argv[argc]);
		if (rc < 0)
			return rc;
		argc++;
	}
	argv[argc] = 0;
	return argc;
}

const char *cmdline_strerror(int err)
{
	switch (err) {
	case CMDLINE_TOO_MANY:
		return "too many arguments";
	case CMDLINE_UNTERMINATED:
		return "unterminated quote";
	case CMDLINE_TOO_LONG:
		return "command line too long (more than 1022 characters: "
		       "Xen may have cut it)";
	}
	return "unknown error";
}
