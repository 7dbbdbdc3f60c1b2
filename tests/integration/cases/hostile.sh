# hostile: dom0 sends examples/arpping malformed frames from a raw
# socket on xenbr0 (helpers/hostile.c): runts, bad IPv4 header and
# total lengths, bad checksums, fragments never completed, bad ARP,
# oversize frames, then a flood of 100,000 frames. After each batch the
# helper checks that no bad frame was answered and a good ping was, and
# dom0's ping gets every echo back; the guest does not crash, its
# console holds nothing but its usual lines, and at xl shutdown it
# reports what it received, counted (the figures are printed).

ADDR=10.99.0.2
BATCHES="runt iplen csum frag arp oversize flood"

# start_guest: once more if dom0's vif-bridge script overran libxl's
# 40 s (a loaded test host, not netfront: see arpping.sh).
start_guest() {
	xh_guest_start hostile "$(shipped_cfg arpping 'name = "hostile"' "${PRESERVE[@]}")"
	wait_guest_console hostile 'arpping: answering' 150 && return 0
	grep -q 'vif-bridge online because of timeout' out/hostile/xl.log ||
		return 1
	xh_guest_wait hostile 30
	xh_guest_start hostile "$(shipped_cfg arpping 'name = "hostile"' "${PRESERVE[@]}")"
	echo "vif-bridge overran libxl's timeout; booted once more" >out/hostile/retried
	wait_guest_console hostile 'arpping: answering' 150
}

on_dom0() {
	local o=out/hostile domid mac b
	mkdir -p $o
	if start_guest; then
		domid=$(xl domid hostile)
		mac=$(xenstore-read "/local/domain/$domid/device/vif/0/mac")
		timeout 40 ping -c 3 -i 0.2 -w 30 $ADDR >$o/ping-before.log 2>&1
		for b in $BATCHES; do
			# The flood ends itself after 150 s; every batch
			# collects answers for 3 s at most.
			timeout 240 /job/helpers/hostile xenbr0 "$mac" $ADDR $b \
				>$o/$b.log 2>&1
			echo $? >$o/$b.rc
			timeout 40 ping -c 3 -i 0.2 -w 30 $ADDR >$o/ping-after-$b.log 2>&1
		done
		# What netback dropped before the guest's ring (its TX: to the guest).
		ip -s link show dev "vif$domid.0" >$o/vif-stats 2>&1
		postmortem hostile arpping
		timeout 30 xl shutdown hostile >$o/shutdown.log 2>&1
	fi
	xh_guest_wait hostile 60
}

expect_pinged() {
	local log=$OUT/hostile/$1
	# ping -c 3 -w 30 sends until 3 answers came (or 30 s passed): a
	# slow answer (0.7 s on a loaded host, against -i 0.2) lets a 4th
	# go out, still in flight when the 3rd answer ends ping.
	grep -qE '^[0-9]+ packets transmitted, 3 received' "$log" 2>/dev/null ||
		test_fail "$1: $(grep transmitted "$log" 2>/dev/null || head -c 200 "$log" 2>/dev/null)"
}

on_host() {
	local b line

	cat "$OUT"/hostile/retried 2>/dev/null | sed 's/^/    note: /'
	for b in $BATCHES; do
		test_begin hostile-$b
		line=$(grep "^$b: sent" "$OUT/hostile/$b.log" 2>/dev/null)
		echo "    $(grep '^flood: [0-9]' "$OUT/hostile/$b.log" 2>/dev/null)$line"
		[ "$(cat "$OUT/hostile/$b.rc" 2>/dev/null)" = 0 ] ||
			test_fail "helper: $(head -c 300 "$OUT/hostile/$b.log" 2>/dev/null)"
		[[ $line == *"bad answered 0, control answered 1,"* ]] ||
			test_fail "helper said: '$line'"
		expect_pinged ping-after-$b.log
		test_end
	done

	test_begin hostile-guest-lives-console-clean
	expect_pinged ping-before.log
	# Every console line is one arpping always prints: no fault, no
	# "broke the ring protocol", nothing else.
	line=$(console_of hostile | grep -vE '^(netfront: vif/0 up: .*|arpping: (answering|answered|vif/0 rx|[0-9]+ vifs;) .*|xenlet: (poweroff requested|exit 0))$')
	[ -z "$line" ] || test_fail "unexpected console lines: $(echo "$line" | head -n 3)"
	expect_reason hostile poweroff
	[ -s "$OUT/hostile/postmortem.log" ] && sed 's/^/    postmortem: /' "$OUT/hostile/postmortem.log"
	console_of hostile | grep -E '^arpping: (answered|vif/0 rx)' | sed 's/^/    /'
	sed -n '/TX:/{n;p}' "$OUT/hostile/vif-stats" 2>/dev/null |
		awk '{ print "    dom0 vif TX (to the guest): " $2 " packets, " $4 " dropped" }'
	test_end
}
