/*
 * port.h - starting lwIP on the guest's vifs (net/lwip/netif.c), for
 * the socket glue (net/lwip/socket.c).
 */
#ifndef NET_LWIP_PORT_H
#define NET_LWIP_PORT_H

/*
 * How long lwip_port_start waits for DHCP to give every vif using it
 * an address. dnsmasq answers in well under a second; a test host
 * under load stretches that to seconds, and lwIP's client resends
 * after 2, 4, 8... s. A vif still without one is reported and goes on
 * trying: an address that comes later is used (and reported) then.
 */
#define LWIP_PORT_DHCP_TIMEOUT_NS (30ULL * 1000000000ULL)

/*
 * Once: read every vif's static settings (see net/ipconf.h), start the
 * tcpip thread, connect the vifs and give them their addresses,
 * static or by DHCP. A bad static setting prints one console line and
 * exits the program with status 2 before anything is configured.
 * 0, or -ENETDOWN when the guest has no vif that connects.
 */
int lwip_port_start(void);

/*
 * netstat.c: what the vifs' frames met on their way (all vifs
 * together), for ipstack_status.
 */
struct lwip_port_counts {
	unsigned long rx_frames;  /* handed to lwIP */
	unsigned long rx_nopbuf;  /* dropped: the pbuf pool was empty */
	unsigned long rx_refused; /* dropped: tcpip's mailbox was full */
	unsigned long tx_dropped; /* dropped: no tx slot in time */
};
extern struct lwip_port_counts lwip_port_counts;

/* Count a dropped frame in *counter; the first of a streak of drops
 * prints one console line saying what, and how full the pools are. */
void lwip_port_dropped(unsigned long *counter, const char *what);

/*
 * timewait.c: before lwIP's TCP sees it, a SYN (no ACK) that matches a
 * connection in TIME_WAIT and whose sequence number lies beyond what
 * that connection received ends the TIME_WAIT (RFC 1122 4.2.2.13), so
 * that the SYN opens a new connection instead of being answered for
 * the old one. p: an IPv4 packet as ip4_input has it, unchecked.
 * Always 0 (the packet goes on); lwipopts.h declares it for the hook.
 */
int timewait_syn_input(struct pbuf *p);

/*
 * isn.c: a TCP connection's initial sequence number, RFC 6528's
 * M + F(): tcp_isn (lwIP's LWIP_HOOK_TCP_ISN) with a key from
 * getentropy() and Xen's clock; tcp_isn_at with both given (addresses
 * and ports as lwIP holds them); siphash24, SipHash-2-4 of len bytes.
 */
uint64_t siphash24(const uint8_t key[16], const void *data, size_t len);
uint32_t tcp_isn_at(const uint8_t key[16], uint32_t local_addr,
		    uint16_t local_port, uint32_t remote_addr,
		    uint16_t remote_port, uint64_t now_ns);

#endif
