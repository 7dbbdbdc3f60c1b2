/*
 * arpping - a guest that owns its NICs: with no IP stack at all, it
 * answers ARP requests and pings (ICMP echo) for its addresses, reading
 * and writing raw Ethernet frames through include/xenlet/netdev.h.
 *
 *   xl create config/arpping.cfg 'extra="ip=10.99.0.2"'
 *   ping 10.99.0.2                      (from dom0, on xenbr0)
 *
 * It serves every vif it has, each with an address of its own: vif 0
 * the one of extra="ip=A.B.C.D" (or, without it, its own), any other
 * vif the one of its own `ip=` in the xl config
 * (vif = ['bridge=xenbr1,ip=10.98.0.2']). A vif added while it runs
 * (`xl network-attach`) is served as it comes; one taken away
 * (`xl network-detach`) is closed, and everything it held given back:
 * each change prints the free pages and grants, for the tests to read.
 * `xl shutdown` makes it print what it answered and exit 0.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xenlet/control.h>
#include <xenlet/gnttab.h>
#include <xenlet/netdev.h>
#include <xenlet/page_alloc.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>
#include "reply.h"

/* One vif being served, by a thread of its own. */
struct vif {
	struct vif *next;
	struct netdev *dev;
	struct host me;
	char addr[16];
	unsigned long ignored; /* frames not answered: not for us, or bad */
	uint8_t frame[NETDEV_FRAME_MAX];
};

static struct vif *vifs;
static unsigned int nr_vifs;
static unsigned long arps, echoes, unsent;
static const char *first_ip; /* extra="ip=..." */

static void report_vif(const struct vif *v)
{
	struct netdev_stats s;

	netdev_get_stats(v->dev, &s);
	printf("arpping: vif/%u rx %lu frames (%lu errors, %lu dropped, "
	       "%lu ignored), tx %lu (%lu errors)\n",
	       netdev_devid(v->dev), s.rx_packets, s.rx_errors, s.rx_dropped,
	       v->ignored, s.tx_packets, s.tx_errors);
}

/* xl shutdown: say what was done, then go (xenwatch thread). */
static void on_shutdown(const char *request)
{
	const struct vif *v;

	(void)request;
	printf("arpping: answered %lu ARP, %lu echo; %lu replies unsent\n",
	       arps, echoes, unsent);
	for (v = vifs; v != NULL; v = v->next)
		report_vif(v);
	xenlet_exit(0);
}

/* What the tests compare across attach/detach cycles. */
static void print_memory(void)
{
	printf("arpping: %u vifs; %zu pages free, %u grants free\n", nr_vifs,
	       page_free_count(), gnttab_free_count());
}

static void answer(struct vif *v, size_t len)
{
	/* One for all vifs: threads are cooperative, and nothing here
	 * waits (netdev_send never does). */
	static uint8_t out[NETDEV_FRAME_MAX];
	struct netdev_frag f = { out, 0 };
	enum answer kind;

	f.len = answer_frame(&v->me, v->frame, len, out, sizeof(out), &kind);
	if (f.len == 0) {
		v->ignored++;
		return;
	}
	if (netdev_send(v->dev, &f, 1, 0) < 0) {
		unsent++;
		return;
	}
	if (kind == ANSWER_ARP)
		arps++;
	else
		echoes++;
}

static void unlist(struct vif *v)
{
	struct vif **p;

	for (p = &vifs; *p != NULL; p = &(*p)->next)
		if (*p == v) {
			*p = v->next;
			nr_vifs--;
			return;
		}
}

/* A vif's thread: answer until the vif goes, then give it back. */
static void *serve(void *arg)
{
	struct vif *v = arg;
	unsigned int devid = netdev_devid(v->dev);
	int n;

	for (;;) {
		/* Wait in slices: an idle guest wakes once a minute. */
		uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;

		n = netdev_recv(v->dev, v->frame, sizeof(v->frame), NULL,
				deadline);
		if (n >= 0)
			answer(v, (size_t)n);
		else if (n != -XEN_ETIMEDOUT && n != -XEN_EMSGSIZE)
			break;
	}
	/* Detached (or broken): the guest lives on without it; xl
	 * network-attach may bring a new one. */
	printf("arpping: vif/%u is gone (%d)\n", devid, n);
	report_vif(v);
	unlist(v);
	n = netdev_close(v->dev);
	if (n < 0)
		printf("arpping: vif/%u did not close cleanly (%d)\n", devid,
		       n);
	free(v);
	print_memory();
	return NULL;
}

/* The first word of s (an xl ip= may list several) into v->addr. */
static int take_address(struct vif *v, const char *s)
{
	size_t n = strcspn(s, " ");

	if (n >= sizeof(v->addr))
		return -1;
	memcpy(v->addr, s, n);
	v->addr[n] = '\0';
	return parse_ipv4(v->addr, v->me.ip);
}

static int choose_address(struct vif *v)
{
	unsigned int devid = netdev_devid(v->dev);
	const char *ip = netdev_ip(v->dev);

	if (devid == 0 && first_ip != NULL)
		ip = first_ip;
	if (ip == NULL) {
		printf("arpping: vif/%u has no address: give it ip= in "
		       "its vif spec\n",
		       devid);
		return -1;
	}
	if (take_address(v, ip) < 0) {
		printf("arpping: vif/%u: bad address '%s'\n", devid, ip);
		return -1;
	}
	return 0;
}

static void start(struct netdev *dev)
{
	struct vif *v = calloc(1, sizeof(*v));
	pthread_t t;

	if (v == NULL) {
		printf("arpping: no memory for vif/%u\n", netdev_devid(dev));
		netdev_close(dev);
		return;
	}
	v->dev = dev;
	netdev_mac(dev, v->me.mac);
	if (choose_address(v) < 0 || pthread_create(&t, NULL, serve, v) != 0) {
		netdev_close(dev);
		free(v);
		return;
	}
	pthread_detach(t);
	v->next = vifs;
	vifs = v;
	nr_vifs++;
	printf("arpping: answering ARP and ping for %s on vif/%u\n", v->addr,
	       netdev_devid(dev));
	print_memory();
}

int main(int argc, char **argv)
{
	struct netdev *dev;
	uint8_t ip[4];
	int rc;

	(void)argc;
	(void)argv;
	first_ip = getenv("ip");
	if (first_ip != NULL && parse_ipv4(first_ip, ip) < 0) {
		printf("arpping: give the address as extra=\"ip=A.B.C.D\" "
		       "(got '%s')\n",
		       first_ip);
		return 2;
	}
	control_set_handler(on_shutdown);
	for (;;) {
		rc = netdev_open_next(&dev,
				      xen_system_time_ns() + 60 * NSEC_PER_SEC);
		if (rc == 0)
			start(dev);
		else if (rc != -XEN_ETIMEDOUT) {
			printf("arpping: a vif did not connect (%d)\n", rc);
			sleep(1); /* XenStore may be failing: no busy loop */
		}
	}
}
