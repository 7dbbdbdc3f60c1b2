/*
 * gnttab.h - grant tables (v1): sharing our pages with another domain.
 *
 * To let a backend see one of our pages we fill an entry of our grant
 * table {flags, domid, frame} and tell it the entry's index, the grant
 * reference. Xen checks the entry whenever the backend maps or copies
 * the page, and sets GTF_reading / GTF_writing in its flags while the
 * backend has it mapped. Revoking access is only safe when neither is
 * set: otherwise the backend could still write into a page we reuse.
 *
 * Errors are negative Xen errno values.
 */
#ifndef XENLET_GNTTAB_H
#define XENLET_GNTTAB_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

/* Set up the table (xenlet_start calls it). */
int gnttab_init(void);

/*
 * Let domain domid access the machine frame mfn (virt_to_mfn of a page
 * of ours), read-only if readonly. -XEN_ENOSPC when the table is full.
 */
int gnttab_grant_access(domid_t domid, unsigned long mfn, int readonly,
			grant_ref_t *ref);

/*
 * Revoke ref and free it. -XEN_EBUSY if the other domain still maps
 * the page: the grant then stays in place (try again later) and the
 * page must not be reused. -XEN_EINVAL for a ref that is not granted.
 */
int gnttab_end_access(grant_ref_t ref);

/* Is ref still mapped by the other side (GTF_reading/writing)? */
int gnttab_query_busy(grant_ref_t ref);

/*
 * Copy len bytes between a page another domain granted us and our own
 * memory (GNTTABOP_copy; neither may cross a page end).
 */
int gnttab_copy_from(domid_t domid, grant_ref_t ref, unsigned int offset,
		     void *dst, unsigned int len);
int gnttab_copy_to(domid_t domid, grant_ref_t ref, unsigned int offset,
		   const void *src, unsigned int len);

/* Free entries now, and all usable ones. */
unsigned int gnttab_free_count(void);
unsigned int gnttab_total_count(void);

#endif
