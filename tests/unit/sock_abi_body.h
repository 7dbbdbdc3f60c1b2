/*
 * sock_abi_body.h - computes the figures of sock_abi_list.h against
 * whichever socket headers the including file saw; SOCK_ABI_FN names
 * the function.
 */

/* A buffer of records of datalen bytes each, the second of which has
 * cmsg_len bad2 if that is nonzero, walked with CMSG_FIRSTHDR and
 * CMSG_NXTHDR over controllen bytes: the records seen, and where the
 * last began, as records * 1000 + offset. */
static long long cmsg_walk(size_t controllen, size_t datalen, size_t bad2)
{
	static size_t buf[64 / sizeof(size_t)];
	unsigned char *p = (unsigned char *)buf;
	struct msghdr m = { .msg_control = buf, .msg_controllen = controllen };
	struct cmsghdr *c;
	size_t at;
	long long n = 0, last = -1;

	memset(buf, 0, sizeof(buf));
	for (at = 0; at + CMSG_SPACE(datalen) <= sizeof(buf);
	     at += CMSG_SPACE(datalen)) {
		c = (struct cmsghdr *)(p + at);
		c->cmsg_len = CMSG_LEN(datalen);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
	}
	if (bad2 && CMSG_SPACE(datalen) + sizeof(struct cmsghdr) <= sizeof(buf))
		((struct cmsghdr *)(p + CMSG_SPACE(datalen)))->cmsg_len = bad2;
	for (c = CMSG_FIRSTHDR(&m); c && n < 100; c = CMSG_NXTHDR(&m, c)) {
		n++;
		last = (unsigned char *)c - p;
	}
	return n * 1000 + last;
}

int SOCK_ABI_FN(struct sock_fig *figs, int max)
{
	static const unsigned char bytes[4][16] = {
		{ 0xff, 0x02, [15] = 1 },	      /* ff02::1 */
		{ 0xfe, 0x80, [15] = 1 },	      /* fe80::1 */
		{ [10] = 0xff, 0xff, 10, 0, 0, 1 },   /* ::ffff:10.0.0.1 */
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 7 }, /* 2001:db8::7 */
	};
	struct in6_addr in6_sample[6] = {
		[4] = IN6ADDR_ANY_INIT, [5] = IN6ADDR_LOOPBACK_INIT
	};
	size_t cmsg_buf[8];
	int n = 0;

	for (int i = 0; i < 4; i++)
		memcpy(in6_sample[i].s6_addr, bytes[i], 16);
	(void)cmsg_buf;
#define FIG(e)                                                                 \
	if (n < max)                                                           \
		figs[n] = (struct sock_fig){ #e, (long long)(e) };             \
	n++;
#include "sock_abi_list.h"
#undef FIG
	return n;
}
