/*
 * console.c - writing to the PV console ring.
 *
 * The output ring is out[] in struct xencons_interface. out_prod is
 * ours (the frontend's) and out_cons the backend's; both are free-
 * running 32-bit counters, taken modulo the ring size when indexing.
 * Protocol: copy bytes in, write barrier, advance out_prod, then notify
 * the event channel; without the notify xenconsoled never looks. When
 * the ring is full we block on the event channel: xenconsoled notifies
 * after it advances out_cons.
 *
 * out_cons is written by dom0 and is input from outside: a value that
 * claims more free space than the ring has is treated as "full" and
 * waited on, so a confused backend can stall output but never make us
 * overwrite bytes it has not read.
 *
 * Input is the mirror image: in[] is filled by xenconsoled with what is
 * typed into `xl console`; in_prod is the backend's, in_cons ours. The
 * backend notifies the same event channel after it adds bytes. Two
 * paths look at that channel: the event handler (threads are running),
 * and the output path, which polls the port while the ring is full and
 * so may consume a notification meant for input. Both therefore end in
 * input_check(), which looks at the ring itself and wakes the readers:
 * whichever sees the event, no input is missed. An in_prod that claims
 * more than a ring of unread bytes is bogus: the input is dropped. Every
 * other index is taken modulo its ring before use, so no value the
 * backend writes makes us read or write outside the page.
 *
 * Nothing outside the guest may hold it for ever: every wait for the
 * backend has a deadline. A write that finds the ring full waits at most
 * STALL_NS (per ring's worth of bytes) for room; then the rest is
 * dropped and counted, and later writes drop at once rather than wait
 * again, until the backend has made room for a line that says how many
 * bytes were lost. So printk never blocks the vCPU for ever, and the
 * exit and crash paths (a line, then console_flush with its own timeout)
 * always reach SCHEDOP_shutdown.
 *
 * A bogus in_prod found while a write waits is noted, and said once,
 * by the input side (the event handler or a read): printing it where it
 * is found, inside the wait of a write, is a write within a write (a
 * backend that kept output full and wrote a bogus in_prod at each
 * notification made that recurse until the stack overflowed).
 */
#include <xenlet/arch.h>
#include <xen/io/console.h>
#include <xenlet/console.h>
#include <xenlet/evtchn.h>
#include <xenlet/printk.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>

#define RING_SIZE    sizeof(((struct xencons_interface *)0)->out)
#define IN_RING_SIZE sizeof(((struct xencons_interface *)0)->in)

/*
 * How long a write waits for room, per ring's worth of its bytes, before
 * it drops them: the one deadline on console output, decided here.
 * xenconsoled empties the ring as soon as it is notified, so a working
 * one, even in an emulated and busy dom0, frees room within milliseconds
 * and hardly ever takes a second; five seconds without room is a backend
 * that has stopped. Scaled by the length, a backend that frees a byte
 * now and then still cannot stretch a write beyond its deadline. The
 * exit path adds its flush's own timeout (lib/start.c) to this bound.
 */
#define STALL_NS (5 * NSEC_PER_SEC)

struct waitq console_input_waitq = WAITQ_INIT(console_input_waitq);
void (*console_input_notify)(void);

static void input_check(void);

static volatile struct xencons_interface *cons_ring;
static evtchn_port_t cons_port;

static size_t dropped; /* bytes lost since the backend stalled, unsaid */
static int bad_input;  /* a bogus in_prod: 1 seen, 2 said (said once) */

void console_init(void *ring, uint32_t evtchn)
{
	cons_ring = ring;
	cons_port = evtchn;
	dropped = 0;
	bad_input = 0;
}

/* Bytes the backend has not consumed yet, or RING_SIZE if out_cons is bogus. */
static uint32_t ring_used(void)
{
	uint32_t used = cons_ring->out_prod - cons_ring->out_cons;

	rmb();
	return used > RING_SIZE ? RING_SIZE : used;
}

/*
 * Block until the backend has consumed something, unless fewer than
 * `used` bytes are already pending, or until Xen system time reaches
 * deadline_ns; -1 once it has (or if the port cannot be waited on: one
 * past the event-channel ABI's limit). The port's pending bit is cleared
 * before the check, so a notification that races with the check stays
 * pending and SCHEDOP_poll returns at once instead of sleeping.
 */
static int wait_while_used(uint32_t used, uint64_t deadline_ns)
{
	if (evtchn_clear(cons_port) < 0)
		return -1;
	if (ring_used() < used)
		return 0;
	if (xen_system_time_ns() >= deadline_ns)
		return -1;
	evtchn_poll(cons_port, deadline_ns);
	input_check(); /* the notification may have been for input */
	return 0;
}

/* Unread input bytes; a bogus in_prod drops the input (noted). */
static uint32_t input_avail(void)
{
	uint32_t avail = cons_ring->in_prod - cons_ring->in_cons;

	rmb(); /* the index before the bytes it publishes */
	if (avail > IN_RING_SIZE) {
		if (bad_input == 0)
			bad_input = 1;
		cons_ring->in_cons = cons_ring->in_prod;
		return 0;
	}
	return avail;
}

/* Wake the readers if input is waiting. */
static void input_check(void)
{
	if (input_avail() > 0) {
		waitq_wake_all(&console_input_waitq);
		if (console_input_notify)
			console_input_notify();
	}
}

/* Said here, never inside a write: see the top of the file. */
static void say_bad_input(void)
{
	if (bad_input == 1) {
		bad_input = 2;
		printk("xenlet: console: bogus in_prod, input dropped\n");
	}
}

static void console_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	input_check();
	say_bad_input();
}

int console_input_init(void)
{
	int rc;

	if (cons_ring == NULL)
		return 0;
	rc = evtchn_set_handler(cons_port, console_event, NULL);
	if (rc < 0)
		printk("xenlet: console: no input, port %u\n", cons_port);
	return rc;
}

size_t console_read(char *buf, size_t len)
{
	uint32_t cons, avail;
	size_t n = 0;

	if (cons_ring == NULL)
		return 0;
	avail = input_avail();
	cons = cons_ring->in_cons;
	while (n < len && n < avail)
		buf[n++] = cons_ring->in[cons++ % IN_RING_SIZE];
	mb(); /* the bytes are read before the slots are given back */
	cons_ring->in_cons = cons;
	if (n > 0)
		evtchn_send(cons_port);
	say_bad_input();
	return n;
}

size_t console_input_pending(void)
{
	return cons_ring ? input_avail() : 0;
}

/* Copy what fits; returns the number of source bytes consumed. */
static size_t ring_put(const char *buf, size_t len)
{
	uint32_t prod = cons_ring->out_prod;
	uint32_t space = RING_SIZE - ring_used();
	size_t done = 0;

	while (done < len && space > 0) {
		char c = buf[done];

		if (c == '\n') { /* a terminal wants "\r\n" */
			if (space < 2)
				break;
			cons_ring->out[prod++ % RING_SIZE] = '\r';
			space--;
		}
		cons_ring->out[prod++ % RING_SIZE] = c;
		space--;
		done++;
	}
	wmb(); /* the bytes before the index that publishes them */
	cons_ring->out_prod = prod;
	return done;
}

/*
 * Say how many bytes were dropped, as a whole line, if the ring has room
 * for it. -1 while it has not: the backend is still stalled.
 */
static int say_dropped(void)
{
	char line[64];
	size_t n = (size_t)snprintk(line, sizeof(line),
				    "\nxenlet: console: %lu bytes dropped\n",
				    (unsigned long)dropped);

	if (RING_SIZE - ring_used() < 2 * n) /* each '\n' may take two */
		return -1;
	ring_put(line, n);
	dropped = 0;
	return 0;
}

void console_write(const char *buf, size_t len)
{
	uint64_t deadline = 0;

	if (cons_ring == NULL)
		return;
	if (dropped > 0 && say_dropped() < 0) {
		dropped += len;
		return;
	}
	while (len > 0) {
		size_t n = ring_put(buf, len);

		if (n > 0)
			evtchn_send(cons_port);
		buf += n;
		len -= n;
		if (len == 0)
			break;
		/* Full (a '\n' needs two free bytes for "\r\n"): wait. */
		if (deadline == 0)
			deadline = xen_system_time_ns() +
				   STALL_NS * (1 + len / RING_SIZE);
		if (wait_while_used(RING_SIZE - 1, deadline) < 0)
			break;
	}
	dropped += len;
}

int console_flush(uint64_t timeout_ns)
{
	uint64_t deadline;

	if (cons_ring == NULL)
		return 0;
	deadline = xen_system_time_ns() + timeout_ns;
	evtchn_send(cons_port);
	while (ring_used() != 0)
		if (wait_while_used(1, deadline) < 0)
			return -1;
	return 0;
}
