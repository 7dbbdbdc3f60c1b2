# nullderef: a write through NULL faults (page 0 is unmapped); the report
# names address 0 and a RIP inside main, and the domain crashes.

on_dom0() {
	xh_guest_run nullderef "$(guest_cfg nullderef nullderef)" 60
}

# Is hex address $2 inside symbol $3 of image $1?
address_in_symbol() {
	local addr=$((16#$2)) start size
	read -r start size < <(nm -S "$1" | awk -v s="$3" '$4 == s { print $1, $2 }')
	[ -n "$start" ] && ((addr >= 16#$start && addr < 16#$start + 16#$size))
}

on_host() {
	local rip
	test_begin null-dereference-faults
	expect_text nullderef 'xenlet: page fault at address 0x0: write not present'
	expect_no_text nullderef 'still alive'
	expect_last_line nullderef 'xenlet: crashed'
	rip=$(console_of nullderef | sed -n 's/.*fatal exception 14 (page fault).* rip 0x\([0-9a-f]*\)$/\1/p')
	if [ -z "$rip" ]; then
		test_fail "no fatal exception line with a rip"
	elif ! address_in_symbol "$IMAGES/nullderef.elf" "$rip" main; then
		test_fail "rip 0x$rip is not inside main"
	fi
	expect_reason nullderef crash
	test_end
}
