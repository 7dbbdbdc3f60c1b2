/*
 * evtchn - the event-channel API on a loopback channel: the guest
 * allocates an unbound port for itself and binds a second port to it,
 * so sends on either end reach the other. Checks delivery, masking,
 * unmasking (a masked event is delivered once, on unmask), close, and
 * VIRQ binding; then measures round trips (make bench).
 */
#include <xen/errno.h>
#include <xenlet/evtchn.h>
#include <xenlet/thread.h>
#include <xenlet/time.h>
#include <xenlet/xenlet.h>

#define ROUND_TRIPS 20000

static evtchn_port_t a, b;
static int hits_a, hits_b;
static struct semaphore got_b, got_a;
static int echo; /* b's handler answers on b, so a sees it */

static void on_a(evtchn_port_t port, void *arg)
{
	(void)port;
	(void)arg;
	hits_a++;
	sem_up(&got_a);
}

static void on_b(evtchn_port_t port, void *arg)
{
	(void)arg;
	hits_b++;
	if (echo)
		evtchn_send(port);
	sem_up(&got_b);
}

static int check(int ok, const char *what)
{
	printk("evtchn: %s: %s\n", what, ok ? "ok" : "FAILED");
	return ok;
}

/* Wait for an event on s for at most 1 s: 0 if it came. */
static int wait_event(struct semaphore *s)
{
	return sem_down(s, xen_system_time_ns() + NSEC_PER_SEC);
}

int main(int argc, char **argv)
{
	evtchn_port_t virq_port;
	uint64_t t0, ns;
	int ok = 1, i;

	(void)argc;
	(void)argv;
	sem_init(&got_a, 0);
	sem_init(&got_b, 0);
	ok &= check(evtchn_alloc_unbound(DOMID_SELF, on_a, NULL, &a) == 0,
		    "alloc_unbound");
	ok &= check(evtchn_bind_interdomain(DOMID_SELF, a, on_b, NULL, &b) == 0,
		    "bind_interdomain");
	evtchn_send(a);
	ok &= check(wait_event(&got_b) == 0 && hits_b == 1, "send a -> b");
	evtchn_send(b);
	ok &= check(wait_event(&got_a) == 0 && hits_a == 1, "send b -> a");

	evtchn_mask(b);
	evtchn_send(a);
	evtchn_send(a);
	ok &= check(wait_event(&got_b) == -XEN_ETIMEDOUT && hits_b == 1,
		    "masked port: no delivery");
	evtchn_unmask(b);
	ok &= check(wait_event(&got_b) == 0 && hits_b == 2,
		    "unmask delivers the pending event once");
	ok &= check(wait_event(&got_b) == -XEN_ETIMEDOUT && hits_b == 2,
		    "and only once");

	ok &= check(evtchn_bind_virq(VIRQ_DEBUG, NULL, NULL, &virq_port) == 0,
		    "bind_virq");
	ok &= check(evtchn_close(virq_port) == 0, "close virq port");

	echo = 1;
	t0 = xen_system_time_ns();
	for (i = 0; i < ROUND_TRIPS; i++) {
		evtchn_send(a);
		if (sem_down(&got_a, 0) != 0)
			break;
	}
	ns = xen_system_time_ns() - t0;
	ok &= check(i == ROUND_TRIPS, "round trips");
	printk("evtchn: %d round trips in %lu ns: %lu ns per round trip\n", i,
	       (unsigned long)ns, (unsigned long)(ns / ROUND_TRIPS));

	ok &= check(evtchn_close(b) == 0, "close");
	ok &= check(evtchn_send(b) < 0, "send on a closed port fails");
	return ok ? 0 : 1;
}
