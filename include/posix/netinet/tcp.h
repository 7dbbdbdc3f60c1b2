/*
 * netinet/tcp.h - options at level IPPROTO_TCP, with Linux's numbers.
 */
#ifndef _NETINET_TCP_H
#define _NETINET_TCP_H

#define TCP_NODELAY   1 /* int: send small segments at once (no Nagle) */
#define TCP_MAXSEG    2
#define TCP_CORK      3
#define TCP_KEEPIDLE  4 /* int: idle seconds before the first probe */
#define TCP_KEEPINTVL 5 /* int: seconds between probes */
#define TCP_KEEPCNT   6 /* int: probes unanswered before the reset */

#endif
