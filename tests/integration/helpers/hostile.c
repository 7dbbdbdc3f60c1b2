/*
 * hostile - a dom0 helper: sends a guest malformed Ethernet frames from
 * a raw AF_PACKET socket on a bridge, and sees what the guest answers.
 *
 *   hostile IFACE GUEST-MAC GUEST-IP BATCH [COUNT]
 *
 * Every frame goes to GUEST-MAC from IFACE's own MAC and IPv4 address.
 * A batch is a set of frames no correct stack may answer, then one good
 * ping (the control, which it must answer). After a batch, replies are
 * collected for up to 2 s; an unanswered control is sent again, up to
 * CONTROL_TRIES times in all (a guest busy with other traffic, as in
 * the echohostile case, may drop one good frame as any NIC may: a
 * guest that stopped answering drops them all). The one line printed
 * says
 *
 *   BATCH: sent S, refused R, control sent T, bad answered B, control answered C
 *
 * where refused counts frames dom0's kernel would not send (shorter than
 * an Ethernet header, longer than the bridge's MTU), T how many times
 * the control went out, B the answers to bad frames (a correct guest
 * gives 0) and C is 1 if the control was answered. Exit status 0 when
 * B == 0 and C == 1. Batches:
 *
 *   runt      frames of 0..13 bytes, an Ethernet header alone, IPv4
 *             headers cut short, an echo cut inside its ICMP header
 *   iplen     IHL < 5, IHL past the frame, total length longer than the
 *             frame, shorter than the IHL, 0; version 6 in an IPv4 frame
 *   csum      a bad IPv4 header checksum, a bad ICMP checksum
 *   frag      echo requests in fragments never completed: a first
 *             fragment, a middle one, two overlapping ones, one past
 *             64 KiB, a first one of 8 bytes
 *   arp       ARP requests with bad hardware/protocol lengths, types and
 *             operations, and one cut short
 *   oversize  frames of 1515, 1518 (VLAN-tagged), 1600, 9000 and 65535
 *             bytes: the kernel or the bridge lets through what it will
 *   flood     COUNT (default 100000) UDP frames as fast as the socket
 *             takes them, for 150 s at most; prints the count and rate
 *
 * Static, built on the build host (dom0 has no compiler).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BAD_ID	      0x6200 /* ICMP id of echo requests that must go unanswered */
#define CONTROL_ID    0x6300 /* the control's */
#define CONTROL_TRIES 3
#define BAD_SPA	      200 /* ARP: asker addresses x.x.x.200+ are bad ones */

static int sock;
static struct sockaddr_ll to;
static uint8_t my_mac[6], guest_mac[6], my_ip[4], guest_ip[4];
static unsigned long sent, refused;
static uint8_t f[65536];

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

/* The Internet checksum, ready to store. */
static unsigned int csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += get16(p + i);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

static void send_frame(const uint8_t *frame, size_t len)
{
	for (;;) {
		if (sendto(sock, frame, len, 0, (struct sockaddr *)&to,
			   sizeof(to)) == (ssize_t)len) {
			sent++;
			return;
		}
		if (errno != ENOBUFS && errno != EAGAIN) {
			refused++; /* EINVAL (runt), EMSGSIZE (over MTU) */
			return;
		}
		/* The qdisc is full (a flood): wait for room. */
		poll(NULL, 0, 1);
	}
}

static void eth(uint8_t *p, unsigned int type)
{
	memcpy(p, guest_mac, 6);
	memcpy(p + 6, my_mac, 6);
	put16(p + 12, type);
}

/* An IPv4 header without options at p, checksummed. */
static void ipv4(uint8_t *p, unsigned int total, unsigned int proto,
		 unsigned int frag)
{
	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, total);
	put16(p + 4, 0x1234);
	put16(p + 6, frag);
	p[8] = 64;
	p[9] = (uint8_t)proto;
	put16(p + 10, 0);
	memcpy(p + 12, my_ip, 4);
	memcpy(p + 16, guest_ip, 4);
	put16(p + 10, csum(p, 20));
}

/* A whole echo request of `data` payload bytes into f; its length. */
static size_t echo(unsigned int id, unsigned int seq, size_t data)
{
	uint8_t *icmp = f + 34;

	eth(f, ETH_P_IP);
	ipv4(f + 14, (unsigned int)(20 + 8 + data), 1, 0);
	icmp[0] = 8;
	icmp[1] = 0;
	put16(icmp + 2, 0);
	put16(icmp + 4, id);
	put16(icmp + 6, seq);
	memset(icmp + 8, 0xa5, data);
	put16(icmp + 2, csum(icmp, 8 + data));
	return 14 + 20 + 8 + data;
}

/* After changing IPv4 header bytes: make its checksum right again. */
static void ip_resum(void)
{
	put16(f + 24, 0);
	put16(f + 24, csum(f + 14, (size_t)(f[14] & 0xf) * 4));
}

static void runt(void)
{
	size_t len, n;

	/* Shorter than an Ethernet header: the kernel should refuse. */
	for (len = 0; len < 14; len++) {
		echo(BAD_ID, 0, 56);
		send_frame(f, len);
	}
	/* Cut anywhere up to the end of the ICMP header: nothing left
	 * to answer. (With the checksum over what remains wrong too.) */
	for (len = 14; len < 14 + 20 + 8; len++) {
		echo(BAD_ID, (unsigned int)len, 56);
		send_frame(f, len);
	}
	/* The IPv4 total length still says 84: cut at every 7 bytes. */
	for (n = 14 + 20 + 8; n < 14 + 84; n += 7) {
		echo(BAD_ID, (unsigned int)n, 56);
		send_frame(f, n);
	}
}

static void iplen(void)
{
	static const struct {
		unsigned int ihl, total, version;
	} bad[] = {
		{ 4, 84, 4 }, { 0, 84, 4 }, { 15, 84, 4 }, { 5, 1000, 4 },
		{ 5, 85, 4 }, { 5, 19, 4 }, { 5, 0, 4 },   { 5, 65535, 4 },
		{ 6, 24, 4 }, { 5, 84, 6 }, { 5, 84, 0 },  { 15, 40, 4 },
	};
	size_t i, len;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		len = echo(BAD_ID, (unsigned int)i, 56);
		f[14] = (uint8_t)(bad[i].version << 4 | bad[i].ihl);
		put16(f + 16, bad[i].total);
		if (bad[i].ihl >= 5)
			ip_resum();
		send_frame(f, len);
	}
}

static void bad_csum(void)
{
	size_t len;

	len = echo(BAD_ID, 1, 56);
	f[24] ^= 0x01; /* IPv4 header checksum */
	send_frame(f, len);
	len = echo(BAD_ID, 2, 56);
	f[36] ^= 0x80; /* ICMP checksum */
	send_frame(f, len);
	len = echo(BAD_ID, 3, 56);
	f[60] ^= 0xff; /* the payload, so the ICMP checksum is wrong */
	send_frame(f, len);
	len = echo(BAD_ID, 4, 1);
	f[34 + 8] = 0; /* odd length: the last byte counts as its high half */
	send_frame(f, len);
}

/* Fragment [off, off + len) of a 1000-byte echo; mf: more follow. */
static void fragment(unsigned int off, unsigned int len, int mf)
{
	static uint8_t whole[2048];
	size_t wl = echo(BAD_ID, off, 1000 - 8);

	memcpy(whole, f, wl);
	eth(f, ETH_P_IP);
	ipv4(f + 14, 20 + len, 1, (mf ? 0x2000 : 0) | (off / 8));
	memcpy(f + 34, whole + 34 + off, len);
	send_frame(f, 34 + len);
}

static void frag(void)
{
	size_t len;

	fragment(0, 400, 1);   /* a first fragment; the rest never comes */
	fragment(400, 400, 1); /* a middle one */
	fragment(200, 400, 1); /* overlapping both */
	fragment(0, 8, 1);     /* a first one of the ICMP header alone */
	/* One past 64 KiB (offset 65528 + 400): the "ping of death". */
	len = echo(BAD_ID, 9, 400 - 8);
	put16(f + 20, 0x1fff);
	ip_resum();
	send_frame(f, len);
	/* Offset 0, more fragments: a whole echo marked as a first one. */
	len = echo(BAD_ID, 10, 56);
	put16(f + 20, 0x2000);
	ip_resum();
	send_frame(f, len);
}

/* An ARP request for the guest's address from asker x.x.x.spa. */
static size_t arp(unsigned int spa)
{
	uint8_t *a = f + 14;

	memset(f, 0, 60);
	eth(f, ETH_P_ARP);
	put16(a, 1);
	put16(a + 2, ETH_P_IP);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 1);
	memcpy(a + 8, my_mac, 6);
	memcpy(a + 14, my_ip, 3);
	a[17] = (uint8_t)spa;
	memset(a + 18, 0, 6);
	memcpy(a + 24, guest_ip, 4);
	return 60; /* padded to Ethernet's minimum, as a NIC would */
}

static void bad_arp(void)
{
	unsigned int spa = BAD_SPA;

	arp(spa);
	f[18] = 7; /* hardware length */
	send_frame(f, 60);
	arp(++spa);
	f[19] = 16; /* protocol length (IPv6's) */
	send_frame(f, 60);
	arp(++spa);
	put16(f + 14, 0x100); /* no such hardware type (Linux takes
				 IEEE 802's, 6, on Ethernet) */
	send_frame(f, 60);
	arp(++spa);
	put16(f + 16, 0x86dd); /* protocol IPv6 */
	send_frame(f, 60);
	arp(++spa);
	put16(f + 20, 3); /* operation: RARP request */
	send_frame(f, 60);
	arp(++spa);
	put16(f + 20, 2); /* a reply, not a request */
	send_frame(f, 60);
	arp(++spa);
	send_frame(f, 14 + 27); /* cut one byte short */
	arp(++spa);
	send_frame(f, 14 + 8); /* the fixed part alone */
}

static void oversize(void)
{
	static const size_t sizes[] = { 1515, 1518, 1600, 9000, 65535 };
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		echo(BAD_ID, (unsigned int)i, sizes[i] - 42);
		if (sizes[i] == 1518) {
			/* An 802.1Q tag: the kernel allows 4 bytes more. */
			memmove(f + 16, f + 12, 1518 - 16);
			put16(f + 12, 0x8100);
			put16(f + 14, 5);
		}
		send_frame(f, sizes[i]);
	}
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/*
 * UDP to port 9 (discard): nothing to answer, everything to receive.
 * The socket's send buffer paces us to what the bridge and netback
 * take (a frame waits until the one before leaves dom0), so each frame
 * is offered to the guest; FLOOD_SECONDS bounds the whole, since under
 * a loaded emulation that pace was seen to drop to 700 frames/s.
 */
#define FLOOD_SECONDS 150
static void flood(unsigned long count)
{
	unsigned long i;
	uint8_t *udp = f + 34;
	double t0 = now(), t;

	for (i = 0; i < count && now() - t0 < FLOOD_SECONDS; i++) {
		memset(f, 0, 60);
		eth(f, ETH_P_IP);
		ipv4(f + 14, 20 + 8 + 18, 17, 0);
		put16(udp, 40000 + (unsigned int)(i % 1000));
		put16(udp + 2, 9);
		put16(udp + 4, 8 + 18);
		put16(udp + 6, 0); /* no UDP checksum */
		send_frame(f, 60);
	}
	t = now() - t0;
	printf("flood: %lu frames in %.2f s (%.0f frames/s)\n", sent, t,
	       t > 0 ? (double)sent / t : 0.0);
}

/*
 * Collect the guest's answers until the control is answered (and 0.5 s
 * more, for late answers to bad frames) or 2 s pass. Adds to *bad.
 */
static void collect(unsigned long *bad, int *control)
{
	uint8_t r[2048];
	double end = now() + 2, late = 0;

	*control = 0;
	while (now() < (late ? late : end)) {
		struct pollfd p = { .fd = sock, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = recv(sock, r, sizeof(r), 0);
		if (n < 42 || memcmp(r + 6, guest_mac, 6) != 0)
			continue;
		if (get16(r + 12) == ETH_P_ARP && get16(r + 20) == 2) {
			if (r[41] >= BAD_SPA)
				(*bad)++;
			else
				*control = 1;
		} else if (get16(r + 12) == ETH_P_IP && r[23] == 1 &&
			   r[34] == 0) {
			unsigned int id = get16(r + 38);

			if (id == CONTROL_ID)
				*control = 1;
			else if (id == BAD_ID)
				(*bad)++;
		}
		if (*control && !late)
			late = now() + 0.5;
	}
}

/*
 * Frames the kernel dropped because our socket's queue was full (it
 * sees every frame on the bridge: a busy guest's TCP stream too). A
 * control answered but dropped here is the helper's loss, not the
 * guest's.
 */
static unsigned int socket_drops(void)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);

	if (getsockopt(sock, SOL_PACKET, PACKET_STATISTICS, &st, &len) < 0)
		return 0;
	return st.tp_drops;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int m[6], i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4],
		   &m[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)m[i];
	return 0;
}

/*
 * The socket queues only what collect() looks at: ARP and ICMP echo
 * replies from the guest's MAC (not the port unreachables the guest
 * sends for each frame of the UDP flood). Without this filter it queued every
 * frame on the bridge, and a guest sending a TCP stream (echohostile)
 * filled its queue: the kernel dropped thousands of frames per batch,
 * the control's answer among them, three times in a row on CI. Classic
 * BPF, loads in network byte order.
 */
static int filter_guest_replies(void)
{
	uint32_t mac_hi = (uint32_t)guest_mac[0] << 24 |
			  (uint32_t)guest_mac[1] << 16 |
			  (uint32_t)guest_mac[2] << 8 | guest_mac[3];
	uint32_t mac_lo = (uint32_t)guest_mac[4] << 8 | guest_mac[5];
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 6), /* source MAC */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_hi, 0, 10),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 10),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, mac_lo, 0, 8),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12), /* ethertype */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 5, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 5),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23), /* IPv4 protocol */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 3), /* ICMP */
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 34),	      /* its type */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1), /* echo reply */
		BPF_STMT(BPF_RET | BPF_K, 0xffff),	      /* keep */
		BPF_STMT(BPF_RET | BPF_K, 0),		      /* drop */
	};
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };

	return setsockopt(sock, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

/* The raw socket on iface, and iface's MAC and IPv4 address (the
 * guest's MAC is known: the socket's filter names it). */
static int open_iface(const char *iface)
{
	struct ifreq ifr;

	sock = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	/* The filter before bind: no frame is queued unfiltered. */
	if (sock < 0 || strlen(iface) >= IFNAMSIZ || filter_guest_replies() < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, iface);
	if (ioctl(sock, SIOCGIFINDEX, &ifr) < 0)
		return -1;
	to.sll_family = AF_PACKET;
	to.sll_ifindex = ifr.ifr_ifindex;
	to.sll_protocol = htons(ETH_P_ALL);
	to.sll_halen = 6;
	/* Our own frames need not come back to us (Linux >= 4.20). */
	setsockopt(sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &(int){ 1 },
		   sizeof(int));
	if (bind(sock, (struct sockaddr *)&to, sizeof(to)) < 0 ||
	    ioctl(sock, SIOCGIFHWADDR, &ifr) < 0)
		return -1;
	memcpy(my_mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(sock, SIOCGIFADDR, &ifr) < 0)
		return -1;
	memcpy(my_ip, &((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr, 4);
	return 0;
}

int main(int argc, char **argv)
{
	const char *batch = argc > 4 ? argv[4] : "";
	unsigned long bad = 0;
	int control = 0, tries;

	if (argc < 5 || parse_mac(argv[2], guest_mac) < 0 ||
	    inet_pton(AF_INET, argv[3], guest_ip) != 1) {
		fprintf(stderr, "usage: hostile IFACE GUEST-MAC GUEST-IP "
				"runt|iplen|csum|frag|arp|oversize|flood "
				"[COUNT]\n");
		return 2;
	}
	if (open_iface(argv[1]) < 0) {
		perror(argv[1]);
		return 2;
	}
	memcpy(to.sll_addr, guest_mac, 6);
	if (strcmp(batch, "runt") == 0)
		runt();
	else if (strcmp(batch, "iplen") == 0)
		iplen();
	else if (strcmp(batch, "csum") == 0)
		bad_csum();
	else if (strcmp(batch, "frag") == 0)
		frag();
	else if (strcmp(batch, "arp") == 0)
		bad_arp();
	else if (strcmp(batch, "oversize") == 0)
		oversize();
	else if (strcmp(batch, "flood") == 0)
		flood(argc > 5 ? strtoul(argv[5], NULL, 10) : 100000);
	else {
		fprintf(stderr, "hostile: no batch '%s'\n", batch);
		return 2;
	}
	/* The control: a good ping (and for ARP, a good request). */
	for (tries = 1; tries <= CONTROL_TRIES && !control; tries++) {
		if (strcmp(batch, "arp") == 0)
			send_frame(f, arp(1));
		send_frame(f, echo(CONTROL_ID, (unsigned int)tries, 56));
		collect(&bad, &control);
	}
	printf("%s: sent %lu, refused %lu, control sent %d, bad answered "
	       "%lu, control answered %d, socket dropped %u\n",
	       batch, sent, refused, tries - 1, bad, control, socket_drops());
	return bad == 0 && control == 1 ? 0 : 1;
}
