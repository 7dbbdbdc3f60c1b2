/*
 * fuzz_xs_wire.c - libFuzzer target for the XenStore reply side
 * (xen/xs_wire.c): everything xenstored writes is under the fuzzer's
 * control, the ring indexes included.
 *
 * Input: 8 bytes of rsp_cons / rsp_prod (also used, swapped, as the
 * request ring's indexes for one xs_ring_put), then a stream of chunks
 * that "xenstored" puts into rsp[] before the client pulls, so messages
 * arrive split at any point. A chunk is a length byte n < 128 and n
 * bytes, or a byte 128 + k and one byte repeated (k + 1) * 64 times (so
 * that short inputs make payloads of any size, oversized ones too).
 * Every complete message goes through the payload parsers.
 * ASan catches any read or write outside the page or the buffers.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xenlet/xs_wire.h>

static struct xenstore_domain_interface intf;
static struct xs_rx rx;

static void parse_payload(void)
{
	const char *s[8];
	struct xs_perm p;
	unsigned long v;
	int i, n;

	xs_error_to_errno(rx.body, rx.hdr.len);
	n = xs_split_strings(rx.body, rx.hdr.len, s, 8);
	for (i = 0; i < n; i++) {
		xs_perm_parse(s[i], &p);
		xs_parse_ulong(s[i], 0xffffffffUL, &v);
	}
	xs_split_strings(rx.body, rx.hdr.len, NULL, 1 << 20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t idx[2];
	int r, rounds = 0;

	if (size < sizeof(idx))
		return 0;
	memcpy(idx, data, sizeof(idx));
	data += sizeof(idx);
	size -= sizeof(idx);
	memset(&intf, 0xa5, sizeof(intf));
	/* The request side with the same hostile indexes: what we publish
	 * must never run more than a ring ahead of xenstored. */
	intf.req_cons = idx[1];
	intf.req_prod = idx[0];
	r = xs_ring_put(&intf, data, size);
	if (r > XENSTORE_RING_SIZE ||
	    (r >= 0 && intf.req_prod - intf.req_cons > XENSTORE_RING_SIZE))
		__builtin_trap();
	intf.rsp_cons = idx[0];
	intf.rsp_prod = idx[0];
	xs_rx_reset(&rx);
	/* The first index pair as given: possibly impossible. */
	intf.rsp_prod = idx[1];
	r = xs_rx_pull(&intf, &rx);
	if (r < 0)
		intf.rsp_prod =
			intf.rsp_cons; /* the client stops; restart sane */
	else if (r == XS_RX_MESSAGE) {
		parse_payload();
		xs_rx_reset(&rx);
	}
	while (size > 0 && rounds++ < 10000) {
		size_t n = data[0] & 0x7f, i;
		int fill = data[0] & 0x80;
		uint32_t space;

		data++;
		size--;
		/* A fill chunk (top bit set): (n + 1) * 64 copies of one byte,
		 * so that short inputs can make payloads of any size. */
		if (fill)
			n = (n + 1) * 64;
		else if (n > size)
			n = size;
		if (fill && size == 0)
			break;
		space = XENSTORE_RING_SIZE - (intf.rsp_prod - intf.rsp_cons);
		if (n > space)
			n = space;
		for (i = 0; i < n; i++)
			intf.rsp[(intf.rsp_prod + i) % XENSTORE_RING_SIZE] =
				(char)data[fill ? 0 : i];
		intf.rsp_prod += (uint32_t)n;
		data += fill ? 1 : n;
		size -= fill ? 1 : n;
		while (intf.rsp_prod != intf.rsp_cons) {
			r = xs_rx_pull(&intf, &rx);
			if (r < 0)
				__builtin_trap(); /* indexes stayed sane */
			if (r == XS_RX_MESSAGE) {
				if (rx.hdr.len > XENSTORE_PAYLOAD_MAX ||
				    rx.body[rx.hdr.len] != '\0')
					__builtin_trap();
				parse_payload();
				xs_rx_reset(&rx);
			}
		}
	}
	return 0;
}
