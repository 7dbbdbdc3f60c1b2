/*
 * http_parse.c - an HTTP/1.x request head (RFC 7230 3): the request
 * line, then header fields up to an empty line.
 *
 * The parser sees the client's bytes as they are, so it trusts no
 * length: it looks for the end of the head within HTTP_HEAD_MAX bytes
 * and for the end of the request line within HTTP_LINE_MAX, and only
 * then reads either. Lines end in CRLF; a bare LF is taken too (RFC
 * 7230 3.5 allows it). Anything the grammar does not allow is a 400:
 * a lenient parser is how request smuggling starts.
 */
#include <string.h>
#include "http.h"

/* RFC 7230 3.2.6: the characters of a token (methods, field names). */
static int is_tchar(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The end of the line starting at p (its '\n'), or NULL before end. */
static const char *line_end(const char *p, const char *end)
{
	return memchr(p, '\n', (size_t)(end - p));
}

/* The line's length without its CR LF (or LF). */
static size_t line_len(const char *p, const char *nl)
{
	size_t n = (size_t)(nl - p);

	return n > 0 && p[n - 1] == '\r' ? n - 1 : n;
}

static int ieq(const char *a, size_t n, const char *b)
{
	size_t i;

	if (strlen(b) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = a[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != b[i])
			return 0;
	}
	return 1;
}

/* "METHOD SP target SP HTTP/d.d" (single spaces: RFC 7230 3.1.1). */
static int request_line(const char *p, size_t n, struct http_request *req)
{
	const char *sp1, *sp2, *v;
	size_t i, tlen;

	sp1 = memchr(p, ' ', n);
	if (sp1 == NULL || sp1 == p)
		return -400;
	for (i = 0; p + i < sp1; i++)
		if (!is_tchar((unsigned char)p[i]))
			return -400;
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (sp2 == NULL || sp2 == sp1 + 1)
		return -400;
	v = sp2 + 1;
	if (p + n - v != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' ||
	    v[5] < '0' || v[5] > '9' || v[7] < '0' || v[7] > '9')
		return -400;
	if (v[5] != '1')
		return -505;
	req->minor = v[7] - '0';
	req->keep_alive = req->minor >= 1;
	tlen = (size_t)(sp1 - p);
	req->method = tlen == 3 && memcmp(p, "GET", 3) == 0    ? HTTP_GET
		      : tlen == 4 && memcmp(p, "HEAD", 4) == 0 ? HTTP_HEAD
							       : HTTP_OTHER;
	return http_path(sp1 + 1, (size_t)(sp2 - sp1 - 1), req->path);
}

/* The Connection field: a comma-separated list of tokens. */
static void connection(const char *v, size_t n, struct http_request *req)
{
	size_t i = 0;

	while (i < n) {
		size_t s, e;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
			i++;
		s = i;
		while (i < n && v[i] != ',')
			i++;
		e = i;
		while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
			e--;
		if (ieq(v + s, e - s, "close"))
			req->keep_alive = 0;
		else if (ieq(v + s, e - s, "keep-alive") && req->minor == 0)
			req->keep_alive = 1;
	}
}

/* Content-Length: digits only (RFC 7230 3.3.2); a body makes has_body. */
static int content_length(const char *v, size_t n, struct http_request *req)
{
	size_t i;

	if (n == 0)
		return -400;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -400;
		if (v[i] != '0')
			req->has_body = 1;
	}
	return 0;
}

/* "name: OWS value OWS". RFC 7230 3.2.4 says to reject a space before
 * the colon and an obs-fold line (one starting with a space): both fail
 * the token check of the name. */
static int header(const char *p, size_t n, struct http_request *req, int *hosts)
{
	const char *colon = memchr(p, ':', n), *v, *e;
	size_t name, i;

	if (colon == NULL || colon == p)
		return -400;
	name = (size_t)(colon - p);
	for (i = 0; i < name; i++)
		if (!is_tchar((unsigned char)p[i]))
			return -400;
	v = colon + 1;
	e = p + n;
	while (v < e && (*v == ' ' || *v == '\t'))
		v++;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	for (i = 0; v + i < e; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
			return -400; /* a NUL or a stray CR */
	if (ieq(p, name, "host"))
		(*hosts)++;
	else if (ieq(p, name, "connection"))
		connection(v, (size_t)(e - v), req);
	else if (ieq(p, name, "content-length"))
		return content_length(v, (size_t)(e - v), req);
	else if (ieq(p, name, "transfer-encoding"))
		req->has_body = 1;
	else if (ieq(p, name, "if-modified-since"))
		req->has_ims =
			http_date_parse(v, (size_t)(e - v), &req->ims) == 0;
	return 0;
}

/* Where the head ends (past its empty line), or NULL if not in buf. */
static const char *head_end(const char *buf, const char *end)
{
	const char *p = buf, *nl;

	while ((nl = line_end(p, end)) != NULL) {
		if (line_len(p, nl) == 0)
			return nl + 1;
		p = nl + 1;
	}
	return NULL;
}

int http_parse(const char *buf, size_t len, struct http_request *req)
{
	const char *end, *p, *nl, *stop;
	int rc, hosts = 0;

	memset(req, 0, sizeof(*req));
	if (len > HTTP_HEAD_MAX)
		len = HTTP_HEAD_MAX;
	end = buf + len;
	nl = line_end(buf, buf + (len < HTTP_LINE_MAX ? len : HTTP_LINE_MAX));
	if (nl == NULL)
		return len >= HTTP_LINE_MAX ? -414 : 0;
	stop = head_end(buf, end);
	if (stop == NULL)
		return len >= HTTP_HEAD_MAX ? -431 : 0;
	rc = request_line(buf, line_len(buf, nl), req);
	if (rc < 0)
		return rc;
	for (p = nl + 1; p < stop; p = nl + 1) {
		nl = line_end(p, stop);
		if (line_len(p, nl) == 0)
			break;
		rc = header(p, line_len(p, nl), req, &hosts);
		if (rc < 0)
			return rc;
	}
	/* RFC 7230 5.4: a 1.1 request has exactly one Host. */
	if (hosts > 1 || (req->minor >= 1 && hosts == 0))
		return -400;
	return (int)(stop - buf);
}
