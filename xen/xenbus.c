/*
 * xenbus.c - the frontend side of the xenbus handshake.
 *
 * See include/xenlet/xenbus.h for the protocol. Each device carries a
 * watch on <backend>/state whose callback (in the xenwatch thread)
 * re-reads the state, because a watch only says "something changed":
 * several changes may have been merged into one event, and the path in
 * the event may be the directory itself. What the backend writes is
 * input from outside: a state that is not a decimal XenbusState is
 * taken as Unknown. Every wait for the backend (and for xenstored on
 * its way) ends by the caller's deadline.
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include <xenlet/xenbus.h>

static const char *const state_names[] = {
	"Unknown", "Initialising", "InitWait",	    "Initialised",  "Connected",
	"Closing", "Closed",	   "Reconfiguring", "Reconfigured",
};

const char *xenbus_state_name(enum xenbus_state s)
{
	if ((unsigned int)s < sizeof(state_names) / sizeof(state_names[0]))
		return state_names[s];
	return "invalid";
}

int xenbus_enumerate(const char *type, char ***ids, int *n)
{
	char path[XENBUS_PATH_MAX];

	if (snprintk(path, sizeof(path), "device/%s", type) >=
	    (int)sizeof(path))
		return -XEN_ENAMETOOLONG;
	return xs_directory(XBT_NIL, path, ids, n);
}

/* <dir>/<key> into buf, or -XEN_ENAMETOOLONG. */
static int join(char *buf, size_t size, const char *dir, const char *key)
{
	if (snprintk(buf, size, "%s/%s", dir, key) >= (int)size)
		return -XEN_ENAMETOOLONG;
	return 0;
}

static int read_key(const char *dir, const char *key, char **value)
{
	char path[XENBUS_PATH_MAX + 32];
	int rc = join(path, sizeof(path), dir, key);

	return rc < 0 ? rc : xs_read(XBT_NIL, path, value, NULL);
}

int xenbus_read(struct xenbus_device *dev, const char *key, char **value)
{
	return read_key(dev->nodename, key, value);
}

int xenbus_read_backend(struct xenbus_device *dev, const char *key,
			char **value)
{
	return read_key(dev->otherend, key, value);
}

/* The backend's state, read by deadline (0: XS_TIMEOUT_NS from now). */
static enum xenbus_state read_backend_state(struct xenbus_device *dev,
					    uint64_t deadline)
{
	unsigned long v;

	if (xs_read_ulong_until(XBT_NIL, dev->watch_path,
				XenbusStateReconfigured, deadline, &v) < 0)
		return XenbusStateUnknown;
	return (enum xenbus_state)v;
}

/* xenwatch thread: the backend's directory changed. */
static void backend_changed(struct xs_watch *w, const char *path, void *arg)
{
	struct xenbus_device *dev = arg;
	enum xenbus_state s = read_backend_state(dev, 0);

	(void)w;
	(void)path;
	dev->backend_state = s;
	waitq_wake_all(&dev->wq);
	if (s != dev->notified && dev->changed != NULL) {
		dev->notified = s;
		dev->changed(dev, s);
	}
}

/* Copy a string of the toolstack into buf, refusing what does not fit. */
static int copy_value(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= size)
		return -XEN_EINVAL;
	memcpy(buf, s, n + 1);
	return 0;
}

int xenbus_device_init(struct xenbus_device *dev, const char *type,
		       const char *id,
		       void (*changed)(struct xenbus_device *dev,
				       enum xenbus_state s))
{
	unsigned long backend_id;
	char *backend;
	int rc;

	memset(dev, 0, sizeof(*dev));
	waitq_init(&dev->wq);
	dev->changed = changed;
	if (snprintk(dev->nodename, sizeof(dev->nodename), "device/%s/%s", type,
		     id) >= (int)sizeof(dev->nodename))
		return -XEN_ENAMETOOLONG;
	rc = xenbus_read(dev, "backend", &backend);
	if (rc < 0)
		return rc;
	rc = copy_value(dev->otherend, sizeof(dev->otherend), backend);
	kfree(backend);
	if (rc < 0)
		return rc;
	rc = join(dev->watch_path, sizeof(dev->watch_path), dev->otherend,
		  "state");
	if (rc < 0)
		return rc;
	rc = xenbus_read(dev, "backend-id", &backend);
	if (rc < 0)
		return rc;
	rc = xs_parse_ulong(backend, DOMID_FIRST_RESERVED - 1, &backend_id);
	kfree(backend);
	if (rc < 0)
		return rc;
	dev->otherend_id = (domid_t)backend_id;
	dev->backend_state = read_backend_state(dev, 0);
	dev->notified = dev->backend_state;
	return xs_watch(&dev->watch, dev->watch_path, backend_changed, dev);
}

void xenbus_device_free(struct xenbus_device *dev)
{
	xs_unwatch(&dev->watch, dev->watch_path);
}

int xenbus_write(struct xenbus_device *dev, xs_transaction_t t, const char *key,
		 const char *value)
{
	char path[XENBUS_PATH_MAX + 32];
	int rc = join(path, sizeof(path), dev->nodename, key);

	return rc < 0 ? rc : xs_write(t, path, value);
}

int xenbus_write_ulong(struct xenbus_device *dev, xs_transaction_t t,
		       const char *key, unsigned long v)
{
	char buf[24];

	snprintk(buf, sizeof(buf), "%lu", v);
	return xenbus_write(dev, t, key, buf);
}

int xenbus_switch_state(struct xenbus_device *dev, xs_transaction_t t,
			enum xenbus_state s)
{
	return xenbus_write_ulong(dev, t, "state", (unsigned long)s);
}

enum xenbus_state xenbus_backend_state(struct xenbus_device *dev)
{
	return dev->backend_state;
}

static int is_closing(enum xenbus_state s)
{
	return s == XenbusStateClosing || s == XenbusStateClosed;
}

int xenbus_wait_backend(struct xenbus_device *dev, enum xenbus_state want,
			uint64_t timeout_ns)
{
	/* One deadline for the read below and the wait that follows. */
	uint64_t deadline = xen_system_time_ns() + timeout_ns;

	/* Read once more: the watch may not have fired yet. */
	dev->backend_state = read_backend_state(dev, deadline);
	for (;;) {
		enum xenbus_state s = dev->backend_state;

		if (s == want)
			return 0;
		if (is_closing(s) && !is_closing(want))
			return -XEN_ENOTCONN;
		if (want == XenbusStateClosing && s == XenbusStateClosed)
			return 0; /* it went past Closing */
		if (waitq_wait(&dev->wq, deadline) < 0 &&
		    dev->backend_state != want)
			return -XEN_ETIMEDOUT;
	}
}

int xenbus_close(struct xenbus_device *dev, uint64_t timeout_ns)
{
	int rc = xenbus_switch_state(dev, XBT_NIL, XenbusStateClosing);

	if (rc == 0)
		rc = xenbus_wait_backend(dev, XenbusStateClosing, timeout_ns);
	if (rc == 0)
		rc = xenbus_switch_state(dev, XBT_NIL, XenbusStateClosed);
	return rc;
}

struct publish_call {
	struct xenbus_device *dev;
	enum xenbus_state state;
	xenbus_publish_fn fn;
	void *arg;
};

/* One try of the transaction: our keys, then our state, together. */
static int publish_txn(xs_transaction_t t, void *p)
{
	struct publish_call *c = p;
	int rc = c->fn(c->dev, t, c->arg);

	return rc < 0 ? rc : xenbus_switch_state(c->dev, t, c->state);
}

int xenbus_connect(struct xenbus_device *dev, enum xenbus_state state,
		   xenbus_publish_fn publish, void *arg, uint64_t timeout_ns)
{
	struct publish_call c = { dev, state, publish, arg };
	int rc;

	rc = xenbus_wait_backend(dev, XenbusStateInitWait, timeout_ns);
	if (rc == 0)
		rc = xs_transaction_run(publish_txn, &c, 10, NULL);
	if (rc == 0)
		rc = xenbus_wait_backend(dev, XenbusStateConnected, timeout_ns);
	if (rc == 0 && state != XenbusStateConnected)
		rc = xenbus_switch_state(dev, XBT_NIL, XenbusStateConnected);
	return rc;
}
