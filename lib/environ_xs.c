/*
 * environ_xs.c - environment variables from XenStore: the keys under
 * environ/ in the domain's own directory (include/xenlet/environ.h).
 */
#include <xen/errno.h>
#include <xenlet/environ.h>
#include <xenlet/heap.h>
#include <xenlet/printk.h>
#include <xenlet/xenstore.h>

int env_from_xenstore(void)
{
	char **names, path[64 + XENSTORE_REL_PATH_MAX];
	int n, i, rc = xs_directory(XBT_NIL, "environ", &names, &n);

	if (rc == -XEN_ENOENT) /* no environ/ directory: nothing to add */
		return 0;
	if (rc < 0)
		return rc;
	for (i = 0; i < n; i++) {
		char *value;

		snprintk(path, sizeof(path), "environ/%s", names[i]);
		if (xs_read(XBT_NIL, path, &value, NULL) < 0)
			continue; /* removed meanwhile */
		rc = env_set(names[i], value, 0);
		if (rc < 0)
			printk("xenlet: environ/%s ignored (error %d)\n",
			       names[i], rc);
		kfree(value);
	}
	kfree(names);
	return 0;
}
