/*
 * crc32c.c - CRC-32C (Castagnoli, the polynomial iSCSI, ext4 and btrfs
 * use for their metadata), one table lookup per byte: the log's
 * records are checked with it at boot and sealed with it on write.
 * crc32c(crc32c(0, a), b) is the CRC of a then b.
 */
#include <stddef.h>
#include <stdint.h>
#include "log.h"

#define POLY 0x82f63b78u /* 0x1edc6f41, bit-reversed */

uint32_t crc32c(uint32_t crc, const void *buf, size_t n)
{
	static uint32_t table[256];
	const uint8_t *p = buf;

	if (table[1] == 0) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? (c >> 1) ^ POLY : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (n-- > 0)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
