/*
 * xenbus.h - connecting a frontend to its backend through XenStore.
 *
 * The toolstack describes each virtual device of the guest at
 * device/<type>/<id> (relative to /local/domain/<domid>/): its keys
 * `backend` (the backend's directory, /local/domain/<b>/backend/...)
 * and `backend-id` (<b>). Each side publishes a `state`
 * (enum xenbus_state, <xen/io/xenbus.h>) in its own directory. The
 * frontend's handshake, as netfront and blkfront use it:
 *
 *   backend  InitWait      it has published what it offers
 *   frontend (writes ring refs, event channel...) -> Initialised
 *            (netfront: straight to Connected, which netback waits for)
 *   backend  Connected
 *   frontend Connected
 *
 * and to stop: frontend Closing, backend Closing/Closed, frontend
 * Closed. A backend that goes to Closing or Closed on its own (the
 * device was detached, the backend failed) must be followed the same
 * way: xenbus_wait_backend reports it as -XEN_ENOTCONN.
 */
#ifndef XENLET_XENBUS_H
#define XENLET_XENBUS_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/io/xenbus.h>
#include <xenlet/thread.h>
#include <xenlet/xenstore.h>

#define XENBUS_PATH_MAX 128

struct xenbus_device {
	char nodename[XENBUS_PATH_MAX]; /* "device/vif/0" */
	char otherend[XENBUS_PATH_MAX]; /* the backend's directory */
	domid_t otherend_id;
	/* private to xen/xenbus.c */
	enum xenbus_state backend_state; /* as last read */
	enum xenbus_state notified;	 /* as last passed to changed() */
	struct xs_watch watch;		 /* on <otherend>/state */
	char watch_path[XENBUS_PATH_MAX + 8];
	struct waitq wq;
	void (*changed)(struct xenbus_device *dev, enum xenbus_state s);
};

/*
 * The ids of the devices of one type ("vif", "vbd"): *ids is one
 * kmalloc'ed block as xs_directory gives it. -XEN_ENOENT if none.
 */
int xenbus_enumerate(const char *type, char ***ids, int *n);

/*
 * Find device <type>/<id>'s backend and watch its state. changed (may
 * be NULL) is called from the xenwatch thread on every backend state
 * change seen.
 */
int xenbus_device_init(struct xenbus_device *dev, const char *type,
		       const char *id,
		       void (*changed)(struct xenbus_device *dev,
				       enum xenbus_state s));
void xenbus_device_free(struct xenbus_device *dev);

/* Read a key of the device / of its backend (kfree *value). */
int xenbus_read(struct xenbus_device *dev, const char *key, char **value);
int xenbus_read_backend(struct xenbus_device *dev, const char *key,
			char **value);

/* Write a key of the device (our directory), in transaction t. */
int xenbus_write(struct xenbus_device *dev, xs_transaction_t t, const char *key,
		 const char *value);
int xenbus_write_ulong(struct xenbus_device *dev, xs_transaction_t t,
		       const char *key, unsigned long v);

/* Publish our (the frontend's) state. */
int xenbus_switch_state(struct xenbus_device *dev, xs_transaction_t t,
			enum xenbus_state s);

/* The backend's state as last seen (it is read at every watch event). */
enum xenbus_state xenbus_backend_state(struct xenbus_device *dev);

/*
 * Wait until the backend reaches state `want`, or timeout_ns passes
 * (-XEN_ETIMEDOUT). A backend that goes to Closing/Closed while `want`
 * is an earlier state returns -XEN_ENOTCONN.
 */
int xenbus_wait_backend(struct xenbus_device *dev, enum xenbus_state want,
			uint64_t timeout_ns);

/*
 * The whole connect handshake: wait for the backend's InitWait; in one
 * transaction (retried on -XEN_EAGAIN) call publish to write our keys
 * (ring references, event channel, features) and switch to `state`;
 * wait for the backend's Connected; then be Connected ourselves. Each
 * wait gives up after timeout_ns. Which state publishes depends on the
 * backend: blkback connects when the frontend is Initialised, netback
 * only when it is already Connected (as netfront does).
 */
typedef int (*xenbus_publish_fn)(struct xenbus_device *dev, xs_transaction_t t,
				 void *arg);
int xenbus_connect(struct xenbus_device *dev, enum xenbus_state state,
		   xenbus_publish_fn publish, void *arg, uint64_t timeout_ns);

/* The close handshake: Closing, wait for the backend, Closed. */
int xenbus_close(struct xenbus_device *dev, uint64_t timeout_ns);

const char *xenbus_state_name(enum xenbus_state s);

#endif
