/*
 * xenstore.c - the XenStore client: requests, replies, watches.
 *
 * Requests: a caller builds a struct xs_req on its stack, gives it a
 * fresh req_id, queues it on `pending` and writes the message into the
 * request ring (one writer at a time: a message must be contiguous),
 * then sleeps on the request's own wait queue.
 *
 * Replies: the XenStore port's event handler drains the response ring
 * (xs_rx_pull checks every index and header), and hands each complete
 * message to the request with the same req_id, or, for XS_WATCH_EVENT,
 * to the watch with the same token. Handlers run in thread context with
 * events masked and must not sleep: this one only copies, queues and
 * wakes. Replies matching no outstanding request (a caller that timed
 * out, or a confused xenstored) are counted and dropped.
 *
 * Watches with a callback are run by the "xenwatch" thread, so that a
 * callback may sleep and make XenStore calls of its own. xs_unwatch
 * waits until neither that callback nor any xs_watch_wait is using the
 * watch, since the caller frees it next.
 *
 * xenstored is outside the guest: every wait for it ends by a deadline
 * (xs_talk's, decided by the caller or XS_TIMEOUT_NS), and every index
 * and length it writes is checked (xs_wire.c) before use. If the ring
 * indexes are ever impossible the ring is unusable: every waiting
 * request and watch waiter, and every later call, fails with -XEN_EIO.
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenstore.h>

struct xs_req {
	struct list node;
	uint32_t id;
	uint32_t type;
	int status; /* 0 waiting, 1 reply in body, < 0 error */
	uint32_t len;
	char *body; /* kmalloc'ed payload + NUL */
	struct waitq wq;
};

struct xs_iov {
	const void *base;
	size_t len;
};

static struct xenstore_domain_interface *ring;
static evtchn_port_t xs_port;
static struct xs_rx rx;
static struct list pending = LIST_INIT(pending);
static struct list watches = LIST_INIT(watches);
static struct waitq space_wq = WAITQ_INIT(space_wq);
static struct waitq xenwatch_wq = WAITQ_INIT(xenwatch_wq);
static struct waitq unwatch_wq = WAITQ_INIT(unwatch_wq); /* see watch_detach */
static struct thread *xenwatch_thread;
static struct xs_watch *running; /* whose callback xenwatch is in */
static struct mutex write_lock;
static uint32_t next_req_id = 1;
static uint32_t next_token = 1;
static int broken; /* the ring indexes were impossible: -XEN_EIO */
static struct xs_stats stats;

/* --- the receive side (event handler: must not sleep) -------------------- */

static struct xs_req *find_req(uint32_t id)
{
	struct list *n;

	for (n = pending.next; n != &pending; n = n->next) {
		struct xs_req *r = list_entry(n, struct xs_req, node);

		if (r->id == id)
			return r;
	}
	return NULL;
}

static void finish_req(struct xs_req *r, int status)
{
	r->status = status;
	list_remove(&r->node);
	waitq_wake_all(&r->wq);
}

/*
 * xenstored broke the ring (impossible indexes, or it stopped taking
 * requests): wake everyone who waits on it.
 */
static void ring_broken(const char *which)
{
	struct list *n;

	printk("xenstore: %s ring unusable, giving up on it\n", which);
	broken = 1;
	while (!list_empty(&pending))
		finish_req(list_entry(pending.next, struct xs_req, node),
			   -XEN_EIO);
	for (n = watches.next; n != &watches; n = n->next)
		waitq_wake_all(&list_entry(n, struct xs_watch, node)->wq);
	waitq_wake_all(&space_wq);
}

static struct xs_watch *find_watch(const char *token)
{
	struct list *n;

	for (n = watches.next; n != &watches; n = n->next) {
		struct xs_watch *w = list_entry(n, struct xs_watch, node);

		if (strcmp(w->token, token) == 0)
			return w;
	}
	return NULL;
}

static char *kstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = kmalloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* Queue a fired path on w; when full, the oldest event makes room. */
static void watch_queue(struct xs_watch *w, const char *path)
{
	char *copy = kstrdup(path);
	unsigned int tail;

	if (copy == NULL) {
		stats.dropped++;
		return;
	}
	if (w->count == XS_WATCH_QUEUE) {
		kfree(w->events[w->head]);
		w->head = (w->head + 1) % XS_WATCH_QUEUE;
		w->count--;
		stats.dropped++;
	}
	tail = (w->head + w->count) % XS_WATCH_QUEUE;
	w->events[tail] = copy;
	w->count++;
	waitq_wake_all(&w->wq);
	if (w->fn != NULL)
		waitq_wake_one(&xenwatch_wq);
}

/* XS_WATCH_EVENT's payload: the path that changed, then the token. */
static void handle_watch_event(void)
{
	const char *s[3];
	struct xs_watch *w;
	int n = xs_split_strings(rx.body, rx.hdr.len, s, 3);

	stats.events++;
	if (n < 2) {
		stats.malformed++;
		return;
	}
	w = find_watch(s[1]);
	if (w == NULL) { /* unwatched meanwhile: fine */
		stats.dropped++;
		return;
	}
	watch_queue(w, s[0]);
}

static void handle_reply(void)
{
	struct xs_req *r = find_req(rx.hdr.req_id);

	stats.replies++;
	if (r == NULL) {
		stats.dropped++;
		return;
	}
	if (rx.hdr.type == XS_ERROR) {
		finish_req(r, xs_error_to_errno(rx.body, rx.hdr.len));
		return;
	}
	if (rx.hdr.type != r->type) {
		stats.malformed++;
		finish_req(r, -XEN_EIO);
		return;
	}
	/* hdr.len <= XENSTORE_PAYLOAD_MAX: xs_rx_pull bounded it. */
	r->body = kmalloc(rx.hdr.len + 1);
	if (r->body == NULL) {
		finish_req(r, -XEN_ENOMEM);
		return;
	}
	memcpy(r->body, rx.body, rx.hdr.len + 1); /* xs_rx added the NUL */
	r->len = rx.hdr.len;
	finish_req(r, 1);
}

static void handle_oversized(void)
{
	struct xs_req *r = find_req(rx.hdr.req_id);

	stats.malformed++;
	if (r != NULL && rx.hdr.type != XS_WATCH_EVENT)
		finish_req(r, -XEN_E2BIG);
}

static void xs_event(evtchn_port_t port, void *arg)
{
	int r, consumed = 0;

	(void)port;
	(void)arg;
	while (!broken && ring->rsp_prod != ring->rsp_cons) {
		r = xs_rx_pull(ring, &rx);
		consumed = 1;
		if (r < 0) {
			ring_broken("response");
			return;
		}
		if (r == XS_RX_OVERSIZED) {
			handle_oversized();
		} else if (r == XS_RX_MESSAGE) {
			if (rx.hdr.type == XS_WATCH_EVENT)
				handle_watch_event();
			else
				handle_reply();
			xs_rx_reset(&rx);
		}
	}
	/* Space may have opened in req[], and xenstored may wait for rsp[]. */
	waitq_wake_all(&space_wq);
	if (consumed)
		evtchn_send(xs_port);
}

/* --- the send side --------------------------------------------------------- */

/* Write all of buf into req[], waiting for room. */
static int ring_send(const void *buf, size_t len, uint64_t deadline)
{
	const char *p = buf;

	while (len > 0) {
		int n = broken ? -XEN_EIO : xs_ring_put(ring, p, len);

		if (n < 0) {
			if (!broken)
				ring_broken("request");
			return -XEN_EIO;
		}
		if (n > 0) {
			evtchn_send(xs_port);
			p += n;
			len -= (size_t)n;
		} else if (waitq_wait(&space_wq, deadline) < 0) {
			return -XEN_ETIMEDOUT;
		}
	}
	return 0;
}

static int send_message(struct xs_req *r, xs_transaction_t t,
			const struct xs_iov *iov, int niov, uint64_t deadline)
{
	struct xsd_sockmsg hdr = { .type = r->type,
				   .req_id = r->id,
				   .tx_id = t };
	size_t len = 0;
	int i, rc;

	for (i = 0; i < niov; i++)
		len += iov[i].len;
	if (len > XENSTORE_PAYLOAD_MAX)
		return -XEN_E2BIG;
	hdr.len = (uint32_t)len;
	mutex_lock(&write_lock);
	rc = ring_send(&hdr, sizeof(hdr), deadline);
	for (i = 0; i < niov && rc == 0; i++)
		rc = ring_send(iov[i].base, iov[i].len, deadline);
	mutex_unlock(&write_lock);
	/* A message cut short leaves xenstored out of step: no way back. */
	if (rc < 0 && !broken)
		ring_broken("request");
	return rc;
}

/*
 * Send one request and wait for its reply until deadline (or, if 0,
 * XS_TIMEOUT_NS from now). On success *body (kfree it) holds the
 * payload, NUL-terminated, and *len its length.
 */
static int xs_talk_until(xs_transaction_t t, uint32_t type,
			 const struct xs_iov *iov, int niov, uint64_t deadline,
			 char **body, uint32_t *len)
{
	struct xs_req r = { .type = type, .status = 0 };
	uint64_t now = xen_system_time_ns();
	int rc;

	if (ring == NULL)
		return -XEN_ENODEV;
	if (broken)
		return -XEN_EIO;
	if (deadline == 0)
		deadline = now + XS_TIMEOUT_NS;
	if (now >= deadline)
		return -XEN_ETIMEDOUT;
	waitq_init(&r.wq);
	r.id = next_req_id++;
	list_push_back(&pending, &r.node);
	stats.requests++;
	rc = send_message(&r, t, iov, niov, deadline);
	while (rc == 0 && r.status == 0)
		rc = waitq_wait(&r.wq, deadline);
	if (r.status == 0) { /* timed out or never sent: forget it */
		list_remove(&r.node);
		return rc < 0 ? rc : -XEN_EIO;
	}
	if (r.status < 0)
		return r.status;
	/* A reply that came with the timeout still counts. */
	if (body != NULL)
		*body = r.body;
	else
		kfree(r.body);
	if (len != NULL)
		*len = r.len;
	return 0;
}

static int xs_talk(xs_transaction_t t, uint32_t type, const struct xs_iov *iov,
		   int niov, char **body, uint32_t *len)
{
	return xs_talk_until(t, type, iov, niov, 0, body, len);
}

/* A request whose payload is one path (and its NUL). */
static int talk_path(xs_transaction_t t, uint32_t type, const char *path,
		     uint64_t deadline, char **body, uint32_t *len)
{
	struct xs_iov iov = { path, strlen(path) + 1 };

	return xs_talk_until(t, type, &iov, 1, deadline, body, len);
}

/* --- the operations ---------------------------------------------------------- */

int xs_read_until(xs_transaction_t t, const char *path, uint64_t deadline_ns,
		  char **value, size_t *len)
{
	uint32_t n;
	int rc = talk_path(t, XS_READ, path, deadline_ns, value, &n);

	if (rc == 0 && len != NULL)
		*len = n;
	return rc;
}

int xs_write_bytes(xs_transaction_t t, const char *path, const void *value,
		   size_t len)
{
	struct xs_iov iov[2] = { { path, strlen(path) + 1 }, { value, len } };

	return xs_talk(t, XS_WRITE, iov, 2, NULL, NULL);
}

int xs_write(xs_transaction_t t, const char *path, const char *value)
{
	return xs_write_bytes(t, path, value, strlen(value));
}

int xs_mkdir(xs_transaction_t t, const char *path)
{
	return talk_path(t, XS_MKDIR, path, 0, NULL, NULL);
}

int xs_rm(xs_transaction_t t, const char *path)
{
	return talk_path(t, XS_RM, path, 0, NULL, NULL);
}

int xs_directory_until(xs_transaction_t t, const char *path,
		       uint64_t deadline_ns, char ***names, int *n)
{
	char *body, **out;
	uint32_t len;
	int rc = talk_path(t, XS_DIRECTORY, path, deadline_ns, &body, &len);
	int count;

	if (rc < 0)
		return rc;
	count = xs_split_strings(body, len, NULL, XENSTORE_PAYLOAD_MAX);
	if (count < 0) {
		kfree(body);
		return count;
	}
	/* One block: the pointers, a NULL, then a copy of the strings. */
	out = kmalloc((size_t)(count + 1) * sizeof(char *) + len + 1);
	if (out == NULL) {
		kfree(body);
		return -XEN_ENOMEM;
	}
	memcpy(out + count + 1, body, len + 1);
	xs_split_strings((char *)(out + count + 1), len, (const char **)out,
			 count);
	out[count] = NULL;
	kfree(body);
	*names = out;
	*n = count;
	return 0;
}

int xs_read_ulong_until(xs_transaction_t t, const char *path, unsigned long max,
			uint64_t deadline_ns, unsigned long *v)
{
	char *s;
	int rc = xs_read_until(t, path, deadline_ns, &s, NULL);

	if (rc < 0)
		return rc;
	rc = xs_parse_ulong(s, max, v);
	kfree(s);
	return rc;
}

int xs_write_ulong(xs_transaction_t t, const char *path, unsigned long v)
{
	char buf[24];

	snprintk(buf, sizeof(buf), "%lu", v);
	return xs_write(t, path, buf);
}

int xs_get_perms(xs_transaction_t t, const char *path, struct xs_perm *perms,
		 int max)
{
	const char *s[64];
	char *body;
	uint32_t len;
	int rc = talk_path(t, XS_GET_PERMS, path, 0, &body, &len);
	int i, n;

	if (rc < 0)
		return rc;
	n = xs_split_strings(body, len, s, 64);
	if (n > max)
		n = -XEN_E2BIG;
	for (i = 0; i < n; i++)
		if (xs_perm_parse(s[i], &perms[i]) < 0)
			n = -XEN_EIO;
	kfree(body);
	return n;
}

int xs_set_perms(xs_transaction_t t, const char *path,
		 const struct xs_perm *perms, int n)
{
	char buf[256];
	int len = xs_perms_format(perms, n, buf, sizeof(buf));
	struct xs_iov iov[2] = { { path, strlen(path) + 1 }, { buf, 0 } };

	if (len < 0)
		return len;
	iov[1].len = (size_t)len;
	return xs_talk(t, XS_SET_PERMS, iov, 2, NULL, NULL);
}

/* --- transactions ------------------------------------------------------------- */

int xs_transaction_start(xs_transaction_t *t)
{
	struct xs_iov iov = { "", 1 };
	unsigned long id;
	char *body;
	int rc = xs_talk(XBT_NIL, XS_TRANSACTION_START, &iov, 1, &body, NULL);

	if (rc < 0)
		return rc;
	rc = xs_parse_ulong(body, 0xffffffffUL, &id);
	kfree(body);
	if (rc < 0 || id == XBT_NIL)
		return -XEN_EIO;
	*t = (xs_transaction_t)id;
	return 0;
}

int xs_transaction_end(xs_transaction_t t, int abort)
{
	struct xs_iov iov = { abort ? "F" : "T", 2 };

	return xs_talk(t, XS_TRANSACTION_END, &iov, 1, NULL, NULL);
}

int xs_transaction_run(int (*fn)(xs_transaction_t t, void *arg), void *arg,
		       int max_tries, int *tries)
{
	xs_transaction_t t;
	int rc = -XEN_EAGAIN, i;

	for (i = 0; i < max_tries && rc == -XEN_EAGAIN; i++) {
		rc = xs_transaction_start(&t);
		if (rc < 0)
			break;
		rc = fn(t, arg);
		if (rc < 0) {
			xs_transaction_end(t, 1);
			break;
		}
		rc = xs_transaction_end(t, 0);
	}
	if (tries != NULL)
		*tries = i;
	return rc;
}

/* --- watches -------------------------------------------------------------------- */

static int watch_op(uint32_t type, const char *path, struct xs_watch *w)
{
	struct xs_iov iov[2] = { { path, strlen(path) + 1 },
				 { w->token, strlen(w->token) + 1 } };

	return xs_talk(XBT_NIL, type, iov, 2, NULL, NULL);
}

static void watch_flush(struct xs_watch *w)
{
	while (w->count > 0) {
		kfree(w->events[w->head]);
		w->head = (w->head + 1) % XS_WATCH_QUEUE;
		w->count--;
	}
}

/*
 * Take w off the list (no event reaches it after this) and hand it back
 * to its owner, who frees it next: wake its waiters, who see it
 * inactive, and wait until they have left xs_watch_wait and xenwatch
 * has left w's callback (unless this is that callback, unwatching its
 * own watch). No deadline of its own: each of them ends by one of its
 * own (a callback's XenStore calls time out), and returning earlier
 * would let them touch freed memory.
 */
static void watch_detach(struct xs_watch *w)
{
	list_remove(&w->node);
	w->active = 0;
	watch_flush(w);
	waitq_wake_all(&w->wq);
	while (w->waiters > 0 ||
	       (running == w && thread_self() != xenwatch_thread))
		waitq_wait(&unwatch_wq, 0);
}

int xs_watch(struct xs_watch *w, const char *path, xs_watch_fn fn, void *arg)
{
	int rc;

	memset(w, 0, sizeof(*w));
	snprintk(w->token, sizeof(w->token), "xenlet-%u", next_token++);
	w->fn = fn;
	w->arg = arg;
	waitq_init(&w->wq);
	/* On the list first: the first event can beat the reply. */
	list_push_back(&watches, &w->node);
	w->active = 1;
	rc = watch_op(XS_WATCH, path, w);
	if (rc < 0)
		watch_detach(w); /* its first event may be running already */
	return rc;
}

int xs_unwatch(struct xs_watch *w, const char *path)
{
	if (!w->active)
		return -XEN_EINVAL;
	watch_detach(w);
	return watch_op(XS_UNWATCH, path, w);
}

/* Take the oldest event of w, if any. */
static char *watch_pop(struct xs_watch *w)
{
	char *p;

	if (w->count == 0)
		return NULL;
	p = w->events[w->head];
	w->head = (w->head + 1) % XS_WATCH_QUEUE;
	w->count--;
	return p;
}

int xs_watch_wait(struct xs_watch *w, char **path, uint64_t deadline_ns)
{
	char *p;
	int rc = 0;

	w->waiters++;
	while (w->count == 0 && rc == 0)
		rc = !w->active ? -XEN_EINVAL
		     : broken	? -XEN_EIO
				: waitq_wait(&w->wq, deadline_ns);
	p = watch_pop(w); /* an event that came with the timeout counts */
	/* The last one out lets watch_detach go on; w is not touched after. */
	if (--w->waiters == 0)
		waitq_wake_all(&unwatch_wq);
	if (p == NULL)
		return rc;
	if (path != NULL)
		*path = p;
	else
		kfree(p);
	return 0;
}

/* The "xenwatch" thread: runs the callbacks of fired watches. */
static void xenwatch(void *unused)
{
	(void)unused;
	for (;;) {
		struct xs_watch *w = NULL;
		struct list *n;
		char *path;

		for (n = watches.next; n != &watches; n = n->next) {
			w = list_entry(n, struct xs_watch, node);
			if (w->fn != NULL && w->count > 0)
				break;
			w = NULL;
		}
		if (w == NULL) {
			waitq_wait(&xenwatch_wq, 0);
			continue;
		}
		path = watch_pop(w);
		running = w;
		w->fn(w, path, w->arg);
		running = NULL; /* w may be freed now: not touched again */
		waitq_wake_all(&unwatch_wq);
		kfree(path);
	}
}

void xs_get_stats(struct xs_stats *s)
{
	*s = stats;
}

int xenstore_init(void)
{
	if (boot_info.xenstore_ring == NULL)
		return -XEN_ENODEV;
	ring = boot_info.xenstore_ring;
	xs_port = boot_info.xenstore_evtchn;
	mutex_init(&write_lock);
	xs_rx_reset(&rx);
	xenwatch_thread = thread_create("xenwatch", xenwatch, NULL, 0);
	if (xenwatch_thread == NULL)
		return -XEN_ENOMEM;
	return evtchn_set_handler(xs_port, xs_event, NULL);
}
