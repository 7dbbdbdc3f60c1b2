/*
 * pattern.h - the byte that belongs at each offset of a test disk, for a
 * seed: the guests of the blk cases and dom0's blkpat helper compute the
 * same bytes, so either side can write a pattern and the other check it.
 * A mix of the 8-byte block number and the seed (splitmix64's steps), so
 * a sector written at the wrong offset or by the wrong seed shows.
 */
#ifndef XENLET_TESTS_PATTERN_H
#define XENLET_TESTS_PATTERN_H

#include <stdint.h>

static inline uint8_t pattern(uint32_t seed, uint64_t off)
{
	uint64_t x = (off >> 3) * 0x9e3779b97f4a7c15ULL ^
		     ((uint64_t)seed << 32 | seed);

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 32;
	return (uint8_t)(x >> ((off & 7) * 8));
}

#endif
