/*
 * fuzz_arpping.c - libFuzzer target for examples/arpping's frame
 * parser (reply.c): every byte of the received frame is the fuzzer's,
 * and the reply buffer is exactly as large as the first input byte
 * says (0..254, or 64 KiB for 255), so ASan catches a read past the
 * frame or a write past the buffer. A reply must also be one arpping
 * may send: within out_size, to the asker's MAC, from ours, with
 * correct IPv4 and ICMP checksums.
 *
 * Input: [out_size selector] [mode] [bytes...]. Mode bits 0-1 pick a
 * template (0 none, 1 an ARP request for our address, 2 a ping to it)
 * that the bytes are XORed onto, the frame being as long as the bytes:
 * so short inputs reach the answering code with every field and length
 * mutated. Mode bit 2 then makes the IPv4 and ICMP checksums right
 * again (where the lengths the frame claims allow), so mutated lengths
 * are not all stopped by the checksum test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../examples/arpping/reply.h"

static const struct host me = {
	.mac = { 0x00, 0x16, 0x3e, 0x01, 0x02, 0x03 },
	.ip = { 10, 99, 0, 2 },
};

static void check_reply(const uint8_t *in, const uint8_t *out, size_t n,
			size_t out_size, enum answer kind)
{
	size_t ip_len;

	if (n > out_size || n < 14 || memcmp(out, in + 6, 6) != 0 ||
	    memcmp(out + 6, me.mac, 6) != 0)
		abort();
	if (kind == ANSWER_ARP) {
		if (n != 42 || memcmp(out + 28, me.ip, 4) != 0)
			abort();
		return;
	}
	if (kind != ANSWER_ECHO || n < 14 + 28)
		abort();
	ip_len = (size_t)(out[16] << 8 | out[17]);
	if (ip_len != n - 14 || inet_sum(out + 14, 20) != 0xffff ||
	    inet_sum(out + 34, n - 34) != 0xffff || out[34] != 0)
		abort();
}

static const uint8_t arp_request[42] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x16, 0x3e, 0xaa, 0xbb,
	0xcc, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6,	0x4,  0x00, 0x01,
	0x00, 0x16, 0x3e, 0xaa, 0xbb, 0xcc, 10,	  99,	0,    1,    0,
	0,    0,    0,	  0,	0,    10,   99,	  0,	2,
};

/* A ping of 56 data bytes, checksums left to fix_sums. */
static void make_echo(uint8_t *t)
{
	static const uint8_t head[] = {
		0x00, 0x16, 0x3e, 0x01, 0x02, 0x03, 0x00, 0x16, 0x3e,
		0xaa, 0xbb, 0xcc, 0x08, 0x00, 0x45, 0x00, 0x00, 84,
		0x12, 0x34, 0x40, 0x00, 64,   1,    0,	  0,	10,
		99,   0,    1,	  10,	99,   0,    2,	  8,	0,
		0,    0,    0x00, 0x07, 0x00, 0x01,
	};
	size_t i;

	memcpy(t, head, sizeof(head));
	for (i = sizeof(head); i < 98; i++)
		t[i] = (uint8_t)i;
}

static void put_sum(uint8_t *field, const uint8_t *p, size_t len)
{
	uint16_t sum;

	field[0] = field[1] = 0;
	sum = (uint16_t)~inet_sum(p, len);
	field[0] = (uint8_t)(sum >> 8);
	field[1] = (uint8_t)sum;
}

/* Correct checksums for whatever lengths the frame claims, in bounds. */
static void fix_sums(uint8_t *f, size_t len)
{
	size_t hlen, total;

	if (len < 34)
		return;
	hlen = (size_t)(f[14] & 0xf) * 4;
	total = (size_t)(f[16] << 8 | f[17]);
	if (hlen < 20 || 14 + hlen > len)
		return;
	put_sum(f + 24, f + 14, hlen);
	if (total >= hlen + 4 && 14 + total <= len)
		put_sum(f + 14 + hlen + 2, f + 14 + hlen, total - hlen);
	put_sum(f + 24, f + 14, hlen); /* the ICMP sum may overlap it */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t tmpl[98] = { 0 }, *frame, *out;
	size_t out_size, len, n, i;
	enum answer kind;

	if (size < 2)
		return 0;
	out_size = data[0] == 255 ? 65536 : data[0];
	if ((data[1] & 3) == 1)
		memcpy(tmpl, arp_request, sizeof(arp_request));
	else if ((data[1] & 3) == 2)
		make_echo(tmpl);
	len = size - 2;
	/* Exact-size copies: any overrun is outside an allocation. */
	frame = malloc(len ? len : 1);
	out = malloc(out_size ? out_size : 1);
	for (i = 0; i < len; i++)
		frame[i] = data[2 + i] ^ (i < sizeof(tmpl) ? tmpl[i] : 0);
	if (data[1] & 4)
		fix_sums(frame, len);
	n = answer_frame(&me, frame, len, out, out_size, &kind);
	if (n > 0)
		check_reply(frame, out, n, out_size, kind);
	else if (kind != ANSWER_NONE)
		abort();
	free(frame);
	free(out);
	return 0;
}
