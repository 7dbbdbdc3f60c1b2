/*
 * echo.h - what the parts of examples/echo share: the services, the
 * connections and the counts.
 */
#ifndef ECHO_H
#define ECHO_H

#include <stddef.h>

/* The TCP services, by their classic ports (RFC 862, 863, 864, 866). */
enum service { ECHO, DISCARD, CHARGEN, SYSTAT, NSERVICES };

struct service_info {
	const char *name;
	int port;
};
extern const struct service_info services[NSERVICES];

/* What was served: printed at shutdown, and by systat. */
struct counts {
	unsigned long conns[NSERVICES]; /* TCP connections accepted */
	unsigned long long bytes_in[NSERVICES], bytes_out[NSERVICES];
	unsigned long datagrams; /* UDP echo */
	unsigned long long udp_bytes;
	unsigned long turned_away; /* accepted while full, closed */
	int open;		   /* TCP connections open now */
};
extern struct counts counts;

/* One TCP connection. Echo holds what it read until it is all written
 * back, and reads nothing more meanwhile: a client that does not read
 * its answers is slowed by TCP's own flow control, not by our memory. */
#define CONN_BUF (16 * 1024)
struct conn {
	int fd;
	enum service svc;
	size_t len, off;	 /* echo: bytes held, and how many went back */
	unsigned long long sent; /* chargen: position in the stream */
	unsigned char buf[CONN_BUF];
};

struct conn *conn_new(int fd, enum service svc);
short conn_events(const struct conn *c);       /* what to poll for */
int conn_ready(struct conn *c, short revents); /* 0, or -1 when done */
void conn_free(struct conn *c);

/* The status line: counts and the heap's figures. */
int status_line(char *buf, size_t size);

/* The console as a client: the descriptor to poll for input (-1 once
 * there is none), and what to do when it has some. */
void console_client_init(void);
int console_client_fd(void);
void console_client_ready(void);

#endif
