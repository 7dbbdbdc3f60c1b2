/*
 * resp.h - the Redis protocol (RESP2) as examples/kv reads it: one
 * command at the start of a client's input, either a multibulk request
 * ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n", what every client library sends)
 * or an inline one ("GET k\r\n", what a person types into nc).
 *
 * A pure function over a buffer, no I/O: tested on the host
 * (tests/unit/test_resp.c) and fuzzed (tests/fuzz/fuzz_resp.c).
 * Everything in it comes from a client, so every count and length is
 * bounded before use, and each malformed request maps to the error
 * words Redis itself sends (networking.c of Redis 7), after which the
 * connection is closed, as Redis does: where the next command would
 * start is unknown.
 */
#ifndef KV_RESP_H
#define KV_RESP_H

#include <stddef.h>

/* Bounds. Redis allows 1024*1024 arguments and 512 MB per bulk string
 * (proto-max-bulk-len); a guest of tens of MB holds its whole data set
 * in memory, so ours are smaller, and a request beyond them gets
 * Redis's own words for it. An inline line, and the "*N" or "$N" line
 * of a multibulk request, may be up to RESP_INLINE_MAX bytes (Redis's
 * PROTO_INLINE_MAX_SIZE). */
#define RESP_ARGS_MAX	4096
#define RESP_BULK_MAX	(512 * 1024)
#define RESP_INLINE_MAX (64 * 1024)

/* The errors, as Redis words them ("-ERR " is added by the writer). */
enum resp_error {
	RESP_E_INLINE_TOO_BIG = 1, /* no newline in RESP_INLINE_MAX bytes */
	RESP_E_QUOTES,		   /* an inline "..." or '...' not closed */
	RESP_E_MBULK_COUNT_TOO_BIG,
	RESP_E_MBULK_LEN, /* *N: not a number, or N > RESP_ARGS_MAX */
	RESP_E_BULK_COUNT_TOO_BIG,
	RESP_E_EXPECTED_DOLLAR,
	RESP_E_BULK_LEN, /* $N: not a number, N < 0 or > RESP_BULK_MAX */
};

struct resp_cmd {
	int argc; /* 0: an empty command ("*0" or a blank line): skip it */
	char *argv[RESP_ARGS_MAX]; /* into the buffer; not NUL-ended */
	size_t argl[RESP_ARGS_MAX];
	char bad; /* RESP_E_EXPECTED_DOLLAR: the byte */
};

/*
 * resp_parse: the command at the start of buf[0..len).
 *  > 0  a whole command: the bytes it took (the next one starts there);
 *       cmd->argv points into buf, which inline unquoting may rewrite;
 *    0  not whole yet: read more and call again with the longer buffer
 *       (a command may span at most RESP_ARGS_MAX bulk strings of
 *       RESP_BULK_MAX bytes: the caller bounds its buffer);
 *  < 0  -enum resp_error: a malformed command, nothing taken.
 */
long resp_parse(char *buf, size_t len, struct resp_cmd *cmd);

/* The words of an error (without "ERR "): "Protocol error: ...". */
const char *resp_strerror(int err, char bad, char *tmp, size_t size);

/* Redis's string2ll: the whole of s[0..n) as a strict decimal long long
 * (no sign on 0, no leading zeros, no spaces); 0, or -1. */
int resp_strict_ll(const char *s, size_t n, long long *v);

#endif
