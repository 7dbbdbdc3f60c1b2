/*
 * respond.c - the answer to one request: which file a path names, and
 * the status line and header fields that go before it.
 *
 * The root is the guest's "/" (the xl ramdisk). A path is already
 * normalised by http_path: it cannot leave the root. A directory is
 * served by its index.html; asked for without its trailing slash, it
 * is redirected (301) to the slash form, as nginx and Apache do, so
 * that the page's relative links resolve inside it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "httpd.h"

#define STATUS_PATH "/.httpd/status"

static const char *reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 301:
		return "Moved Permanently";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 414:
		return "URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	}
	return "Internal Server Error";
}

/* Append to c->head; what does not fit is cut (the head is bounded, and
 * every field we write is far shorter than it). */
static void put(struct conn *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (c->head_len >= sizeof(c->head))
		return;
	va_start(ap, fmt);
	n = vsnprintf(c->head + c->head_len, sizeof(c->head) - c->head_len, fmt,
		      ap);
	va_end(ap);
	if (n > 0)
		c->head_len += (size_t)n < sizeof(c->head) - c->head_len
				       ? (size_t)n
				       : sizeof(c->head) - c->head_len - 1;
}

static void status_head(struct conn *c, int status, int keep_alive, int minor)
{
	char date[HTTP_DATE_LEN + 1];

	c->head_len = c->head_off = 0;
	http_date_format((int64_t)time(NULL), date);
	put(c, "HTTP/1.1 %d %s\r\nServer: xenlet-httpd\r\nDate: %s\r\n", status,
	    reason(status), date);
	if (!keep_alive)
		put(c, "Connection: close\r\n");
	else if (minor == 0)
		put(c, "Connection: keep-alive\r\n");
}

static void log_line(const struct conn *c, const struct http_request *req,
		     int status, long long bytes)
{
	static const char *const names[] = { "GET", "HEAD", "OTHER" };
	char addr[INET_ADDRSTRLEN];
	struct in_addr a = { .s_addr = c->peer };

	counts.requests++;
	if (!config.log)
		return;
	inet_ntop(AF_INET, &a, addr, sizeof(addr));
	printf("httpd: %s %s %s %d %lld\n", addr,
	       req ? names[req->method] : "-", req ? req->path : "-", status,
	       bytes);
	fflush(stdout);
}

/* A short answer whose body is in head[] too (errors, redirects). */
static void small(struct conn *c, const struct http_request *req, int status,
		  const char *extra)
{
	char body[160];
	int keep = req != NULL && req->keep_alive && !req->has_body;
	int n = snprintf(body, sizeof(body),
			 "<html><head><title>%d %s</title></head><body>"
			 "<h1>%d %s</h1></body></html>\n",
			 status, reason(status), status, reason(status));

	status_head(c, status, keep, req ? req->minor : 1);
	put(c,
	    "%sContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %d\r\n\r\n",
	    extra, n);
	if (req == NULL || req->method != HTTP_HEAD)
		put(c, "%s", body);
	log_line(c, req, status, n);
}

/* The Location of a directory: its path and "/", %-encoded again. */
static void redirect(struct conn *c, const struct http_request *req)
{
	static const char hex[] = "0123456789ABCDEF";
	char loc[3 * HTTP_PATH_MAX + 16], field[sizeof(loc) + 16];
	size_t n = 0;

	for (const char *p = req->path; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch > 0x20 && ch < 0x7f && !strchr("%\"<>\\^`{|}?#", ch)) {
			loc[n++] = (char)ch;
		} else {
			loc[n++] = '%';
			loc[n++] = hex[ch >> 4];
			loc[n++] = hex[ch & 15];
		}
	}
	loc[n++] = '/';
	loc[n] = '\0';
	snprintf(field, sizeof(field), "Location: %s\r\n", loc);
	small(c, req, 301, field);
}

/* /.httpd/status, when enabled: the counts and the heap. */
static void status_page(struct conn *c, const struct http_request *req)
{
	char line[256];
	int n = status_line(line, sizeof(line));

	status_head(c, 200, req->keep_alive && !req->has_body, req->minor);
	put(c, "Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n", n);
	if (req->method != HTTP_HEAD)
		put(c, "%s", line);
	log_line(c, req, 200, n);
}

/* The file req's path names: a regular file, or a directory's index. */
static int lookup(const struct http_request *req, char *path, struct stat *st)
{
	size_t len = strlen(req->path);

	memcpy(path, req->path, len + 1);
	if (stat(path, st) < 0)
		return 404;
	if (S_ISDIR(st->st_mode)) {
		if (path[len - 1] != '/')
			return 301;
		memcpy(path + len, "index.html", sizeof("index.html"));
		if (stat(path, st) < 0)
			return 404;
	} else if (path[len - 1] == '/') {
		return 404; /* a file is not a directory */
	}
	return S_ISREG(st->st_mode) ? 200 : 404;
}

static void file(struct conn *c, const struct http_request *req)
{
	char path[HTTP_PATH_MAX + sizeof("index.html")];
	char date[HTTP_DATE_LEN + 1];
	struct stat st;
	int status = lookup(req, path, &st), keep;

	if (status == 301) {
		redirect(c, req);
		return;
	}
	if (status == 200) {
		c->file = open(path, O_RDONLY);
		if (c->file < 0)
			status = errno == ENOENT ? 404 : 503;
		else if (fstat(c->file, &st) < 0 || !S_ISREG(st.st_mode))
			status = 404;
	}
	if (status != 200) {
		if (c->file >= 0)
			close(c->file);
		c->file = -1;
		small(c, req, status, "");
		return;
	}
	/* RFC 7232 3.3: not modified since the client's copy. */
	if (req->has_ims && (int64_t)st.st_mtime <= req->ims)
		status = 304;
	keep = req->keep_alive && !req->has_body;
	status_head(c, status, keep, req->minor);
	http_date_format((int64_t)st.st_mtime, date);
	put(c, "Last-Modified: %s\r\n", date);
	if (status == 200)
		put(c, "Content-Type: %s\r\nContent-Length: %lld\r\n",
		    mime_type(path), (long long)st.st_size);
	put(c, "\r\n");
	c->off = 0;
	c->end = status == 200 && req->method == HTTP_GET ? st.st_size : 0;
	/* A small file goes out with its head: one segment, one send. */
	if (c->end > 0 && c->end <= (off_t)(sizeof(c->head) - c->head_len) &&
	    pread(c->file, c->head + c->head_len, (size_t)c->end, 0) ==
		    c->end) {
		c->head_len += (size_t)c->end;
		c->end = 0;
	}
	log_line(c, req, status, status == 200 ? (long long)st.st_size : 0);
}

void respond(struct conn *c, const struct http_request *req, int status)
{
	c->file = -1;
	if (status != 0)
		small(c, NULL, status, "");
	else if (req->method == HTTP_OTHER)
		small(c, req, 405, "Allow: GET, HEAD\r\n");
	else if (config.status && strcmp(req->path, STATUS_PATH) == 0)
		status_page(c, req);
	else
		file(c, req);
}
