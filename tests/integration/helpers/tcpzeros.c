/*
 * tcpzeros - which side put runs of zero bytes into a TCP stream: dom0
 * or the guest. Watches one interface (a guest's vif in dom0) with a
 * packet socket for SECONDS and prints each TCP payload to or from
 * PORT that holds a run of RUN zero bytes or more: the run, where it
 * starts, and which way the segment went (a vif's outgoing frames go
 * to the guest). The netstress case runs it while redis-benchmark
 * streams through examples/echo, whose requests hold no zeros.
 *
 *   tcpzeros IFNAME PORT RUN SECONDS
 *
 * Prints at most 50 such segments, then "tcpzeros: N tcp frames, M
 * with zeros". Exits 2 on bad arguments, 1 if the socket cannot be
 * had.
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static uint8_t b[70000];
	struct sockaddr_ll sll = { 0 };
	int s, port, minrun;
	time_t end;
	unsigned long frames = 0, hits = 0;

	if (argc != 5)
		return 2;
	port = atoi(argv[2]);
	minrun = atoi(argv[3]);
	end = time(NULL) + atoi(argv[4]);
	s = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (s < 0) {
		perror("socket");
		return 1;
	}
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		perror("bind");
		return 1;
	}
	struct timeval tv = { 1, 0 };
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(s, b, sizeof(b), 0,
				     (struct sockaddr *)&from, &fl);
		size_t ihl, doff, i, run = 0, best = 0, at = 0, len, tot;
		int sp, dp;

		if (n < 54 || b[12] != 8 || b[13] != 0 || b[23] != 6)
			continue;
		frames++;
		ihl = (size_t)(b[14] & 15) * 4;
		tot = (size_t)(b[16] << 8 | b[17]);
		doff = (size_t)(b[14 + ihl + 12] >> 4) * 4;
		sp = b[14 + ihl] << 8 | b[14 + ihl + 1];
		dp = b[14 + ihl + 2] << 8 | b[14 + ihl + 3];
		if (sp != port && dp != port)
			continue;
		len = 14 + tot < (size_t)n ? 14 + tot : (size_t)n;
		for (i = 14 + ihl + doff; i < len; i++) {
			run = b[i] ? 0 : run + 1;
			if (run > best) {
				best = run;
				at = i + 1 - run - (14 + ihl + doff);
			}
		}
		if ((int)best >= minrun && hits++ < 50) {
			uint32_t seq = (uint32_t)b[14 + ihl + 4] << 24 |
				       b[14 + ihl + 5] << 16 |
				       b[14 + ihl + 6] << 8 | b[14 + ihl + 7];
			printf("zeros %zu at %zu of %zu payload, %s (pkttype "
			       "%d) "
			       "%d->%d seq %u\n",
			       best, at, len - (14 + ihl + doff),
			       dp == port ? "to guest" : "from guest",
			       from.sll_pkttype, sp, dp, seq);
			fflush(stdout);
		}
	}
	printf("tcpzeros: %lu tcp frames, %lu with zeros\n", frames, hits);
	return 0;
}
