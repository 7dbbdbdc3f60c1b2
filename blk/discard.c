/*
 * discard.c - which part of a range a discard may name.
 *
 * blkback offers discard-granularity G and discard-alignment A (bytes;
 * for a loop-backed image the host filesystem's block and 0): the disk
 * is cut into granules [A + kG, A + (k+1)G), and only whole granules
 * can go; a part of one would be a no-op for the backend, or worse, a
 * hole punched through data next to the range. So the range shrinks
 * to the whole granules inside it. No hypervisor here: tests/unit
 * builds it on the host.
 */
#include <xenlet/blk_ring.h>

void blk_discard_trim(uint64_t off, uint64_t len, uint64_t gran, uint64_t align,
		      uint64_t *start, uint64_t *n)
{
	uint64_t end = off + len, s, e;

	*start = off;
	*n = len;
	if (gran == 0)
		return; /* any sector may go */
	/* The first granule boundary at or after off; below align the
	 * disk starts inside a granule, which is never whole. */
	s = off <= align ? align : off + (gran - (off - align) % gran) % gran;
	if (end < align + gran) {
		*n = 0;
		return;
	}
	e = end - (end - align) % gran; /* the last one at or before end */
	*start = s;
	*n = e > s ? e - s : 0;
}
