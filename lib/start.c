/*
 * start.c - running the guest program: argv in, exit status out.
 */
#include <xenlet/arch.h>
#include <xenlet/cmdline.h>
#include <xenlet/console.h>
#include <xenlet/shutdown.h>
#include <xenlet/xenlet.h>

/* A 1024-byte command line holds at most 512 one-letter arguments. */
#define MAX_ARGS (MAX_GUEST_CMDLINE / 2)

/* How long the exit path waits for xenconsoled to read the last lines. */
#define EXIT_FLUSH_NS 5000000000ULL

void xenlet_start(void);

extern const char xenlet_progname[]; /* lib/progname.c, built per program */

static char *argv[MAX_ARGS + 2];

void xenlet_exit(int status)
{
	status &= 0xff;
	printk("xenlet: exit %d\n", status);
	/* Shutting down before dom0 has read the ring would lose output. */
	console_flush(EXIT_FLUSH_NS);
	xen_shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void xenlet_start(void)
{
	int argc;

	argv[0] = (char *)xenlet_progname;
	argc = cmdline_split(boot_info.cmdline, argv + 1, MAX_ARGS);
	if (argc < 0) {
		printk("xenlet: bad command line: %s\n",
		       cmdline_strerror(argc));
		xenlet_exit(127);
	}
	xenlet_exit(main(argc + 1, argv));
}
