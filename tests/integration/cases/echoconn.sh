# echoconn: examples/echo (config/echo.cfg) under many connections from
# dom0's echoclient (tests/integration/helpers/echoclient.c), each
# echoing its own data, checked byte for byte: 1000 one after another,
# then 100 at once. (Volume and UDP: the echo case; the heap after
# 10,000 connections: echoheap.)

ADDR=10.99.0.2
H=/job/helpers/echoclient

# run LOG SECONDS ARGS...: echoclient, its output to out/echoconn/LOG.
run() {
	run_helper "out/echoconn/$1" "$2" $H "${@:3}"
}

on_dom0() {
	mkdir -p out/echoconn
	if boot_echo echoconn; then
		run sequential-1000.log 400 sequential $ADDR 1000 64
		run concurrent-100.log 200 concurrent $ADDR 100 4096
		timeout 30 xl shutdown echoconn >out/echoconn/shutdown.log 2>&1
	fi
	xh_guest_wait echoconn 60
}

expect_ok() { expect_helper_ok echoconn/"$1"; }

on_host() {
	test_begin echo-1000-sequential-connections
	expect_ok sequential-1000.log
	test_end

	test_begin echo-100-concurrent-connections
	expect_ok concurrent-100.log
	test_end

	test_begin echo-counts-connections
	console_of echoconn | grep -qE '^echo: served 1100 echo \(' ||
		test_fail "not 1100 echo connections: $(console_of echoconn | grep 'echo: served')"
	expect_last_line echoconn 'xenlet: exit 0'
	expect_reason echoconn poweroff
	test_end
}
