/*
 * start.c - running the guest program: argv in, exit status out.
 */
#include <xenlet/arch.h>
#include <xenlet/cmdline.h>
#include <xenlet/console.h>
#include <xenlet/control.h>
#include <xenlet/environ.h>
#include <xenlet/evtchn.h>
#include <xenlet/gnttab.h>
#include <xenlet/heap.h>
#include <xenlet/page_alloc.h>
#include <xenlet/panic.h>
#include <xenlet/posix.h>
#include <xenlet/shutdown.h>
#include <xenlet/string.h>
#include <xenlet/thread.h>
#include <xenlet/xenlet.h>
#include <xenlet/xenstore.h>

/* A 1024-byte command line holds at most 512 one-letter arguments. */
#define MAX_ARGS (MAX_GUEST_CMDLINE / 2)

/* The stack of the thread that runs main(). */
#define MAIN_STACK_SIZE (256 * 1024)

/*
 * How long the exit path waits for xenconsoled to read the last lines:
 * ample for a working one, and bounded, so that a stopped xenconsoled
 * delays SCHEDOP_shutdown by at most this plus the console's own write
 * deadline (STALL_NS in xen/console.c): about 10 s.
 */
#define EXIT_FLUSH_NS 5000000000ULL

void xenlet_start(void);

extern const char xenlet_progname[]; /* lib/progname.c, built per program */

static char *argv[MAX_ARGS + 2];
static int argc;

void xenlet_exit(int status)
{
	status &= 0xff;
	evtchn_flush(); /* the last packets and disk requests go out */
	printk("xenlet: exit %d\n", status);
	/* Shutting down before dom0 has read the ring would lose output. */
	console_flush(EXIT_FLUSH_NS);
	xen_shutdown(status == 0 ? control_exit_reason() : SHUTDOWN_crash);
}

/* Freeing memory twice, or memory never allocated, is a bug: stop. */
static void memory_misuse(const char *what, void *p)
{
	panic("%s (%p)", what, p);
}

/* The C library's exit(): atexit handlers, stdio flushed, then _exit()
 * (lib/posix/process.c), which is xenlet_exit(). */
__attribute__((noreturn)) void exit(int status);

static void run_main(void *unused)
{
	(void)unused;
	posix_init();
	exit(main(argc, argv));
}

/*
 * main() runs in a thread of its own, with a full-size stack and a
 * guard page; the boot context waits for it.
 */
void xenlet_start(void)
{
	struct thread *t;
	int n;

	page_alloc_misuse_hook = memory_misuse;
	heap_misuse_hook = memory_misuse;
	sched_init();
	/* XenStore before main, so that xl shutdown is obeyed from the start. */
	if ((n = xenstore_init()) < 0 || (n = control_init()) < 0)
		printk("xenlet: no XenStore control (error %d)\n", n);
	if ((n = gnttab_init()) < 0)
		printk("xenlet: no grant table (error %d)\n", n);
	argv[0] = (char *)xenlet_progname;
	n = cmdline_split(boot_info.cmdline, argv + 1, MAX_ARGS);
	if (n < 0) {
		printk("xenlet: bad command line: %s\n", cmdline_strerror(n));
		xenlet_exit(127);
	}
	argc = n + 1;
	/* Leading NAME=value words are the environment, not arguments. */
	n = env_take_words(argv + 1, argc - 1);
	if (n < 0) {
		printk("xenlet: bad environment (error %d)\n", n);
		xenlet_exit(127);
	}
	memmove(argv + 1, argv + 1 + n, (size_t)(argc - n) * sizeof(char *));
	argc -= n;
	if ((n = env_from_xenstore()) < 0)
		printk("xenlet: no environment from XenStore (error %d)\n", n);
	t = thread_create("main", run_main, NULL, MAIN_STACK_SIZE);
	if (t == NULL) {
		printk("xenlet: no memory for the main thread\n");
		xenlet_exit(127);
	}
	thread_join(t); /* main's thread ends the domain: no return */
	xenlet_exit(127);
}
