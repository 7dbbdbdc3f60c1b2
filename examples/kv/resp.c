/*
 * resp.c - RESP2 requests: multibulk and inline (see resp.h).
 *
 * The rules are Redis's own (networking.c, processMultibulkBuffer and
 * processInlineBuffer; sds.c, sdssplitargs for inline quoting), so that
 * a client gets the same answer from this server as from Redis: a
 * count is a strict decimal (no '+', no leading zero, no space); a
 * "*N" of N <= 0 is an empty command; the two bytes after a bulk
 * string's data are its "\r\n" and are skipped, not checked.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <xenlet/hex.h>
#include "resp.h"

/* Redis's string2ll: the whole of s[0..n) as a decimal long long. */
int resp_strict_ll(const char *s, size_t n, long long *v)
{
	unsigned long long u = 0, lim;
	size_t i = 0;
	int neg = 0;

	if (n == 0 || n > 20)
		return -1;
	if (n == 1 && s[0] == '0') {
		*v = 0;
		return 0;
	}
	if (s[0] == '-') {
		neg = 1;
		i = 1;
	}
	if (i == n || s[i] < '1' || s[i] > '9')
		return -1; /* "-", "-0", "01", "+1", " 1" */
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (u > (lim - (unsigned)(s[i] - '0')) / 10)
			return -1;
		u = u * 10 + (unsigned)(s[i] - '0');
	}
	*v = neg ? (long long)(0 - u) : (long long)u;
	return 0;
}

/*
 * The "*N" or "$N" line at buf[pos]: its number in *v and where the
 * next line starts in *next. 0: done; 1: the line is not whole yet;
 * -1: no '\r' within RESP_INLINE_MAX bytes; -2: not a number.
 */
static int count_line(const char *buf, size_t len, size_t pos, long long *v,
		      size_t *next)
{
	size_t room = len - pos, scan = room;
	const char *cr;

	if (scan > RESP_INLINE_MAX)
		scan = RESP_INLINE_MAX;
	cr = memchr(buf + pos, '\r', scan);
	if (cr == NULL)
		return room > RESP_INLINE_MAX ? -1 : 1;
	/* Redis wants the byte after '\r' in the buffer too, and skips it. */
	if ((size_t)(cr - buf) + 2 > len)
		return 1;
	if (resp_strict_ll(buf + pos + 1, (size_t)(cr - buf) - pos - 1, v) < 0)
		return -2;
	*next = (size_t)(cr - buf) + 2;
	return 0;
}

static long multibulk(char *buf, size_t len, struct resp_cmd *cmd)
{
	long long n, bl;
	size_t pos = 0;
	int rc = count_line(buf, len, 0, &n, &pos);

	if (rc == 1)
		return 0;
	if (rc == -1)
		return -RESP_E_MBULK_COUNT_TOO_BIG;
	if (rc == -2 || n > RESP_ARGS_MAX)
		return -RESP_E_MBULK_LEN;
	cmd->argc = 0;
	if (n <= 0)
		return (long)pos; /* "*0", "*-1": nothing to do */
	while (cmd->argc < n) {
		if (pos >= len)
			return 0;
		if (buf[pos] != '$') {
			cmd->bad = buf[pos];
			return -RESP_E_EXPECTED_DOLLAR;
		}
		rc = count_line(buf, len, pos, &bl, &pos);
		if (rc == 1)
			return 0;
		if (rc == -1)
			return -RESP_E_BULK_COUNT_TOO_BIG;
		if (rc == -2 || bl < 0 || bl > RESP_BULK_MAX)
			return -RESP_E_BULK_LEN;
		if (len - pos < (size_t)bl + 2)
			return 0;
		cmd->argv[cmd->argc] = buf + pos;
		cmd->argl[cmd->argc++] = (size_t)bl;
		pos += (size_t)bl + 2;
	}
	return (long)pos;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* One escape inside "...": the byte it stands for; *p moves past it. */
static char unescape(const char **p, const char *end)
{
	const char *s = *p; /* at the backslash */
	int hi, lo;

	if (end - s >= 4 && s[1] == 'x' && (hi = hex_digit_value(s[2])) >= 0 &&
	    (lo = hex_digit_value(s[3])) >= 0) {
		*p = s + 4;
		return (char)(hi * 16 + lo);
	}
	*p = s + 2;
	switch (s[1]) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'b':
		return '\b';
	case 'a':
		return '\a';
	default:
		return s[1];
	}
}

/*
 * One inline argument at *p (not a space), unquoted in place: what is
 * written never outruns what is read. -1: unbalanced quotes.
 */
static int inline_arg(char **p, const char *end, struct resp_cmd *cmd)
{
	char *w = *p, *start = *p;
	const char *r = *p;
	char q = 0; /* the open quote, if any */

	while (r < end) {
		if (q == 0 && is_space(*r))
			break;
		if (q == 0 && (*r == '"' || *r == '\'')) {
			q = *r++;
		} else if (q == '"' && *r == '\\' && end - r >= 2) {
			*w++ = unescape(&r, end);
		} else if (q == '\'' && *r == '\\' && end - r >= 2 &&
			   r[1] == '\'') {
			*w++ = '\'';
			r += 2;
		} else if (q != 0 && *r == q) {
			/* A closing quote ends the argument. */
			if (r + 1 < end && !is_space(r[1]))
				return -1;
			r++;
			q = 0;
			break;
		} else {
			*w++ = *r++;
		}
	}
	if (q != 0)
		return -1;
	cmd->argv[cmd->argc] = start;
	cmd->argl[cmd->argc++] = (size_t)(w - start);
	*p = (char *)r;
	return 0;
}

static long inline_cmd(char *buf, size_t len, struct resp_cmd *cmd)
{
	size_t scan = len < RESP_INLINE_MAX ? len : RESP_INLINE_MAX;
	char *nl = memchr(buf, '\n', scan), *p = buf, *end;

	if (nl == NULL)
		return len > RESP_INLINE_MAX ? -RESP_E_INLINE_TOO_BIG : 0;
	end = nl;
	if (end > buf && end[-1] == '\r')
		end--;
	cmd->argc = 0;
	for (;;) {
		while (p < end && is_space(*p))
			p++;
		if (p == end)
			break;
		if (cmd->argc == RESP_ARGS_MAX)
			return -RESP_E_MBULK_LEN;
		if (inline_arg(&p, end, cmd) < 0)
			return -RESP_E_QUOTES;
	}
	return nl - buf + 1;
}

long resp_parse(char *buf, size_t len, struct resp_cmd *cmd)
{
	cmd->argc = 0;
	if (len == 0)
		return 0;
	return buf[0] == '*' ? multibulk(buf, len, cmd)
			     : inline_cmd(buf, len, cmd);
}

const char *resp_strerror(int err, char bad, char *tmp, size_t size)
{
	switch (err) {
	case RESP_E_INLINE_TOO_BIG:
		return "Protocol error: too big inline request";
	case RESP_E_QUOTES:
		return "Protocol error: unbalanced quotes in request";
	case RESP_E_MBULK_COUNT_TOO_BIG:
		return "Protocol error: too big mbulk count string";
	case RESP_E_MBULK_LEN:
		return "Protocol error: invalid multibulk length";
	case RESP_E_BULK_COUNT_TOO_BIG:
		return "Protocol error: too big bulk count string";
	case RESP_E_EXPECTED_DOLLAR:
		snprintf(tmp, size, "Protocol error: expected '$', got '%c'",
			 bad);
		return tmp;
	default:
		return "Protocol error: invalid bulk length";
	}
}
