/*
 * reply.h - the answers arpping gives, as a pure function of a frame:
 * no I/O, so tests/fuzz runs it on the host on arbitrary bytes.
 */
#ifndef ARPPING_REPLY_H
#define ARPPING_REPLY_H

#include <stddef.h>
#include <stdint.h>

struct host {
	uint8_t mac[6];
	uint8_t ip[4];
};

enum answer { ANSWER_NONE, ANSWER_ARP, ANSWER_ECHO };

/*
 * If frame (len bytes, as received: untrusted) is an ARP request for
 * me->ip, or an ICMP echo request to me->ip, write the reply frame into
 * out (out_size bytes) and return its length, with *kind saying which.
 * Anything else, or a reply that would not fit, gives 0.
 */
size_t answer_frame(const struct host *me, const uint8_t *frame, size_t len,
		    uint8_t *out, size_t out_size, enum answer *kind);

/* The Internet checksum (RFC 1071) of len bytes, not inverted. */
uint16_t inet_sum(const uint8_t *p, size_t len);

/* "a.b.c.d", each 0..255 without leading junk, into ip. 0 or -1. */
int parse_ipv4(const char *s, uint8_t ip[4]);

#endif
