/*
 * attach.c - learning of new vifs: netdev_open_next.
 *
 * The toolstack (libxl) gives the guest a vif by writing, in one
 * transaction, the frontend directory device/vif/<devid> (its keys
 * `backend`, `mac`, `handle`... and `state` = Initialising) and the
 * backend's. That happens at boot for each vif of the config, and at
 * run time for `xl network-attach`; `xl network-detach` removes both
 * directories once the backend is Closed. So a vif nobody has taken yet
 * is a directory whose state is still Initialising: we go on to
 * Connected as we open it, and a detached one is Closed until it goes.
 *
 * One XenStore watch on device/vif (set at the first call) fires for
 * any change under it; each one, and each netdev_close (which frees a
 * devid), makes a waiting netdev_open_next look again. A devid it
 * could not open is remembered, so that a vif that cannot connect is
 * not retried in a loop, until its directory is seen gone.
 */
#include <xen/errno.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/xs_wire.h>
#include "vif.h"

/* A devid whose open failed, not to be tried while its directory stays. */
struct failed_vif {
	struct failed_vif *next;
	unsigned int devid;
};

static struct failed_vif *failed;
static struct xs_watch watch;
static int watching;

/* xenwatch thread: something under device/vif changed. */
static void vifs_changed(struct xs_watch *w, const char *path, void *arg)
{
	(void)w;
	(void)path;
	(void)arg;
	netfront_vifs_changed++;
	waitq_wake_all(&netfront_vifs_wq);
}

static struct failed_vif **find_failed(unsigned int devid)
{
	struct failed_vif **f;

	for (f = &failed; *f != NULL; f = &(*f)->next)
		if ((*f)->devid == devid)
			break;
	return f;
}

static int listed(char **ids, int n, unsigned int devid)
{
	unsigned long v;
	int i;

	for (i = 0; i < n; i++)
		if (xs_parse_ulong(ids[i], ~0U, &v) == 0 && v == devid)
			return 1;
	return 0;
}

/* Forget the failures whose directory is gone: a new vif may take the
 * devid. */
static void forget_gone(char **ids, int n)
{
	struct failed_vif **f = &failed, *gone;

	while (*f != NULL) {
		if (listed(ids, n, (*f)->devid)) {
			f = &(*f)->next;
			continue;
		}
		gone = *f;
		*f = gone->next;
		kfree(gone);
	}
}

/* Is device/vif/<devid> in state Initialising (no frontend took it)? */
static int untaken(unsigned int devid)
{
	char path[32];
	unsigned long state;

	snprintk(path, sizeof(path), "device/vif/%u/state", devid);
	return xs_read_ulong(XBT_NIL, path, ~0U, &state) == 0 &&
	       state == XenbusStateInitialising;
}

/*
 * The lowest devid under device/vif that no netdev holds, that has not
 * failed, and that no frontend took. -XEN_ENOENT if there is none.
 */
static int find_untaken(unsigned int *devid)
{
	char **ids;
	unsigned long v, best = ~0UL;
	int n, i, rc;

	rc = xs_directory(XBT_NIL, "device/vif", &ids, &n);
	if (rc == -XEN_ENOENT)
		n = 0; /* no vif at all (the directory goes with the last) */
	else if (rc < 0)
		return rc;
	forget_gone(ids, n);
	for (i = 0; i < n; i++) {
		/* A devid is an unsigned number; anything else is not a
		 * vif of libxl's making and is passed over. */
		if (xs_parse_ulong(ids[i], ~0U, &v) < 0 || v >= best)
			continue;
		if (netfront_find((unsigned int)v) == NULL &&
		    *find_failed((unsigned int)v) == NULL &&
		    untaken((unsigned int)v))
			best = v;
	}
	if (rc == 0)
		kfree(ids);
	if (best == ~0UL)
		return -XEN_ENOENT;
	*devid = (unsigned int)best;
	return 0;
}

static void remember_failed(unsigned int devid)
{
	struct failed_vif *f = kmalloc(sizeof(*f));

	/* Without memory it is simply tried again at the next change. */
	if (f == NULL)
		return;
	f->devid = devid;
	f->next = failed;
	failed = f;
}

int netdev_open_next(struct netdev **dev, uint64_t deadline_ns)
{
	unsigned long seen;
	unsigned int devid;
	int rc;

	if (!watching) {
		rc = xs_watch(&watch, "device/vif", vifs_changed, NULL);
		if (rc < 0)
			return rc;
		watching = 1;
	}
	for (;;) {
		seen = netfront_vifs_changed;
		rc = find_untaken(&devid);
		if (rc == 0) {
			rc = netdev_open(devid, dev);
			if (rc < 0)
				remember_failed(devid);
			return rc;
		}
		if (rc != -XEN_ENOENT)
			return rc;
		/* Sleep until something changes: the watch, or a close. */
		while (netfront_vifs_changed == seen)
			if (deadline_ns == 0 ||
			    waitq_wait(&netfront_vifs_wq, deadline_ns) < 0)
				return -XEN_ETIMEDOUT;
	}
}
