/*
 * frame_csum.h - TCP/UDP checksum offload on Ethernet frames (IPv4).
 *
 * The vif offloads L4 checksums both ways (include/xenlet/netdev.h):
 * sending, the checksum field holds only the pseudo-header sum and
 * netback (or the NIC) finishes it; receiving, a frame the backend
 * vouches for needs no check, and the others are checked here, since
 * lwIP's own TCP/UDP checks are off on the vif. Pure code: host tests
 * and fuzzing run it on crafted frames.
 */
#ifndef NET_LWIP_FRAME_CSUM_H
#define NET_LWIP_FRAME_CSUM_H

#include <stddef.h>
#include <stdint.h>

/*
 * frame holds hlen contiguous bytes of a frame of len bytes. If it is
 * an IPv4 TCP or UDP packet, not a fragment, whose headers lie within
 * hlen, put the pseudo-header sum in its checksum field and return 1:
 * send it with NETDEV_CSUM_BLANK. Otherwise 0: lwIP's own checksum
 * stands (ICMP, ARP; netback drops csum_blank on anything else).
 */
int frame_csum_offload(uint8_t *frame, size_t hlen, size_t len);

/*
 * A received frame without offload flags: 0 if it is an IPv4 TCP or
 * UDP packet (not a fragment) whose checksum is wrong, else 1 (lwIP
 * checks everything else itself, malformed headers included).
 */
int frame_csum_ok(const uint8_t *frame, size_t len);

#endif
