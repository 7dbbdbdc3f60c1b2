/*
 * test_kvconn.c - examples/kv's client input (conn.c over resp.c): a
 * pipelined stream, as redis-benchmark -P 16 sends it, must give the
 * same commands however TCP cuts it. The stream is written into a
 * socketpair in two pieces, split at every byte offset, then in
 * pieces of every size from 1 byte up, with client_read and
 * client_run after each piece; a stub cmd_exec records what runs.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../examples/kv/server.h"

struct kv kv;

/* Every command run, as "argv0 argv1 ...;" (arguments have no spaces
 * or ';' in this test). */
static char ran[1 << 16];
static size_t ranlen;

void cmd_exec(struct call *c)
{
	for (int i = 0; i < c->argc; i++) {
		assert_true(ranlen + c->argl[i] + 2 < sizeof(ran));
		memcpy(ran + ranlen, c->argv[i], c->argl[i]);
		ranlen += c->argl[i];
		ran[ranlen++] = i + 1 < c->argc ? ' ' : ';';
	}
	reply_ok(c->out);
}

/* 16 SETs as redis-benchmark pipelines them, an MSET, inline ones. */
static size_t make_stream(char *buf, size_t size, char *want, size_t wsize)
{
	size_t n = 0, w = 0;

	for (int i = 0; i < 16; i++) {
		n += (size_t)snprintf(
			buf + n, size - n,
			"*3\r\n$3\r\nSET\r\n$17\r\nkey:__rand_%04d__"
			"\r\n$3\r\nVXK\r\n",
			i);
		w += (size_t)snprintf(want + w, wsize - w,
				      "SET key:__rand_%04d__ VXK;", i);
	}
	n += (size_t)snprintf(buf + n, size - n,
			      "*5\r\n$4\r\nMSET\r\n$1\r\na\r\n$1\r\n1\r\n"
			      "$1\r\nb\r\n$10\r\n0123456789\r\n");
	w += (size_t)snprintf(want + w, wsize - w, "MSET a 1 b 0123456789;");
	n += (size_t)snprintf(buf + n, size - n, "PING\r\nGET  a\n\r\n");
	w += (size_t)snprintf(want + w, wsize - w, "PING;GET a;");
	return n;
}

/* Feed stream to a fresh client in pieces of piece[0..k) bytes. */
static void feed(const char *stream, size_t len, const size_t *piece, int k,
		 const char *want)
{
	int sv[2];
	size_t off = 0;
	struct client *c;

	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	c = client_new(sv[0], 0);
	assert_non_null(c);
	ranlen = 0;
	for (int i = 0; i < k; i++) {
		assert_int_equal(write(sv[1], stream + off, piece[i]),
				 (ssize_t)piece[i]);
		off += piece[i];
		assert_int_equal(client_read(c), 0);
		client_run(c);
	}
	assert_int_equal(off, len);
	ran[ranlen] = '\0';
	assert_string_equal(ran, want);
	assert_int_equal(c->inlen, 0);
	assert_false(c->closing);
	client_free(c);
	close(sv[1]);
}

static char stream[8192], want[8192];

static void test_split_at_every_offset(void **state)
{
	size_t len = make_stream(stream, sizeof(stream), want, sizeof(want));

	(void)state;
	for (size_t at = 1; at < len; at++) {
		size_t piece[2] = { at, len - at };

		feed(stream, len, piece, 2, want);
	}
}

static void test_pieces_of_every_size(void **state)
{
	size_t len = make_stream(stream, sizeof(stream), want, sizeof(want));
	static size_t piece[8192];

	(void)state;
	for (size_t size = 1; size <= 64; size++) {
		int k = 0;

		for (size_t off = 0; off < len; off += size)
			piece[k++] = len - off < size ? len - off : size;
		feed(stream, len, piece, k, want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split_at_every_offset),
		cmocka_unit_test(test_pieces_of_every_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
