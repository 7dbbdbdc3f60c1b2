# constall: a console that stops being read. Once the guest
# (guests/constall.c) is up, dom0 pauses xenconsoled (kill -STOP) and
# tells the guest to write 8 KiB, four rings' worth.
#   constall       returns 3 while xenconsoled is still paused: the
#                  domain must still end, as a crash, within BOUND_S of
#                  dom0's go (the first write that found the ring full
#                  used to block the vCPU for ever).
#   constall-back  waits until dom0 lets xenconsoled go on: the console
#                  then says how many bytes it dropped, and every byte of
#                  the burst is either in the log or in that count.
# xenconsoled is let go on (kill -CONT) whatever happens, for the cases
# after this one. out/constall/end-ms: dom0's go to the domain's end.

# The console's write deadline (5 s, xen/console.c) plus the exit path's
# flush (5 s, lib/start.c), with room for the emulated host.
BOUND_S=40

BURST_BYTES=8192

xenconsoled() {
	kill "-$1" "$(cat /run/xenconsoled.pid)"
}

# go NAME: pause xenconsoled, then tell the guest to write.
go() {
	local domid
	domid=$(xl domid "$1") || return 1
	echo "$domid" >"out/$1/domid"
	xenconsoled STOP
	GO_US=${EPOCHREALTIME/./}
	xenstore-write "/local/domain/$domid/data/go" 1
}

# Loops are bounded by the clock, not by a count of tries: under this
# emulation a forked xenstore-read alone can take a second.
now_us() {
	NOW_US=${EPOCHREALTIME/./}
}

# wait_xl_says NAME TEXT TIMEOUT_S: wait until xl's log shows TEXT.
wait_xl_says() {
	local end
	now_us
	end=$((NOW_US + $3 * 1000000))
	while ((NOW_US < end)); do
		[[ "$(<"out/$1/xl.log")" != *"$2"* ]] || return 0
		sleep 0.05
		now_us
	done
	return 1
}

# wait_key PATH TIMEOUT_S: print the XenStore value once it is there.
wait_key() {
	local end
	now_us
	end=$((NOW_US + $2 * 1000000))
	while ((NOW_US < end)); do
		xenstore-read "$1" 2>/dev/null && return 0
		sleep 0.2
		now_us
	done
	return 1
}

on_dom0() {
	local t1 domid
	trap 'xenconsoled CONT' EXIT

	xh_guest_start constall "$(guest_cfg constall constall)"
	if wait_console constall 'constall: ready' 60 && go constall; then
		wait_xl_says constall 'has shut down' "$BOUND_S" &&
			t1=${EPOCHREALTIME/./} &&
			echo $(((t1 - GO_US) / 1000)) >out/constall/end-ms
	fi
	xenconsoled CONT
	xh_guest_wait constall 60

	xh_guest_start constall-back \
		"$(guest_cfg constall-back constall "extra = 'back'")"
	if wait_console constall-back 'constall: ready' 60 &&
		go constall-back; then
		domid=$(cat out/constall-back/domid)
		wait_key "/local/domain/$domid/data/stalled" 60 \
			>out/constall-back/stalled-ms
	fi
	xenconsoled CONT
	xh_guest_wait constall-back 90
}

# The burst's bytes that reached the log: its lines up to the dropped
# line, less the newline that line starts with.
received_bytes() {
	console_of constall-back | awk '
		/^xenlet: console: [0-9]+ bytes dropped$/ { print n - 1; exit }
		f { n += length($0) + 1 }
		/^constall: ready$/ { f = 1 }'
}

on_host() {
	local ms dropped received
	test_begin console-stall-exit-bounded
	expect_reason constall crash
	ms=$(cat "$OUT/constall/end-ms" 2>/dev/null)
	if [ -z "$ms" ]; then
		test_fail "the domain did not shut down within $BOUND_S s of dom0's go"
	else
		echo "    stalled console: go to shutdown in $ms ms"
		((ms <= BOUND_S * 1000)) || test_fail "shut down after $ms ms"
	fi
	test_end

	test_begin console-stall-drops-counted
	ms=$(cat "$OUT/constall-back/stalled-ms" 2>/dev/null)
	[ -n "$ms" ] || test_fail "the guest's burst never ended while xenconsoled was paused"
	[ -z "$ms" ] || echo "    the burst into a stalled console took $ms ms"
	# It waited for the deadline, not dropping at the first full ring.
	[ -z "$ms" ] || ((ms >= 4000)) || test_fail "the burst took only $ms ms"
	expect_lines_matching constall-back '^xenlet: console: [0-9]+ bytes dropped$' 1
	dropped=$(console_of constall-back | sed -n 's/^xenlet: console: \([0-9]*\) bytes dropped$/\1/p')
	received=$(received_bytes)
	if [ -n "$dropped" ] && [ -n "$received" ]; then
		echo "    $received bytes of the burst in the log, $dropped dropped"
		((dropped + received == BURST_BYTES)) ||
			test_fail "$received received + $dropped dropped != $BURST_BYTES"
	fi
	expect_text constall-back "constall: back, the burst took $ms ms"
	expect_last_line constall-back 'xenlet: exit 3'
	expect_reason constall-back crash
	test_end
}
