/*
 * flood - writes 1 MiB to the console and its POSIX cksum (CRC and
 * length, as cksum(1) prints them). dom0 recomputes the cksum over what
 * arrived in the log: any byte lost, doubled or reordered shows.
 *
 * The payload is 16384 lines of 64 bytes: a line number and
 * pseudo-random letters, so that every line differs.
 */
#include <stdint.h>
#include <xenlet/xenlet.h>

#define LINES	 16384
#define LINE_LEN 64

/* POSIX cksum: CRC-32, polynomial 0x04C11DB7, most significant bit first. */
static uint32_t crc_update(uint32_t crc, unsigned char byte)
{
	int i;

	crc ^= (uint32_t)byte << 24;
	for (i = 0; i < 8; i++)
		crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
	return crc;
}

/* cksum ends with the length, least significant byte first, then ~. */
static uint32_t crc_finish(uint32_t crc, uint64_t len)
{
	for (; len != 0; len >>= 8)
		crc = crc_update(crc, len & 0xff);
	return ~crc;
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void make_line(char *line, int n, uint32_t *seed)
{
	int i = snprintk(line, LINE_LEN, "%05d ", n);

	for (; i < LINE_LEN - 1; i++)
		line[i] = 'a' + xorshift(seed) % 26;
	line[LINE_LEN - 1] = '\n';
}

int main(int argc, char **argv)
{
	char line[LINE_LEN + 1];
	uint32_t seed = 2463534242u, crc = 0;
	uint64_t len = 0;
	int n, i;

	(void)argc;
	(void)argv;
	printk("flood begin\n");
	for (n = 0; n < LINES; n++) {
		make_line(line, n, &seed);
		for (i = 0; i < LINE_LEN; i++)
			crc = crc_update(crc, (unsigned char)line[i]);
		len += LINE_LEN;
		line[LINE_LEN] = '\0';
		printk("%s", line);
	}
	printk("flood end cksum=%u len=%lu\n", crc_finish(crc, len),
	       (unsigned long)len);
	return 0;
}
