/*
 * xs_wire.c - the XenStore ring and payload formats, checked byte by byte.
 *
 * See include/xenlet/xs_wire.h. No I/O, no allocation: the host unit
 * tests and the libFuzzer target build this file alone.
 */
#include <xen/errno.h>
#include <xenlet/string.h>
#include <xenlet/xs_wire.h>

/*
 * The ring barriers, as fences of the compiler's own (not arch.h's, so
 * that this file builds on the host as it is): on x86 only the
 * store->load order (mb) costs an instruction.
 */
#define mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define RING_MASK(i) ((i) & (XENSTORE_RING_SIZE - 1))

int xs_ring_put(struct xenstore_domain_interface *intf, const void *buf,
		size_t len)
{
	XENSTORE_RING_IDX cons = intf->req_cons, prod = intf->req_prod;
	uint32_t used, space, done = 0;

	mb(); /* read req_cons before reusing the space it frees */
	used = prod - cons;
	if (used > XENSTORE_RING_SIZE)
		return -XEN_EIO;
	space = XENSTORE_RING_SIZE - used;
	while (done < len && done < space) {
		/* Copy up to the end of the ring, then wrap. */
		uint32_t off = RING_MASK(prod + done);
		uint32_t n = XENSTORE_RING_SIZE - off;

		if (n > space - done)
			n = space - done;
		if (n > len - done)
			n = len - done;
		memcpy(intf->req + off, (const char *)buf + done, n);
		done += n;
	}
	wmb(); /* the bytes before the index that publishes them */
	intf->req_prod = prod + done;
	return (int)done;
}

void xs_rx_reset(struct xs_rx *rx)
{
	rx->have = 0;
	rx->skip = 0;
}

/* Copy n bytes at rsp_cons out of the ring (n <= available). */
static void ring_copy(struct xenstore_domain_interface *intf,
		      XENSTORE_RING_IDX cons, void *dst, uint32_t n)
{
	uint32_t off = RING_MASK(cons);
	uint32_t first = XENSTORE_RING_SIZE - off;

	if (first > n)
		first = n;
	if (dst != NULL) {
		memcpy(dst, intf->rsp + off, first);
		memcpy((char *)dst + first, intf->rsp, n - first);
	}
}

static uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

int xs_rx_pull(struct xenstore_domain_interface *intf, struct xs_rx *rx)
{
	const uint32_t hsize = sizeof(rx->hdr);
	XENSTORE_RING_IDX cons = intf->rsp_cons, prod = intf->rsp_prod;
	uint32_t avail, n;
	int result = XS_RX_MORE;

	rmb(); /* the index before the bytes it covers */
	avail = prod - cons;
	if (avail > XENSTORE_RING_SIZE)
		return -XEN_EIO;
	if (rx->skip > 0) { /* dropping an oversized payload */
		n = min_u32(avail, rx->skip);
		rx->skip -= n;
		cons += n;
		if (rx->skip == 0)
			xs_rx_reset(rx);
	} else if (rx->have < hsize) {
		n = min_u32(avail, hsize - rx->have);
		ring_copy(intf, cons, (char *)&rx->hdr + rx->have, n);
		rx->have += n;
		cons += n;
		if (rx->have == hsize && rx->hdr.len > XENSTORE_PAYLOAD_MAX) {
			rx->skip = rx->hdr.len;
			result = XS_RX_OVERSIZED;
		} else if (rx->have == hsize && rx->hdr.len == 0) {
			rx->body[0] = '\0';
			result = XS_RX_MESSAGE;
		}
	} else {
		uint32_t got = rx->have - hsize;

		n = min_u32(avail, rx->hdr.len - got);
		ring_copy(intf, cons, rx->body + got, n);
		rx->have += n;
		cons += n;
		if (rx->have - hsize == rx->hdr.len) {
			rx->body[rx->hdr.len] = '\0';
			result = XS_RX_MESSAGE;
		}
	}
	mb(); /* done reading the bytes before handing the space back */
	intf->rsp_cons = cons;
	return result;
}

/* xenstored reports errors by their Unix name (xsd_errors in xs_wire.h). */
static const struct {
	const char *name;
	int err;
} xs_errors[] = {
	{ "EINVAL", XEN_EINVAL },	{ "EACCES", XEN_EACCES },
	{ "EEXIST", XEN_EEXIST },	{ "EISDIR", XEN_EISDIR },
	{ "ENOENT", XEN_ENOENT },	{ "ENOMEM", XEN_ENOMEM },
	{ "ENOSPC", XEN_ENOSPC },	{ "EIO", XEN_EIO },
	{ "ENOTEMPTY", XEN_ENOTEMPTY }, { "ENOSYS", XEN_ENOSYS },
	{ "EROFS", XEN_EROFS },		{ "EBUSY", XEN_EBUSY },
	{ "EAGAIN", XEN_EAGAIN },	{ "EISCONN", XEN_EISCONN },
	{ "E2BIG", XEN_E2BIG },		{ "EPERM", XEN_EPERM },
};

int xs_error_to_errno(const char *body, size_t len)
{
	size_t i, n;

	/* The name may or may not carry its NUL; compare without it. */
	n = len > 0 && body[len - 1] == '\0' ? len - 1 : len;
	for (i = 0; i < sizeof(xs_errors) / sizeof(xs_errors[0]); i++)
		if (strlen(xs_errors[i].name) == n &&
		    memcmp(xs_errors[i].name, body, n) == 0)
			return -xs_errors[i].err;
	return -XEN_EIO;
}

int xs_split_strings(const char *body, size_t len, const char **out, int max)
{
	size_t start = 0, i;
	int n = 0;

	if (len > 0 && body[len - 1] != '\0')
		return -XEN_EIO;
	for (i = 0; i < len; i++) {
		if (body[i] != '\0')
			continue;
		if (n == max)
			return -XEN_E2BIG;
		if (out != NULL)
			out[n] = body + start;
		n++;
		start = i + 1;
	}
	return n;
}

int xs_parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;

	if (*s == '\0')
		return -XEN_EINVAL;
	for (; *s != '\0'; s++) {
		unsigned int d = (unsigned int)(*s - '0');

		/* d > max first: max - d must not wrap (max < 9, "9"). */
		if (d > 9 || d > max || x > (max - d) / 10)
			return -XEN_EINVAL;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

static int perm_letter_ok(char c)
{
	return c == XS_PERM_NONE || c == XS_PERM_READ || c == XS_PERM_WRITE ||
	       c == XS_PERM_BOTH;
}

int xs_perm_parse(const char *s, struct xs_perm *p)
{
	unsigned long domid;

	if (!perm_letter_ok(s[0]) || xs_parse_ulong(s + 1, 0xffff, &domid))
		return -XEN_EINVAL;
	p->perm = s[0];
	p->domid = (uint16_t)domid;
	return 0;
}

int xs_perms_format(const struct xs_perm *p, int n, char *buf, size_t size)
{
	size_t used = 0;
	int i;

	for (i = 0; i < n; i++) {
		char tmp[8];
		unsigned int d = p[i].domid, k = sizeof(tmp);

		if (!perm_letter_ok(p[i].perm))
			return -XEN_EINVAL;
		tmp[--k] = '\0';
		do {
			tmp[--k] = (char)('0' + d % 10);
			d /= 10;
		} while (d != 0);
		tmp[--k] = p[i].perm;
		if (sizeof(tmp) - k > size - used)
			return -XEN_E2BIG;
		memcpy(buf + used, tmp + k, sizeof(tmp) - k);
		used += sizeof(tmp) - k;
	}
	return (int)used;
}
