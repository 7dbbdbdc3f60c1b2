/*
 * test_evtchn.c - port numbers are bounded before they index shared_info
 * (xen/evtchn.c, with tests/unit/shim for the hypercalls).
 *
 * The 2-level ABI has 64 * 64 = 4096 ports on x86_64: the pending and
 * mask bitmaps in shared_info hold no more. A larger port (from a
 * hostile start_info or HVM parameter) must change no byte of memory.
 *
 * And the counts a program reads to know what arrived while it computed
 * (evtchn_get_stats): received = dispatched + pending at every moment.
 *
 * And the ports evtchn_block waits on (SCHEDOP_poll's list on PVH):
 * every bound, unmasked port, never more than Xen's 128.
 *
 * And the notifications evtchn_notify queues: each sent exactly once,
 * with the next block or at evtchn_flush.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <xen/errno.h>
#include <xenlet/arch.h>
#include <xenlet/evtchn.h>
#include <xenlet/hypercall.h>

struct boot_info boot_info;
uint64_t arch_upcalls;

/* shared_info at the start of a larger zone: stray bit operations on
 * ports up to 8191 land inside it, where the test sees them. */
static union {
	shared_info_t s;
	unsigned char bytes[65536];
} zone;
static unsigned char before[sizeof(zone)];

void arch_events_init(void)
{
}

/* What the last evtchn_block asked the arch code to wait on, and the
 * ports it was to notify first. */
static evtchn_port_t blocked_on[EVTCHN_POLL_MAX + 1];
static unsigned int nr_blocked_on;
static evtchn_port_t block_sent[EVTCHN_NOTIFY_MAX];
static unsigned int nr_block_sent;

void arch_block(const evtchn_port_t *ports, unsigned int n,
		struct evtchn_send *sends, unsigned int nsends)
{
	unsigned int i;

	assert_true(n <= EVTCHN_POLL_MAX);
	assert_true(nsends <= EVTCHN_NOTIFY_MAX);
	memcpy(blocked_on, ports, n * sizeof(ports[0]));
	nr_blocked_on = n;
	for (i = 0; i < nsends; i++)
		block_sent[i] = sends[i].port;
	nr_block_sent = nsends;
}

/* The hypercall's answer for EVTCHNOP_alloc_unbound, and the closes. */
static evtchn_port_t next_port;
static int closes;

/* The EVTCHNOP_sends made on their own, in order. */
static evtchn_port_t sent[64];
static unsigned int nr_sent;

long HYPERVISOR_event_channel_op(int cmd, void *arg)
{
	if (cmd == EVTCHNOP_alloc_unbound)
		((struct evtchn_alloc_unbound *)arg)->port = next_port;
	if (cmd == EVTCHNOP_close)
		closes++;
	if (cmd == EVTCHNOP_send && nr_sent < 64)
		sent[nr_sent++] = ((struct evtchn_send *)arg)->port;
	return 0;
}

long HYPERVISOR_sched_op(int cmd, void *arg)
{
	(void)cmd;
	(void)arg;
	return 0;
}

static const evtchn_port_t bad_ports[] = { 4096, 4097, 4160, 8191 };

static void fill(int byte)
{
	memset(&zone, byte, sizeof(zone));
	memcpy(before, &zone, sizeof(zone));
}

static void assert_untouched(void)
{
	assert_memory_equal(&zone, before, sizeof(zone));
}

static void test_ports_past_4096_refused(void **state)
{
	size_t i;

	(void)state;
	boot_info.shared_info = &zone.s;
	for (i = 0; i < sizeof(bad_ports) / sizeof(bad_ports[0]); i++) {
		fill(0xff); /* a stray clear would show */
		assert_int_equal(evtchn_clear(bad_ports[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_unmask(bad_ports[i]), -XEN_EINVAL);
		assert_untouched();
		fill(0); /* a stray set would show */
		assert_int_equal(evtchn_mask(bad_ports[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_unmask(bad_ports[i]), -XEN_EINVAL);
		assert_int_equal(evtchn_set_handler(bad_ports[i], NULL, NULL),
				 -XEN_EINVAL);
		assert_untouched();
	}
	/* far outside: refused before any address is formed */
	assert_int_equal(evtchn_clear(0xffffffffu), -XEN_EINVAL);
	assert_int_equal(evtchn_mask(1u << 20), -XEN_EINVAL);
	assert_int_equal(evtchn_unmask(1u << 20), -XEN_EINVAL);

	/* the last valid port still works */
	fill(0);
	assert_int_equal(evtchn_mask(4095), 0);
	assert_true(zone.s.evtchn_mask[63] == 1UL << 63);
	zone.s.evtchn_pending[63] = 1UL << 63;
	assert_int_equal(evtchn_unmask(4095), 0);
	assert_true(zone.s.evtchn_mask[63] == 0);
	assert_true(zone.s.vcpu_info[0].evtchn_pending_sel == 1UL << 63);
	assert_int_equal(evtchn_clear(4095), 0);
	assert_true(zone.s.evtchn_pending[63] == 0);
}

static int handled[3];

static void count_handler(evtchn_port_t port, void *arg)
{
	(void)arg;
	handled[port % 3]++;
}

/* Xen's side of an event: the pending bit, the selector, the summary. */
static void xen_raise(evtchn_port_t port)
{
	struct vcpu_info *v = &zone.s.vcpu_info[0];

	zone.s.evtchn_pending[port / 64] |= 1UL << (port % 64);
	v->evtchn_pending_sel |= 1UL << (port / 64);
	v->evtchn_upcall_pending = 1;
}

static uint64_t received(void)
{
	struct evtchn_stats s;

	evtchn_get_stats(&s);
	return s.dispatched + s.pending;
}

static void test_stats_count_what_arrived(void **state)
{
	struct evtchn_stats s;
	uint64_t base;

	(void)state;
	boot_info.shared_info = &zone.s;
	fill(0);
	assert_int_equal(evtchn_set_handler(3, count_handler, NULL), 0);
	assert_int_equal(evtchn_set_handler(70, count_handler, NULL), 0);
	assert_int_equal(evtchn_set_handler(4095, count_handler, NULL), 0);
	base = received();

	/* Pending but not dispatched: counted once per port. */
	xen_raise(3);
	xen_raise(70);
	xen_raise(70); /* coalesced by Xen into the same bit */
	evtchn_get_stats(&s);
	assert_int_equal(s.pending, 2);
	assert_int_equal(s.first_pending, 3);
	assert_int_equal(received(), base + 2);

	/* A masked port's event is not one a handler will take. */
	assert_int_equal(evtchn_mask(4095), 0);
	xen_raise(4095);
	assert_int_equal(received(), base + 2);

	/* Dispatch moves them from pending to dispatched: same total. */
	evtchn_dispatch();
	evtchn_get_stats(&s);
	assert_int_equal(s.pending, 0);
	assert_int_equal(s.first_pending, -1);
	assert_int_equal(received(), base + 2);
	assert_int_equal(handled[0], 1); /* port 3 */
	assert_int_equal(handled[1], 1); /* port 70 */

	/* Unmasked, the held event is received and then dispatched. */
	assert_int_equal(evtchn_unmask(4095), 0);
	assert_int_equal(received(), base + 3);
	evtchn_dispatch();
	assert_int_equal(handled[0], 2); /* port 4095 */
	assert_int_equal(received(), base + 3);

	arch_upcalls = 5;
	evtchn_get_stats(&s);
	assert_int_equal(s.upcalls, 5);
}

static int blocked_on_port(evtchn_port_t port)
{
	unsigned int i;

	for (i = 0; i < nr_blocked_on; i++)
		if (blocked_on[i] == port)
			return 1;
	return 0;
}

static void test_block_waits_on_bound_unmasked_ports(void **state)
{
	evtchn_port_t p, got;

	(void)state;
	boot_info.shared_info = &zone.s;
	fill(0);
	/* Earlier tests bound some ports: start from none. */
	for (p = 0; p < 4096; p++)
		evtchn_close(p);
	evtchn_block();
	assert_int_equal(nr_blocked_on, 0);

	assert_int_equal(evtchn_set_handler(5, count_handler, NULL), 0);
	assert_int_equal(evtchn_set_handler(200, count_handler, NULL), 0);
	assert_int_equal(evtchn_set_handler(200, count_handler, NULL), 0);
	evtchn_block();
	assert_int_equal(nr_blocked_on, 2); /* a port bound twice is one */
	assert_true(blocked_on_port(5) && blocked_on_port(200));

	/* A masked port would end every poll at once: left out. */
	assert_int_equal(evtchn_mask(5), 0);
	evtchn_block();
	assert_int_equal(nr_blocked_on, 1);
	assert_true(blocked_on_port(200));
	assert_int_equal(evtchn_unmask(5), 0);

	/* A closed port is forgotten. */
	assert_int_equal(evtchn_close(200), 0);
	evtchn_block();
	assert_int_equal(nr_blocked_on, 1);
	assert_true(blocked_on_port(5));

	/* 128 ports at most: the 129th new port is refused and closed. */
	for (p = 1000; p < 1000 + EVTCHN_POLL_MAX - 1; p++) {
		next_port = p;
		assert_int_equal(
			evtchn_alloc_unbound(0, count_handler, NULL, &got), 0);
		assert_int_equal(got, p);
	}
	closes = 0;
	next_port = 2000;
	assert_int_equal(evtchn_alloc_unbound(0, count_handler, NULL, &got),
			 -XEN_ENOSPC);
	assert_int_equal(closes, 1);
	assert_int_equal(evtchn_set_handler(2001, count_handler, NULL),
			 -XEN_ENOSPC);
	assert_int_equal(closes, 1); /* not ours to close */
	evtchn_block();
	assert_int_equal(nr_blocked_on, EVTCHN_POLL_MAX);
	assert_false(blocked_on_port(2000) || blocked_on_port(2001));

	/* Closing one makes room again. */
	assert_int_equal(evtchn_close(1000), 0);
	assert_int_equal(evtchn_set_handler(2001, count_handler, NULL), 0);
	evtchn_block();
	assert_int_equal(nr_blocked_on, EVTCHN_POLL_MAX);
	assert_true(blocked_on_port(2001) && !blocked_on_port(1000));
}

/*
 * evtchn_notify queues; each port once; the queue goes out with the
 * next block (in the same call) or at evtchn_flush, never twice, never
 * dropped: not when it is full, not when its port closes.
 */
static void test_notify_waits_for_block_or_flush(void **state)
{
	evtchn_port_t p;

	(void)state;
	boot_info.shared_info = &zone.s;
	fill(0);
	for (p = 0; p < 4096; p++) /* from no bound port */
		evtchn_close(p);
	nr_sent = 0;
	evtchn_notify(7);
	evtchn_notify(9);
	evtchn_notify(7);
	assert_int_equal(nr_sent, 0); /* nothing yet */
	evtchn_block();
	assert_int_equal(nr_block_sent, 2);
	assert_int_equal(block_sent[0], 7);
	assert_int_equal(block_sent[1], 9);
	evtchn_block(); /* sent once only */
	assert_int_equal(nr_block_sent, 0);
	assert_int_equal(nr_sent, 0);

	evtchn_notify(3);
	evtchn_flush();
	assert_int_equal(nr_sent, 1);
	assert_int_equal(sent[0], 3);
	evtchn_flush();
	evtchn_block();
	assert_int_equal(nr_sent, 1);
	assert_int_equal(nr_block_sent, 0);

	/* A full queue is sent to make room for the next port. */
	nr_sent = 0;
	for (p = 100; p < 100 + EVTCHN_NOTIFY_MAX + 1; p++)
		evtchn_notify(p);
	assert_int_equal(nr_sent, EVTCHN_NOTIFY_MAX);
	for (p = 0; p < EVTCHN_NOTIFY_MAX; p++)
		assert_int_equal(sent[p], 100 + p);
	evtchn_block();
	assert_int_equal(nr_block_sent, 1);
	assert_int_equal(block_sent[0], 100 + EVTCHN_NOTIFY_MAX);

	/* Closing a port sends what was queued for it first. */
	nr_sent = 0;
	assert_int_equal(evtchn_set_handler(11, count_handler, NULL), 0);
	evtchn_notify(11);
	assert_int_equal(evtchn_close(11), 0);
	assert_int_equal(nr_sent, 1);
	assert_int_equal(sent[0], 11);
	evtchn_block();
	assert_int_equal(nr_block_sent, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ports_past_4096_refused),
		cmocka_unit_test(test_stats_count_what_arrived),
		cmocka_unit_test(test_block_waits_on_bound_unmasked_ports),
		cmocka_unit_test(test_notify_waits_for_block_or_flush),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
