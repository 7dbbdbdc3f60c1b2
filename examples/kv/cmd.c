/*
 * cmd.c - the command table and what runs before every command: the
 * lookup (names in any case, as Redis takes them), Redis's arity rule,
 * and the refusals that do not depend on the command's arguments
 * (writes after a log failure; growth above maxmemory). The words of
 * each error are Redis 7's.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "kv.h"
#include "resp.h"

#define C(n, a, f, fn, k1, k2, s)                                              \
	{                                                                      \
		n, a, f, fn, k1, k2, s                                         \
	}
#define W CMD_WRITE
#define D CMD_DENYOOM
#define R CMD_READONLY
#define F CMD_FAST

const struct command commands[] = {
	C("get", 2, R | F, cmd_get, 1, 1, 1),
	C("set", -3, W | D, cmd_set, 1, 1, 1),
	C("getset", 3, W | D | F, cmd_getset, 1, 1, 1),
	C("incr", 2, W | D | F, cmd_incr, 1, 1, 1),
	C("decr", 2, W | D | F, cmd_decr, 1, 1, 1),
	C("incrby", 3, W | D | F, cmd_incrby, 1, 1, 1),
	C("decrby", 3, W | D | F, cmd_decrby, 1, 1, 1),
	C("append", 3, W | D | F, cmd_append, 1, 1, 1),
	C("strlen", 2, R | F, cmd_strlen, 1, 1, 1),
	C("mget", -2, R | F, cmd_mget, 1, -1, 1),
	C("mset", -3, W | D, cmd_mset, 1, -1, 2),
	C("del", -2, W, cmd_del, 1, -1, 1),
	C("exists", -2, R | F, cmd_exists, 1, -1, 1),
	C("expire", -3, W | F, cmd_expire, 1, 1, 1),
	C("pexpire", -3, W | F, cmd_pexpire, 1, 1, 1),
	C("ttl", 2, R | F, cmd_ttl, 1, 1, 1),
	C("pttl", 2, R | F, cmd_pttl, 1, 1, 1),
	C("persist", 2, W | F, cmd_persist, 1, 1, 1),
	C("type", 2, R | F, cmd_type, 1, 1, 1),
	C("keys", 2, R, cmd_keys, 0, 0, 0),
	C("scan", -2, R, cmd_scan, 0, 0, 0),
	C("dbsize", 1, R | F, cmd_dbsize, 0, 0, 0),
	C("flushall", -1, W, cmd_flushall, 0, 0, 0),
	C("flushdb", -1, W, cmd_flushall, 0, 0, 0),
	C("ping", -1, F, cmd_ping, 0, 0, 0),
	C("echo", 2, F, cmd_echo, 0, 0, 0),
	C("select", 2, F, cmd_select, 0, 0, 0),
	C("quit", -1, F, cmd_quit, 0, 0, 0),
	C("command", -1, 0, cmd_command, 0, 0, 0),
	C("info", -1, 0, cmd_info, 0, 0, 0),
	C("config", -2, 0, cmd_config, 0, 0, 0),
	C("bgrewriteaof", 1, 0, cmd_bgrewriteaof, 0, 0, 0),
};
const size_t ncommands = sizeof(commands) / sizeof(commands[0]);

const struct command *cmd_lookup(const char *name, size_t n)
{
	for (size_t i = 0; i < ncommands; i++)
		if (strlen(commands[i].name) == n &&
		    strncasecmp(commands[i].name, name, n) == 0)
			return &commands[i];
	return NULL;
}

int arg_is(const struct call *c, int i, const char *word)
{
	return c->argl[i] == strlen(word) &&
	       strncasecmp(c->argv[i], word, c->argl[i]) == 0;
}

int arg_ll(struct call *c, int i, long long *v)
{
	if (resp_strict_ll(c->argv[i], c->argl[i], v) == 0)
		return 0;
	reply_error(c->out, "ERR value is not an integer or out of range");
	return -1;
}

/* "ERR unknown command 'foo', with args beginning with: 'a' 'b' ":
 * each argument quoted and followed by a space, until 128 bytes of
 * them are shown. */
static void unknown(struct call *c)
{
	char args[160];
	size_t n = 0;

	args[0] = '\0';
	for (int i = 1; i < c->argc && n < 128; i++) {
		int room = 128 - (int)n;
		int len = c->argl[i] < (size_t)room ? (int)c->argl[i] : room;
		int w = snprintf(args + n, sizeof(args) - n, "'%.*s' ", len,
				 c->argv[i]);

		if (w < 0 || (size_t)w >= sizeof(args) - n)
			break;
		n += (size_t)w;
	}
	reply_errorf(
		c->out, "unknown command '%.*s', with args beginning with: %s",
		(int)(c->argl[0] < 128 ? c->argl[0] : 128), c->argv[0], args);
}

void cmd_exec(struct call *c)
{
	const struct command *cmd = cmd_lookup(c->argv[0], c->argl[0]);

	kv.commands++;
	if (cmd == NULL) {
		unknown(c);
		return;
	}
	if ((cmd->arity > 0 && c->argc != cmd->arity) ||
	    c->argc < -cmd->arity) {
		reply_errorf(c->out,
			     "wrong number of arguments for '%s' command",
			     cmd->name);
		return;
	}
	if ((cmd->flags & CMD_WRITE) && kv.log_failed) {
		reply_misconf(c->out, kv.log_failed);
		return;
	}
	if ((cmd->flags & CMD_DENYOOM) && kv.maxmemory &&
	    kv.db.used > kv.maxmemory) {
		reply_error(c->out, "OOM command not allowed when used memory "
				    "> 'maxmemory'.");
		return;
	}
	cmd->fn(c);
}
