/*
 * frame_csum.c - TCP/UDP checksums of Ethernet frames (frame_csum.h).
 * Internet checksum: RFC 1071; the pseudo-header: RFC 793, RFC 768.
 */
#include "frame_csum.h"

#define ETH_HLEN      14
#define ETHTYPE_IPV4  0x0800
#define IPPROTO_TCP_N 6
#define IPPROTO_UDP_N 17

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The ones'-complement sum of len bytes, added to sum (not folded). */
static uint32_t sum_bytes(const uint8_t *p, size_t len, uint32_t sum)
{
	while (len > 1) {
		sum += get16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * The IPv4 TCP/UDP packet in frame[0..len): its IP header length, L4
 * length and the offset of the checksum field, or 0 if it is not one
 * (or is a fragment, or its headers do not fit in len).
 */
static size_t l4_layout(const uint8_t *frame, size_t len, size_t *l4len,
			size_t *csum_off)
{
	const uint8_t *ip = frame + ETH_HLEN;
	size_t ihl, tot;

	if (len < ETH_HLEN + 20 || get16(frame + 12) != ETHTYPE_IPV4 ||
	    (ip[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(ip[0] & 0xf) * 4;
	tot = get16(ip + 2);
	/* Fragments (MF set or an offset) checksum the whole datagram. */
	if (ihl < 20 || tot < ihl || tot > len - ETH_HLEN ||
	    (get16(ip + 6) & 0x3fff) != 0)
		return 0;
	*l4len = tot - ihl;
	if (ip[9] == IPPROTO_TCP_N && *l4len >= 20)
		*csum_off = ETH_HLEN + ihl + 16;
	else if (ip[9] == IPPROTO_UDP_N && *l4len >= 8)
		*csum_off = ETH_HLEN + ihl + 6;
	else
		return 0;
	return ihl;
}

/* Source, destination, protocol and L4 length (RFC 793 3.1). */
static uint32_t pseudo_sum(const uint8_t *frame, size_t l4len)
{
	const uint8_t *ip = frame + ETH_HLEN;

	return sum_bytes(ip + 12, 8, 0) + ip[9] + (uint32_t)l4len;
}

int frame_csum_offload(uint8_t *frame, size_t hlen, size_t len)
{
	size_t l4len, off;
	uint16_t s;

	if (hlen > len || l4_layout(frame, len, &l4len, &off) == 0 ||
	    off + 2 > hlen)
		return 0;
	/* Not inverted: the backend adds the data and inverts. */
	s = fold(pseudo_sum(frame, l4len));
	frame[off] = (uint8_t)(s >> 8);
	frame[off + 1] = (uint8_t)s;
	return 1;
}

int frame_csum_ok(const uint8_t *frame, size_t len)
{
	size_t ihl, l4len, off;
	const uint8_t *l4;

	ihl = l4_layout(frame, len, &l4len, &off);
	if (ihl == 0)
		return 1;
	l4 = frame + ETH_HLEN + ihl;
	/* UDP over IPv4 may go without a checksum (RFC 768): zero. */
	if (frame[ETH_HLEN + 9] == IPPROTO_UDP_N && get16(frame + off) == 0)
		return 1;
	return fold(sum_bytes(l4, l4len, pseudo_sum(frame, l4len))) == 0xffff;
}
