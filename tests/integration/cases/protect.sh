# protect: code is read-only and data is not executable.

on_dom0() {
	xh_guest_run protect-wx "$(guest_cfg protect-wx protect 'extra = "write-code"')" 60
	xh_guest_run protect-nx "$(guest_cfg protect-nx protect 'extra = "exec-stack"')" 60
}

on_host() {
	test_begin code-is-read-only
	expect_text protect-wx 'page fault at address'
	expect_text protect-wx 'write protection violation'
	expect_no_text protect-wx 'not stopped'
	expect_reason protect-wx crash
	test_end

	test_begin data-is-not-executable
	expect_text protect-nx 'exec protection violation'
	expect_no_text protect-nx 'not stopped'
	expect_reason protect-nx crash
	test_end
}
