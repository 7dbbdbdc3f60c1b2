/*
 * netfront_rx.c - the rx ring: frames into the guest.
 *
 * We keep all 256 rx buffers posted: buffer i in every slot whose
 * index is i mod 256, with request id i. Netback grant-copies a frame
 * into the posted pages (from offset 0, up to 4096 bytes each) and
 * writes each response into the slot of the request it used (NETIF:
 * responses stay in their request's slot), echoing its id; status is
 * the byte count, or a negative grant-copy error. The first slot's
 * flags say how the checksum stands; NETRXF_more_data chains the slots
 * of one frame; NETRXF_extra_info means extra-info slots follow the
 * first one (they use up those slots' buffers).
 *
 * After a frame is handed on, its slots' buffers are posted again at
 * req_prod_pvt, which keeps req_prod_pvt == rsp_cons + 256 and so every
 * buffer in its own slots. Responses are copied out of the ring before
 * they are checked; ids, the distance of rsp_prod, offsets, sizes and
 * chain lengths are all checked, and a violation is -XEN_EIO.
 */
#include <xen/errno.h>
#include "netfront.h"

#define MASK (NETFRONT_RING_SIZE - 1)

static void post(struct netfront_rx *rx, RING_IDX i)
{
	netif_rx_request_t *req = RING_GET_REQUEST(&rx->ring, i);

	req->id = (uint16_t)(i & MASK);
	req->gref = rx->gref[i & MASK];
}

void netfront_rx_init(struct netfront_rx *rx, netif_rx_sring_t *sring,
		      void *const page[], const grant_ref_t gref[],
		      struct netfront_stats *stats)
{
	unsigned int i;

	memset(sring, 0, PAGE_SIZE);
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&rx->ring, sring, PAGE_SIZE);
	for (i = 0; i < NETFRONT_RING_SIZE; i++) {
		rx->page[i] = page[i];
		rx->gref[i] = gref[i];
		post(rx, i);
	}
	rx->ring.req_prod_pvt = NETFRONT_RING_SIZE;
	rx->stats = stats;
}

/* Skip the extra-info slots after a frame's first slot. */
static int skip_extras(struct netfront_rx *rx, RING_IDX *i, RING_IDX prod,
		       const char **why)
{
	netif_extra_info_t ex;
	int n = 0;

	do {
		if (*i == prod) {
			*why = "rx extra info missing";
			return -XEN_EIO;
		}
		if (++n > NETFRONT_MAX_SLOTS) {
			*why = "rx extra info chain too long";
			return -XEN_EIO;
		}
		memcpy(&ex, RING_GET_RESPONSE(&rx->ring, *i), sizeof(ex));
		barrier();
		if (ex.type == XEN_NETIF_EXTRA_TYPE_NONE ||
		    ex.type >= XEN_NETIF_EXTRA_TYPE_MAX) {
			*why = "rx extra info of a bad type";
			return -XEN_EIO;
		}
		(*i)++;
	} while (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE);
	return 0;
}

/*
 * Read the frame that starts at slot *i into f, advancing *i past it.
 * 1 if it is good, 0 if it is to be dropped (a failed copy, a runt, too
 * long), -XEN_EIO if the backend broke the protocol.
 */
static int read_frame(struct netfront_rx *rx, RING_IDX *i, RING_IDX prod,
		      struct netfront_rx_frame *f, const char **why)
{
	netif_rx_response_t rsp;
	int good = 1;

	f->n = 0;
	f->len = 0;
	for (;;) {
		RING_IDX slot = *i;

		if (slot == prod) {
			/* Netback publishes whole frames only. */
			*why = "rx frame runs past rsp_prod";
			return -XEN_EIO;
		}
		if (f->n == NETFRONT_MAX_SLOTS) {
			*why = "rx frame has too many slots";
			return -XEN_EIO;
		}
		memcpy(&rsp, RING_GET_RESPONSE(&rx->ring, slot), sizeof(rsp));
		barrier(); /* only the copy is looked at from here on */
		if (rsp.id != (slot & MASK)) {
			*why = "rx response id is not its slot's";
			return -XEN_EIO;
		}
		if (rsp.status < 0) {
			good = 0; /* the backend's grant copy failed */
		} else if (rsp.offset > PAGE_SIZE ||
			   (unsigned int)rsp.status > PAGE_SIZE - rsp.offset) {
			*why = "rx response offset/size beyond its page";
			return -XEN_EIO;
		} else {
			f->frag[f->n].base =
				(uint8_t *)rx->page[slot & MASK] + rsp.offset;
			f->frag[f->n].len = (size_t)rsp.status;
			f->len += (size_t)rsp.status;
		}
		f->n++;
		(*i)++;
		if (f->n == 1) {
			f->flags = rsp.flags &
				   (NETRXF_data_validated | NETRXF_csum_blank);
			if ((rsp.flags & NETRXF_extra_info) &&
			    skip_extras(rx, i, prod, why) < 0)
				return -XEN_EIO;
		}
		if (!(rsp.flags & NETRXF_more_data))
			break;
	}
	if (f->len < NETFRONT_ETH_HLEN || f->len > NETFRONT_FRAME_MAX)
		good = 0;
	return good;
}

/* Post again the buffers of the slots consumed, then check for more. */
static void repost(struct netfront_rx *rx, int *notify)
{
	int push;

	while (rx->ring.req_prod_pvt != rx->ring.rsp_cons + NETFRONT_RING_SIZE)
		post(rx, rx->ring.req_prod_pvt++);
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&rx->ring, push);
	*notify |= push;
}

int netfront_rx_collect(struct netfront_rx *rx, netfront_deliver_fn deliver,
			void *arg, int *notify, const char **why)
{
	struct netfront_rx_frame f;
	int frames = 0, more, rc;

	*notify = 0;
	do {
		RING_IDX prod = rx->ring.sring->rsp_prod, i;

		rmb(); /* read the responses only after rsp_prod */
		/* Responses only to the requests posted: the backend's
		 * index is input (RING_RESPONSE_PROD_OVERFLOW). */
		if (prod - rx->ring.rsp_cons >
		    rx->ring.req_prod_pvt - rx->ring.rsp_cons) {
			*why = "rx rsp_prod beyond the buffers posted";
			return -XEN_EIO;
		}
		for (i = rx->ring.rsp_cons; i != prod;) {
			rc = read_frame(rx, &i, prod, &f, why);
			if (rc < 0)
				return rc;
			if (rc > 0) {
				deliver(arg, &f);
				rx->stats->rx_packets++;
			} else {
				rx->stats->rx_errors++;
			}
			frames++;
		}
		rx->ring.rsp_cons = prod;
		repost(rx, notify);
		/* Ask for an event at the next response, then look again
		 * so one that came meanwhile is not missed. */
		RING_FINAL_CHECK_FOR_RESPONSES(&rx->ring, more);
	} while (more);
	return frames;
}
