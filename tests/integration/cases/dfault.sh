# dfault: a double fault is reported (PVH: #DF on its own IST stack).

CASE_TYPES="pvh" # PV has no guest-owned stack for it: Xen crashes the domain

on_dom0() {
	xh_guest_run dfault "$(guest_cfg dfault dfault)" 60
}

on_host() {
	test_begin double-fault-reported
	expect_text dfault 'xenlet: fatal exception 8 (double fault)'
	expect_last_line dfault 'xenlet: crashed'
	expect_reason dfault crash
	test_end
}
