/*
 * netinet/in.h - Internet addresses, which newlib lacks.
 *
 * Laid out as on Linux: sockaddr_in is 16 bytes, sockaddr_in6 28, the
 * address and port are in network byte order, IPPROTO_* and IP_* have
 * Linux's numbers. htons() and friends are here, as in glibc.
 */
#ifndef _NETINET_IN_H
#define _NETINET_IN_H

#include <stdint.h>
#include <sys/types.h> /* in_addr_t, in_port_t */
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

struct in_addr {
	in_addr_t s_addr; /* network byte order */
};

struct in6_addr {
	union {
		uint8_t __u6_addr8[16];
		uint16_t __u6_addr16[8];
		uint32_t __u6_addr32[4];
	} __in6_u;
};
#define s6_addr	  __in6_u.__u6_addr8
#define s6_addr16 __in6_u.__u6_addr16
#define s6_addr32 __in6_u.__u6_addr32

struct sockaddr_in {
	sa_family_t sin_family; /* AF_INET */
	in_port_t sin_port;	/* network byte order */
	struct in_addr sin_addr;
	unsigned char sin_zero[8];
};

struct sockaddr_in6 {
	sa_family_t sin6_family; /* AF_INET6 */
	in_port_t sin6_port;	 /* network byte order */
	uint32_t sin6_flowinfo;
	struct in6_addr sin6_addr;
	uint32_t sin6_scope_id; /* the interface of a link-local address */
};

struct ip_mreq {
	struct in_addr imr_multiaddr; /* the group */
	struct in_addr imr_interface; /* the local interface's address */
};

struct ipv6_mreq {
	struct in6_addr ipv6mr_multiaddr;
	unsigned int ipv6mr_interface;
};

#define IPPROTO_IP	0
#define IPPROTO_ICMP	1
#define IPPROTO_IGMP	2
#define IPPROTO_TCP	6
#define IPPROTO_UDP	17
#define IPPROTO_IPV6	41
#define IPPROTO_ICMPV6	58
#define IPPROTO_UDPLITE 136
#define IPPROTO_RAW	255

/* Options at level IPPROTO_IP and IPPROTO_IPV6 (Linux's numbers). */
#define IP_TOS		     1
#define IP_TTL		     2
#define IP_MULTICAST_IF	     32
#define IP_MULTICAST_TTL     33
#define IP_MULTICAST_LOOP    34
#define IP_ADD_MEMBERSHIP    35
#define IP_DROP_MEMBERSHIP   36
#define IPV6_V6ONLY	     26
#define IPV6_UNICAST_HOPS    16
#define IPV6_MULTICAST_IF    17
#define IPV6_MULTICAST_HOPS  18
#define IPV6_MULTICAST_LOOP  19
#define IPV6_ADD_MEMBERSHIP  20
#define IPV6_DROP_MEMBERSHIP 21

/* These INADDR_* are in host byte order, as in glibc: htonl() them. */
#define INADDR_ANY	 ((in_addr_t)0x00000000)
#define INADDR_BROADCAST ((in_addr_t)0xffffffff)
#define INADDR_NONE	 ((in_addr_t)0xffffffff)
#define INADDR_LOOPBACK	 ((in_addr_t)0x7f000001)

/* Room for an address as text, with its NUL ("255.255.255.255"). */
#define INET_ADDRSTRLEN	 16
#define INET6_ADDRSTRLEN 46

#define IN6ADDR_ANY_INIT                                                       \
	{                                                                      \
		{                                                              \
			{                                                      \
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
			}                                                      \
		}                                                              \
	}
#define IN6ADDR_LOOPBACK_INIT                                                  \
	{                                                                      \
		{                                                              \
			{                                                      \
				0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 \
			}                                                      \
		}                                                              \
	}
extern const struct in6_addr in6addr_any;      /* :: */
extern const struct in6_addr in6addr_loopback; /* ::1 */

#define IN6_IS_ADDR_UNSPECIFIED(a)                                             \
	(((const uint32_t *)(a))[0] == 0 && ((const uint32_t *)(a))[1] == 0 && \
	 ((const uint32_t *)(a))[2] == 0 && ((const uint32_t *)(a))[3] == 0)
#define IN6_IS_ADDR_LOOPBACK(a)                                                \
	(((const uint32_t *)(a))[0] == 0 && ((const uint32_t *)(a))[1] == 0 && \
	 ((const uint32_t *)(a))[2] == 0 &&                                    \
	 ((const uint32_t *)(a))[3] == htonl(1))
#define IN6_IS_ADDR_MULTICAST(a) (((const uint8_t *)(a))[0] == 0xff)
#define IN6_IS_ADDR_LINKLOCAL(a)                                               \
	((((const uint32_t *)(a))[0] & htonl(0xffc00000)) == htonl(0xfe800000))
#define IN6_IS_ADDR_V4MAPPED(a)                                                \
	(((const uint32_t *)(a))[0] == 0 && ((const uint32_t *)(a))[1] == 0 && \
	 ((const uint32_t *)(a))[2] == htonl(0xffff))

/*
 * Byte order: x86 is little-endian, the network big-endian. The names
 * in parentheses keep a function-like macro of the same name (lwIP
 * defines some) from rewriting these definitions.
 */
static inline uint16_t(htons)(uint16_t x)
{
	return __builtin_bswap16(x);
}

static inline uint16_t(ntohs)(uint16_t x)
{
	return __builtin_bswap16(x);
}

static inline uint32_t(htonl)(uint32_t x)
{
	return __builtin_bswap32(x);
}

static inline uint32_t(ntohl)(uint32_t x)
{
	return __builtin_bswap32(x);
}

#ifdef __cplusplus
}
#endif

#endif
