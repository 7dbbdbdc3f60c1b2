/*
 * environ_xs.c - environment variables from XenStore: the keys under
 * environ/ in the domain's own directory (include/xenlet/environ.h).
 */
#include <xen/errno.h>
#include <xenlet/environ.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/time.h>
#include <xenlet/xenstore.h>

int env_from_xenstore(void)
{
	/*
	 * The whole read, listing and every value, gets one XS_TIMEOUT_NS:
	 * boot waits for xenstored once, however many names it lists.
	 */
	uint64_t deadline = xen_system_time_ns() + XS_TIMEOUT_NS;
	char **names, path[64 + XENSTORE_REL_PATH_MAX];
	int n, i, rc;

	rc = xs_directory_until(XBT_NIL, "environ", deadline, &names, &n);
	if (rc == -XEN_ENOENT) /* no environ/ directory: nothing to add */
		return 0;
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const char *after = "";
		char *value;

		/* A name is xenstored's word: one too long for a path is skipped. */
		if (snprintk(path, sizeof(path), "environ/%s", names[i]) >=
		    (int)sizeof(path))
			continue;
		rc = xs_read_until(XBT_NIL, path, deadline, &value, NULL);
		if (rc == -XEN_ENOENT)
			continue; /* removed meanwhile */
		if (rc == 0) {
			rc = env_set(names[i], value, 0);
			kfree(value);
		}
		/* Out of time, or the ring broke: the rest is not read. */
		if (rc == -XEN_ETIMEDOUT || rc == -XEN_EIO)
			after = " and after";
		if (rc < 0)
			printk("xenlet: environ/%s%s ignored (error %d)\n",
			       names[i], after, rc);
		if (*after)
			break;
	}
	kfree(names);
	return 0;
}
