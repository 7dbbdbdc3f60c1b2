/*
 * fuzz_ipconf.c - libFuzzer target for the static address settings
 * (net/ipconf.c): the input is split at its first two NUL bytes into
 * ip=, gw= and dns= (a missing part is "not given"), and the whole of
 * it is also an xl ip key. Whatever is accepted must be a setting the
 * guest can use: a host address on its own subnet, a gateway on it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../../net/ipconf.h"

static void check(const struct ipconf *c)
{
	uint32_t mask = ipconf_mask(c->prefix), top = c->addr >> 24;

	if (c->prefix < 1 || c->prefix > 32 || top == 0 || top == 127 ||
	    top >= 224)
		abort();
	if (c->gw && ((c->gw & mask) != (c->addr & mask) || c->gw == c->addr))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 3), *parts[3] = { NULL, NULL, NULL };
	struct ipconf c;
	const char *why;
	size_t i, n = 0;

	memcpy(buf, data, size);
	buf[size] = buf[size + 1] = buf[size + 2] = '\0';
	if (ipconf_parse_xl(buf, &c, &why) == 0)
		check(&c);
	parts[n++] = buf;
	for (i = 0; i < size && n < 3; i++)
		if (buf[i] == '\0')
			parts[n++] = buf + i + 1;
	/* An empty part is "not given" (an empty ip is tried too). */
	if (ipconf_parse(parts[0], n > 1 && *parts[1] ? parts[1] : NULL,
			 n > 2 && *parts[2] ? parts[2] : NULL, &c, &why) == 0)
		check(&c);
	else if (why == NULL || *why == '\0')
		abort();
	free(buf);
	return 0;
}
