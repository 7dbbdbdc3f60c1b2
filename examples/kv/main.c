/*
 * kv - a Redis-protocol key-value store on port 6379 whose data set
 * survives on the guest's disk (the first vbd, /dev/xvda): every change
 * is appended to a checksummed log there (log.h) and acknowledged only
 * once durable; the log is replayed at boot.
 *
 *   xl create config/kv.cfg          (extra = "ip=10.99.0.2/24")
 *   redis-cli -h 10.99.0.2 set k v   (from dom0)
 *
 * Words of extra=: appendfsync=always (the default: a write is
 * answered once it is on the disk) or everysec (flushed once a second,
 * as Redis's option of the same name); maxmemory=BYTES (the default:
 * half the memory free at boot); auto_aof_rewrite_percentage=N (the
 * log is compacted once it has grown by N% since the last compaction,
 * or its half of the disk is nearly full; 100 by default, 0 never);
 * disk=PATH (default /dev/xvda; none: the data set lives in memory
 * only).
 *
 * An ordinary POSIX program: one poll() loop over every client
 * (server.c). Only xen.c knows it runs on xenlet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xenlet/blk_file.h>
#include <xenlet/control.h>
#include "server.h"

static struct kvlog log_;

static int listener(void)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(KV_PORT),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, SOMAXCONN) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int config(void)
{
	const char *f = getenv("appendfsync"), *m = getenv("maxmemory");
	const char *r = getenv("auto_aof_rewrite_percentage");
	char *end;

	kv.fsync = FSYNC_ALWAYS;
	if (f != NULL && strcmp(f, "everysec") == 0)
		kv.fsync = FSYNC_EVERYSEC;
	else if (f != NULL && strcmp(f, "always") != 0) {
		printf("kv: appendfsync=%s: always or everysec\n", f);
		return -1;
	}
	kv.rewrite_pct = 100;
	if (r != NULL) {
		unsigned long v = strtoul(r, &end, 10);

		if (*r < '0' || *r > '9' || *end != '\0' || v > 1000000) {
			printf("kv: auto_aof_rewrite_percentage=%s: a "
			       "percentage, 0 for never\n",
			       r);
			return -1;
		}
		kv.rewrite_pct = (unsigned)v;
	}
	kv.maxmemory = free_memory() / 2;
	if (m != NULL) {
		unsigned long long v = strtoull(m, &end, 10);

		if (*m < '0' || *m > '9' || *end != '\0') {
			printf("kv: maxmemory=%s: a number of bytes\n", m);
			return -1;
		}
		kv.maxmemory = (size_t)v;
	}
	return 0;
}

/* What replay found, in one line (two if a bad record cut the log). */
static void report(const char *path, const struct log_replay *r, int64_t ms)
{
	if (r->why != NULL && r->dropped_records <= 1)
		printf("kv: log: torn tail at offset %llu (%s): cut, %llu "
		       "bytes dropped\n",
		       (unsigned long long)r->end, r->why,
		       (unsigned long long)r->dropped);
	else if (r->why != NULL)
		printf("kv: log: corrupt record at offset %llu (%s): replay "
		       "stops there, %llu records (%llu bytes) dropped\n",
		       (unsigned long long)r->end, r->why,
		       (unsigned long long)r->dropped_records,
		       (unsigned long long)r->dropped);
	printf("kv: log %s: %llu records replayed, %zu keys, %llu bytes, "
	       "%lld ms (generation %u)\n",
	       path, (unsigned long long)r->records, kv.db.count,
	       (unsigned long long)r->end, (long long)ms, log_.gen);
}

static int open_log(void)
{
	const char *path = getenv("disk");
	struct log_dev dev;
	struct log_replay r;
	int64_t t0;
	int rc;

	if (path == NULL)
		path = "/dev/xvda";
	blk_files_init();
	rc = disk_open(path, &dev);
	if (rc < 0) {
		printf("kv: %s: %s: the data set lives in memory only\n", path,
		       strerror(-rc));
		return 0;
	}
	kv.db.now = epoch_ms();
	t0 = mono_ms(); /* the replay's time, the disk already connected */
	rc = log_open(&log_, &dev, store_apply, &kv.db, &r);
	if (rc == -EINVAL)
		printf("kv: %s holds something else than a kv log (neither "
		       "its header nor zeros): not touched\n",
		       path);
	else if (rc < 0)
		printf("kv: log %s: %s (%llu records read)\n", path,
		       strerror(-rc), (unsigned long long)r.records);
	if (rc < 0)
		return -1;
	report(path, &r, mono_ms() - t0);
	kv.log = &log_;
	kv.rewrite_base = log_.end - log_.start;
	return 0;
}

static void stop_report(void)
{
	if (kv.log && log_sync(kv.log) < 0)
		printf("kv: log: flush failed at shutdown\n");
	printf("kv: stop: %zu keys, %lu commands, log %llu bytes\n",
	       kv.db.count, kv.commands,
	       kv.log ? (unsigned long long)kv.log->end : 0ull);
}

int main(void)
{
	int fd;

	if (config() < 0 || db_init(&kv.db) < 0)
		return 2;
	if (open_log() < 0)
		return 1;
	fd = listener();
	if (fd < 0) {
		printf("kv: tcp port %d: %s\n", KV_PORT, strerror(errno));
		return 1;
	}
	control_on_stop(stop_report);
	printf("kv: serving redis on port %d (appendfsync %s, maxmemory "
	       "%zu)\n",
	       KV_PORT, kv.fsync == FSYNC_ALWAYS ? "always" : "everysec",
	       kv.maxmemory);
	fflush(stdout);
	serve(fd);
}
