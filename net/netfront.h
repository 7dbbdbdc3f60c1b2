/*
 * netfront.h - netfront's rings, shared by the files of net/ (not a
 * public header: programs use include/xenlet/netdev.h).
 *
 * A vif has two rings of one page each (xen/io/netif.h): on the tx
 * ring we post frames for netback to send out of the vif, on the rx
 * ring we post empty pages for netback to copy received frames into.
 * Both rings have 256 slots (the slot sizes, 12 and 8 bytes, fit 256
 * in a page's 4032 bytes of ring), so every request id and every rx
 * buffer index below is < 256.
 *
 * Each ring slot has one page, granted to the backend once, when the
 * device is set up, and kept for the device's life: no grant and revoke
 * per packet. tx pages are granted read-only, rx pages writable.
 *
 * The ring files (netfront_tx.c, netfront_rx.c) make no hypercalls:
 * they return "notify the backend" as a flag and a protocol violation
 * as -XEN_EIO with a message, so tests/unit runs them on crafted rings.
 */
#ifndef NET_NETFRONT_H
#define NET_NETFRONT_H

#include <stddef.h>
#include <stdint.h>
#include <xenlet/arch.h>
#include <xenlet/netdev.h>
#include <xenlet/string.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/* ring.h's RING_PUSH_* and RING_FINAL_CHECK_* use these barriers. */
#define xen_mb()  mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()
#include <xen/io/netif.h>

#define NETFRONT_RING_SIZE 256 /* __CONST_RING_SIZE(netif_tx/rx, 4096) */

/*
 * Netback accepts at most XEN_NETIF_NR_SLOTS_MIN (18) data slots per tx
 * packet without dropping it, and disables the vif beyond 20; we never
 * send more than 17 (a 65535-byte frame in 4 KiB pages), and take more
 * than 18 on rx as a violation (Linux netfront's limit too).
 */
#define NETFRONT_MAX_SLOTS 18

/* The largest frame: the tx request's size field is 16 bits. */
#define NETFRONT_FRAME_MAX XEN_NETIF_MAX_TX_SIZE
#define NETFRONT_ETH_HLEN  14

/* A piece of a frame: struct netdev_frag {base, len} of netdev.h. */

/*
 * Copy bytes [off, off + len) of the frame made of frags into dst
 * (net/frag.c). The frame's length, or NETFRONT_FRAME_MAX + 1 if it is
 * longer than any frame (also when a sum would overflow).
 */
void netfront_gather(void *dst, const struct netdev_frag *frags, int n,
		     size_t off, size_t len);
size_t netfront_frame_length(const struct netdev_frag *frags, int n);

/* Counters of what went wrong without breaking the protocol. */
struct netfront_stats {
	unsigned long tx_packets, tx_errors; /* errors: the backend's status */
	unsigned long rx_packets, rx_errors; /* errors: a failed copy, a runt */
};

/* --- tx ring (netfront_tx.c) ---------------------------------------------- */

struct netfront_tx {
	netif_tx_front_ring_t ring;
	void *page[NETFRONT_RING_SIZE];	      /* id -> its page */
	grant_ref_t gref[NETFRONT_RING_SIZE]; /* id -> the page's grant */
	uint8_t pending[NETFRONT_RING_SIZE];  /* id is with the backend */
	uint16_t free_ids[NETFRONT_RING_SIZE];
	unsigned int nr_free;
	struct netfront_stats *stats;
};

/*
 * Start with an empty ring: sring is the shared page (zeroed and
 * initialised here), page[i] and gref[i] the buffer of id i.
 */
void netfront_tx_init(struct netfront_tx *tx, netif_tx_sring_t *sring,
		      void *const page[], const grant_ref_t gref[],
		      struct netfront_stats *stats);

/*
 * Copy a frame of n fragments into free buffers and publish it whole
 * (one req_prod update). flags: NETTXF_csum_blank|NETTXF_data_validated
 * or 0. *notify is set if the backend asked to be told. -XEN_EINVAL for
 * a frame shorter than an Ethernet header or longer than max_len,
 * -XEN_ENOBUFS when too few buffers are free (collect responses first).
 */
int netfront_tx_put(struct netfront_tx *tx, const struct netdev_frag *frags,
		    int n, size_t max_len, uint16_t flags, int *notify);

/*
 * Take the backend's responses, freeing their buffers. With want_event,
 * also ask for an event at the next response (rsp_event); without, the
 * backend is left to answer silently. Returns how many buffers were
 * freed, or -XEN_EIO with *why set if the backend broke the protocol.
 */
int netfront_tx_collect(struct netfront_tx *tx, int want_event,
			const char **why);

/* --- rx ring (netfront_rx.c) ---------------------------------------------- */

/*
 * A received frame as it lies in the rx pages: up to NETFRONT_MAX_SLOTS
 * pieces, each checked to lie inside its page. The pages stay shared
 * with the backend, which could still write to them: copy the bytes
 * out before looking at them.
 */
struct netfront_rx_frame {
	struct netdev_frag frag[NETFRONT_MAX_SLOTS];
	int n;
	size_t len;
	uint16_t flags; /* NETRXF_data_validated, NETRXF_csum_blank */
};

typedef void (*netfront_deliver_fn)(void *arg,
				    const struct netfront_rx_frame *f);

struct netfront_rx {
	netif_rx_front_ring_t ring;
	void *page[NETFRONT_RING_SIZE]; /* buffer i sits in slots = i mod 256 */
	grant_ref_t gref[NETFRONT_RING_SIZE];
	struct netfront_stats *stats;
};

/* Start with every buffer posted (the caller pushes and notifies). */
void netfront_rx_init(struct netfront_rx *rx, netif_rx_sring_t *sring,
		      void *const page[], const grant_ref_t gref[],
		      struct netfront_stats *stats);

/*
 * Hand every complete frame the backend has responded with to deliver,
 * re-post the buffers, and re-arm the response event. *notify is set if
 * the backend waits for buffers. Returns the number of frames taken, or
 * -XEN_EIO with *why set if the backend broke the protocol.
 */
int netfront_rx_collect(struct netfront_rx *rx, netfront_deliver_fn deliver,
			void *arg, int *notify, const char **why);

#endif
