# memhigh: a PVH guest larger than the RAM below its MMIO hole gets all
# of its memory. libxl ends a PVH guest's low RAM at 0xfc000000 (4032
# MiB); of a 4352 MiB guest the other 320 MiB lie above 4 GiB, a second
# RAM entry in hvm_start_info's memory map. The test host is booted with
# 6 GiB for this (tests/integration/run). PV has no such hole: its
# pseudo-physical memory is one range, which the memory case covers.
CASE_TYPES="pvh"

on_dom0() {
	xh_guest_run memhigh "$(guest_cfg memhigh memory 'memory = 4352')" 300
}

on_host() {
	local high
	test_begin memory-above-4GiB
	check_memory memhigh 4352 97
	high=$(console_of memhigh | sed -n 's/^memory: highest page at 0x\([0-9a-f]*\)$/\1/p')
	echo "    memhigh: highest page at 0x${high:-?}"
	[ -n "$high" ] && (((16#$high) >= (1 << 32) + (256 << 20))) ||
		test_fail "memhigh: no memory handed out above 4 GiB + 256 MiB"
	test_end
}
