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
 * more than a ring of unread bytes is bogus: the input is dropped.
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

struct waitq console_input_waitq = WAITQ_INIT(console_input_waitq);
void (*console_input_notify)(void);

static void input_check(void);

static volatile struct xencons_interface *cons_ring;
static evtchn_port_t cons_port;

void console_init(void *ring, uint32_t evtchn)
{
	cons_ring = ring;
	cons_port = evtchn;
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
 * `used` bytes are already pending. The port's pending bit is cleared
 * before the check, so a notification that races with the check stays
 * pending and SCHEDOP_poll returns at once instead of sleeping forever.
 */
static void wait_while_used(uint32_t used, uint64_t deadline_ns)
{
	evtchn_clear(cons_port);
	if (ring_used() < used)
		return;
	evtchn_poll(cons_port, deadline_ns);
	input_check(); /* the notification may have been for input */
}

/* Unread input bytes; a bogus in_prod drops the input (reported). */
static uint32_t input_avail(void)
{
	uint32_t avail = cons_ring->in_prod - cons_ring->in_cons;

	rmb(); /* the index before the bytes it publishes */
	if (avail > IN_RING_SIZE) {
		printk("xenlet: console: bogus in_prod, input dropped\n");
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

static void console_event(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	input_check();
}

void console_input_init(void)
{
	if (cons_ring != NULL)
		evtchn_set_handler(cons_port, console_event, NULL);
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

void console_write(const char *buf, size_t len)
{
	if (cons_ring == NULL)
		return;
	while (len > 0) {
		size_t n = ring_put(buf, len);

		if (n > 0)
			evtchn_send(cons_port);
		buf += n;
		len -= n;
		/* Full: a '\n' needs two free bytes for "\r\n". */
		if (len > 0)
			wait_while_used(RING_SIZE - 1, 0);
	}
}

int console_flush(uint64_t timeout_ns)
{
	uint64_t deadline = xen_system_time_ns() + timeout_ns;

	if (cons_ring == NULL)
		return 0;
	evtchn_send(cons_port);
	while (ring_used() != 0) {
		if (xen_system_time_ns() >= deadline)
			return -1;
		wait_while_used(1, deadline);
	}
	return 0;
}
