# echoconn: examples/echo (config/echo.cfg) under many connections from
# dom0's echoclient (tests/integration/helpers/echoclient.c), each
# echoing its own data, checked byte for byte: 1000 one after another,
# 100 at once, then 10,000 more in 100 rounds of 100 at once (one by
# one they would take most of an hour under emulation); after those the
# heap (the status line of systat, port 11, from mallinfo) must be back
# at the baseline taken before them. (Volume and UDP: the echo case.)

ADDR=10.99.0.2
H=/job/helpers/echoclient

boot() {
	xh_guest_start "$1" "$(shipped_cfg echo "name = \"$1\"")"
	wait_guest_console "$1" 'echo: serving' 180
}

# run LOG SECONDS ARGS...: as in the echo case.
run() {
	local log=out/echoconn/$1 t=$2
	shift 2
	timeout $((t + 30)) $H -t "$t" "$@" >"$log" 2>&1
	echo "rc=$?" >>"$log"
}

# heap_of LOG: the heap= figure of a status line.
heap_of() {
	sed -n 's/.* heap=\([0-9]*\) .*/\1/p' "$1" 2>/dev/null | head -n1
}

# heap_settled: the status line, asked again (every 5 s, up to 60 s)
# until the heap is no bigger than at the baseline: memory of
# connections still closing is given time to come back.
heap_settled() {
	local base end=$((SECONDS + 60)) heap
	base=$(heap_of out/echoconn/systat-base.log)
	while :; do
		run systat-after.log 30 systat $ADDR
		heap=$(heap_of out/echoconn/systat-after.log)
		[ -n "$base" ] && [ -n "$heap" ] && [ "$heap" -le "$base" ] && return
		((SECONDS < end)) || return
		sleep 5
	done
}

on_dom0() {
	mkdir -p out/echoconn
	if boot echoconn; then
		run sequential-1000.log 400 sequential $ADDR 1000 64
		run concurrent-100.log 200 concurrent $ADDR 100 4096
		# The baseline, once connections of every size have come and gone.
		run systat-base.log 30 systat $ADDR
		run rounds-10000.log 500 rounds $ADDR 100 100 16
		heap_settled
		timeout 30 xl shutdown echoconn >out/echoconn/shutdown.log 2>&1
	fi
	xh_guest_wait echoconn 60
}

expect_ok() {
	local log=$OUT/echoconn/$1
	if grep -q '^rc=0$' "$log" 2>/dev/null && grep -q ': ok ' "$log"; then
		grep ': ok ' "$log" | sed 's/^/    /'
	else
		test_fail "$1: $(grep -v '^rc=' "$log" 2>/dev/null | head -c 300)"
	fi
}

field() {
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$OUT/echoconn/$1" 2>/dev/null | head -n1
}

on_host() {
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
		"(pages in use $(field systat-base.log pages) -> $(field systat-after.log pages) bytes)"
	[ -n "$base" ] && [ -n "$after" ] && [ "$after" -le "$base" ] ||
		test_fail "heap $base -> $after bytes"
	test_end

	test_begin echo-counts-connections
	console_of echoconn | grep -qE '^echo: served 11100 echo \(' ||
		test_fail "not 11100 echo connections: $(console_of echoconn | grep 'echo: served')"
	expect_last_line echoconn 'xenlet: exit 0'
	expect_reason echoconn poweroff
	test_end
}
