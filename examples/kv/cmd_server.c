/*
 * cmd_server.c - the commands about the connection and the server:
 * PING ECHO SELECT QUIT COMMAND INFO CONFIG. COMMAND and CONFIG GET say
 * enough for redis-cli and redis-benchmark (which asks CONFIG GET save
 * and appendonly when it starts); INFO's fields are Redis's names.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "kv.h"

void cmd_ping(struct call *c)
{
	if (c->argc > 2) {
		reply_error(c->out,
			    "ERR wrong number of arguments for 'ping' command");
		return;
	}
	if (c->argc == 2)
		reply_bulk(c->out, c->argv[1], c->argl[1]);
	else
		reply_status(c->out, "PONG");
}

void cmd_echo(struct call *c)
{
	reply_bulk(c->out, c->argv[1], c->argl[1]);
}

void cmd_select(struct call *c)
{
	long long db;

	if (arg_ll(c, 1, &db) < 0)
		return;
	if (db != 0)
		reply_error(c->out, "ERR DB index is out of range");
	else
		reply_ok(c->out);
}

void cmd_quit(struct call *c)
{
	reply_ok(c->out);
	c->quit = 1;
}

static void unknown_sub(struct call *c, const char *cmd)
{
	reply_errorf(c->out, "unknown subcommand '%.*s'. Try %s HELP.",
		     (int)(c->argl[1] < 128 ? c->argl[1] : 128), c->argv[1],
		     cmd);
}

/* One command as COMMAND describes it (Redis 7, RESP2): name, arity,
 * flags, first key, last key, step, ACL categories, tips, key specs,
 * subcommands. */
static void describe(struct outbuf *o, const struct command *cmd)
{
	static const char *const names[] = { "write", "denyoom", "readonly",
					     "fast" };
	int nflags = 0;

	reply_array(o, 10);
	reply_cstr(o, cmd->name);
	reply_int(o, cmd->arity);
	for (int i = 0; i < 4; i++)
		nflags += (cmd->flags >> i) & 1;
	reply_array(o, nflags);
	for (int i = 0; i < 4; i++)
		if (cmd->flags & (1u << i))
			reply_status(o, names[i]);
	reply_int(o, cmd->first_key);
	reply_int(o, cmd->last_key);
	reply_int(o, cmd->step);
	for (int i = 0; i < 4; i++)
		reply_array(o, 0);
}

void cmd_command(struct call *c)
{
	if (c->argc == 1) {
		reply_array(c->out, (long long)ncommands);
		for (size_t i = 0; i < ncommands; i++)
			describe(c->out, &commands[i]);
	} else if (arg_is(c, 1, "count") && c->argc == 2) {
		reply_int(c->out, (long long)ncommands);
	} else if (arg_is(c, 1, "info")) {
		reply_array(c->out, c->argc - 2);
		for (int i = 2; i < c->argc; i++) {
			const struct command *cmd =
				cmd_lookup(c->argv[i], c->argl[i]);

			if (cmd)
				describe(c->out, cmd);
			else
				reply_nil(c->out);
		}
	} else if (arg_is(c, 1, "docs")) {
		/* No docs: redis-cli falls back on its own help. */
		reply_array(c->out, 0);
	} else {
		unknown_sub(c, "COMMAND");
	}
}

void cmd_info(struct call *c)
{
	if (c->argc > 2) {
		reply_error(c->out, "ERR syntax error");
		return;
	}
	info_reply(c->out, c->argc == 2 ? c->argv[1] : "default",
		   c->argc == 2 ? c->argl[1] : 7);
}

/* CONFIG GET: the parameters a Redis client asks about, with values
 * that say what this server does. */
void cmd_config(struct call *c)
{
	char maxmem[24];
	const char *params[][2] = {
		{ "appendonly", kv.log ? "yes" : "no" },
		{ "appendfsync",
		  kv.fsync == FSYNC_ALWAYS ? "always" : "everysec" },
		{ "save", "" },
		{ "databases", "1" },
		{ "maxmemory", maxmem },
		{ "maxmemory-policy", "noeviction" },
		{ "proto-max-bulk-len", "524288" },
	};
	size_t np = sizeof(params) / sizeof(params[0]);
	int n = 0;

	if (!arg_is(c, 1, "get")) {
		unknown_sub(c, "CONFIG");
		return;
	}
	if (c->argc < 3) {
		reply_error(c->out, "ERR wrong number of arguments for "
				    "'config|get' command");
		return;
	}
	snprintf(maxmem, sizeof(maxmem), "%zu", kv.maxmemory);
	for (size_t p = 0; p < np; p++)
		for (int i = 2; i < c->argc; i++)
			if (glob_match(c->argv[i], c->argl[i], params[p][0],
				       strlen(params[p][0]), 1)) {
				n++;
				break;
			}
	reply_array(c->out, 2 * n);
	for (size_t p = 0; p < np; p++)
		for (int i = 2; i < c->argc; i++)
			if (glob_match(c->argv[i], c->argl[i], params[p][0],
				       strlen(params[p][0]), 1)) {
				reply_cstr(c->out, params[p][0]);
				reply_cstr(c->out, params[p][1]);
				break;
			}
}

/* The log's compaction (rewrite.c), in the background as Redis's: the
 * reply comes at once, the switch some rounds later. */
void cmd_bgrewriteaof(struct call *c)
{
	int rc = store_rewrite_start();

	if (rc == -EBUSY)
		reply_error(c->out, "ERR Background append only file "
				    "rewriting already in progress");
	else if (rc < 0)
		reply_errorf(c->out, "cannot rewrite the log: %s",
			     rc == -ENODEV ? "there is no disk"
			     : rc == -EIO  ? "its last write failed"
					   : "it spans the whole disk");
	else
		reply_status(c->out,
			     "Background append only file rewriting started");
}
