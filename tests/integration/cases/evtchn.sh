# evtchn: the event-channel API on a loopback channel (delivery, mask,
# unmask, close, VIRQ), and round trips.

on_dom0() {
	xh_guest_run evtchn "$(guest_cfg evtchn evtchn)" 120
}

on_host() {
	test_begin event-channels
	expect_lines_matching evtchn '^evtchn: .*: ok$' 12
	expect_no_text evtchn FAILED
	expect_text evtchn 'evtchn: 20000 round trips in '
	expect_reason evtchn poweroff
	test_end
}
