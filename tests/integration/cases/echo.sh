# echo: examples/echo from its shipped config (a vif on xenbr0, static
# ip=10.99.0.2/24), driven from dom0 (10.99.0.1) by busybox nc and by
# the echoclient helper, which checks every byte that comes back
# (tests/integration/helpers/echoclient.c) and times each run: 100 MB
# each way through TCP echo; one way, 20 MB into discard and 20 MB out
# of chargen (RFC 864's stream, checked); UDP echo from 1 to 1472 bytes
# and a burst of 100 full-size datagrams; xl shutdown makes it print its
# counts. (Many connections, and the heap after them: echoconn.)

# Its vif comes up with the test host's lean script (use_vif_script):
# arpping, echodetach and vifs keep Debian's vif-bridge tested, with a
# vif's whole life; here it cost 6-8 s of each run's 27 s.
ADDR=10.99.0.2
H=/job/helpers/echoclient

# run LOG SECONDS ARGS...: echoclient, its output to out/echo/LOG.
run() {
	run_helper "out/echo/$1" "$2" $H "${@:3}"
}

on_dom0() {
	mkdir -p out/echo
	if boot_echo echo; then
		timeout 40 ping -c 3 -i 0.2 -w 30 $ADDR >out/echo/ping.log 2>&1
		printf 'hello from dom0\n' |
			timeout 30 busybox nc -w 10 $ADDR 7 >out/echo/nc.log 2>&1
		run udp.log 120 udp $ADDR 100
		run echo-100M.log 400 echo $ADDR 104857600
		run discard-20M.log 100 discard $ADDR 20971520
		run chargen-20M.log 100 chargen $ADDR 20971520
		timeout 30 xl shutdown echo >out/echo/shutdown.log 2>&1
	fi
	xh_guest_wait echo 60
}

# expect_ok LOG: the helper said ok and exited 0; its figures are shown.
expect_ok() { expect_helper_ok echo/"$1"; }

on_host() {
	test_begin echo-serves
	expect_text echo 'echo: serving tcp echo 7, discard 9, chargen 19, systat 11; udp echo 7'
	grep -q ' 0% packet loss' "$OUT/echo/ping.log" 2>/dev/null ||
		test_fail "ping: $(grep transmitted "$OUT/echo/ping.log" 2>/dev/null)"
	[ "$(cat "$OUT/echo/nc.log" 2>/dev/null)" = 'hello from dom0' ] ||
		test_fail "busybox nc got '$(head -c 200 "$OUT/echo/nc.log" 2>/dev/null)'"
	test_end

	test_begin echo-udp-1472-and-burst
	expect_ok udp.log
	test_end

	test_begin echo-tcp-100MB-each-way
	expect_ok echo-100M.log
	test_end

	test_begin echo-discard-20MB-in
	expect_ok discard-20M.log
	test_end

	test_begin echo-chargen-20MB-out
	expect_ok chargen-20M.log
	test_end

	test_begin echo-reports-and-powers-off
	console_of echo | grep -qE '^echo: served 2 echo \(104857616 bytes\), 1 discard \(20971520 bytes\), 1 chargen \([0-9]+ bytes\), 0 systat; 1(0[5-9]|[1-9][0-9]) udp datagrams' ||
		test_fail "not the counts of what was sent: $(console_of echo | grep 'echo: served')"
	expect_last_line echo 'xenlet: exit 0'
	expect_reason echo poweroff
	test_end
}
