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
	int n, i,
		rc = xs_directory_until(XBT_NIL, "environ", deadline, &names,
					&n);

	if (rc == -XEN_ENOENT) /* no environ/ directory: nothing to add */
		return 0;
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		char *value;

		/* A name is xenstored's word: one too long for a path is skipped. */
		if (snprintk(path, sizeof(path), "environ/%s", names[i]) >=
		    (int)sizeof(path))
			continue;
		rc = xs_read_until(XBT_NIL, path, deadline, &value, NULL);
		if (rc == -XEN_ETIMEDOUT || rc == -XEN_EIO)
			break; /* out of time, or the ring broke */
		if (rc < 0)
			continue; /* removed meanwhile, or not ours to read */
		rc = env_set(names[i], value, 0);
		if (rc < 0)
			printk("xenlet: environ/%s ignored (error %d)\n",
			       names[i], rc);
		kfree(value);
	}
	if (i < n)
		printk("xenlet: environ/: %d of %d names not read (error %d)\n",
		       n - i, n, rc);
	kfree(names);
	return 0;
}
