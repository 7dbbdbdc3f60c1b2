# echoheap: examples/echo (config/echo.cfg) must give back all it took
# for a connection: after 10,000 connections from dom0's echoclient
# (tests/integration/helpers/echoclient.c; 100 rounds of 100 at once,
# each echoing its own 16 bytes, checked) the heap must be no bigger
# than at a baseline taken after a warm-up of 200. The heap's figures
# are those of the status line of systat (port 11), from mallinfo():
# heap= is every live malloc'd byte in the guest, lwIP's buffers too.

ADDR=10.99.0.2
H=/job/helpers/echoclient
CONNS_ROUNDS=100 # of 100 connections each

# run LOG SECONDS ARGS...: echoclient, its output to out/echoheap/LOG.
run() {
	run_helper "out/echoheap/$1" "$2" $H "${@:3}"
}

heap_of() {
	sed -n 's/.* heap=\([0-9]*\) .*/\1/p' "$1" 2>/dev/null | head -n1
}

# heap_settled: the status line, asked again (every 5 s, up to 60 s)
# until the heap is no bigger than at the baseline: memory of
# connections still closing is given time to come back.
heap_settled() {
	local base end=$((SECONDS + 60)) heap
	base=$(heap_of out/echoheap/systat-base.log)
	while :; do
		run systat-after.log 30 systat $ADDR
		heap=$(heap_of out/echoheap/systat-after.log)
		[ -n "$base" ] && [ -n "$heap" ] && [ "$heap" -le "$base" ] && return
		((SECONDS < end)) || return
		sleep 5
	done
}

on_dom0() {
	mkdir -p out/echoheap
	if boot_echo echoheap; then
		run warmup.log 120 rounds $ADDR 2 100 16
		run systat-base.log 30 systat $ADDR
		run rounds.log 900 rounds $ADDR $CONNS_ROUNDS 100 16
		heap_settled
		timeout 30 xl shutdown echoheap >out/echoheap/shutdown.log 2>&1
	fi
	xh_guest_wait echoheap 60
}

field() {
	sed -n "s/.* $2=\([0-9]*\).*/\1/p" "$OUT/echoheap/$1" 2>/dev/null | head -n1
}

on_host() {
	local base after log=$OUT/echoheap/rounds.log
	test_begin echo-heap-back-after-10000-connections
	if grep -q '^rc=0$' "$log" 2>/dev/null && grep -q ': ok ' "$log"; then
		grep ': ok ' "$log" | sed 's/^/    /'
	else
		test_fail "rounds: $(grep -v '^rc=' "$log" 2>/dev/null | head -c 300)"
	fi
	base=$(field systat-base.log heap)
	after=$(field systat-after.log heap)
	echo "    heap: $base bytes before, $after after 10,000 connections" \
		"(pages in use: $(field systat-base.log pages) ->" \
		"$(field systat-after.log pages) bytes)"
	[ -n "$base" ] && [ -n "$after" ] && [ "$after" -le "$base" ] ||
		test_fail "heap $base -> $after bytes"
	console_of echoheap | grep -qE '^echo: served 10200 echo \(' ||
		test_fail "not 10200 echo connections: $(console_of echoheap | grep 'echo: served')"
	expect_reason echoheap poweroff
	test_end
}
