/*
 * reply.c - answering ARP (RFC 826) and ICMP echo (RFC 792) by hand.
 *
 * Every length read from the frame is checked against the bytes that
 * arrived before anything behind it is touched: the Ethernet header
 * (14), the ARP packet (28), the IPv4 header (its IHL, at least 20 and
 * inside the total length, which must itself be inside the frame:
 * Ethernet may pad a short frame, never cut one) and the ICMP message
 * (at least its 8-byte header). Fragments are not reassembled: they
 * are dropped, as is anything with a bad checksum.
 */
#include <string.h>
#include "reply.h"

#define ETH_HLEN      14
#define ETH_P_IP      0x0800
#define ETH_P_ARP     0x0806
#define ARP_LEN	      28
#define IP_MIN_HLEN   20
#define IPPROTO_ICMP  1
#define ICMP_HLEN     8
#define ICMP_ECHO     8
#define ICMP_ECHOREPL 0

static const uint8_t broadcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t inet_sum(const uint8_t *p, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

int parse_ipv4(const char *s, uint8_t ip[4])
{
	int i, digits;
	unsigned int v;

	for (i = 0; i < 4; i++) {
		for (v = 0, digits = 0; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (unsigned int)(*s - '0');
			if (++digits > 3 || v > 255)
				return -1;
		}
		if (digits == 0 || *s != (i == 3 ? '\0' : '.'))
			return -1;
		ip[i] = (uint8_t)v;
		s++;
	}
	return 0;
}

/* The Ethernet header of a reply to frame. */
static void eth_reply(const struct host *me, const uint8_t *frame, uint8_t *out,
		      uint16_t type)
{
	memcpy(out, frame + 6, 6);
	memcpy(out + 6, me->mac, 6);
	put16(out + 12, type);
}

static size_t answer_arp(const struct host *me, const uint8_t *frame,
			 size_t len, uint8_t *out, size_t out_size)
{
	const uint8_t *arp = frame + ETH_HLEN;
	uint8_t *r = out + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN || out_size < ETH_HLEN + ARP_LEN)
		return 0;
	/* Ethernet/IPv4 request (oper 1) for our address. */
	if (get16(arp) != 1 || get16(arp + 2) != ETH_P_IP || arp[4] != 6 ||
	    arp[5] != 4 || get16(arp + 6) != 1 ||
	    memcmp(arp + 24, me->ip, 4) != 0)
		return 0;
	eth_reply(me, frame, out, ETH_P_ARP);
	memcpy(r, arp, 6); /* htype, ptype, hlen, plen */
	put16(r + 6, 2);   /* oper: reply */
	memcpy(r + 8, me->mac, 6);
	memcpy(r + 14, me->ip, 4);
	memcpy(r + 18, arp + 8, 10); /* target: the asker's sha, spa */
	return ETH_HLEN + ARP_LEN;
}

/* A unicast sender we may answer (not 0/8, multicast or broadcast). */
static int answerable(const uint8_t *src)
{
	return src[0] != 0 && src[0] < 224;
}

static size_t answer_echo(const struct host *me, const uint8_t *frame,
			  size_t len, uint8_t *out, size_t out_size)
{
	const uint8_t *ip = frame + ETH_HLEN, *icmp;
	size_t hlen, total, icmp_len;
	uint8_t *r = out + ETH_HLEN;

	if (len < ETH_HLEN + IP_MIN_HLEN || (ip[0] >> 4) != 4)
		return 0;
	hlen = (size_t)(ip[0] & 0xf) * 4;
	total = get16(ip + 2);
	if (hlen < IP_MIN_HLEN || total < hlen || total > len - ETH_HLEN)
		return 0;
	if (inet_sum(ip, hlen) != 0xffff || (get16(ip + 6) & 0x3fff) != 0 ||
	    ip[9] != IPPROTO_ICMP || memcmp(ip + 16, me->ip, 4) != 0 ||
	    !answerable(ip + 12))
		return 0;
	icmp = ip + hlen;
	icmp_len = total - hlen;
	if (icmp_len < ICMP_HLEN || icmp[0] != ICMP_ECHO || icmp[1] != 0 ||
	    inet_sum(icmp, icmp_len) != 0xffff)
		return 0;
	if (out_size < ETH_HLEN + IP_MIN_HLEN ||
	    icmp_len > out_size - ETH_HLEN - IP_MIN_HLEN)
		return 0;
	eth_reply(me, frame, out, ETH_P_IP);
	/* IPv4 header without options: the request's id, TTL 64. */
	r[0] = 0x45;
	r[1] = 0;
	put16(r + 2, (uint16_t)(IP_MIN_HLEN + icmp_len));
	memcpy(r + 4, ip + 4, 2);
	put16(r + 6, 0);
	r[8] = 64;
	r[9] = IPPROTO_ICMP;
	put16(r + 10, 0);
	memcpy(r + 12, me->ip, 4);
	memcpy(r + 16, ip + 12, 4);
	put16(r + 10, (uint16_t)~inet_sum(r, IP_MIN_HLEN));
	/* ICMP: the request's identifier, sequence and data, type 0. */
	r += IP_MIN_HLEN;
	memcpy(r, icmp, icmp_len);
	r[0] = ICMP_ECHOREPL;
	put16(r + 2, 0);
	put16(r + 2, (uint16_t)~inet_sum(r, icmp_len));
	return ETH_HLEN + IP_MIN_HLEN + icmp_len;
}

size_t answer_frame(const struct host *me, const uint8_t *frame, size_t len,
		    uint8_t *out, size_t out_size, enum answer *kind)
{
	size_t n = 0;

	*kind = ANSWER_NONE;
	if (len < ETH_HLEN || out_size < ETH_HLEN)
		return 0;
	if (memcmp(frame, me->mac, 6) != 0 && memcmp(frame, broadcast, 6) != 0)
		return 0;
	switch (get16(frame + 12)) {
	case ETH_P_ARP:
		n = answer_arp(me, frame, len, out, out_size);
		*kind = n ? ANSWER_ARP : ANSWER_NONE;
		break;
	case ETH_P_IP:
		n = answer_echo(me, frame, len, out, out_size);
		*kind = n ? ANSWER_ECHO : ANSWER_NONE;
		break;
	}
	return n;
}
