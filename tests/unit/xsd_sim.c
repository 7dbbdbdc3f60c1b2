/*
 * xsd_sim.c - a small xenstored for host tests (see xsd_sim.h): it is
 * the simulated Xen's dom0 (sim_dom0), answering the guest's requests
 * from the XenStore ring whenever every guest thread waits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>
#include <xenlet/thread.h>
#include <xenlet/xenstore.h>
#include "xen_host.h"
#include "xsd_sim.h"

#define NODES	1024
#define WATCHES 16
#define HELD	16

struct node {
	char path[96];
	char value[96];
};

static struct node nodes[NODES];
static int nnodes;
static struct {
	char path[96];
	char token[32];
} watches[WATCHES];
static struct {
	struct xsd_sockmsg h;
	char body[XENSTORE_PAYLOAD_MAX + 1];
} held[HELD];
static int nheld;
unsigned long xsd_requests[XS_TYPE_COUNT];
int (*xsd_policy)(const struct xsd_sockmsg *h, const char *body);

/* Replies wait here until rsp[] has room, as in xenstored. */
static char out[1 << 16];
static size_t out_len;

static struct node *lookup(const char *path)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (strcmp(nodes[i].path, path) == 0)
			return &nodes[i];
	return NULL;
}

/* Is path `under` itself or below it? */
static int below(const char *path, const char *under)
{
	size_t n = strlen(under);

	return strncmp(path, under, n) == 0 &&
	       (path[n] == '\0' || path[n] == '/');
}

static void rsp_put(const void *buf, size_t len)
{
	CHECK(out_len + len <= sizeof(out));
	memcpy(out + out_len, buf, len);
	out_len += len;
}

/* Move what fits of the queued replies into rsp[]; 1 if any moved. */
static int rsp_flush(void)
{
	struct xenstore_domain_interface *r = &sim_xs_ring;
	size_t n = XENSTORE_RING_SIZE - (r->rsp_prod - r->rsp_cons), i;

	if (n > out_len)
		n = out_len;
	for (i = 0; i < n; i++)
		r->rsp[MASK_XENSTORE_IDX(r->rsp_prod + i)] = out[i];
	r->rsp_prod += (XENSTORE_RING_IDX)n;
	memmove(out, out + n, out_len - n);
	out_len -= n;
	return n > 0;
}

static void reply(uint32_t type, uint32_t id, const void *body, size_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = id, .len = len };

	rsp_put(&h, sizeof(h));
	rsp_put(body, len);
}

static void fire(const char *path)
{
	char body[256];
	int i, n;

	for (i = 0; i < WATCHES; i++) {
		if (watches[i].path[0] == '\0' || !below(path, watches[i].path))
			continue;
		n = snprintf(body, sizeof(body), "%s%c%s", path, 0,
			     watches[i].token);
		reply(XS_WATCH_EVENT, 0, body, (size_t)n + 1);
	}
}

void xsd_set(const char *path, const char *value)
{
	struct node *n = lookup(path);

	if (n == NULL) {
		CHECK(nnodes < NODES);
		n = &nodes[nnodes++];
		snprintf(n->path, sizeof(n->path), "%s", path);
	}
	snprintf(n->value, sizeof(n->value), "%s", value);
	fire(path);
}

void xsd_rm(const char *path)
{
	int i;

	for (i = 0; i < nnodes;)
		if (below(nodes[i].path, path))
			nodes[i] = nodes[--nnodes];
		else
			i++;
	fire(path);
}

/* The children of path, as XS_DIRECTORY lists them (each once). */
static size_t list_children(const char *path, char *buf)
{
	size_t pl = strlen(path), len = 0, cl;
	const char *c, *end, *p;
	int i;

	for (i = 0; i < nnodes; i++) {
		if (!below(nodes[i].path, path) || nodes[i].path[pl] != '/')
			continue;
		c = nodes[i].path + pl + 1;
		end = strchr(c, '/');
		cl = end ? (size_t)(end - c) : strlen(c);
		for (p = buf; p < buf + len; p += strlen(p) + 1)
			if (strlen(p) == cl && strncmp(p, c, cl) == 0)
				break;
		if (p < buf + len)
			continue;
		CHECK(len + cl + 1 <= XENSTORE_PAYLOAD_MAX);
		memcpy(buf + len, c, cl);
		buf[len + cl] = '\0';
		len += cl + 1;
	}
	return len;
}

static int exists(const char *path)
{
	int i;

	for (i = 0; i < nnodes; i++)
		if (below(nodes[i].path, path))
			return 1;
	return 0;
}

static void answer(const struct xsd_sockmsg *h, const char *body)
{
	static const char ok[] = "OK", enoent[] = "ENOENT";
	char buf[XENSTORE_PAYLOAD_MAX];
	const char *arg2 = body + strlen(body) + 1;
	struct node *n;
	int i;

	if (h->type < XS_TYPE_COUNT)
		xsd_requests[h->type]++;
	switch (h->type) {
	case XS_READ:
		n = lookup(body);
		if (n == NULL)
			reply(XS_ERROR, h->req_id, enoent, sizeof(enoent));
		else
			reply(XS_READ, h->req_id, n->value, strlen(n->value));
		break;
	case XS_WRITE:
		snprintf(buf, sizeof(buf), "%.*s",
			 (int)(h->len - strlen(body) - 1), arg2);
		reply(XS_WRITE, h->req_id, ok, sizeof(ok));
		xsd_set(body, buf);
		break;
	case XS_RM:
		reply(XS_RM, h->req_id, ok, sizeof(ok));
		xsd_rm(body);
		break;
	case XS_DIRECTORY:
		if (!exists(body))
			reply(XS_ERROR, h->req_id, enoent, sizeof(enoent));
		else
			reply(XS_DIRECTORY, h->req_id, buf,
			      list_children(body, buf));
		break;
	case XS_WATCH:
		for (i = 0; i < WATCHES && watches[i].path[0]; i++)
			;
		CHECK(i < WATCHES);
		snprintf(watches[i].path, sizeof(watches[i].path), "%s", body);
		snprintf(watches[i].token, sizeof(watches[i].token), "%s",
			 arg2);
		reply(XS_WATCH, h->req_id, ok, sizeof(ok));
		fire(body); /* xenstored's rule: once when set */
		break;
	case XS_UNWATCH:
		for (i = 0; i < WATCHES; i++)
			if (strcmp(watches[i].token, arg2) == 0)
				watches[i].path[0] = '\0';
		reply(XS_UNWATCH, h->req_id, ok, sizeof(ok));
		break;
	default:
		reply(XS_ERROR, h->req_id, "ENOSYS", 7);
	}
}

/* Take one whole request from req[], if there is one. */
static int req_take(struct xsd_sockmsg *h, char *body)
{
	struct xenstore_domain_interface *r = &sim_xs_ring;
	uint32_t avail = r->req_prod - r->req_cons, i;

	if (avail < sizeof(*h) || avail > XENSTORE_RING_SIZE)
		return 0; /* nothing, or a ring the test has broken */
	for (i = 0; i < sizeof(*h); i++)
		((char *)h)[i] = r->req[MASK_XENSTORE_IDX(r->req_cons + i)];
	CHECK(h->len <= XENSTORE_PAYLOAD_MAX);
	if (avail < sizeof(*h) + h->len)
		return 0;
	for (i = 0; i < h->len; i++)
		body[i] =
			r->req[MASK_XENSTORE_IDX(r->req_cons + sizeof(*h) + i)];
	body[h->len] = '\0';
	r->req_cons += sizeof(*h) + h->len;
	return 1;
}

/* sim_dom0: answer what came; what is held only when nothing else is. */
static int xenstored(void)
{
	static char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	int said = rsp_flush(), i;

	while (req_take(&h, body)) {
		int what =
			xsd_policy != NULL ? xsd_policy(&h, body) : XSD_ANSWER;

		if (what == XSD_ANSWER) {
			answer(&h, body);
			said |= rsp_flush();
		} else if (what == XSD_HOLD) {
			CHECK(nheld < HELD);
			held[nheld].h = h;
			memcpy(held[nheld++].body, body, h.len + 1);
		}
	}
	if (said || nheld == 0)
		return said;
	for (i = 0; i < nheld; i++)
		answer(&held[i].h, held[i].body);
	nheld = 0;
	return rsp_flush();
}

void xsd_run_guest(void (*scenario)(void))
{
	pid_t pid;
	int status;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		alarm(60); /* the simulated clock jumps: real time stays short */
		sim_dom0 = xenstored;
		sched_init();
		CHECK(xenstore_init() == 0);
		scenario();
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		fail_msg("the guest died of signal %d", WTERMSIG(status));
	if (WEXITSTATUS(status) == SIM_HANG)
		fail_msg("the guest hung");
	assert_int_equal(WEXITSTATUS(status), 0);
}
