/*
 * isn.c - TCP initial sequence numbers as RFC 6528 asks.
 *
 * lwIP 2.1.3's own tcp_next_iss adds its tick count (one every 250 ms)
 * to a counter that starts at 6510 at every boot: the next connection's
 * first sequence number can be guessed from outside (a capture of kv's
 * connections showed 6603 to 6622). Whoever can send the guest frames
 * with a forged source address could then complete a handshake blind,
 * or inject data into a connection (RFC 6528, section 1).
 *
 * RFC 6528 section 3: ISN = M + F(local address and port, remote
 * address and port, secret key), M a clock of 4 microsecond ticks, F a
 * keyed hash. F here is SipHash-2-4 (Aumasson and Bernstein, 2012) of
 * the 12 bytes of the connection's addresses and ports, its key 16
 * bytes of getentropy() taken at the first connection. The clock keeps
 * a connection's numbers above those of an earlier one between the same
 * ports, which is what lets a peer in TIME_WAIT accept the new SYN
 * (net/lwip/timewait.c does that here).
 */
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <xenlet/time.h>
#include "lwip/ip4_addr.h"
#include "port.h"

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sip_round(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13) ^ v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16) ^ v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21) ^ v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17) ^ v[2];
	v[2] = ROTL(v[2], 32);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t x = 0;

	for (int i = 7; i >= 0; i--)
		x = x << 8 | p[i];
	return x;
}

uint64_t siphash24(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t k0 = le64(key), k1 = le64(key + 8), m;
	uint64_t v[4] = { k0 ^ 0x736f6d6570736575ULL,
			  k1 ^ 0x646f72616e646f6dULL,
			  k0 ^ 0x6c7967656e657261ULL,
			  k1 ^ 0x7465646279746573ULL };
	size_t i, left = len & 7;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i);
		v[3] ^= m;
		sip_round(v);
		sip_round(v);
		v[0] ^= m;
	}
	/* The last block: the remaining bytes, the length's low byte on top. */
	m = (uint64_t)len << 56;
	while (left-- > 0)
		m |= (uint64_t)p[i + left] << (8 * left);
	v[3] ^= m;
	sip_round(v);
	sip_round(v);
	v[0] ^= m;
	v[2] ^= 0xff;
	for (i = 0; i < 4; i++)
		sip_round(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint32_t tcp_isn_at(const uint8_t key[16], uint32_t local_addr,
		    uint16_t local_port, uint32_t remote_addr,
		    uint16_t remote_port, uint64_t now_ns)
{
	uint8_t conn[12];

	memcpy(conn, &local_addr, 4);
	memcpy(conn + 4, &remote_addr, 4);
	memcpy(conn + 8, &local_port, 2);
	memcpy(conn + 10, &remote_port, 2);
	return (uint32_t)(now_ns / 4000) + (uint32_t)siphash24(key, conn, 12);
}

unsigned int tcp_isn(const struct ip4_addr *local, unsigned short local_port,
		     const struct ip4_addr *remote, unsigned short remote_port)
{
	static uint8_t key[16];
	static int have_key;

	if (!have_key) {
		/* getentropy never fails for 16 bytes (lib/posix/entropy.c);
		 * were it to, lwip_port_rand's fallback still varies. */
		if (getentropy(key, sizeof(key)) < 0)
			for (size_t i = 0; i < sizeof(key); i += 4) {
				uint32_t r = lwip_port_rand();

				memcpy(key + i, &r, 4);
			}
		have_key = 1;
	}
	return tcp_isn_at(key, ip4_addr_get_u32(local), local_port,
			  ip4_addr_get_u32(remote), remote_port,
			  xen_system_time_ns());
}
