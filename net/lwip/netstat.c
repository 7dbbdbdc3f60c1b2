/*
 * netstat.c - what became of the frames the vifs received and sent on
 * their way through lwIP, counted, so that a guest that stops answering
 * can say where its frames went (ipstack_status, and one console line
 * when frames start being dropped).
 *
 * A frame received is dropped before lwIP sees it when the pbuf pool
 * is empty (vif_rx copies it into pool pbufs) or when the tcpip
 * thread's mailbox or its message pool is full (tcpip_input); a frame
 * sent is dropped when the tx ring has no room within netif.c's
 * TX_WAIT_NS. Either is normal for a moment under a burst (TCP sends
 * again), and a fault when it lasts: the pool or the mailbox then stays
 * full, and even ARP goes unanswered.
 */
#include <stdio.h>
#include <xenlet/ipstack.h>
#include <xenlet/printk.h>
#include <xenlet/time.h>
#include "lwip/memp.h"
#include "lwip/priv/memp_priv.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcpip.h"
#include "port.h"

/* Drops closer together than this are one streak: one line. */
#define STREAK_GAP_NS (1000ULL * 1000000ULL)

struct lwip_port_counts lwip_port_counts;
static uint64_t last_drop_ns;

/* Free entries of a pool: its free list walked (no MEMP_STATS: they
 * cost every allocation; this costs only the one who asks). */
static unsigned int pool_free(memp_t type)
{
	const struct memp *m;
	unsigned int n = 0;

	for (m = *memp_pools[type]->tab; m != NULL; m = m->next)
		n++;
	return n;
}

static unsigned int pool_size(memp_t type)
{
	return memp_pools[type]->num;
}

void lwip_port_dropped(unsigned long *counter, const char *what)
{
	uint64_t now = xen_system_time_ns();

	(*counter)++;
	if (last_drop_ns == 0 || now - last_drop_ns > STREAK_GAP_NS)
		printk("net: frames dropped: %s (pbufs free %u of %u, "
		       "tcpip messages free %u of %u)\n",
		       what, pool_free(MEMP_PBUF_POOL),
		       pool_size(MEMP_PBUF_POOL),
		       pool_free(MEMP_TCPIP_MSG_INPKT),
		       pool_size(MEMP_TCPIP_MSG_INPKT));
	last_drop_ns = now;
}

/*
 * The TCP connections by state, from lwIP's lists. A SYN is dropped
 * without a word when no pcb can be had (every one open, none in
 * TIME_WAIT or LAST_ACK to take over) or when a listener's pending
 * accepts (handshakes under way plus connections not yet taken by
 * accept()) reach its backlog: these figures say which.
 */
struct tcp_census {
	unsigned int syn, open, closing, timewait, pending;
};

static void tcp_count(struct tcp_census *t)
{
	const struct tcp_pcb *p;
	const struct tcp_pcb_listen *l;

	*t = (struct tcp_census){ 0 };
	LOCK_TCPIP_CORE();
	for (p = tcp_active_pcbs; p != NULL; p = p->next) {
		if (p->state == SYN_RCVD || p->state == SYN_SENT)
			t->syn++;
		else if (p->state == ESTABLISHED || p->state == CLOSE_WAIT)
			t->open++;
		else
			t->closing++;
	}
	for (p = tcp_tw_pcbs; p != NULL; p = p->next)
		t->timewait++;
	for (l = tcp_listen_pcbs.listen_pcbs; l != NULL; l = l->next)
		t->pending += l->accepts_pending;
	UNLOCK_TCPIP_CORE();
}

int ipstack_status(char *buf, size_t size)
{
	const struct lwip_port_counts *c = &lwip_port_counts;
	struct tcp_census t;
	int n;

	tcp_count(&t);
	n = snprintf(buf, size,
		     "net: rx %lu frames, dropped %lu (pool empty) %lu "
		     "(tcpip queue full); tx dropped %lu; pbufs free %u of "
		     "%u, tcpip messages free %u of %u; tcp %u syn %u open "
		     "%u closing %u time-wait, %u to accept, pcbs free %u "
		     "of %u\n",
		     c->rx_frames, c->rx_nopbuf, c->rx_refused, c->tx_dropped,
		     pool_free(MEMP_PBUF_POOL), pool_size(MEMP_PBUF_POOL),
		     pool_free(MEMP_TCPIP_MSG_INPKT),
		     pool_size(MEMP_TCPIP_MSG_INPKT), t.syn, t.open, t.closing,
		     t.timewait, t.pending, pool_free(MEMP_TCP_PCB),
		     pool_size(MEMP_TCP_PCB));
	if (n < 0)
		return 0;
	return (size_t)n < size ? n : (int)size - 1;
}
