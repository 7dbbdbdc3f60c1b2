/*
 * netdev.h - the raw frame interface: a program's own Ethernet NIC.
 *
 * Each vif of the guest (`vif = [...]` in the xl config) is a netdev,
 * served by netfront (net/) over the Xen netif protocol. A program may
 * drive it directly, frame by frame, with no IP stack in between
 * (examples/arpping); the IP stack, when linked, sits on this same
 * interface. Only programs that call netdev_open link netfront in.
 *
 * Frames are whole Ethernet frames without the FCS: destination and
 * source MAC, ethertype, payload; 14 bytes at least, at most
 * netdev_mtu() + 14 to send. A received frame is handed over as a
 * private copy: the backend can no longer change it. A received frame
 * may be longer than the MTU, up to NETDEV_FRAME_MAX: netfront offers
 * netback feature-gso-tcpv4, so a TCP stream from dom0 or another guest
 * may come as one IPv4 TCP segment of up to 64 KiB (with
 * NETDEV_CSUM_BLANK), as a NIC's receive offload would give it.
 *
 * Checksum offload (xen/io/netif.h: the NETRXF_ and NETTXF_ flags): a received
 * frame may carry NETDEV_CSUM_BLANK: it came from dom0 or another guest
 * on this host and its TCP/UDP checksum field holds only the
 * pseudo-header sum: treat it as valid, finish it before forwarding.
 * NETDEV_DATA_VALID: the backend vouches for the checksums. Sending with
 * NETDEV_CSUM_BLANK asks the backend to finish an IPv4 TCP or UDP
 * checksum whose field holds the pseudo-header sum; netback drops (and
 * reports as sent) anything else sent that way.
 *
 * Errors are negative Xen errno values (<xen/errno.h>). A backend that
 * breaks the ring protocol gets the device marked broken, with one
 * console line: every call then fails with -XEN_EIO, and the guest
 * goes on. A backend that goes away (xl network-detach) takes the link
 * down: calls fail with -XEN_ENOTCONN.
 */
#ifndef XENLET_NETDEV_H
#define XENLET_NETDEV_H

#include <stddef.h>
#include <stdint.h>

#define NETDEV_ETH_ALEN	 6
#define NETDEV_ETH_HLEN	 14
#define NETDEV_FRAME_MAX 65535 /* what the ring can carry */

/* Frame flags (send and receive). */
#define NETDEV_CSUM_BLANK 1u
#define NETDEV_DATA_VALID 2u

/*
 * How long netdev_open waits for the backend at each step of the
 * handshake. netback connects only once dom0's hotplug script has put
 * the vif on its bridge, and for a vif added at run time (xl
 * network-attach) that script runs while we wait: libxl gives it 40 s
 * (LIBXL_HOTPLUG_TIMEOUT) and removes the vif if it takes longer. We
 * wait longer than libxl, so that a slow script is libxl's failure
 * (the vif goes away), never a vif that comes up after we gave up.
 */
#define NETDEV_OPEN_TIMEOUT_NS (60ULL * 1000000000ULL)

struct netdev;

/* A piece of a frame to send. */
struct netdev_frag {
	const void *base;
	size_t len;
};

/*
 * Connect vif number devid (its id under device/vif/, 0 for the first
 * vif of the config) and make it ready to send and receive.
 * -XEN_EBUSY if a netdev of that devid is open (not yet closed).
 */
int netdev_open(unsigned int devid, struct netdev **dev);

/*
 * Hot attach. The toolstack gives the guest a vif by creating its
 * directory device/vif/<devid>, in state Initialising: at boot for each
 * vif of the config, at run time for `xl network-attach`. This waits,
 * until Xen system time deadline_ns (0: do not wait), for such a vif
 * that no netdev holds, opens it (lowest devid first) and returns it in
 * *dev; -XEN_ETIMEDOUT if none came in time. A vif it failed to open
 * (the error is returned) is not tried again while its directory
 * stays. Calling it in a loop serves every vif the guest ever gets.
 */
int netdev_open_next(struct netdev **dev, uint64_t deadline_ns);

/*
 * Give back everything the vif holds: disconnect from the backend if it
 * is still there, revoke the grants of its rings and buffers (waiting
 * for the backend to unmap them, NETDEV_OPEN_TIMEOUT_NS at most: pages
 * it still maps then are never reused), free its pages and its queued
 * frames, and dev itself. After a detach (link down, -XEN_ENOTCONN)
 * the pages and grants are already back; close frees the rest, and
 * lets netdev_open_next take a new vif of the same devid. Call it from
 * a thread, not from an rx handler; dev is gone on return.
 */
int netdev_close(struct netdev *dev);

/* The devid of the vif (its number under device/vif/). */
unsigned int netdev_devid(const struct netdev *dev);

/*
 * The vif's `ip=` of the xl config, as xl wrote it to the backend's
 * `ip` key (one or more addresses, space-separated), or NULL if it has
 * none. Valid until netdev_close.
 */
const char *netdev_ip(const struct netdev *dev);

void netdev_mac(const struct netdev *dev, uint8_t mac[NETDEV_ETH_ALEN]);
unsigned int netdev_mtu(const struct netdev *dev);
/* 1 while connected and healthy; 0 once detached or broken. */
int netdev_link_up(const struct netdev *dev);

/*
 * Link loss, for a layer that keeps the vif under something of its own
 * (an IP stack's interface): fn(arg) is called once, when the link goes
 * down for good: the backend went Closing or Closed (`xl
 * network-detach`, or its driver quit), its state node is gone (its
 * directory removed under us), or it broke the protocol. fn runs in
 * the xenwatch thread or in event context: it must not sleep; it hands
 * over to a thread, which then calls netdev_close. If the link is
 * already down when fn is set, fn is called at once, so no loss is
 * missed. New vifs come through netdev_open_next. NULL: no call.
 */
typedef void (*netdev_link_fn)(void *arg);
void netdev_set_link_handler(struct netdev *dev, netdev_link_fn fn, void *arg);

/*
 * Send one frame made of n fragments (it is copied: the fragments may
 * be reused on return). Never waits: -XEN_ENOBUFS when the backend has
 * not yet given back enough buffers (try again later), -XEN_EINVAL for
 * a frame of a bad length.
 */
int netdev_send(struct netdev *dev, const struct netdev_frag *frags, int n,
		unsigned int flags);
/*
 * After -XEN_ENOBUFS: wait until the backend gives back tx buffers, or
 * until Xen system time deadline_ns (0: no deadline). 0 when some came
 * back (try the send again), -XEN_ETIMEDOUT, or the link's error.
 */
int netdev_wait_tx(struct netdev *dev, uint64_t deadline_ns);

/*
 * Take the next received frame into buf (size bytes), waiting until
 * Xen system time deadline_ns (0: do not wait). Returns its length and
 * sets *flags (may be NULL); -XEN_ETIMEDOUT when none came in time,
 * -XEN_EMSGSIZE if the frame was longer than size (it is dropped).
 * Frames wait in a queue of NETDEV_RX_QUEUE; more are dropped.
 */
#define NETDEV_RX_QUEUE 256
int netdev_recv(struct netdev *dev, void *buf, size_t size, unsigned int *flags,
		uint64_t deadline_ns);

/*
 * The callback form, for a stack that takes frames as they come: once
 * set, each received frame is passed to fn instead of being queued.
 * fn runs in event context: it must not sleep, and frame is valid only
 * during the call. NULL goes back to the queue.
 */
typedef void (*netdev_rx_fn)(void *arg, const void *frame, size_t len,
			     unsigned int flags);
void netdev_set_rx_handler(struct netdev *dev, netdev_rx_fn fn, void *arg);
/*
 * The same without netdev's copy, for a stack that copies each frame
 * into buffers of its own anyway: fn gets the frame as the n pieces
 * (len bytes in all) it lies in, in the vif's rx pages, valid only
 * during the call. Those pages stay granted to the backend, which could
 * still write them: copy the frame out first and check only the copy.
 * Setting it replaces any rx handler; NULL goes back to the queue.
 */
typedef void (*netdev_rx_frags_fn)(void *arg, const struct netdev_frag *frags,
				   int n, size_t len, unsigned int flags);
void netdev_set_rx_frags_handler(struct netdev *dev, netdev_rx_frags_fn fn,
				 void *arg);

struct netdev_stats {
	unsigned long tx_packets, tx_errors, rx_packets, rx_errors;
	unsigned long rx_dropped; /* queue full, or too long for recv */
};
void netdev_get_stats(const struct netdev *dev, struct netdev_stats *s);

#endif
