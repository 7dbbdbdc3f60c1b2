# memory: guests of 16 and 512 MiB see their size, can take almost all
# of it, page by page and in large blocks, and get every page back.

on_dom0() {
	xh_guest_run mem16 "$(guest_cfg mem16 memory 'memory = 16')" 120
	xh_guest_run mem512 "$(guest_cfg mem512 memory 'memory = 512')" 300
}

on_host() {
	test_begin memory-16MiB
	check_memory mem16 16 85
	test_end

	test_begin memory-512MiB
	check_memory mem512 512 97
	test_end
}
