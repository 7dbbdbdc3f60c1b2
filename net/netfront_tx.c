/*
 * netfront_tx.c - the tx ring: frames out of the guest.
 *
 * A frame is copied into the pages of free ids, one page per slot
 * (NETIF "Guest transmit"): the first request's size is the frame's
 * TOTAL length, each later one's its own length, NETTXF_more_data
 * chains them, and every slot starts at offset 0 so none crosses its
 * page. The requests are built locally and copied into the ring, then
 * req_prod is raised once for the whole frame: netback disables the
 * vif for good if a more_data chain runs past req_prod.
 *
 * Netback answers each data slot with {id, status}, in any order (it
 * holds mapped pages until dom0 is done with them), so a buffer is
 * reused only once the response naming its id has arrived. Each
 * response is copied out of the shared page before it is checked, and
 * a response that names an id not with the backend, or more responses
 * than requests, is a protocol violation (Linux netfront's hardening).
 *
 * Responses are collected when a frame finds no free buffer, not when
 * they come: netback raises the tx event only when rsp_prod passes the
 * rsp_event we set, and we set it only while a sender waits for room.
 * A server that answers every round of requests would otherwise be
 * woken a second time per round, to take back buffers nobody needs yet
 * (Linux's netfront wants each event: it frees the skbs; ours are
 * pages kept for good).
 */
#include <xen/errno.h>
#include "netfront.h"

void netfront_tx_init(struct netfront_tx *tx, netif_tx_sring_t *sring,
		      void *const page[], const grant_ref_t gref[],
		      struct netfront_stats *stats)
{
	unsigned int i;

	memset(sring, 0, PAGE_SIZE);
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&tx->ring, sring, PAGE_SIZE);
	for (i = 0; i < NETFRONT_RING_SIZE; i++) {
		tx->page[i] = page[i];
		tx->gref[i] = gref[i];
		tx->pending[i] = 0;
		tx->free_ids[i] = (uint16_t)i;
	}
	tx->nr_free = NETFRONT_RING_SIZE;
	tx->stats = stats;
}

int netfront_tx_put(struct netfront_tx *tx, const struct netdev_frag *frags,
		    int n, size_t max_len, uint16_t flags, int *notify)
{
	size_t len = netfront_frame_length(frags, n), off;
	unsigned int slots, s;

	*notify = 0;
	if (n < 0 || len < NETFRONT_ETH_HLEN || len > max_len ||
	    len > NETFRONT_FRAME_MAX)
		return -XEN_EINVAL;
	slots = (unsigned int)((len + PAGE_SIZE - 1) / PAGE_SIZE);
	if (slots > tx->nr_free || slots > RING_FREE_REQUESTS(&tx->ring))
		return -XEN_ENOBUFS;
	for (s = 0, off = 0; s < slots; s++, off += PAGE_SIZE) {
		uint16_t id = tx->free_ids[--tx->nr_free];
		size_t piece = len - off < PAGE_SIZE ? len - off : PAGE_SIZE;
		netif_tx_request_t req = {
			.gref = tx->gref[id],
			.offset = 0,
			.flags = s == 0 ? flags : 0,
			.id = id,
			/* The first slot carries the total length. */
			.size = (uint16_t)(s == 0 ? len : piece),
		};

		if (s + 1 < slots)
			req.flags |= NETTXF_more_data;
		netfront_gather(tx->page[id], frags, n, off, piece);
		tx->pending[id] = 1;
		*RING_GET_REQUEST(&tx->ring, tx->ring.req_prod_pvt) = req;
		tx->ring.req_prod_pvt++;
	}
	/* One req_prod update for the whole frame; notify only if
	 * netback's req_event falls inside what we just published. */
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&tx->ring, *notify);
	tx->stats->tx_packets++;
	return 0;
}

/* One response, copied out; 1 if it freed a buffer, or -XEN_EIO. */
static int take_response(struct netfront_tx *tx, RING_IDX i, const char **why)
{
	netif_tx_response_t rsp;

	memcpy(&rsp, RING_GET_RESPONSE(&tx->ring, i), sizeof(rsp));
	barrier(); /* only the copy is looked at from here on */
	if (rsp.status == NETIF_RSP_NULL) {
		/* Netback answers extra-info slots with NULL; we send none. */
		*why = "tx NULL response to a request we never made";
		return -XEN_EIO;
	}
	if (rsp.id >= NETFRONT_RING_SIZE || !tx->pending[rsp.id]) {
		*why = "tx response for an id not in flight";
		return -XEN_EIO;
	}
	if (rsp.status != NETIF_RSP_OKAY)
		tx->stats->tx_errors++;
	tx->pending[rsp.id] = 0;
	tx->free_ids[tx->nr_free++] = rsp.id;
	return 1;
}

int netfront_tx_collect(struct netfront_tx *tx, int want_event,
			const char **why)
{
	int freed = 0, more = 0, rc;

	do {
		RING_IDX prod = tx->ring.sring->rsp_prod, i;

		rmb(); /* read the responses only after rsp_prod */
		/* Never more responses than requests outstanding: the
		 * backend's index is input (RING_RESPONSE_PROD_OVERFLOW). */
		if (prod - tx->ring.rsp_cons >
		    tx->ring.req_prod_pvt - tx->ring.rsp_cons) {
			*why = "tx rsp_prod beyond the requests made";
			return -XEN_EIO;
		}
		for (i = tx->ring.rsp_cons; i != prod; i++) {
			rc = take_response(tx, i, why);
			if (rc < 0)
				return rc;
			freed += rc;
		}
		tx->ring.rsp_cons = prod;
		/* Ask for an event at the next response, then look again
		 * so one that came meanwhile is not missed. */
		if (want_event)
			RING_FINAL_CHECK_FOR_RESPONSES(&tx->ring, more);
	} while (more);
	return freed;
}
