/*
 * timewait.c - a new connection takes over an old one in TIME_WAIT.
 *
 * The side that closes a TCP connection first keeps it in TIME_WAIT
 * for two maximum segment lifetimes (lwIP: 2 x 60 s), so that a late
 * segment of the old connection is not taken for part of a new one
 * between the same two ports. A server that closes first (httpd after
 * "Connection: close") keeps one per client. The client knows nothing
 * of it: its side is closed, and it may pick the same source port
 * again at once (dom0's Linux did, about once in ten runs of the
 * httpd case's 300 connections).
 *
 * lwIP 2.1.3 answers such a SYN from its TIME_WAIT pcb: with a reset
 * when the SYN's sequence number falls in the old window, else with a
 * bare ACK of the old connection. The client resets that ACK (which
 * TIME_WAIT ignores, RFC 1337) and sends the SYN again, and again,
 * until the TIME_WAIT ends or its connect() gives up: on Linux, after
 * 127 s, just before lwIP's 120 s are over.
 *
 * RFC 1122 (4.2.2.13) allows what Linux does instead: a SYN whose
 * sequence number lies beyond everything the old connection received
 * (its rcv_nxt) cannot be a late segment of it, so the TIME_WAIT may
 * end and the SYN open a new connection. This hook does that before
 * lwIP's TCP sees the frame: it ends the matching TIME_WAIT pcb, and
 * the SYN then meets the listener like any other.
 *
 * The frame has not been checked yet (ip4_input calls the hook first),
 * so its headers are copied out and bounded here. A SYN that lwIP then
 * drops for a bad checksum has only ended a TIME_WAIT early, which
 * tcp_alloc does to the oldest one anyway whenever pcbs run short.
 */
#include "lwip/ip4.h"
#include "lwip/pbuf.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/tcp.h"
#include "port.h"

/* The TIME_WAIT pcb of the connection the segment belongs to, if any. */
static struct tcp_pcb *timewait_find(const struct ip_hdr *ip,
				     const struct tcp_hdr *tcp)
{
	struct tcp_pcb *pcb;

	for (pcb = tcp_tw_pcbs; pcb != NULL; pcb = pcb->next)
		if (pcb->remote_port == lwip_ntohs(tcp->src) &&
		    pcb->local_port == lwip_ntohs(tcp->dest) &&
		    ip4_addr_get_u32(ip_2_ip4(&pcb->remote_ip)) ==
			    ip->src.addr &&
		    ip4_addr_get_u32(ip_2_ip4(&pcb->local_ip)) == ip->dest.addr)
			return pcb;
	return NULL;
}

int timewait_syn_input(struct pbuf *p)
{
	struct ip_hdr ip;
	struct tcp_hdr tcp;
	struct tcp_pcb *pcb;
	u16_t hlen;

	if (pbuf_copy_partial(p, &ip, sizeof(ip), 0) != sizeof(ip) ||
	    IPH_V(&ip) != 4 || IPH_PROTO(&ip) != IP_PROTO_TCP)
		return 0;
	/* A fragment's TCP header is not where it seems, or not there. */
	if ((IPH_OFFSET(&ip) & PP_HTONS(IP_OFFMASK | IP_MF)) != 0)
		return 0;
	hlen = IPH_HL_BYTES(&ip);
	if (hlen < IP_HLEN ||
	    pbuf_copy_partial(p, &tcp, sizeof(tcp), hlen) != sizeof(tcp))
		return 0;
	/* A SYN alone opens a connection; SYN with ACK, RST or FIN is
	 * left for lwIP to judge. */
	if ((TCPH_FLAGS(&tcp) & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) !=
	    TCP_SYN)
		return 0;
	pcb = timewait_find(&ip, &tcp);
	if (pcb != NULL && TCP_SEQ_GT(lwip_ntohl(tcp.seqno), pcb->rcv_nxt))
		tcp_abort(pcb); /* TIME_WAIT: freed, nothing sent */
	return 0;
}
