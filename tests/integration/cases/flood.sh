# flood: 1 MiB of console output arrives in dom0 complete and in order.
# dom0 computes cksum(1) over the payload in the log; the guest printed
# the cksum it computed over what it wrote.

on_dom0() {
	xh_guest_run flood "$(guest_cfg flood flood)" 300
	tr -d '\r' <out/flood/console.log |
		awk '/^flood end/ { exit } f { print } /^flood begin$/ { f = 1 }' |
		cksum >out/flood/dom0-cksum
}

on_host() {
	local guest dom0
	test_begin console-1MiB-intact
	guest=$(console_of flood | sed -n 's/^flood end cksum=\([0-9]*\) len=\([0-9]*\)$/\1 \2/p')
	dom0=$(cat "$OUT/flood/dom0-cksum" 2>/dev/null)
	if [ -z "$guest" ]; then
		test_fail "the guest's final cksum line is missing"
	elif [ "$guest" != "$dom0" ]; then
		test_fail "guest wrote cksum/len '$guest', dom0 received '$dom0'"
	fi
	[ "${guest#* }" = 1048576 ] || test_fail "payload is '${guest#* }' bytes, not 1 MiB"
	expect_last_line flood 'xenlet: exit 0'
	expect_reason flood poweroff
	test_end
}
