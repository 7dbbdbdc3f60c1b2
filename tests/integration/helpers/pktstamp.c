/*
 * pktstamp - a dom0 helper: one line per ARP frame and per TCP SYN,
 * SYN-ACK or RST seen on a bridge, each stamped with the wall clock in
 * microseconds (CLOCK_REALTIME, as bash's EPOCHREALTIME), for timing
 * the phases of a guest's first answer (make bench's BENCH=phases).
 * The stamp is the kernel's, taken as the frame arrived
 * (SO_TIMESTAMPNS): a helper scheduled late on a busy dom0 still
 * reports when the frame came.
 *
 *   pktstamp IFACE SECONDS
 *
 * Lines, for frames to or from any address:
 *
 *   US arp request SENDER-IP -> TARGET-IP
 *   US arp reply SENDER-IP -> TARGET-IP
 *   US tcp syn|synack|rst SRC-IP:PORT -> DST-IP:PORT
 *
 * A BPF filter in the kernel keeps only those frames, so bulk traffic
 * after the first answer costs dom0 nothing. Ends after SECONDS, or at
 * SIGTERM; at most MAX_LINES lines (a bound on the log a run leaves).
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
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINES 10000

/* Accept ARP, and IPv4 TCP (no IP options assumed for the flags
 * offset: the filter then lets a frame through, the parser decides)
 * with SYN or RST set; drop everything else. */
static struct sock_filter code[] = {
	BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12), /* ethertype */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, 6, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 0, 6),
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23), /* IP protocol */
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_TCP, 0, 4),
	BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),	  /* X = IHL * 4 */
	BPF_STMT(BPF_LD | BPF_B | BPF_IND, 14 + 13),	  /* TCP flags */
	BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x06, 0, 1), /* SYN|RST */
	BPF_STMT(BPF_RET | BPF_K, 256),
	BPF_STMT(BPF_RET | BPF_K, 0),
};

static uint64_t now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000 + (uint64_t)t.tv_nsec / 1000;
}

/* The kernel's arrival stamp of the frame, or now if it gave none. */
static uint64_t arrival(struct msghdr *m)
{
	struct cmsghdr *h;
	struct timespec t;

	for (h = CMSG_FIRSTHDR(m); h != NULL; h = CMSG_NXTHDR(m, h))
		if (h->cmsg_level == SOL_SOCKET &&
		    h->cmsg_type == SCM_TIMESTAMPNS &&
		    h->cmsg_len >= CMSG_LEN(sizeof(t))) {
			memcpy(&t, CMSG_DATA(h), sizeof(t));
			return (uint64_t)t.tv_sec * 1000000 +
			       (uint64_t)t.tv_nsec / 1000;
		}
	return now_us();
}

static unsigned int get16(const uint8_t *p)
{
	return (unsigned int)p[0] << 8 | p[1];
}

static const char *ip(const uint8_t *p, char *s)
{
	return inet_ntop(AF_INET, p, s, INET_ADDRSTRLEN);
}

/* The frame's line, or 0 when it is none of ours (or cut short: the
 * lengths are checked against what the socket gave). */
static int show(const uint8_t *f, size_t len, uint64_t t)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	unsigned int op, ihl, fl;
	const char *what;

	if (len < 14)
		return 0;
	if (get16(f + 12) == ETH_P_ARP) {
		/* Ethernet/IPv4 ARP: sender IP at 14+14, target IP at 14+24. */
		if (len < 14 + 28)
			return 0;
		op = get16(f + 14 + 6);
		printf("%llu arp %s %s -> %s\n", (unsigned long long)t,
		       op == 1	 ? "request"
		       : op == 2 ? "reply"
				 : "other",
		       ip(f + 14 + 14, a), ip(f + 14 + 24, b));
		return 1;
	}
	if (get16(f + 12) != ETH_P_IP || len < 14 + 20)
		return 0;
	ihl = (f[14] & 15u) * 4;
	if (ihl < 20 || len < 14 + ihl + 14 || f[14 + 9] != IPPROTO_TCP)
		return 0;
	fl = f[14 + ihl + 13];
	what = (fl & 0x04)	     ? "rst"
	       : (fl & 0x12) == 0x12 ? "synack"
	       : (fl & 0x02)	     ? "syn"
				     : NULL;
	if (!what)
		return 0;
	printf("%llu tcp %s %s:%u -> %s:%u\n", (unsigned long long)t, what,
	       ip(f + 14 + 12, a), get16(f + 14 + ihl), ip(f + 14 + 16, b),
	       get16(f + 14 + ihl + 2));
	return 1;
}

int main(int argc, char **argv)
{
	struct sock_fprog prog = { sizeof(code) / sizeof(code[0]), code };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	static uint8_t f[2048];
	union {
		struct cmsghdr h;
		char space[CMSG_SPACE(sizeof(struct timespec))];
	} c;
	struct iovec iov = { f, sizeof(f) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct pollfd p = { .events = POLLIN };
	int on = 1;
	uint64_t end;
	long secs, lines = 0;
	ssize_t n;

	if (argc != 3 || (secs = atol(argv[2])) < 1 || secs > 3600) {
		fprintf(stderr, "usage: pktstamp IFACE SECONDS (1..3600)\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	p.fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (sll.sll_ifindex == 0 || p.fd < 0 ||
	    setsockopt(p.fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		       sizeof(prog)) ||
	    setsockopt(p.fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) ||
	    bind(p.fd, (struct sockaddr *)&sll, sizeof(sll))) {
		printf("pktstamp: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	/* The deadline: a stamper left behind must end on its own. */
	end = now_us() + (uint64_t)secs * 1000000;
	while (now_us() < end && lines < MAX_LINES) {
		if (poll(&p, 1, 200) != 1)
			continue;
		m.msg_control = c.space;
		m.msg_controllen = sizeof(c.space);
		n = recvmsg(p.fd, &m, 0);
		if (n > 0)
			lines += show(f, (size_t)n, arrival(&m));
	}
	return 0;
}
