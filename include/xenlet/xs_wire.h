/*
 * xs_wire.h - the XenStore wire format and shared ring, without I/O.
 *
 * Everything that touches bytes written by xenstored lives here, free
 * of threads and hypercalls, so that tests/unit and tests/fuzz run it
 * on the host. xen/xenstore.c does the waiting and the bookkeeping.
 *
 * The protocol (docs/misc/xenstore.txt, <xen/io/xs_wire.h>): a message
 * is a struct xsd_sockmsg header {type, req_id, tx_id, len} and len
 * bytes of payload, len <= XENSTORE_PAYLOAD_MAX. Requests go through
 * req[] (we produce: req_prod is ours, req_cons xenstored's), replies
 * and watch events come back through rsp[] (rsp_prod is xenstored's,
 * rsp_cons ours). Indexes are free-running 32-bit counters, masked
 * with XENSTORE_RING_SIZE - 1 when indexing.
 *
 * Every index and header read from the page is input from outside and
 * is checked: a producer more than a ring ahead of its consumer, or a
 * payload longer than XENSTORE_PAYLOAD_MAX, is reported, never trusted.
 */
#ifndef XENLET_XS_WIRE_H
#define XENLET_XS_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

/* --- the ring ------------------------------------------------------------ */

/*
 * Copy what fits of buf into req[] and publish it (bytes, write
 * barrier, then req_prod). Returns the bytes copied (0: ring full), or
 * -XEN_EIO if req_prod - req_cons is impossible.
 */
int xs_ring_put(struct xenstore_domain_interface *intf, const void *buf,
		size_t len);

/* Message reassembly: one message at a time, straight from rsp[]. */
struct xs_rx {
	struct xsd_sockmsg hdr;
	uint32_t have; /* header + payload bytes taken so far */
	uint32_t skip; /* payload bytes of an oversized message still to drop */
	char body[XENSTORE_PAYLOAD_MAX + 1]; /* payload, then a NUL of ours */
};

#define XS_RX_MORE	0 /* nothing complete yet: wait for an event */
#define XS_RX_MESSAGE	1 /* rx->hdr and rx->body[0..hdr.len) hold one */
#define XS_RX_OVERSIZED 2 /* hdr.len > max: the payload will be dropped */

void xs_rx_reset(struct xs_rx *rx);

/*
 * Take bytes of rsp[] for the message under way (never more), then
 * publish rsp_cons. Returns XS_RX_MORE, XS_RX_MESSAGE (call
 * xs_rx_reset once it is handled), XS_RX_OVERSIZED (only the header is
 * valid; the payload is skipped by later calls, keeping the stream in
 * step), or -XEN_EIO if rsp_prod - rsp_cons is impossible.
 */
int xs_rx_pull(struct xenstore_domain_interface *intf, struct xs_rx *rx);

/* --- payloads ------------------------------------------------------------- */

/* The negative Xen errno for the body of an XS_ERROR reply ("ENOENT"). */
int xs_error_to_errno(const char *body, size_t len);

/*
 * Split a payload of NUL-terminated strings (a directory listing, a
 * watch event, a permission list) in place: out[i] points into body.
 * out may be NULL to count. Returns the number of strings, -XEN_EIO if
 * the last one is not terminated, -XEN_E2BIG if there are more than max.
 */
int xs_split_strings(const char *body, size_t len, const char **out, int max);

/* A permission: XS_PERM_* and the domain it is about. */
#define XS_PERM_NONE  'n'
#define XS_PERM_READ  'r'
#define XS_PERM_WRITE 'w'
#define XS_PERM_BOTH  'b'

struct xs_perm {
	char perm;
	uint16_t domid;
};

/* "r5" -> {'r', 5}. 0 or -XEN_EINVAL. */
int xs_perm_parse(const char *s, struct xs_perm *p);

/*
 * Write perms as "n0\0r5\0" into buf. Returns the bytes used, or
 * -XEN_EINVAL (a bad letter) / -XEN_E2BIG (does not fit).
 */
int xs_perms_format(const struct xs_perm *p, int n, char *buf, size_t size);

/* A decimal number <= max, nothing else. 0 or -XEN_EINVAL. */
int xs_parse_ulong(const char *s, unsigned long max, unsigned long *v);

#endif
