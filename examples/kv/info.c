/*
 * info.c - INFO's text: "# Section" headers and "field:value" lines,
 * Redis's field names where the meaning is the same, so that tools
 * that read them (redis-cli --stat, monitoring) find them.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "kv.h"

static int wanted(const char *sec, size_t n, const char *name)
{
	return (n == 7 && strncasecmp(sec, "default", 7) == 0) ||
	       (n == 3 && strncasecmp(sec, "all", 3) == 0) ||
	       (n == strlen(name) && strncasecmp(sec, name, n) == 0);
}

void info_reply(struct outbuf *o, const char *sec, size_t n)
{
	char text[1024];
	size_t len = 0;
	int w = 0;

#define ADD(...)                                                               \
	do {                                                                   \
		w = snprintf(text + len, sizeof(text) - len, __VA_ARGS__);     \
		if (w > 0 && (size_t)w < sizeof(text) - len)                   \
			len += (size_t)w;                                      \
	} while (0)
	if (wanted(sec, n, "server"))
		ADD("# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone"
		    "\r\nos:xenlet\r\narch_bits:64\r\ntcp_port:6379\r\n\r\n");
	if (wanted(sec, n, "clients"))
		ADD("# Clients\r\nconnected_clients:%lu\r\n\r\n",
		    kv.connections);
	if (wanted(sec, n, "memory"))
		ADD("# Memory\r\nused_memory:%zu\r\nmaxmemory:%zu\r\n"
		    "maxmemory_policy:noeviction\r\n\r\n",
		    kv.db.used, kv.maxmemory);
	if (wanted(sec, n, "persistence"))
		ADD("# Persistence\r\nloading:0\r\naof_enabled:%d\r\n"
		    "aof_rewrite_in_progress:%d\r\naof_rewrites:%lu\r\n"
		    "aof_last_write_status:%s\r\naof_current_size:%llu\r\n"
		    "aof_base_size:%llu\r\n\r\n",
		    kv.log != NULL, kv.log && kv.log->rw.active, kv.rewrites,
		    kv.log_failed ? "err" : "ok",
		    kv.log ? (unsigned long long)(kv.log->end - kv.log->start)
			   : 0ull,
		    (unsigned long long)kv.rewrite_base);
	if (wanted(sec, n, "stats"))
		ADD("# Stats\r\ntotal_commands_processed:%lu\r\n"
		    "expired_keys:%lu\r\n\r\n",
		    kv.commands, kv.db.expired);
	if (wanted(sec, n, "keyspace")) {
		ADD("# Keyspace\r\n");
		if (kv.db.count)
			ADD("db0:keys=%zu,expires=0,avg_ttl=0\r\n",
			    kv.db.count);
	}
#undef ADD
	/* No blank line after the last section, as Redis's. */
	while (len >= 2 && text[len - 2] == '\r' && len >= 4 &&
	       text[len - 4] == '\r')
		len -= 2;
	reply_bulk(o, text, len);
}
