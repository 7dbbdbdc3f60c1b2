# echo: examples/echo from its shipped config (a vif on xenbr0, static
# ip=10.99.0.2/24), driven from dom0 (10.99.0.1) by busybox nc and by
# the echoclient helper, which checks every byte that comes back
# (tests/integration/helpers/echoclient.c) and times each run:
#   100 MB round trip through TCP echo, 100 MB into discard, 100 MB out
#   of chargen (RFC 864's stream, checked); UDP echo from 1 to 1472
#   bytes and a burst of 100 full-size datagrams; 1000 sequential and
#   100 concurrent connections, each echoing its own data; then 10,000
#   connections (100 rounds of 100 at once: one by one would take an
#   hour under emulation), after which the heap (systat's status line,
#   port 11) must be back at its baseline; xl shutdown makes it print
#   its counts.

ADDR=10.99.0.2
H=/job/helpers/echoclient

# boot NAME: start it from config/echo.cfg and wait for its serving
# line, 180 s at most by the clock (or until xl create has given up).
boot() {
	xh_guest_start "$1" "$(shipped_cfg echo "name = \"$1\"")"
	wait_guest_console "$1" 'echo: serving' 180
}

# run LOG SECONDS ARGS...: the helper, under a deadline of its own and
# timeout's as a backstop; its output and status to out/echo/LOG.
run() {
	local log=out/echo/$1 t=$2
	shift 2
	timeout $((t + 30)) $H -t "$t" "$@" >"$log" 2>&1
	echo "rc=$?" >>"$log"
}

# heap_settled: the status line, asked again (up to 60 s) until the heap
# is no bigger than at the baseline: memory still held by connections
# that are closing is given time to come back.
heap_settled() {
	local base end=$((SECONDS + 60)) heap
	base=$(sed -n 's/.* heap=\([0-9]*\) .*/\1/p' out/echo/systat-base.log)
	while :; do
		run systat-after.log 60 systat $ADDR
		heap=$(sed -n 's/.* heap=\([0-9]*\) .*/\1/p' out/echo/systat-after.log)
		[ -n "$base" ] && [ -n "$heap" ] && [ "$heap" -le "$base" ] && return
		((SECONDS < end)) || return
		sleep 5
	done
}

on_dom0() {
	mkdir -p out/echo
	if boot echo; then
		timeout 40 ping -c 3 -i 0.2 -w 30 $ADDR >out/echo/ping.log 2>&1
		printf 'hello from dom0\n' |
			timeout 30 busybox nc -w 10 $ADDR 7 >out/echo/nc.log 2>&1
		run echo-100M.log 900 echo $ADDR 104857600
		run discard-100M.log 900 discard $ADDR 104857600
		run chargen-100M.log 900 chargen $ADDR 104857600
		run udp.log 120 udp $ADDR 100
		run sequential-1000.log 900 sequential $ADDR 1000 64
		run concurrent-100.log 600 concurrent $ADDR 100 65536
		# The baseline, once every kind of connection has been served.
		run systat-base.log 60 systat $ADDR
		run rounds-10000.log 1800 rounds $ADDR 100 100 16
		heap_settled
		timeout 30 xl shutdown echo >out/echo/shutdown.log 2>&1
	fi
	xh_guest_wait echo 60
}

# expect_ok LOG: the helper said ok and exited 0; its figures are shown.
expect_ok() {
	local log=$OUT/echo/$1
	if grep -q '^rc=0$' "$log" 2>/dev/null && grep -q ': ok ' "$log"; then
		grep ': ok ' "$log" | sed 's/^/    /'
	else
		test_fail "$1: $(grep -v '^rc=' "$log" 2>/dev/null | head -c 300)"
	fi
}

# field LOG NAME: NAME=value in the helper's line.
field() {
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$OUT/echo/$1" 2>/dev/null | head -n1
}

on_host() {
	test_begin echo-serves
	expect_text echo 'echo: serving tcp echo 7, discard 9, chargen 19, systat 11; udp echo 7'
	grep -q ' 0% packet loss' "$OUT/echo/ping.log" 2>/dev/null ||
		test_fail "ping: $(grep transmitted "$OUT/echo/ping.log" 2>/dev/null)"
	[ "$(cat "$OUT/echo/nc.log" 2>/dev/null)" = 'hello from dom0' ] ||
		test_fail "busybox nc got '$(head -c 200 "$OUT/echo/nc.log" 2>/dev/null)'"
	test_end

	test_begin echo-tcp-100MB-round-trip
	expect_ok echo-100M.log
	test_end

	test_begin echo-discard-100MB-in
	expect_ok discard-100M.log
	test_end

	test_begin echo-chargen-100MB-out
	expect_ok chargen-100M.log
	test_end

	test_begin echo-udp-1472-and-burst
	expect_ok udp.log
	test_end

	test_begin echo-1000-sequential-connections
	expect_ok sequential-1000.log
	test_end

	test_begin echo-100-concurrent-connections
	expect_ok concurrent-100.log
	test_end

	test_begin echo-heap-back-after-10000-connections
	expect_ok rounds-10000.log
	local base after
	base=$(field systat-base.log heap)
	after=$(field systat-after.log heap)
	echo "    heap: $base bytes before, $after after 10,000 connections" \
		"(pages $(field systat-base.log pages) -> $(field systat-after.log pages))"
	[ -n "$base" ] && [ -n "$after" ] && [ "$after" -le "$base" ] ||
		test_fail "heap $base -> $after bytes"
	test_end

	test_begin echo-reports-and-powers-off
	console_of echo | grep -qE '^echo: served (1[0-9]{4}) echo \(' ||
		test_fail "no count of >= 10000 echo connections: $(console_of echo | grep 'echo: served')"
	expect_last_line echo 'xenlet: exit 0'
	expect_reason echo poweroff
	test_end
}
