/*
 * test_console.c - the PV console (xen/console.c, with the real
 * xen/evtchn.c, lib/printk.c and lib/printf.c) against a hostile or
 * stalled backend.
 *
 * The test plays Xen and xenconsoled: the ring and shared_info are
 * ordinary memory, SCHEDOP_poll (tests/unit/shim) is where time passes
 * and where the backend acts, and Xen system time is a variable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/io/console.h>
#include <xenlet/arch.h>
#include <xenlet/console.h>
#include <xenlet/hypercall.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

#define OUT_SIZE sizeof(((struct xencons_interface *)0)->out)
#define IN_SIZE	 sizeof(((struct xencons_interface *)0)->in)

struct boot_info boot_info;
uint64_t arch_upcalls; /* read by evtchn_get_stats */
static struct xencons_interface ring;
static shared_info_t shinfo;

/* Xen system time: moves only when the guest polls. */
static uint64_t now_ns;

/* What the backend does each time the guest polls its port. */
enum backend { STALLED, BOGUS_INPUT, SLOW };
static enum backend backend;
static int polls, sends;
static int bogus_polls; /* BOGUS_INPUT: polls before it behaves */
static int need_deadline;

/* Stack depth reached in SCHEDOP_poll: a recursion shows as growth. */
static char *poll_sp_first, *poll_sp_lowest;

/* What xenconsoled has taken from the output ring, "\r" removed. */
static char seen[32768];
static size_t seen_len;

uint64_t xen_system_time_ns(void)
{
	return now_ns;
}

void waitq_wake_all(struct waitq *q)
{
	(void)q;
}

void arch_events_init(void)
{
}

void arch_block(const evtchn_port_t *ports, unsigned int n,
		struct evtchn_send *sends, unsigned int nsends)
{
	(void)ports;
	(void)n;
	(void)sends;
	(void)nsends;
}

/* xenconsoled reads up to n bytes of the output ring. */
static void backend_take(size_t n)
{
	while (ring.out_cons != ring.out_prod && n-- > 0) {
		char c = ring.out[ring.out_cons++ % OUT_SIZE];

		if (c != '\r' && seen_len < sizeof(seen) - 1)
			seen[seen_len++] = c;
	}
	seen[seen_len] = '\0';
}

/* xenconsoled reads everything that is in the output ring. */
static void backend_drain(void)
{
	backend_take(OUT_SIZE);
}

long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	(void)arg;
	if (cmd == EVTCHNOP_send)
		sends++;
	return 0;
}

long HYPERVISOR_sched_op(int cmd, void *arg)
{
	struct sched_poll *p = arg;
	char *sp = __builtin_frame_address(0);

	assert_int_equal(cmd, SCHEDOP_poll);
	if (poll_sp_first == NULL)
		poll_sp_first = poll_sp_lowest = sp;
	if (sp < poll_sp_lowest)
		poll_sp_lowest = sp;
	if (++polls > 100000)
		fail_msg("the console polls without end");
	if (need_deadline && p->timeout == 0)
		fail_msg(
			"SCHEDOP_poll without a deadline on a stalled backend: "
			"the vCPU would block for ever");
	switch (backend) {
	case STALLED: /* nothing happens until the poll times out */
		if (p->timeout > now_ns)
			now_ns = p->timeout;
		break;
	case SLOW: /* a busy xenconsoled: 256 bytes every 100 ms */
		now_ns += 100 * NSEC_PER_MS;
		backend_take(256);
		break;
	case BOGUS_INPUT: /* output stays full; in_prod claims too much */
		now_ns += NSEC_PER_MS;
		if (polls < bogus_polls)
			ring.in_prod = ring.in_cons + 4 * IN_SIZE;
		else /* then the backend behaves */
			backend_drain();
		break;
	}
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(&ring, 0, sizeof(ring));
	memset(&shinfo, 0, sizeof(shinfo));
	boot_info.shared_info = &shinfo;
	now_ns = 1000 * NSEC_PER_SEC;
	backend = STALLED;
	polls = sends = bogus_polls = need_deadline = 0;
	poll_sp_first = poll_sp_lowest = NULL;
	seen_len = 0;
	seen[0] = '\0';
	console_init(&ring, 1);
	return 0;
}

static int count_of(const char *text)
{
	const char *p = seen;
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	return n;
}

/*
 * xenconsoled stops reading: a write returns after the deadline with
 * the rest dropped; later writes drop at once; once the backend reads
 * again, the number of dropped bytes is said, once.
 */
static void test_stalled_backend_drops_and_reports(void **state)
{
	char big[3000];
	uint64_t t0 = now_ns;
	int p;

	(void)state;
	memset(big, 'a', sizeof(big));
	need_deadline = 1;
	console_write(big, sizeof(big));
	assert_int_equal(ring.out_prod - ring.out_cons, OUT_SIZE);
	assert_true(now_ns - t0 >= NSEC_PER_SEC); /* it did wait */
	assert_true(now_ns - t0 <= 10 * NSEC_PER_SEC);
	p = polls;
	console_write(big, 100); /* stalled: no new wait */
	assert_int_equal(polls, p);
	backend_drain();
	assert_int_equal(seen_len, OUT_SIZE);
	p = sends;
	console_write("after\n", 6);
	assert_true(sends > p); /* the backend is told */
	backend_drain();
	assert_non_null(strstr(seen, "\nxenlet: console: 1052 bytes dropped\n"
				     "after\n"));
	console_write("again\n", 6);
	backend_drain();
	assert_int_equal(count_of("bytes dropped"), 1);
	assert_non_null(strstr(seen, "after\nagain\n"));
}

/* A slow backend that keeps reading is waited for: nothing is lost. */
static void test_slow_backend_loses_nothing(void **state)
{
	static char big[16384];

	(void)state;
	memset(big, 'a', sizeof(big));
	backend = SLOW;
	need_deadline = 1;
	console_write(big, sizeof(big));
	assert_int_equal(ring.out_prod, sizeof(big));
	backend_drain();
	console_write("end\n", 4);
	backend_drain();
	assert_int_equal(seen_len, sizeof(big) + 4);
}

/* xenlet_exit's path with a stalled backend ends in bounded time. */
static void test_exit_path_bounded(void **state)
{
	uint64_t t0 = now_ns;

	(void)state;
	need_deadline = 1;
	ring.out_prod = OUT_SIZE; /* full, and never read */
	printk("xenlet: exit %d\n", 3);
	assert_int_equal(console_flush(5 * NSEC_PER_SEC), -1);
	assert_true(now_ns - t0 <= 11 * NSEC_PER_SEC);
}

/*
 * A backend that keeps output full and writes a bogus in_prod at each
 * notification: the error must not be printed from inside the write's
 * wait (that recursed, ~464 bytes of stack per notification). It is
 * said once, and the input indexes stay bounded.
 */
static void test_bogus_in_prod_no_recursion(void **state)
{
	char buf[8];

	(void)state;
	backend = BOGUS_INPUT;
	bogus_polls = 300;
	memset(ring.out, '-', OUT_SIZE);
	ring.out_prod = OUT_SIZE; /* full */
	console_write("x", 1);
	assert_true(polls >= bogus_polls);
	assert_in_range(poll_sp_first - poll_sp_lowest, 0, 1023);
	assert_int_equal(console_input_pending(), 0);
	assert_int_equal(console_read(buf, sizeof(buf)), 0);
	assert_int_equal(ring.in_cons, ring.in_prod);
	console_write("y\n", 2);
	console_write("z\n", 2);
	backend_drain();
	assert_int_equal(count_of("bogus in_prod"), 1);
	assert_non_null(strstr(seen, "y\nz\n"));
	/* good input after the bogus index is read */
	ring.in[ring.in_prod++ % IN_SIZE] = 'k';
	assert_int_equal(console_input_pending(), 1);
	assert_int_equal(console_read(buf, sizeof(buf)), 1);
	assert_int_equal(buf[0], 'k');
}

/* A console port past the 2-level limit: no input, said; output bounded. */
static void test_bad_port_refused(void **state)
{
	char big[3000];
	uint64_t t0 = now_ns;

	(void)state;
	memset(big, 'a', sizeof(big));
	console_init(&ring, 4096);
	assert_true(console_input_init() < 0);
	backend_drain();
	assert_non_null(strstr(seen, "xenlet: console: no input"));
	console_write(big, sizeof(big));
	assert_true(now_ns - t0 <= 10 * NSEC_PER_SEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_stalled_backend_drops_and_reports,
				       setup),
		cmocka_unit_test_setup(test_slow_backend_loses_nothing, setup),
		cmocka_unit_test_setup(test_exit_path_bounded, setup),
		cmocka_unit_test_setup(test_bogus_in_prod_no_recursion, setup),
		cmocka_unit_test_setup(test_bad_port_refused, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
