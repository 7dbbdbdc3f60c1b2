/*
 * fuzz_xenstore.c - libFuzzer target: the XenStore client (the real
 * xen/xenstore.c on the real lib/sched.c, over tests/unit/xen_host.c)
 * facing a hostile xenstored.
 *
 * Per input, guest threads make requests of every kind, set a watch
 * whose callback makes requests of its own, wait on a second watch,
 * and unwatch both while they may be in use. Whenever every thread
 * waits, the input plays xenstored for one step: a reply to a request
 * it has seen (with the right type or not, the right id or not), a
 * watch event for a known token or not, raw bytes, a header whose
 * length lies, impossible rsp_prod or req_cons, or silence (the clock
 * jumps to the next deadline). Once the input is used up xenstored is
 * silent for good, and every wait must end by its deadline: a thread
 * left waiting with no deadline ends the run as a hang (abort), and
 * ASan/UBSan catch any overrun or use after free.
 *
 * The client's state lives in statics; xenstore.c is included here so
 * that each input starts with a sound ring.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../xen/xenstore.c"
#include "../unit/xen_host.h"

static const uint8_t *in;
static size_t in_left;

static uint8_t take(void)
{
	if (in_left == 0)
		return 0;
	in_left--;
	return *in++;
}

static uint32_t take32(void)
{
	uint32_t v = take();

	v |= (uint32_t)take() << 8;
	v |= (uint32_t)take() << 16;
	return v | (uint32_t)take() << 24;
}

/* --- xenstored ----------------------------------------------------------- */

#define SEEN 8
static struct xsd_sockmsg seen[SEEN]; /* the last requests taken */
static char seen_token[SEEN][16];
static unsigned int nseen;
static int req_broken; /* we moved req_cons somewhere impossible */

static void rsp_put(const void *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		sim_xs_ring.rsp[MASK_XENSTORE_IDX(sim_xs_ring.rsp_prod + i)] =
			((const char *)buf)[i];
	sim_xs_ring.rsp_prod += (XENSTORE_RING_IDX)len;
}

static void rsp_msg(uint32_t type, uint32_t id, const void *body, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };

	rsp_put(&h, sizeof(h));
	rsp_put(body, len);
}

/* Take the requests in req[] (xenstored reads them as they come). */
static void take_requests(void)
{
	struct xenstore_domain_interface *r = &sim_xs_ring;
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX];
	uint32_t avail, i;

	while (!req_broken) {
		avail = r->req_prod - r->req_cons;
		if (avail > XENSTORE_RING_SIZE)
			__builtin_trap(); /* the client overran its ring */
		if (avail < sizeof(h))
			return;
		for (i = 0; i < sizeof(h); i++)
			((char *)&h)[i] =
				r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
		if (h.len > XENSTORE_PAYLOAD_MAX)
			__builtin_trap(); /* the client sent too much */
		if (avail < sizeof(h) + h.len)
			return;
		for (i = 0; i < h.len; i++)
			body[i] = r->req[MASK_XENSTORE_IDX(r->req_cons +
							   sizeof(h) + i)];
		r->req_cons += sizeof(h) + h.len;
		seen[nseen % SEEN] = h;
		seen_token[nseen % SEEN][0] = '\0';
		if (h.type == XS_WATCH || h.type == XS_UNWATCH) {
			/* path\0token\0: keep the token */
			size_t pl = strnlen(body, h.len);

			if (pl + 1 < h.len)
				snprintf(seen_token[nseen % SEEN], 16, "%.*s",
					 (int)(h.len - pl - 1), body + pl + 1);
		}
		nseen++;
	}
}

/* A plausible body for a reply of this type. */
static const char *good_body(uint32_t type, uint32_t *len)
{
	static const struct {
		uint32_t type;
		const char *body;
		uint32_t len;
	} bodies[] = {
		{ XS_READ, "4", 1 },
		{ XS_DIRECTORY, "a\0bb\0", 5 },
		{ XS_TRANSACTION_START, "7", 2 },
		{ XS_GET_PERMS, "n0\0r5\0", 6 },
	};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		if (bodies[i].type == type) {
			*len = bodies[i].len;
			return bodies[i].body;
		}
	*len = 3;
	return "OK";
}

static void reply_seen(int faithful)
{
	const struct xsd_sockmsg *h;
	uint32_t type, id, len;
	const char *body;
	char junk[64];

	if (nseen == 0)
		return;
	h = &seen[(nseen - 1 - take() % (nseen < SEEN ? nseen : SEEN)) % SEEN];
	type = h->type;
	id = h->req_id;
	body = good_body(type, &len);
	if (!faithful) {
		uint8_t how = take();

		if (how & 1)
			type = how & 2 ? XS_ERROR
				       : take() % (XS_TYPE_COUNT + 2);
		if (how & 4)
			id = take32();
		if (how & 8) {
			len = take() % sizeof(junk);
			for (uint32_t i = 0; i < len; i++)
				junk[i] = (char)take();
			body = junk;
		}
	}
	rsp_msg(type, id, body, len);
}

static void watch_event(void)
{
	char body[64];
	uint32_t len, i;
	uint8_t k = take();

	if (k & 1) { /* a path under a watch, a token seen (or none) */
		const char *path = k & 2 ? "data/a/x" : "data/b";
		const char *tok = seen_token[take() % SEEN];
		size_t pl = strlen(path) + 1, tl = strlen(tok) + 1;

		memcpy(body, path, pl);
		memcpy(body + pl, tok, tl);
		len = (uint32_t)(pl + tl);
	} else { /* anything */
		len = take() % sizeof(body);
		for (i = 0; i < len; i++)
			body[i] = (char)take();
	}
	rsp_msg(XS_WATCH_EVENT, 0, body, len);
}

static int xenstored(void)
{
	uint8_t n;

	take_requests();
	if (in_left == 0)
		return 0; /* silent for good: deadlines must end it all */
	switch (take() % 9) {
	case 0:
	case 1:
		reply_seen(1);
		break;
	case 2:
		reply_seen(0);
		break;
	case 3:
		watch_event();
		break;
	case 4: /* raw bytes */
		for (n = take(); n > 0; n--) {
			char c = (char)take();

			rsp_put(&c, 1);
		}
		break;
	case 5: { /* a header whose length may lie */
		struct xsd_sockmsg h = { .type = take(), .req_id = take32() };

		h.len = take() & 1 ? take32() : take() * 17u;
		rsp_put(&h, sizeof(h));
		break;
	}
	case 6:
		sim_xs_ring.rsp_prod += take32();
		break;
	case 7:
		sim_xs_ring.req_cons = take32();
		req_broken = 1;
		break;
	default:
		return 0; /* nothing now */
	}
	return 1;
}

/* --- the guest --------------------------------------------------------------- */

static struct xs_watch *wa, *wb;

static void callback(struct xs_watch *w, const char *path, void *arg)
{
	unsigned long v;
	char *s;

	(void)w;
	(void)arg;
	if (xs_read(XBT_NIL, path, &s, NULL) == 0)
		kfree(s);
	xs_read_ulong(XBT_NIL, "data/a/n", 10, &v);
}

static void waiter(void *arg)
{
	char *p;
	int i;

	(void)arg;
	/* Up to 4 events; after an error (unwatched, broken, no event in
	 * time) wb is not ours to touch. */
	for (i = 0; i < 4; i++) {
		if (xs_watch_wait(wb, &p, sim_now + NSEC_PER_SEC) < 0)
			return;
		kfree(p);
	}
}

static int txn(xs_transaction_t t, void *arg)
{
	(void)arg;
	return xs_write(t, "data/t", "1");
}

static void client(void *arg)
{
	struct xs_perm perms[4] = { { XS_PERM_NONE, 0 }, { XS_PERM_READ, 5 } };
	char *s, **names;
	unsigned long v;
	int n;

	(void)arg;
	if (xs_read(XBT_NIL, "data/r", &s, NULL) == 0)
		kfree(s);
	xs_write(XBT_NIL, "data/w", "hello");
	if (xs_directory(XBT_NIL, "data", &names, &n) == 0)
		kfree(names);
	xs_transaction_run(txn, NULL, 3, NULL);
	xs_get_perms(XBT_NIL, "data/w", perms, 4);
	xs_set_perms(XBT_NIL, "data/w", perms, 2);
	xs_read_ulong_until(XBT_NIL, "data/u", 100, sim_now + NSEC_PER_MS, &v);
	xs_mkdir(XBT_NIL, "data/m");
	xs_rm(XBT_NIL, "data/m");
}

static void setup_once(void)
{
	static int done;

	if (done)
		return;
	done = 1;
	sim_dom0 = xenstored;
	sim_hang = abort;
	sim_quiet = 1;
	sched_init();
	if (xenstore_init() != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct thread *c, *w;

	setup_once();
	in = data;
	in_left = size;
	/* A sound ring and client, as after a boot. */
	memset(&sim_xs_ring, 0, sizeof(sim_xs_ring));
	broken = 0;
	xs_rx_reset(&rx);
	nseen = 0;
	req_broken = 0;
	if (!list_empty(&pending) || !list_empty(&watches) || running != NULL)
		__builtin_trap(); /* the last input left something behind */

	wa = malloc(sizeof(*wa));
	wb = malloc(sizeof(*wb));
	c = thread_create("client", client, NULL, 0);
	xs_watch(wa, "data/a", callback, NULL);
	xs_watch(wb, "data/b", NULL, NULL);
	w = thread_create("waiter", waiter, NULL, 0);
	thread_sleep(NSEC_PER_SEC / 2);
	xs_unwatch(wa, "data/a"); /* its callback may be running */
	xs_unwatch(wb, "data/b"); /* the waiter may be waiting */
	free(wa);
	free(wb);
	thread_join(w);
	thread_join(c);
	return 0;
}
