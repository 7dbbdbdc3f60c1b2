/*
 * grant - grant tables against the real Xen and a dom0 reader.
 *
 * Fills the table until it reports full, frees it all again; copies a
 * page through a grant with GNTTABOP_copy; then grants dom0 a page with
 * a known pattern, publishes the reference in data/grant-ref, and
 * checks that revoking it is refused (busy) while dom0's helper maps it
 * (dom0 says so in data/mapped) and succeeds after (data/unmapped).
 */
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/string.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>
#include <xenlet/xenstore.h>

static int failures;

static void check(int ok, const char *what)
{
	printk("grant: %s: %s\n", what, ok ? "ok" : "FAILED");
	failures += !ok;
}

static uint32_t fnv1a(const unsigned char *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

static void fill_table(void *page)
{
	unsigned int total = gnttab_total_count(), n = 0, i;
	grant_ref_t *refs = kcalloc(total + 1, sizeof(*refs));
	int rc = 0;

	if (refs == NULL)
		return;
	while (n <= total && (rc = gnttab_grant_access(0, virt_to_mfn(page), 1,
						       &refs[n])) == 0)
		n++;
	printk("grant: table full after %u of %u grants: %d\n", n, total, rc);
	check(n == total && rc == -XEN_ENOSPC, "full table is -ENOSPC");
	rc = 0;
	for (i = 0; i < n; i++)
		rc |= gnttab_end_access(refs[i]);
	check(rc == 0 && gnttab_free_count() == total, "all revoked");
	check(gnttab_end_access(refs[0]) == -XEN_EINVAL, "double revoke");
	kfree(refs);
}

/* GNTTABOP_copy from a page we grant to ourselves. */
static void copy(unsigned long self)
{
	unsigned char *a = page_alloc(0), *b = page_alloc(0);
	grant_ref_t ref;
	int rc, i;

	for (i = 0; i < 4096; i++)
		a[i] = (unsigned char)(i * 13 + 1);
	memset(b, 0, 4096);
	rc = gnttab_grant_access((domid_t)self, virt_to_mfn(a), 1, &ref);
	if (rc == 0)
		rc = gnttab_copy_from((domid_t)self, ref, 100, b + 200, 1000);
	printk("grant: copy through a grant: %d\n", rc);
	check(rc == 0 && memcmp(a + 100, b + 200, 1000) == 0 && b[199] == 0 &&
		      b[1200] == 0,
	      "grant copy");
	if (rc == 0)
		gnttab_end_access(ref);
}

/* Wait for data/<key> to read "1", by watching it. */
static int wait_key(const char *key)
{
	uint64_t deadline = xen_system_time_ns() + 60 * NSEC_PER_SEC;
	char path[32];
	struct xs_watch w;
	int rc;

	snprintk(path, sizeof(path), "data/%s", key);
	rc = xs_watch(&w, path, NULL, NULL);
	while (rc == 0) {
		char *v;

		if (xs_read(XBT_NIL, path, &v, NULL) == 0) {
			int one = strcmp(v, "1") == 0;

			kfree(v);
			if (one)
				break;
		}
		rc = xs_watch_wait(&w, NULL, deadline);
	}
	xs_unwatch(&w, path);
	return rc;
}

static void share_with_dom0(void)
{
	unsigned char *page = page_alloc(0);
	grant_ref_t ref;
	int rc, i;

	for (i = 0; i < 4096; i++)
		page[i] = (unsigned char)(i * 7 + 3);
	rc = gnttab_grant_access(0, virt_to_mfn(page), 1, &ref);
	check(rc == 0, "grant to dom0");
	if (rc < 0)
		return;
	xs_write_ulong(XBT_NIL, "data/grant-ref", ref);
	printk("grant: ref %u checksum %08x\n", ref, fnv1a(page, 4096));
	if (wait_key("mapped") < 0) {
		check(0, "dom0 mapped it");
		return;
	}
	printk("grant: dom0 maps it: busy %d\n", gnttab_query_busy(ref));
	rc = gnttab_end_access(ref);
	printk("grant: revoke while mapped: %d\n", rc);
	check(rc == -XEN_EBUSY, "revoke while mapped is busy");
	if (wait_key("unmapped") < 0) {
		check(0, "dom0 unmapped it");
		return;
	}
	rc = gnttab_end_access(ref);
	printk("grant: revoke after unmap: %d\n", rc);
	check(rc == 0, "revoke after unmap");
}

int main(int argc, char **argv)
{
	unsigned long self = 0;

	(void)argc;
	(void)argv;
	xs_read_ulong(XBT_NIL, "domid", 0xffff, &self);
	fill_table(page_alloc(0));
	copy(self);
	share_with_dom0();
	printk("grant: %d failures\n", failures);
	return failures == 0 ? 0 : 1;
}
