/*
 * control.c - the PV control protocol: shutdown and reboot requests.
 *
 * The keys (relative to /local/domain/<domid>/, created by libxl with
 * write access for the guest):
 *   control/feature-poweroff, control/feature-reboot   we write "1"
 *   control/shutdown    the toolstack writes the request; we ack with ""
 * We do not advertise feature-suspend: xenlet cannot suspend (yet), so
 * `xl save` / migration fall back to their errors instead of hanging.
 */
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xenlet/control.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/string.h>
#include <xenlet/xenlet.h>
#include <xenlet/xenstore.h>

static struct xs_watch shutdown_watch;
static control_handler_t handler;
static unsigned int exit_reason = SHUTDOWN_poweroff;

void control_set_handler(control_handler_t h)
{
	handler = h;
}

unsigned int control_exit_reason(void)
{
	return exit_reason;
}

/* The most of an unsupported request printed: any real one fits. */
#define REQUEST_SHOWN_MAX 64

/*
 * Say which request we refuse without letting it write to the console
 * log: at most REQUEST_SHOWN_MAX bytes, each byte outside printable
 * ASCII (control characters, escape sequences, NULs) shown as '?', and
 * the value's real length.
 */
static void report_unsupported(char *req, size_t len)
{
	size_t i, n = len < REQUEST_SHOWN_MAX ? len : REQUEST_SHOWN_MAX;

	for (i = 0; i < n; i++)
		if ((unsigned char)req[i] < ' ' || (unsigned char)req[i] > '~')
			req[i] = '?';
	printk("xenlet: control/shutdown \"%.*s\" (%lu bytes) not supported\n",
	       (int)n, req, (unsigned long)len);
}

/* Runs in the xenwatch thread whenever control/shutdown changes. */
static void shutdown_changed(struct xs_watch *w, const char *path, void *arg)
{
	char *req;
	size_t len;
	int whole;

	(void)w;
	(void)path;
	(void)arg;
	if (xs_read(XBT_NIL, "control/shutdown", &req, &len) < 0)
		return;
	if (len == 0) { /* the first firing, or our own ack */
		kfree(req);
		return;
	}
	/* Acknowledge first: xl waits for the node to be emptied. */
	xs_write(XBT_NIL, "control/shutdown", "");
	/* The request is the toolstack's len bytes, NULs allowed: only the
	 * whole value names one ("poweroff\0x" is not "poweroff"). */
	whole = strlen(req) == len;
	if (whole &&
	    (strcmp(req, "poweroff") == 0 || strcmp(req, "halt") == 0)) {
		exit_reason = SHUTDOWN_poweroff;
	} else if (whole && strcmp(req, "reboot") == 0) {
		exit_reason = SHUTDOWN_reboot;
	} else {
		report_unsupported(req, len);
		kfree(req);
		return;
	}
	printk("xenlet: %s requested\n", req);
	if (handler != NULL)
		handler(req);
	else
		xenlet_exit(0);
	kfree(req);
}

int control_init(void)
{
	int rc;

	rc = xs_write(XBT_NIL, "control/feature-poweroff", "1");
	if (rc == 0)
		rc = xs_write(XBT_NIL, "control/feature-reboot", "1");
	if (rc == 0)
		rc = xs_watch(&shutdown_watch, "control/shutdown",
			      shutdown_changed, NULL);
	return rc;
}
