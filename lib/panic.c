/*
 * panic.c - the end of the line for a broken invariant: say what broke,
 * make sure dom0 has read it, and crash the domain so that xl applies
 * on_crash.
 */
#include <xenlet/console.h>
#include <xenlet/panic.h>
#include <xenlet/printk.h>
#include <xenlet/shutdown.h>
#include <xenlet/time.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	printk("\nxenlet: panic: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\nxenlet: crashed\n");
	console_flush(5 * NSEC_PER_SEC);
	xen_shutdown(SHUTDOWN_crash);
}
