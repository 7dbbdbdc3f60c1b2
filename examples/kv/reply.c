/*
 * reply.c - RESP2 replies into an output buffer (see reply.h). Error
 * text has "\r" and "\n" turned to spaces, as Redis's addReplyError
 * does: an error is one line, whatever a client put in it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "reply.h"

static int grow(struct outbuf *o, size_t n)
{
	size_t cap = o->cap ? o->cap : 256;
	char *p;

	if (o->overflow)
		return -1;
	if (n > OUT_MAX || o->len > OUT_MAX - n) {
		o->overflow = 1;
		return -1;
	}
	while (cap < o->len + n)
		cap *= 2;
	if (cap == o->cap)
		return 0;
	p = realloc(o->buf, cap);
	if (p == NULL) {
		o->overflow = 1;
		return -1;
	}
	o->buf = p;
	o->cap = cap;
	return 0;
}

void reply_raw(struct outbuf *o, const char *s, size_t n)
{
	if (grow(o, n) < 0)
		return;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

static void line(struct outbuf *o, char type, const char *s, size_t n)
{
	if (grow(o, n + 3) < 0)
		return;
	o->buf[o->len++] = type;
	for (size_t i = 0; i < n; i++)
		o->buf[o->len++] = s[i] == '\r' || s[i] == '\n' ? ' ' : s[i];
	o->buf[o->len++] = '\r';
	o->buf[o->len++] = '\n';
}

void reply_status(struct outbuf *o, const char *s)
{
	line(o, '+', s, strlen(s));
}

void reply_ok(struct outbuf *o)
{
	reply_raw(o, "+OK\r\n", 5);
}

void reply_error(struct outbuf *o, const char *s)
{
	line(o, '-', s, strlen(s));
}

void reply_errorf(struct outbuf *o, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	memcpy(msg, "ERR ", 4);
	va_start(ap, fmt);
	n = vsnprintf(msg + 4, sizeof(msg) - 4, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof(msg) - 5)
		n = sizeof(msg) - 5;
	line(o, '-', msg, 4 + (size_t)n);
}

static void number(struct outbuf *o, char type, long long v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%c%lld\r\n", type, v);

	reply_raw(o, tmp, (size_t)n);
}

void reply_int(struct outbuf *o, long long v)
{
	number(o, ':', v);
}

void reply_array(struct outbuf *o, long long n)
{
	number(o, '*', n);
}

void reply_bulk(struct outbuf *o, const char *s, size_t n)
{
	number(o, '$', (long long)n);
	reply_raw(o, s, n);
	reply_raw(o, "\r\n", 2);
}

void reply_cstr(struct outbuf *o, const char *s)
{
	reply_bulk(o, s, strlen(s));
}

void reply_nil(struct outbuf *o)
{
	reply_raw(o, "$-1\r\n", 5);
}

void outbuf_truncate(struct outbuf *o, size_t mark)
{
	if (mark >= o->sent && mark < o->len)
		o->len = mark;
}

void outbuf_consumed(struct outbuf *o, size_t n)
{
	o->sent += n;
	if (o->sent == o->len)
		o->sent = o->len = 0;
}

void outbuf_free(struct outbuf *o)
{
	free(o->buf);
	*o = (struct outbuf){ 0 };
}
