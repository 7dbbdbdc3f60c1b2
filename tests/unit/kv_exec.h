/*
 * kv_exec.h - for kv's host tests (test_kvcommit, test_kvrewrite): one
 * command line run through kv's own parser and command table, and the
 * data set's entries as sorted text for comparing two data sets.
 */
#ifndef KV_EXEC_H
#define KV_EXEC_H

static struct resp_cmd cmd;

static void exec(const char *line, struct outbuf *o)
{
	static char buf[64 << 10];
	size_t n = strlen(line);
	struct call c;

	assert_true(n < sizeof(buf));
	memcpy(buf, line, n);
	buf[n++] = '\n';
	assert_int_equal(resp_parse(buf, n, &cmd), (long)n);
	c = (struct call){ o, cmd.argc, cmd.argv, cmd.argl, 0 };
	cmd_exec(&c);
}

/* One entry as "key=value@expiry;", for db_scan. */
static void collect(struct entry *e, void *arg)
{
	char ***p = arg;

	assert_true(asprintf(*p, "%.*s=%.*s@%lld;", (int)e->klen, e->key,
			     (int)e->vlen, e->val, (long long)e->expire) > 0);
	(*p)++;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#endif
