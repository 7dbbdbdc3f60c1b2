# memory: guests of 16 and 512 MiB see their size, can take almost all
# of it, page by page and in large blocks, and get every page back.

on_dom0() {
	xh_guest_run mem16 "$(guest_cfg mem16 memory 'memory = 16')" 120
	xh_guest_run mem512 "$(guest_cfg mem512 memory 'memory = 512')" 300
}

# check_memory GUEST MIB MIN_PERCENT_USABLE
check_memory() {
	local pages=$(($2 * 256)) free
	expect_text "$1" "memory: $pages pages ($2 MiB)"
	free=$(console_of "$1" | sed -n 's/^memory: [0-9]* pages ([0-9]* MiB), \([0-9]*\) free at main$/\1/p')
	if [ -z "$free" ]; then
		test_fail "$1: no free count"
		return
	fi
	echo "    $1: $free of $pages pages free at main ($((free * 100 / pages)) %)"
	((free * 100 >= pages * $3)) || test_fail "$1: only $free of $pages pages usable"
	expect_lines_matching "$1" "^memory: round [12]: $free pages one by one, $free in large blocks, $free free after\$" 2
	expect_reason "$1" poweroff
}

on_host() {
	test_begin memory-16MiB
	check_memory mem16 16 85
	test_end

	test_begin memory-512MiB
	check_memory mem512 512 97
	test_end
}
