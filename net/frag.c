/*
 * frag.c - frames made of pieces (a scatter-gather list).
 */
#include "netfront.h"

void netfront_gather(void *dst, const struct netdev_frag *frags, int n,
		     size_t off, size_t len)
{
	uint8_t *d = dst;
	int i;

	for (i = 0; i < n && len > 0; i++) {
		size_t take;

		if (off >= frags[i].len) {
			off -= frags[i].len;
			continue;
		}
		take = frags[i].len - off;
		if (take > len)
			take = len;
		memcpy(d, (const uint8_t *)frags[i].base + off, take);
		d += take;
		len -= take;
		off = 0;
	}
}

size_t netfront_frame_length(const struct netdev_frag *frags, int n)
{
	size_t len = 0;
	int i;

	for (i = 0; i < n; i++) {
		/* Each piece is bounded first, so the sum cannot wrap. */
		if (frags[i].len > NETFRONT_FRAME_MAX)
			return NETFRONT_FRAME_MAX + 1;
		len += frags[i].len;
		if (len > NETFRONT_FRAME_MAX)
			return NETFRONT_FRAME_MAX + 1;
	}
	return len;
}
