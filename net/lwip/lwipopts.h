/*
 * lwipopts.h - lwIP 2.1.3's settings for xenlet (defaults: lwip/opt.h).
 *
 * Chosen for throughput on a 10 Gb/s-class vif with little memory: a
 * full-size MSS, a scaled window, send buffers and pools that hold a
 * window's worth, and enough connections for a server with 100+
 * clients. Figures are pool entries. What the pools take (static,
 * in BSS: not in the image file), measured on the sock test guest:
 * PBUF_POOL 1560 KiB (1024 x 1560), TCP_PCB 70 KiB, TCP_SEG 64 KiB,
 * TCPIP_MSG_INPKT 16 KiB, NETCONN 14 KiB, the rest under 8 KiB each:
 * about 1.8 MiB in all (the pool holds a 1 MiB window: see TCP). The heap (malloc) holds what is sent, up to
 * TCP_SND_BUF per connection, or the socket's SO_SNDBUF where a program
 * sets one (net/lwip/socket.c: examples/httpd's 64 KiB).
 */
#ifndef XENLET_LWIPOPTS_H
#define XENLET_LWIPOPTS_H

/* --- the OS ----------------------------------------------------------- */
#define NO_SYS 0
/*
 * No "fast protection": xenlet threads are cooperative and event
 * handlers (the netif's rx path among them) run only from inside the
 * scheduler, never in the middle of code that does not wait; no
 * section lwIP protects waits. So nothing can run inside one.
 */
#define SYS_LIGHTWEIGHT_PROT 0
/* Socket calls run in the caller under the core lock; received frames
 * go through the tcpip thread's mailbox (the rx path runs in event
 * context, which must not take a lock). */
#define LWIP_TCPIP_CORE_LOCKING	      1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0
#define TCPIP_THREAD_NAME	      "tcpip"
#define TCPIP_THREAD_STACKSIZE	      (64 * 1024)
#define TCPIP_THREAD_PRIO	      0
#define DEFAULT_THREAD_STACKSIZE      (64 * 1024)
/* The tcpip thread's mailbox holds a full rx ring's frames and more. */
#define TCPIP_MBOX_SIZE		  1024
#define DEFAULT_TCP_RECVMBOX_SIZE 512 /* a window of full segments */
#define DEFAULT_UDP_RECVMBOX_SIZE 128
#define DEFAULT_RAW_RECVMBOX_SIZE 32
#define DEFAULT_ACCEPTMBOX_SIZE	  256
#define LWIP_ERRNO_STDINCLUDE	  1
#define LWIP_TIMEVAL_PRIVATE	  0

/* --- memory ------------------------------------------------------------
 * The heap (PBUF_RAM: what sockets send, copied) is the C library's
 * malloc; the pools are static (BSS, not in the image file). */
#define MEM_LIBC_MALLOC		 1
#define MEM_ALIGNMENT		 8
#define MEMP_MEM_MALLOC		 0
#define MEMP_NUM_PBUF		 256 /* PBUF_REF/ROM: UDP sends by ref */
#define MEMP_NUM_RAW_PCB	 4
#define MEMP_NUM_UDP_PCB	 32
#define MEMP_NUM_TCP_PCB	 256 /* connected (incl. TIME_WAIT) */
#define MEMP_NUM_TCP_PCB_LISTEN	 16
#define MEMP_NUM_TCP_SEG	 2048 /* >= TCP_SND_QUEUELEN, many pcbs */
#define MEMP_NUM_REASSDATA	 8
#define MEMP_NUM_FRAG_PBUF	 32
#define MEMP_NUM_ARP_QUEUE	 64
#define MEMP_NUM_NETBUF		 128
#define MEMP_NUM_NETCONN	 160 /* = sockets (FD_MAX bounds them too) */
#define MEMP_NUM_SELECT_CB	 8
#define MEMP_NUM_TCPIP_MSG_API	 128
#define MEMP_NUM_TCPIP_MSG_INPKT 512 /* frames queued to tcpip */
#define MEMP_NUM_NETDB		 4
#define MEMP_NUM_SYS_TIMEOUT	 (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 8)
/* Received frames are copied into pool pbufs in the rx event: 1024 of
 * 1536 bytes (1.5 MiB) hold a receive window and more (lwIP's sanity
 * check wants the pool to cover TCP_WND). */
#define PBUF_POOL_SIZE	  1024
#define PBUF_POOL_BUFSIZE 1536
#define ETH_PAD_SIZE	  0

/* --- protocols --------------------------------------------------------- */
#define LWIP_IPV4		      1
#define LWIP_IPV6		      0
#define LWIP_ARP		      1
#define LWIP_ETHERNET		      1
#define ARP_TABLE_SIZE		      32
#define ARP_QUEUEING		      1
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define IP_REASSEMBLY		      1
#define IP_FRAG			      1
#define LWIP_ICMP		      1
#define LWIP_RAW		      0
#define LWIP_DHCP		      1
#define LWIP_DHCP_DOES_ACD_CHECK      0
#define DHCP_DOES_ARP_CHECK	      0 /* no 2 s ARP probe before use */
#define LWIP_AUTOIP		      0
#define LWIP_IGMP		      0
#define LWIP_DNS		      1
#define DNS_MAX_SERVERS		      2
#define LWIP_UDP		      1
#define LWIP_TCP		      1
#define LWIP_NETIF_STATUS_CALLBACK    1
#define LWIP_NETIF_LINK_CALLBACK      1
#define LWIP_NETIF_HOSTNAME	      1
#define LWIP_NETIF_LOOPBACK	      1
#define LWIP_HAVE_LOOPIF	      1
#define LWIP_NETIF_TX_SINGLE_PBUF     0 /* netdev sends scatter-gather */
#define LWIP_SUPPORT_CUSTOM_PBUF      1

/* --- TCP ---------------------------------------------------------------
 * MSS for a 1500-byte MTU. A connection moves at most a window per
 * round trip, and round trips through dom0 take milliseconds on a
 * loaded (or emulated) host: with 128 KiB windows into-guest TCP ran
 * at a quarter of a Linux guest's. So the window is scaled (x16) to
 * its most, just under 1 MiB (Linux starts at 128 KiB and grows to 6
 * MiB): at 512 KiB, dom0's TCP (TCP_INFO's rwnd_limited, make bench
 * BENCH=net, round trips of 40-50 ms on a loaded test host) was held
 * back by our window for 32-43% of a transfer into discard, by a Linux
 * guest's (670-760 KiB) for 28-32%; at 1 MiB for 7-9%. The window is
 * filled from the static pbuf pool (1.5 MiB), so a bigger one costs no
 * memory, only a larger share of the pool to one connection. The send
 * buffer stays 512 KiB: what one connection may have in flight the
 * other way, from the heap, as data waits. */
#define TCP_MSS			   1460
#define TCP_CALCULATE_EFF_SEND_MSS 1
#define LWIP_WND_SCALE		   1
#define TCP_RCV_SCALE		   4
#define TCP_WND			   (718 * TCP_MSS)
#define TCP_SND_BUF		   (360 * TCP_MSS)
#define TCP_SND_QUEUELEN	   (4 * TCP_SND_BUF / TCP_MSS)
/* Writable again (POLLOUT) with this much room; lwIP keeps it a u16. */
#define TCP_SNDLOWAT		   (32 * TCP_MSS)
#define TCP_OVERSIZE		   TCP_MSS
#define TCP_QUEUE_OOSEQ		   1
#define TCP_OOSEQ_MAX_PBUFS	   64
#define LWIP_TCP_SACK_OUT	   1
#define TCP_LISTEN_BACKLOG	   1
#define TCP_DEFAULT_LISTEN_BACKLOG 128
#define LWIP_TCP_KEEPALIVE	   1
#define TCP_MAXRTX		   12
#define TCP_SYNMAXRTX		   6 /* connect gives up after ~63 s */
/* A SYN may end a TIME_WAIT between the same ports (net/lwip/timewait.c),
 * checked by ip4_input before lwIP's TCP sees the frame; 0: go on. */
struct pbuf;
int timewait_syn_input(struct pbuf *p);
#define LWIP_HOOK_IP4_INPUT(p, inp) timewait_syn_input(p)
/* Initial sequence numbers from a keyed hash and a clock (RFC 6528,
 * net/lwip/isn.c), not lwIP's guessable counter. */
struct ip4_addr;
unsigned int tcp_isn(const struct ip4_addr *local, unsigned short local_port,
		     const struct ip4_addr *remote, unsigned short remote_port);
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport)                              \
	tcp_isn(lip, lport, rip, rport)

/* --- checksums ---------------------------------------------------------
 * Decided per interface (net/lwip/netif.c): the vif offloads TCP and
 * UDP both ways (netdev's NETDEV_CSUM_BLANK / NETDEV_DATA_VALID). */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define CHECKSUM_GEN_IP		     1
#define CHECKSUM_GEN_UDP	     1
#define CHECKSUM_GEN_TCP	     1
#define CHECKSUM_GEN_ICMP	     1
#define CHECKSUM_CHECK_IP	     1
#define CHECKSUM_CHECK_UDP	     1
#define CHECKSUM_CHECK_TCP	     1
#define CHECKSUM_CHECK_ICMP	     1
#define LWIP_CHECKSUM_ON_COPY	     0

/* --- sockets ----------------------------------------------------------- */
#define LWIP_NETCONN		    1
#define LWIP_SOCKET		    1
#define LWIP_COMPAT_SOCKETS	    0 /* no socket() macros: lib/posix has them */
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_OFFSET	    0
#define LWIP_SOCKET_SELECT	    1
#define LWIP_SOCKET_POLL	    1
#define LWIP_SO_RCVTIMEO	    1
#define LWIP_SO_SNDTIMEO	    1
#define LWIP_SO_RCVBUF		    1
#define RECV_BUFSIZE_DEFAULT	    (256 * 1024)
#define LWIP_SO_LINGER		    1
#define SO_REUSE		    1
#define LWIP_FIONREAD_LINUXMODE	    1
#define LWIP_TCP_PCB_NUM_EXT_ARGS   0

/* --- statistics and debugging (off: size) ------------------------------ */
#define LWIP_STATS	       0
#define LWIP_NOASSERT_ON_ERROR 0

#endif
