/*
 * netif.c - lwIP's interfaces on the guest's vifs: one struct netif per
 * vif (device/vif/N), over the raw frame interface (xenlet/netdev.h),
 * and their addresses.
 *
 * Addressing, for each vif, the first that applies:
 *   1. the first vif (the lowest id): ip=ADDR/PREFIX gw=ADDR dns=ADDR,
 *      leading words of xl's extra= (environment words);
 *   2. the vif's `ip=` in the xl config: xl writes it to the backend's
 *      `ip` key (<backend>/ip, the backend path in device/vif/N/backend);
 *   3. DHCP (lwIP's client), with the DNS server it gives.
 * Once a vif has an address: one console line with its name, MAC and
 * address.
 *
 * Vifs come and go at run time (`xl network-attach`, `xl
 * network-detach`): two threads keep lwIP's interfaces in step. One
 * takes each new vif (netdev_open_next) and adds it, addressed by rules
 * 2 and 3 (extra= belongs to the first vif of the boot). The other is
 * woken by netdev's link handler when a vif's link is lost for good
 * and removes its interface in the tcpip thread: lwIP then aborts the
 * TCP connections of its address, so their sockets fail with
 * ECONNABORTED (the connection was ended by our own stack, which is
 * what that errno means: ECONNRESET would say the peer reset it, and
 * Linux gives ENETDOWN/ENETUNREACH only to sends that find no route).
 * Listening sockets bound to INADDR_ANY are left alone and accept on
 * the next interface. Then the netdev is closed: its memory is back.
 *
 * Frames: received ones come in the netdev rx handler, in event
 * context, where nothing may wait: each is copied from the rx pages
 * into pool pbufs (its only copy) and posted to the tcpip thread's mailbox (tcpip_input: memp pools and a
 * non-waiting post only). Sent ones go out scatter-gather, one netdev
 * fragment per pbuf, with TCP/UDP checksums left to the backend.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xen/errno.h>
#include <xenlet/environ.h>
#include <xenlet/heap.h>
#include <xenlet/netdev.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenbus.h>
#include <xenlet/xenstore.h>
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include "../ipconf.h"
#include "frame_csum.h"
#include "port.h"

#define VIF_MAX	  8  /* vifs served: more are left alone, with a line */
#define VIF_FRAGS 32 /* pbufs of one frame sent as they are */
/* Headers that must lie in one piece for checksum offload: Ethernet,
 * the longest IPv4 header, and TCP's up to its checksum field. */
#define OFFLOAD_HLEN (14 + 60 + 18)
/*
 * How long a frame waits for free tx slots before it is dropped:
 * netback gives slots back as it sends, within microseconds unless
 * dom0 is starved; TCP resends what is dropped. (A 512 KiB send window
 * is 360 frames: more than the ring's 256 slots, so waits do happen.)
 */
#define TX_WAIT_NS (20ULL * 1000000ULL)

struct vif {
	struct netif nif;
	struct netdev *dev;
	unsigned int devid;
	struct ipconf conf; /* conf.addr == 0: DHCP */
	const char *how;    /* "extra=", "xl ip=", "dhcp" */
	uint32_t shown;	    /* the address last reported */
	int gone; /* link lost for good: the detach thread removes it */
};

/* A slot is in use while its dev is set (the netif exists). */
static struct vif vifs[VIF_MAX];
static int nvifs; /* slots used at boot */
static struct semaphore addr_changed;
static struct semaphore vifs_gone; /* woken by vif_link_gone */

/* --- frames ------------------------------------------------------------- */

/* A frame not offloaded: its checksums checked on our copy, p (lwIP's
 * TCP/UDP checks are off). A pool pbuf holds a full 1500-MTU frame;
 * a longer one (a bigger MTU) is checked flattened. */
static int rx_csum_ok(struct pbuf *p)
{
	struct pbuf *flat;
	int ok;

	if (p->next == NULL)
		return frame_csum_ok(p->payload, p->len);
	flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
	if (flat == NULL)
		return 0;
	ok = frame_csum_ok(flat->payload, flat->len);
	pbuf_free(flat);
	return ok;
}

/*
 * An ARP frame too short for the 28-byte body of an IPv4-over-Ethernet
 * request or reply (RFC 826). lwIP 2.1's etharp_input reads that body
 * without checking the frame holds it: it would read stale bytes of the
 * pool buffer past the frame's end, and answer a request it was never
 * sent (dom0's hostile helper got such answers to a request cut one
 * byte short). Ethernet pads frames to 60 bytes on the wire, but a vif
 * hands over what dom0 sent, however short.
 */
static int arp_cut_short(const struct pbuf *p)
{
	const struct eth_hdr *e = p->payload;

	return p->len >= SIZEOF_ETH_HDR && e->type == PP_HTONS(ETHTYPE_ARP) &&
	       p->tot_len < SIZEOF_ETH_HDR + SIZEOF_ETHARP_HDR;
}

/*
 * netdev's rx handler: the frame still lies in the vif's rx pages, so
 * it is copied into pool pbufs first (the one copy of a received
 * frame), and only the copy is checked. Offloaded frames were checked
 * (or built) inside this host; netback may hand over a TCP stream as
 * frames of up to 64 KiB (GSO): pbufs chain.
 */
static void vif_rx(void *arg, const struct netdev_frag *frags, int n,
		   size_t len, unsigned int flags)
{
	struct vif *v = arg;
	struct pbuf *p;
	u16_t off = 0;
	int i;

	if (len > 0xffff) /* a pbuf's length is a u16 */
		return;
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_POOL);
	if (p == NULL) { /* pools full: dropped, as a NIC would */
		lwip_port_dropped(&lwip_port_counts.rx_nopbuf,
				  "received, pbuf pool empty");
		return;
	}
	for (i = 0; i < n; i++) {
		/* The pieces add up to len (netfront counted them). */
		pbuf_take_at(p, frags[i].base, (u16_t)frags[i].len, off);
		off = (u16_t)(off + frags[i].len);
	}
	if (arp_cut_short(p) ||
	    (!(flags & (NETDEV_CSUM_BLANK | NETDEV_DATA_VALID)) &&
	     !rx_csum_ok(p))) {
		pbuf_free(p);
		return;
	}
	if (v->nif.input(p, &v->nif) != ERR_OK) {
		pbuf_free(p);
		lwip_port_dropped(&lwip_port_counts.rx_refused,
				  "received, tcpip queue full");
		return;
	}
	lwip_port_counts.rx_frames++;
}

/* A frame from netdev's queue (one that came during the set-up). */
static void vif_rx_flat(struct vif *v, const void *frame, size_t len,
			unsigned int flags)
{
	struct netdev_frag f = { frame, len };

	vif_rx(v, &f, 1, len, flags);
}

/* Send one frame, waiting up to TX_WAIT_NS for ring slots (woken by
 * netback's tx responses, not by polling). */
static err_t send_frags(struct vif *v, struct netdev_frag *f, int n,
			unsigned int flags)
{
	uint64_t deadline = xen_system_time_ns() + TX_WAIT_NS;
	int rc, wrc;

	while ((rc = netdev_send(v->dev, f, n, flags)) == -XEN_ENOBUFS) {
		wrc = netdev_wait_tx(v->dev, deadline);
		if (wrc < 0) {
			if (wrc != -XEN_ETIMEDOUT)
				rc = wrc; /* the link went down meanwhile */
			break;
		}
	}
	/* A lost link (detached, or broken) is told to vif_link_gone,
	 * which has the interface removed. */
	if (rc == -XEN_ENOTCONN || rc == -XEN_EIO)
		return ERR_IF;
	if (rc < 0) {
		lwip_port_dropped(&lwip_port_counts.tx_dropped,
				  "sent, no tx slot in time");
		return ERR_MEM;
	}
	return ERR_OK;
}

static err_t vif_output(struct netif *nif, struct pbuf *p)
{
	struct vif *v = nif->state;
	struct netdev_frag f[VIF_FRAGS];
	struct pbuf *q, *flat = NULL;
	unsigned int flags = 0;
	int n = 0;
	err_t err;

	/* Headers split across pbufs, or too many pieces: one copy. */
	if ((p->next != NULL && p->len < OFFLOAD_HLEN && p->len < p->tot_len) ||
	    pbuf_clen(p) > VIF_FRAGS) {
		flat = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (flat == NULL)
			return ERR_MEM;
		p = flat;
	}
	if (frame_csum_offload(p->payload, p->len, p->tot_len))
		flags = NETDEV_CSUM_BLANK;
	for (q = p; q != NULL; q = q->next)
		if (q->len > 0)
			f[n++] = (struct netdev_frag){ q->payload, q->len };
	err = send_frags(v, f, n, flags);
	if (flat != NULL)
		pbuf_free(flat);
	return err;
}

/* --- interfaces --------------------------------------------------------- */

static err_t vif_netif_init(struct netif *nif)
{
	struct vif *v = nif->state;

	nif->name[0] = 'e';
	nif->name[1] = 'n';
	nif->output = etharp_output;
	nif->linkoutput = vif_output;
	nif->mtu = (u16_t)netdev_mtu(v->dev);
	nif->hwaddr_len = ETH_HWADDR_LEN;
	netdev_mac(v->dev, nif->hwaddr);
	nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP |
		     NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	/* TCP and UDP checksums are the backend's both ways (vif_rx,
	 * vif_output); IP and ICMP stay lwIP's. */
	NETIF_SET_CHECKSUM_CTRL(nif, NETIF_CHECKSUM_GEN_IP |
					     NETIF_CHECKSUM_GEN_ICMP |
					     NETIF_CHECKSUM_CHECK_IP |
					     NETIF_CHECKSUM_CHECK_ICMP);
	return ERR_OK;
}

static void fmt_ip(char *buf, size_t size, const ip4_addr_t *a)
{
	uint32_t h = lwip_ntohl(ip4_addr_get_u32(a));

	snprintf(buf, size, "%u.%u.%u.%u", (unsigned)(h >> 24),
		 (unsigned)(h >> 16 & 255), (unsigned)(h >> 8 & 255),
		 (unsigned)(h & 255));
}

static unsigned int prefix_of(const ip4_addr_t *mask)
{
	return (unsigned int)__builtin_popcount(ip4_addr_get_u32(mask));
}

/* tcpip thread: an address came (or changed): say so, once per value. */
static void vif_status(struct netif *nif)
{
	struct vif *v = nif->state;
	const ip4_addr_t *a = netif_ip4_addr(nif);
	char ip[16], gw[16];
	const u8_t *m = nif->hwaddr;

	if (ip4_addr_isany(a) || ip4_addr_get_u32(a) == v->shown)
		return;
	v->shown = ip4_addr_get_u32(a);
	fmt_ip(ip, sizeof(ip), a);
	fmt_ip(gw, sizeof(gw), netif_ip4_gw(nif));
	printk("net: vif%u up: mac %02x:%02x:%02x:%02x:%02x:%02x, "
	       "ip %s/%u, gw %s (%s)\n",
	       v->devid, m[0], m[1], m[2], m[3], m[4], m[5], ip,
	       prefix_of(netif_ip4_netmask(nif)), gw, v->how);
	sem_up(&addr_changed);
}

/* --- static settings ---------------------------------------------------- */

/* The backend's `ip` key of vif devid, or NULL (kfree it). */
static char *xl_ip_key(unsigned int devid)
{
	char path[64], *backend = NULL, *ip = NULL, *key;
	size_t len;

	snprintf(path, sizeof(path), "device/vif/%u/backend", devid);
	if (xs_read(XBT_NIL, path, &backend, &len) < 0)
		return NULL;
	/* The backend path is dom0's word: bounded before use. */
	key = kmalloc(len + sizeof("/ip"));
	if (key != NULL && len < 256) {
		memcpy(key, backend, len);
		memcpy(key + len, "/ip", sizeof("/ip"));
		if (xs_read(XBT_NIL, key, &ip, &len) < 0)
			ip = NULL;
	}
	kfree(key);
	kfree(backend);
	return ip;
}

/* A setting we cannot honour: one line; -1. */
static int bad_setting(const char *what, const char *value, const char *why)
{
	printk("net: bad %s '%.40s': %s\n", what, value, why);
	return -1;
}

/* Decide v's settings (before anything is configured); -1 after one
 * console line if they are bad. */
static int vif_settings(struct vif *v, int first)
{
	const char *ip = xenlet_getenv("ip"), *gw = xenlet_getenv("gw");
	const char *dns = xenlet_getenv("dns"), *why;
	char *key;
	int rc;

	v->how = "dhcp";
	if (first && (ip || gw || dns)) {
		if (ipconf_parse(ip, gw, dns, &v->conf, &why) < 0)
			return bad_setting(ip	? "ip="
					   : gw ? "gw="
						: "dns=",
					   ip	? ip
					   : gw ? gw
						: dns,
					   why);
		v->how = "extra=";
		return 0;
	}
	key = xl_ip_key(v->devid);
	if (key == NULL)
		return 0;
	rc = ipconf_parse_xl(key, &v->conf, &why);
	if (rc < 0)
		bad_setting("xl vif ip=", key, why);
	kfree(key);
	if (rc < 0)
		return -1;
	v->how = "xl ip=";
	return 0;
}

/* --- bringing it up ----------------------------------------------------- */

static void tcpip_ready(void *arg)
{
	sem_up(arg);
}

static void ip_of(ip4_addr_t *a, uint32_t host)
{
	ip4_addr_set_u32(a, lwip_htonl(host));
}

/* Add v to lwIP with its static address, or start DHCP on it. */
static void vif_add(struct vif *v, int first)
{
	ip4_addr_t a, m, g;

	ip_of(&a, v->conf.addr);
	ip_of(&m, v->conf.addr ? ipconf_mask(v->conf.prefix) : 0);
	ip_of(&g, v->conf.gw);
	LOCK_TCPIP_CORE();
	netif_add(&v->nif, &a, &m, &g, v, vif_netif_init, tcpip_input);
	netif_set_status_callback(&v->nif, vif_status);
	/* A vif that comes after the default one left takes its place. */
	if (first || netif_default == NULL)
		netif_set_default(&v->nif);
	if (v->conf.dns) {
		ip_addr_t d;

		ip_addr_set_ip4_u32(&d, lwip_htonl(v->conf.dns));
		dns_setserver(0, &d);
	}
	netif_set_up(&v->nif);
	if (v->conf.addr == 0)
		dhcp_start(&v->nif);
	UNLOCK_TCPIP_CORE();
}

/* The boot's vifs that are still waiting for DHCP. */
static int dhcp_pending(void)
{
	int i, n = 0;

	for (i = 0; i < nvifs; i++)
		if (vifs[i].dev != NULL && vifs[i].shown == 0)
			n++;
	return n;
}

static void wait_dhcp(void)
{
	uint64_t deadline = xen_system_time_ns() + LWIP_PORT_DHCP_TIMEOUT_NS;
	int i;

	while (dhcp_pending() && sem_down(&addr_changed, deadline) == 0)
		;
	for (i = 0; i < nvifs; i++)
		if (vifs[i].dev != NULL && vifs[i].shown == 0)
			printk("net: vif%u: no DHCP answer in %llu s; "
			       "still asking\n",
			       vifs[i].devid,
			       LWIP_PORT_DHCP_TIMEOUT_NS / 1000000000ULL);
}

/* The vif ids under device/vif/, lowest first, at most VIF_MAX. */
static int list_vifs(unsigned int *ids)
{
	char **names;
	int i, j, n, count = 0;

	if (xenbus_enumerate("vif", &names, &n) < 0)
		return 0;
	for (i = 0; i < n && count < VIF_MAX; i++) {
		char *end;
		unsigned long id = strtoul(names[i], &end, 10);

		if (*end != '\0' || end == names[i] || id > 0xffff)
			continue; /* not a vif id: not ours to use */
		for (j = count; j > 0 && ids[j - 1] > id; j--)
			ids[j] = ids[j - 1];
		ids[j] = (unsigned int)id;
		count++;
	}
	if (n > VIF_MAX)
		printk("net: %d vifs; only the first %d are used\n", n,
		       VIF_MAX);
	kfree(names);
	return count;
}

/*
 * From now on frames go straight to lwIP (the netif exists: vif_rx
 * must not run before). Those that came during the set-up wait in
 * netdev's queue: hand them over too.
 */
static void take_frames(struct vif *v)
{
	void *buf = kmalloc(NETDEV_FRAME_MAX);
	unsigned int flags;
	int n;

	netdev_set_rx_frags_handler(v->dev, vif_rx, v);
	while (buf != NULL &&
	       (n = netdev_recv(v->dev, buf, NETDEV_FRAME_MAX, &flags, 0)) >= 0)
		vif_rx_flat(v, buf, (size_t)n, flags);
	kfree(buf);
}

/* --- vifs that come and go ---------------------------------------------- */

/*
 * How long the attach thread waits for a new vif in one call: it may
 * never come, so this bounds only one wait, and the loop waits again;
 * after an error (XenStore not answering) it waits ATTACH_RETRY_NS
 * before asking again, so a failing XenStore costs no busy loop.
 */
#define ATTACH_WAIT_NS	(3600ULL * 1000000000ULL)
#define ATTACH_RETRY_NS (1000000000ULL)

/* netdev's link handler (xenwatch thread or event context: it must not
 * sleep): the detach thread takes it from here. */
static void vif_link_gone(void *arg)
{
	struct vif *v = arg;

	v->gone = 1;
	sem_up(&vifs_gone);
}

/* v's netif exists: frames go to lwIP from now, and a lost link is
 * told (at once if it is lost already). */
static void vif_serve(struct vif *v)
{
	take_frames(v);
	netdev_set_link_handler(v->dev, vif_link_gone, v);
}

struct removal {
	struct vif *v;
	struct semaphore done;
};

/*
 * tcpip thread: take v's interface out of lwIP. It runs after every
 * frame of v already posted to the tcpip mailbox (a FIFO; the link is
 * down, so v's rx handler posts no more): none finds the netif gone.
 * netif_remove aborts the TCP connections of its address (ERR_ABRT:
 * their sockets wake with ECONNABORTED); DHCP's state is freed.
 */
static void vif_remove_cb(void *arg)
{
	struct removal *r = arg;
	struct netif *nif = &r->v->nif;

	netif_set_link_down(nif);
	dhcp_stop(nif);
	dhcp_cleanup(nif);
	netif_remove(nif);
	sem_up(&r->done);
}

/* Remove v's interface, close its netdev, free the slot. */
static void vif_remove(struct vif *v)
{
	struct removal r = { .v = v };
	int rc;

	sem_init(&r.done, 0);
	/* The tcpip thread runs every callback posted; it waits for
	 * nothing outside the guest. */
	if (tcpip_callback(vif_remove_cb, &r) == ERR_OK)
		sem_down(&r.done, 0);
	else { /* no message memory: under the lock instead */
		LOCK_TCPIP_CORE();
		vif_remove_cb(&r);
		UNLOCK_TCPIP_CORE();
	}
	printk("net: vif%u gone: sockets on it closed\n", v->devid);
	/* netdev_close bounds its own wait for the backend to unmap. */
	rc = netdev_close(v->dev);
	if (rc < 0)
		printk("net: vif%u: close: %d\n", v->devid, rc);
	memset(v, 0, sizeof(*v));
}

/*
 * The detach thread: woken only by vif_link_gone, our own handler, so
 * it waits without a deadline (it waits for nothing outside the guest).
 */
static void detach_thread(void *arg)
{
	int i;

	(void)arg;
	for (;;) {
		sem_down(&vifs_gone, 0);
		for (i = 0; i < VIF_MAX; i++)
			if (vifs[i].dev != NULL && vifs[i].gone)
				vif_remove(&vifs[i]);
	}
}

static struct vif *free_slot(void)
{
	int i;

	for (i = 0; i < VIF_MAX; i++)
		if (vifs[i].dev == NULL)
			return &vifs[i];
	return NULL;
}

/* A vif attached at run time: addressed by its own ip= or DHCP. */
static void vif_attach(struct netdev *dev)
{
	struct vif *v = free_slot();
	unsigned int devid = netdev_devid(dev);

	if (v == NULL) {
		printk("net: vif%u: %d vifs in use: left alone\n", devid,
		       VIF_MAX);
		netdev_close(dev);
		return;
	}
	memset(v, 0, sizeof(*v));
	v->devid = devid;
	if (vif_settings(v, 0) < 0) {
		printk("net: vif%u left down\n", devid);
		netdev_close(dev);
		memset(v, 0, sizeof(*v));
		return;
	}
	v->dev = dev;
	vif_add(v, 0);
	vif_serve(v);
}

/* The attach thread: every vif the guest gets after the boot. */
static void attach_thread(void *arg)
{
	struct netdev *dev;
	int rc;

	(void)arg;
	for (;;) {
		rc = netdev_open_next(&dev,
				      xen_system_time_ns() + ATTACH_WAIT_NS);
		if (rc == 0)
			vif_attach(dev);
		else if (rc != -XEN_ETIMEDOUT)
			thread_sleep(ATTACH_RETRY_NS);
	}
}

static void start_hotplug(void)
{
	struct thread *d, *a;

	sem_init(&vifs_gone, 0);
	d = thread_create("net-detach", detach_thread, NULL, 0);
	a = thread_create("net-attach", attach_thread, NULL, 0);
	if (d != NULL)
		thread_detach(d);
	if (a != NULL)
		thread_detach(a);
	if (d == NULL || a == NULL)
		printk("net: no memory for the hot-plug threads: "
		       "vifs added or removed later are not followed\n");
}

static int start(void)
{
	unsigned int ids[VIF_MAX];
	struct semaphore ready;
	int i, n = list_vifs(ids);

	if (n == 0) {
		printk("net: no vif in the xl config: no network\n");
		return -ENETDOWN;
	}
	/* Every setting is checked before anything is configured. */
	for (i = 0; i < n; i++) {
		vifs[i].devid = ids[i];
		if (vif_settings(&vifs[i], i == 0) < 0)
			exit(2);
	}
	sem_init(&addr_changed, 0);
	sem_init(&ready, 0);
	tcpip_init(tcpip_ready, &ready);
	sem_down(&ready, 0);
	for (i = 0; i < n; i++) {
		struct vif *v = &vifs[nvifs];
		int rc;

		*v = vifs[i];
		rc = netdev_open(v->devid, &v->dev);
		if (rc < 0) {
			printk("net: vif%u did not connect (%d)\n", v->devid,
			       rc);
			continue;
		}
		vif_add(v, nvifs == 0);
		vif_serve(v);
		nvifs++;
	}
	if (nvifs == 0)
		return -ENETDOWN;
	start_hotplug();
	wait_dhcp();
	return 0;
}

int lwip_port_start(void)
{
	static struct mutex once = { NULL, WAITQ_INIT(once.q) };
	static int started, result;

	mutex_lock(&once);
	if (!started) {
		result = start();
		started = 1;
	}
	mutex_unlock(&once);
	return result;
}
