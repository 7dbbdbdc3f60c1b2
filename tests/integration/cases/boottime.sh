# boottime: the entry-to-main time is measured and plausible (under 10 s;
# the figure itself goes to make bench).

on_dom0() {
	xh_guest_run boottime "$(guest_cfg boottime boottime)" 60
}

on_host() {
	local us
	test_begin boot-time-measured
	us=$(console_of boottime | sed -n 's/^boottime: first instruction to main: \([0-9]*\) us$/\1/p')
	if [ -z "$us" ]; then
		test_fail "no boot time line"
	else
		echo "    first instruction to main: $us us"
		((us > 0 && us < 10000000)) || test_fail "implausible boot time $us us"
	fi
	expect_reason boottime poweroff
	test_end
}
