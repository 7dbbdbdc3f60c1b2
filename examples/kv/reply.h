/*
 * reply.h - RESP2 replies, written into a client's output buffer.
 *
 * The buffer grows as replies are added, up to OUT_MAX bytes: beyond
 * that (or when memory runs out) it is marked overflowed and the server
 * closes the client, as Redis does when a client passes its
 * client-output-buffer-limit: a client that sends without reading
 * cannot make the guest's memory grow without bound.
 */
#ifndef KV_REPLY_H
#define KV_REPLY_H

#include <stddef.h>

/* One client's unsent replies: the largest answer is a KEYS or MGET of
 * a big data set; 8 MiB of it is more than a test ever asks. */
#define OUT_MAX (8u << 20)

struct outbuf {
	char *buf;
	size_t len, sent, cap;
	int overflow; /* past OUT_MAX, or out of memory: close the client */
};

void reply_raw(struct outbuf *o, const char *s, size_t n);
void reply_status(struct outbuf *o, const char *s); /* +s */
void reply_error(struct outbuf *o, const char *s);  /* -s, whole */
void reply_errorf(struct outbuf *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));		    /* -ERR ... */
void reply_int(struct outbuf *o, long long v);		    /* :v */
void reply_bulk(struct outbuf *o, const char *s, size_t n); /* $n s */
void reply_cstr(struct outbuf *o, const char *s);	    /* bulk of s */
void reply_nil(struct outbuf *o);			    /* $-1 */
void reply_array(struct outbuf *o, long long n);	    /* *n */
void reply_ok(struct outbuf *o);

/* The replies from byte mark on taken back (not sent yet). */
void outbuf_truncate(struct outbuf *o, size_t mark);
/* Sent bytes are dropped from the front once all is sent. */
void outbuf_consumed(struct outbuf *o, size_t n);
void outbuf_free(struct outbuf *o);

#endif
