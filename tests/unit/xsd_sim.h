/*
 * xsd_sim.h - a small xenstored for host tests on the simulated Xen
 * (xen_host.c): a flat table of keys, watches that fire as xenstored's
 * do (on the path and anything under it, and once when set), and the
 * requests READ WRITE DIRECTORY RM WATCH UNWATCH. The test changes the
 * store as the toolstack would (xsd_set, xsd_rm: watches fire), and can
 * make xenstored slow or silent per request (xsd_policy).
 *
 * xsd_run_guest runs a scenario in a child process with a fresh
 * scheduler and XenStore client:
 * a failed CHECK, a use after free (ASan) or a hang fails the test.
 */
#ifndef XSD_SIM_H
#define XSD_SIM_H

#include <stdio.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c)) {                                                    \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #c);                                 \
			_exit(1);                                              \
		}                                                              \
	} while (0)

/* Set a key (created if new), or remove a key and all under it. */
void xsd_set(const char *path, const char *value);
void xsd_rm(const char *path);

/*
 * What xenstored does with a request: answer it now, hold it until
 * nothing else is pending (a slow xenstored: the guest's other requests
 * overtake it), or never answer (a dead one). xsd_policy NULL answers all.
 */
enum { XSD_ANSWER, XSD_HOLD, XSD_DROP };
extern int (*xsd_policy)(const struct xsd_sockmsg *h, const char *body);

/* Requests of each type xenstored has answered. */
extern unsigned long xsd_requests[XS_TYPE_COUNT];

void xsd_run_guest(void (*scenario)(void));

#endif
