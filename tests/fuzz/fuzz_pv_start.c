/*
 * fuzz_pv_start.c - libFuzzer target for the checks of PV start_info
 * (arch/x86/pv_start_info.c): its numbers, the p2m list and Xen's M2P
 * table are all under the fuzzer's control.
 *
 * Input: start_info's numbers (nr_pages, the console and XenStore
 * MFNs, pt_base, nr_pt_frames: 8 bytes each), then the M2P (8-byte
 * entries) and the p2m list, half of the rest each. Each is a heap
 * block of exactly its size, so ASan sees any read past it.
 * Whenever the checks accept, the PFNs are our own and there is free
 * memory after the bootstrap structures.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "start_info.h"

static void check(int ok)
{
	if (!ok)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	start_info_t si;
	unsigned long *m2p, n, m2p_entries;
	xen_pfn_t *p2m;
	struct pv_boot b;

	if (size < 5 * 8)
		return 0;
	memset(&si, 0, sizeof(si));
	memcpy(&si.nr_pages, data, 8);
	memcpy(&si.console.domU.mfn, data + 8, 8);
	memcpy(&si.store_mfn, data + 16, 8);
	memcpy(&si.pt_base, data + 24, 8);
	memcpy(&si.nr_pt_frames, data + 32, 8);
	data += 5 * 8;
	size -= 5 * 8;
	/* Half of the rest is the M2P, half the p2m; nr_pages is at most
	 * the p2m's length (Xen's definition of mfn_list). */
	m2p_entries = size / 16;
	n = (size - m2p_entries * 8) / 8;
	m2p = malloc(m2p_entries * 8 + 1);
	p2m = malloc(n * 8 + 1);
	memcpy(m2p, data, m2p_entries * 8);
	memcpy(p2m, data + m2p_entries * 8, n * 8);
	if (si.nr_pages > n)
		si.nr_pages = n;
	si.mfn_list = (unsigned long)p2m;
	if (pv_check_start_info(&b, &si, m2p, m2p_entries) == NULL) {
		check(b.console_pfn < si.nr_pages &&
		      p2m[b.console_pfn] == si.console.domU.mfn);
		check(b.store_pfn < si.nr_pages &&
		      p2m[b.store_pfn] == si.store_mfn);
		check(b.first_free_pfn < b.nr_pages &&
		      b.first_free_pfn > si.pt_base / 4096);
		check(b.nr_pages == si.nr_pages);
	}
	free(m2p);
	free(p2m);
	return 0;
}
