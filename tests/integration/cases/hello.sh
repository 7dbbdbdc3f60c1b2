# hello: the example boots from its shipped config, greets, sees its
# arguments, and exit status 0 ends the domain as a poweroff.

on_dom0() {
	# xl strings in single quotes keep double quotes as they are.
	xh_guest_run hello "$(shipped_cfg hello "extra = 'one \"two words\" three'")" 60
}

on_host() {
	test_begin hello-greeting
	expect_line hello 'Hello from xenlet, a Xen guest program!'
	expect_line hello 'argv[1] = "one"'
	expect_line hello 'argv[2] = "two words"'
	expect_line hello 'argv[3] = "three"'
	test_end

	test_begin exit-0-is-poweroff
	expect_last_line hello 'xenlet: exit 0'
	expect_reason hello poweroff
	test_end
}
