/*
 * kvclient - dom0's client for examples/kv's crash consistency: it
 * writes keys and records every acknowledgement; after the guest was
 * destroyed and booted again on the same disk, it checks that every
 * acknowledged write is there with its last acknowledged value.
 *
 *   kvclient write ADDR ROUND CONNS SECONDS FILE [REWRITE_AT]
 *   kvclient check ADDR FILE
 *
 * write: CONNS connections, each with one SET in flight at a time, on
 * keys of its own (k<conn>_<0..19>), values "r<ROUND>c<conn>s<seq>".
 * Before each SET it appends "S key value" to FILE, on its +OK
 * "A key value" (unbuffered appends: the lines are in the file when the
 * guest is destroyed, whatever happens to this process). It stops after
 * SECONDS, or when the guest stops answering (the destroy). Every 10th
 * acknowledgement it prints "acked N", flushed at once. With REWRITE_AT,
 * after that many acknowledgements it sends BGREWRITEAOF on a connection
 * of its own (the log is compacted while the writes go on) and prints
 * "rewrite: " and the reply's line.
 *
 * check: for each key of FILE, the value the guest has now must be its
 * last acknowledged one, or one sent after it and never answered (a
 * write may be durable before its reply is lost with the guest, in any
 * round since); never an older one, never one that was not sent.
 * Prints "kvclient check: ok ..." and exits 0, or "kvclient check:
 * FAIL ..." and 1.
 *
 * Every wait has a deadline (STALL_MS without progress).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PORT	 6379
#define KEYS	 20 /* per connection */
#define MAXCONN	 64
#define STALL_MS 30000
#define MAXLINES 2000000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static int dial(const char *addr)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(PORT) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0 || inet_pton(AF_INET, addr, &sin.sin_addr) != 1 ||
	    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		fprintf(stderr, "kvclient: connect %s: %s\n", addr,
			strerror(errno));
		exit(1);
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void note(int fd, char what, const char *key, const char *val)
{
	char line[128];
	int n = snprintf(line, sizeof(line), "%c %s %s\n", what, key, val);

	if (write(fd, line, (size_t)n) != n) {
		perror("kvclient: ack file");
		exit(1);
	}
}

/* "acked N" on stdout every 10 acknowledgements, at once (dom0's case
 * waits for them on a FIFO before it starts a compaction and before it
 * destroys the guest). */
static void progress(long acked)
{
	printf("acked %ld\n", acked);
	fflush(stdout);
}

/* The first line of a reply on fd into in (NUL-terminated, without its
 * CR LF), STALL_MS at most; its length, 0 if none came. */
static size_t reply_line(int fd, char *in, size_t size)
{
	size_t len = 0;
	long long deadline = now_ms() + STALL_MS;

	while (len < size - 1 && !memchr(in, '\n', len) &&
	       now_ms() < deadline) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 1000) <= 0)
			continue;
		n = recv(fd, in + len, size - 1 - len, 0);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	in[len] = '\0';
	in[strcspn(in, "\r\n")] = '\0';
	return strlen(in);
}

/* BGREWRITEAOF on a connection of its own; "rewrite: " and its reply's
 * line printed. */
static void rewrite(const char *addr)
{
	static const char req[] = "*1\r\n$12\r\nBGREWRITEAOF\r\n";
	char in[128] = "";
	int fd = dial(addr);

	if (send(fd, req, sizeof(req) - 1, MSG_NOSIGNAL) ==
		    (ssize_t)sizeof(req) - 1 &&
	    reply_line(fd, in, sizeof(in)) > 0)
		printf("rewrite: %s\n", in);
	else
		printf("rewrite: no reply\n");
	fflush(stdout);
	close(fd);
}

struct wconn {
	int fd;
	long seq;
	char key[32], val[64];
	char in[16];
	size_t inlen;
};

static void send_set(struct wconn *c, int id, int round, int file)
{
	char req[160];
	int n;

	c->seq++;
	snprintf(c->key, sizeof(c->key), "k%d_%ld", id, c->seq % KEYS);
	snprintf(c->val, sizeof(c->val), "r%dc%ds%ld", round, id, c->seq);
	note(file, 'S', c->key, c->val);
	n = snprintf(req, sizeof(req),
		     "*3\r\n$3\r\nSET\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n",
		     strlen(c->key), c->key, strlen(c->val), c->val);
	if (send(c->fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		exit(0); /* the guest is gone */
	c->inlen = 0;
}

static int do_write(const char *addr, int round, int nconn, int seconds,
		    const char *path, long rewrite_at)
{
	static struct wconn c[MAXCONN];
	struct pollfd p[MAXCONN];
	int file = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	long long end = now_ms() + seconds * 1000LL, last = now_ms();
	long acked = 0;

	if (file < 0 || nconn < 1 || nconn > MAXCONN) {
		fprintf(stderr, "kvclient: bad arguments\n");
		return 2;
	}
	for (int i = 0; i < nconn; i++) {
		c[i].fd = dial(addr);
		send_set(&c[i], i, round, file);
	}
	while (now_ms() < end && now_ms() - last < STALL_MS) {
		for (int i = 0; i < nconn; i++)
			p[i] = (struct pollfd){ c[i].fd, POLLIN, 0 };
		if (poll(p, (nfds_t)nconn, 1000) < 0)
			break;
		for (int i = 0; i < nconn; i++) {
			ssize_t n;

			if (!p[i].revents)
				continue;
			n = recv(c[i].fd, c[i].in + c[i].inlen,
				 sizeof(c[i].in) - c[i].inlen, 0);
			if (n <= 0)
				goto out; /* the guest is gone */
			c[i].inlen += (size_t)n;
			if (c[i].inlen < 5)
				continue;
			if (c[i].inlen != 5 || memcmp(c[i].in, "+OK\r\n", 5)) {
				printf("kvclient write: FAIL reply '%.*s' to "
				       "SET %s\n",
				       (int)c[i].inlen, c[i].in, c[i].key);
				return 1;
			}
			note(file, 'A', c[i].key, c[i].val);
			if (++acked % 10 == 0)
				progress(acked);
			if (acked == rewrite_at)
				rewrite(addr);
			last = now_ms();
			send_set(&c[i], i, round, file);
		}
	}
out:
	printf("kvclient write: %ld acknowledged\n", acked);
	return 0;
}

/* Per key: its last acknowledged value, and every value sent after it
 * and never answered: each round's destroy can leave one, and each may
 * or may not have been made durable before the guest died (a write sent
 * in round 2 durable, round 4's lost: the key holds round 2's). At most
 * one a round: a connection waits for a reply before its next SET. */
#define MAXSENT 64

struct expect {
	char key[64], acked[64], sent[MAXSENT][64];
	int has_acked, nsent;
};

static struct expect keys[MAXCONN * KEYS];
static int nkeys;

static struct expect *find(const char *key)
{
	for (int i = 0; i < nkeys; i++)
		if (strcmp(keys[i].key, key) == 0)
			return &keys[i];
	if (nkeys == MAXCONN * KEYS)
		return NULL;
	snprintf(keys[nkeys].key, sizeof(keys[nkeys].key), "%s", key);
	return &keys[nkeys++];
}

/* The ack file: per key, its last acknowledged value and what was sent
 * after it (see struct expect). The S line of an acknowledged write is
 * the key's last before its A line. */
static int load(const char *path, long *acks)
{
	FILE *f = fopen(path, "r");
	char what, key[64], val[128];

	if (f == NULL)
		return -1;
	while (fscanf(f, " %c %63s %127s", &what, key, val) == 3) {
		struct expect *e = find(key);

		if (e == NULL || strlen(val) >= sizeof(e->acked))
			return -1;
		if (what == 'A') {
			snprintf(e->acked, sizeof(e->acked), "%s", val);
			e->has_acked = 1;
			e->nsent = 0;
			(*acks)++;
		} else if (e->nsent == MAXSENT) {
			return -1; /* more rounds than MAXSENT */
		} else {
			snprintf(e->sent[e->nsent], sizeof(e->sent[0]), "%s",
				 val);
			e->nsent++;
		}
	}
	fclose(f);
	return 0;
}

/* One RESP bulk reply from fd: 0 with val ("" and *nil for $-1). */
static int get_reply(int fd, char *val, size_t size, int *nil)
{
	static char buf[1 << 16];
	static size_t len;
	long long deadline = now_ms() + STALL_MS;

	for (;;) {
		char *crlf = memchr(buf, '\n', len);

		if (crlf != NULL && buf[0] == '$') {
			long n = strtol(buf + 1, NULL, 10);
			size_t head = (size_t)(crlf - buf) + 1;

			if (n < 0) {
				*nil = 1;
				val[0] = '\0';
				memmove(buf, buf + head, len - head);
				len -= head;
				return 0;
			}
			if ((size_t)n + 2 >= size)
				return -1;
			if (len >= head + (size_t)n + 2) {
				*nil = 0;
				memcpy(val, buf + head, (size_t)n);
				val[n] = '\0';
				memmove(buf, buf + head + n + 2,
					len - head - (size_t)n - 2);
				len -= head + (size_t)n + 2;
				return 0;
			}
		} else if (crlf != NULL) {
			return -1;
		}
		struct pollfd p = { fd, POLLIN, 0 };
		if (now_ms() > deadline || poll(&p, 1, 1000) < 0)
			return -1;
		if (p.revents) {
			ssize_t r = recv(fd, buf + len, sizeof(buf) - len, 0);

			if (r <= 0)
				return -1;
			len += (size_t)r;
		}
	}
}

/* Was val sent after the key's last acknowledgement (never answered)? */
static int sent_after_ack(const struct expect *e, const char *val)
{
	for (int i = 0; i < e->nsent; i++)
		if (strcmp(val, e->sent[i]) == 0)
			return 1;
	return 0;
}

/* Every key's GET in one send (pipelined: one round trip instead of one
 * a key, which cost seconds under the emulation); the replies come in
 * the same order. */
static int send_gets(int fd)
{
	static char req[MAXCONN * KEYS * 96]; /* a GET of a 63-byte key: 85 */
	size_t len = 0;

	for (int i = 0; i < nkeys; i++) {
		int n = snprintf(req + len, sizeof(req) - len,
				 "*2\r\n$3\r\nGET\r\n$%zu\r\n%s\r\n",
				 strlen(keys[i].key), keys[i].key);

		if (n < 0 || (size_t)n >= sizeof(req) - len)
			return -1;
		len += (size_t)n;
	}
	for (size_t off = 0; off < len;) {
		ssize_t n = send(fd, req + off, len - off, MSG_NOSIGNAL);

		if (n <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

static int do_check(const char *addr, const char *path)
{
	long acks = 0;
	int fd, bad = 0, inflight = 0;
	char val[128];

	if (load(path, &acks) < 0) {
		printf("kvclient check: FAIL cannot read %s\n", path);
		return 1;
	}
	fd = dial(addr);
	if (send_gets(fd) < 0) {
		printf("kvclient check: FAIL cannot send the GETs\n");
		return 1;
	}
	for (int i = 0; i < nkeys; i++) {
		struct expect *e = &keys[i];
		int nil;

		if (get_reply(fd, val, sizeof(val), &nil) < 0) {
			printf("kvclient check: FAIL no answer for %s\n",
			       e->key);
			return 1;
		}
		if (!nil && sent_after_ack(e, val)) {
			inflight++;
			continue;
		}
		if (e->has_acked && !nil && strcmp(val, e->acked) == 0)
			continue;
		if (!e->has_acked && nil)
			continue;
		if (bad++ < 5)
			printf("kvclient check: FAIL %s is '%s'%s, last "
			       "acknowledged '%s', %d sent after it, the last "
			       "'%s'\n",
			       e->key, val, nil ? " (nil)" : "", e->acked,
			       e->nsent,
			       e->nsent ? e->sent[e->nsent - 1] : "-");
	}
	if (bad)
		return 1;
	printf("kvclient check: ok %d keys, %ld acknowledged writes, %d "
	       "unanswered found durable\n",
	       nkeys, acks, inflight);
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 7 || argc == 8) && strcmp(argv[1], "write") == 0)
		return do_write(argv[2], atoi(argv[3]), atoi(argv[4]),
				atoi(argv[5]), argv[6],
				argc == 8 ? atol(argv[7]) : 0);
	if (argc == 4 && strcmp(argv[1], "check") == 0)
		return do_check(argv[2], argv[3]);
	fprintf(stderr, "usage: kvclient write ADDR ROUND CONNS SECONDS FILE "
			"[REWRITE_AT]\n"
			"       kvclient check ADDR FILE\n");
	return 2;
}
