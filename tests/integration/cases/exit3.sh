# exit3: main returns 3; the status is reported and the domain crashes,
# so that the config's on_crash applies.

on_dom0() {
	xh_guest_run exit3 "$(guest_cfg exit3 exit3)" 60
}

on_host() {
	test_begin exit-3-is-crash
	expect_line exit3 'exit3: returning 3'
	expect_last_line exit3 'xenlet: exit 3'
	expect_reason exit3 crash
	test_end
}
