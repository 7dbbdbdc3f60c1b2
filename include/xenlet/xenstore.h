/*
 * xenstore.h - the XenStore client: a shared tree of keys.
 *
 * XenStore is the configuration database of a Xen host, kept by
 * xenstored in dom0 and reached through one shared ring page and an
 * event channel (include/xenlet/xs_wire.h). A guest's own keys live
 * under /local/domain/<domid>/; a relative path ("domid", "data/x") is
 * taken relative to it by xenstored.
 *
 * Any thread may call these; many requests can be in flight at once,
 * each matched to its reply by its request id. xenstored is outside the
 * guest, so every wait for it has a deadline: a plain call waits at
 * most XS_TIMEOUT_NS for its reply, an _until call until the caller's
 * own deadline. Errors are negative Xen errno values:
 * xenstored's own (-XEN_ENOENT, -XEN_EACCES, -XEN_EAGAIN at the end of
 * a conflicting transaction, ...), -XEN_EIO for a malformed reply,
 * -XEN_E2BIG for an oversized one, -XEN_ETIMEDOUT for none.
 *
 * Values handed back are kmalloc'ed and NUL-terminated: kfree them.
 */
#ifndef XENLET_XENSTORE_H
#define XENLET_XENSTORE_H

#include <stddef.h>
#include <stdint.h>
#include <xenlet/list.h>
#include <xenlet/thread.h>
#include <xenlet/xs_wire.h>

/*
 * xenstored answers in microseconds; 30 s leaves room for a dom0 that is
 * swapping or busy starting domains, and still ends a guest's wait for
 * a xenstored that died.
 */
#define XS_TIMEOUT_NS (30ULL * 1000000000ULL)

/* A transaction id; XBT_NIL (0) means none. */
typedef uint32_t xs_transaction_t;
#define XBT_NIL 0

/* Connect to the ring of boot_info (xenlet_start calls it). */
int xenstore_init(void);

/*
 * The reads wait for xenstored until deadline_ns (Xen system time), or
 * with deadline_ns 0 for XS_TIMEOUT_NS from now (the plain names). A
 * caller with a budget of its own (a device handshake, the environment
 * at boot) gives one deadline to all its calls and so spends it once,
 * not once per call. A deadline already past fails with -XEN_ETIMEDOUT
 * and sends nothing.
 *
 * xs_read: *value = the value at path (*len its length, NULL ok).
 * xs_directory: the names of path's children: *names is one kmalloc'ed
 * block holding the *n pointers (NULL after the last) and the strings:
 * one kfree.
 * xs_read_ulong: a decimal number <= max, else -XEN_EINVAL.
 */
int xs_read_until(xs_transaction_t t, const char *path, uint64_t deadline_ns,
		  char **value, size_t *len);
int xs_directory_until(xs_transaction_t t, const char *path,
		       uint64_t deadline_ns, char ***names, int *n);
int xs_read_ulong_until(xs_transaction_t t, const char *path, unsigned long max,
			uint64_t deadline_ns, unsigned long *v);

static inline int xs_read(xs_transaction_t t, const char *path, char **value,
			  size_t *len)
{
	return xs_read_until(t, path, 0, value, len);
}

static inline int xs_directory(xs_transaction_t t, const char *path,
			       char ***names, int *n)
{
	return xs_directory_until(t, path, 0, names, n);
}

static inline int xs_read_ulong(xs_transaction_t t, const char *path,
				unsigned long max, unsigned long *v)
{
	return xs_read_ulong_until(t, path, max, 0, v);
}

/* Write a string (without its NUL), len bytes, or a decimal number;
 * creates the path. */
int xs_write(xs_transaction_t t, const char *path, const char *value);
int xs_write_bytes(xs_transaction_t t, const char *path, const void *value,
		   size_t len);
int xs_write_ulong(xs_transaction_t t, const char *path, unsigned long v);
int xs_mkdir(xs_transaction_t t, const char *path);
/* Remove path and everything under it. */
int xs_rm(xs_transaction_t t, const char *path);

/*
 * Permissions: the first entry names the owner and the access of every
 * domain not listed; the others grant access to single domains.
 * xs_get_perms fills up to max entries and returns their number.
 */
int xs_get_perms(xs_transaction_t t, const char *path, struct xs_perm *perms,
		 int max);
int xs_set_perms(xs_transaction_t t, const char *path,
		 const struct xs_perm *perms, int n);

/* --- transactions --------------------------------------------------------- */

int xs_transaction_start(xs_transaction_t *t);
/* Commit (abort = 0) or abandon. -XEN_EAGAIN: a conflict, nothing written. */
int xs_transaction_end(xs_transaction_t t, int abort);

/*
 * Run fn in a fresh transaction and commit it; on -XEN_EAGAIN start
 * over, up to max_tries times. fn returns 0 to commit, or an error that
 * aborts and is returned. *tries (may be NULL) gets the attempts made.
 */
int xs_transaction_run(int (*fn)(xs_transaction_t t, void *arg), void *arg,
		       int max_tries, int *tries);

/* --- watches -------------------------------------------------------------- */

/*
 * A watch fires when path or anything under it changes, and once right
 * after it is set (xenstored's rule). Events go either to a callback,
 * run by the "xenwatch" thread (it may sleep and call xs_*), or, with
 * no callback, to a queue that threads take from with xs_watch_wait.
 * A queue keeps at most XS_WATCH_QUEUE events; older ones are dropped
 * (a watch says "look again", so the newest is what matters).
 */
#define XS_WATCH_QUEUE 16

struct xs_watch;
typedef void (*xs_watch_fn)(struct xs_watch *w, const char *path, void *arg);

struct xs_watch {
	/* private to xen/xenstore.c */
	struct list node;
	char token[16];
	xs_watch_fn fn;
	void *arg;
	char *events[XS_WATCH_QUEUE]; /* fired paths, kmalloc'ed */
	unsigned int head, count;
	struct waitq wq;
	unsigned int waiters; /* threads inside xs_watch_wait */
	int active;
};

/*
 * Set w (caller's memory, kept until xs_unwatch) on path.
 * When xs_unwatch returns (or xs_watch fails), w is the caller's again:
 * its callback is not running and will not run, and every thread that
 * waited on it has left xs_watch_wait with -XEN_EINVAL. Only a callback
 * unwatching its own watch does not wait for itself. So a callback's
 * own waits must all have deadlines (xs_* calls do), and xs_unwatch
 * must not be called holding something the callback waits for.
 */
int xs_watch(struct xs_watch *w, const char *path, xs_watch_fn fn, void *arg);
int xs_unwatch(struct xs_watch *w, const char *path);

/*
 * Wait until w (without callback) fires or deadline_ns (0: never);
 * *path (kfree it; may be NULL to discard) is the path that changed.
 * -XEN_EINVAL once w is unwatched, -XEN_EIO once the ring is broken.
 */
int xs_watch_wait(struct xs_watch *w, char **path, uint64_t deadline_ns);

/* Counters, for tests and debugging. */
struct xs_stats {
	unsigned long requests, replies, events;
	unsigned long dropped;	 /* replies matching no request */
	unsigned long malformed; /* oversized or unparsable messages */
};
void xs_get_stats(struct xs_stats *s);

#endif
