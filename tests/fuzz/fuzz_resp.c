/*
 * fuzz_resp.c - libFuzzer target for examples/kv's request parser
 * (resp.c): the input is a client's bytes, parsed command after
 * command as the server does. What is taken must lie inside the
 * input, every argument inside what was taken and within the bounds,
 * and a command is never taken from a prefix of itself: the bytes that
 * complete it decide, so a partial parse never gives a command.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../examples/kv/resp.h"

static struct resp_cmd cmd, cmd2;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size ? size : 1), *copy = malloc(size ? size : 1);
	size_t off = 0;

	memcpy(buf, data, size);
	while (off < size) {
		long n;

		memcpy(copy, buf + off, size - off);
		n = resp_parse(buf + off, size - off, &cmd);
		if (n <= 0)
			break;
		if ((size_t)n > size - off || cmd.argc < 0 ||
		    cmd.argc > RESP_ARGS_MAX)
			abort();
		for (int i = 0; i < cmd.argc; i++)
			if (cmd.argv[i] < buf + off ||
			    cmd.argl[i] > RESP_BULK_MAX ||
			    cmd.argv[i] + cmd.argl[i] > buf + off + n)
				abort();
		/* No shorter prefix is already a whole command. */
		if (n > 1 && resp_parse(copy, (size_t)n - 1, &cmd2) > 0)
			abort();
		off += (size_t)n;
	}
	free(buf);
	free(copy);
	return 0;
}
