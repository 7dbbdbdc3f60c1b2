# environ: leading NAME=value words of extra= become the environment
# (up to "--"), the rest argv; keys written to environ/ in XenStore
# while the domain is paused (xl create -p) are added, the command line
# winning for the same name.

on_dom0() {
	local cfg domid i log=/var/log/xen/console/guest-environ.log
	rm -rf out/environ "$log"
	mkdir -p out/environ
	cfg=$(guest_cfg environ environ "extra = 'FOO=bar GREETING=\"hello world\" -- A=1 arg2'")
	xl create -p "$cfg" >out/environ/xl.log 2>&1
	domid=$(xl domid environ) || return 1
	xenstore-write "/local/domain/$domid/environ/FROMXS" from-xenstore \
		"/local/domain/$domid/environ/FOO" loses-to-extra
	xl unpause environ
	for ((i = 0; i < 600; i++)); do
		xl domid environ >/dev/null 2>&1 || break
		sleep 0.1
	done
	xl destroy environ 2>/dev/null
	sleep 1
	cp "$log" out/environ/console.log
}

on_host() {
	test_begin environ-from-extra-and-xenstore
	expect_line environ 'environ: argc 3'
	expect_line environ 'environ: argv[1] = "A=1"'
	expect_line environ 'environ: argv[2] = "arg2"'
	expect_line environ 'environ: FOO=bar'
	expect_line environ 'environ: GREETING=hello world'
	expect_line environ 'environ: FROMXS=from-xenstore'
	expect_line environ 'environ: A=(unset)'
	expect_lines_matching environ '^environ: environ\[[0-9]+\] = ' 3
	expect_last_line environ 'xenlet: exit 0'
	test_end
}
