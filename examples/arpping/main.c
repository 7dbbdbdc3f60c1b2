/*
 * arpping - a guest that owns its NIC: with no IP stack at all, it
 * answers ARP requests and pings (ICMP echo) for its address, reading
 * and writing raw Ethernet frames through include/xenlet/netdev.h.
 *
 *   xl create config/arpping.cfg 'extra="ip=10.99.0.2"'
 *   ping 10.99.0.2                      (from dom0, on xenbr0)
 *
 * `xl shutdown` makes it print what it answered and exit 0. If the vif
 * goes away (`xl network-detach`), it says so and idles on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xenlet/control.h>
#include <xenlet/netdev.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>
#include "reply.h"

static struct netdev *dev;
static unsigned long arps, echoes, unsent;

static void report(void)
{
	struct netdev_stats s;

	netdev_get_stats(dev, &s);
	printf("arpping: answered %lu ARP, %lu echo; %lu replies unsent\n",
	       arps, echoes, unsent);
	printf("arpping: rx %lu frames (%lu errors, %lu dropped), "
	       "tx %lu (%lu errors)\n",
	       s.rx_packets, s.rx_errors, s.rx_dropped, s.tx_packets,
	       s.tx_errors);
}

/* xl shutdown: say what was done, then go (xenwatch thread). */
static void on_shutdown(const char *request)
{
	(void)request;
	report();
	xenlet_exit(0);
}

static void answer(const struct host *me, const uint8_t *frame, size_t len)
{
	static uint8_t out[NETDEV_FRAME_MAX];
	struct netdev_frag f = { out, 0 };
	enum answer kind;

	f.len = answer_frame(me, frame, len, out, sizeof(out), &kind);
	if (f.len == 0)
		return;
	if (netdev_send(dev, &f, 1, 0) < 0) {
		unsent++;
		return;
	}
	if (kind == ANSWER_ARP)
		arps++;
	else
		echoes++;
}

int main(int argc, char **argv)
{
	static uint8_t frame[NETDEV_FRAME_MAX];
	const char *ip = getenv("ip");
	struct host me;
	int n;

	(void)argc;
	(void)argv;
	if (ip == NULL || parse_ipv4(ip, me.ip) < 0) {
		printf("arpping: give the address as extra=\"ip=A.B.C.D\" "
		       "(got '%s')\n",
		       ip ? ip : "");
		return 2;
	}
	n = netdev_open(0, &dev);
	if (n < 0) {
		printf("arpping: no network: vif 0 did not connect (%d)\n", n);
		return 1;
	}
	netdev_mac(dev, me.mac);
	control_set_handler(on_shutdown);
	printf("arpping: answering ARP and ping for %s\n", ip);
	for (;;) {
		/* Wait in slices: an idle guest wakes once a minute. */
		uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;

		n = netdev_recv(dev, frame, sizeof(frame), NULL, deadline);
		if (n >= 0)
			answer(&me, frame, (size_t)n);
		else if (n != -XEN_ETIMEDOUT && n != -XEN_EMSGSIZE)
			break;
	}
	/* Detached (or broken): the guest lives on, without a NIC, until
	 * it is told to stop; xl network-attach would add a new vif. */
	printf("arpping: the vif is gone (%d); idle until xl shutdown\n", n);
	for (;;)
		sleep(3600);
}
