/*
 * fuzz_inet.c - libFuzzer target: xenlet's inet_pton, inet_ntop and
 * inet_aton (built under xenlet_ names, tests/unit/inet_xenlet.h)
 * against glibc's on the same input. Any difference aborts: a text one
 * accepts and the other rejects, different bytes, a different printed
 * form, or a printed form that does not parse back to the same bytes.
 *
 * Input: [mode] [bytes...]. The bytes, as a NUL-terminated text, go to
 * the parsers: as they are when mode is even, else each mapped onto
 * the characters of address texts, so most inputs come close to one.
 * Their first 16 (zero-padded) are an address for the printers.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/inet_xenlet.h"

/* Print a with both, compare, and parse the text back with ours. */
static void check_ntop(int af, const uint8_t *a, size_t len)
{
	char g[INET6_ADDRSTRLEN], x[INET6_ADDRSTRLEN];
	uint8_t back[16];

	if (inet_ntop(af, a, g, sizeof(g)) == NULL ||
	    xenlet_inet_ntop(af, a, x, sizeof(x)) != x || strcmp(g, x) != 0)
		abort();
	if (xenlet_inet_pton(af, x, back) != 1 || memcmp(back, a, len) != 0)
		abort();
}

static void check_pton(int af, const char *text, size_t len)
{
	uint8_t g[16] = { 0 }, x[16] = { 0 };
	int rg = inet_pton(af, text, g), rx = xenlet_inet_pton(af, text, x);

	if (rg != rx || memcmp(g, x, sizeof(g)) != 0)
		abort();
	if (rx == 1)
		check_ntop(af, x, len);
}

static void check_aton(const char *text)
{
	struct in_addr g = { 0 }, x = { 0 };

	if (inet_aton(text, &g) != xenlet_inet_aton(text, &x) ||
	    g.s_addr != x.s_addr || inet_addr(text) != xenlet_inet_addr(text))
		abort();
}

/* Digits and separators, with zeros and colons weighted up. */
static const char alphabet[] = "0123456789abcdefABCDEF::::...00x ";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t addr[16] = { 0 };
	char *text;
	int mode;

	if (size == 0)
		return 0;
	mode = data[0];
	data++, size--;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	for (size_t i = 0; i < size; i++)
		text[i] = mode & 1 ? alphabet[data[i] % (sizeof(alphabet) - 1)]
				   : (char)data[i];
	text[size] = '\0';
	check_pton(AF_INET, text, 4);
	check_pton(AF_INET6, text, 16);
	check_aton(text);
	free(text);
	memcpy(addr, data, size < 16 ? size : 16);
	check_ntop(AF_INET, addr, 4);
	check_ntop(AF_INET6, addr, 16);
	return 0;
}
