# arpping: examples/arpping, from its shipped config (a vif on xenbr0,
# ip=10.99.0.2), is driven by dom0's own tools over the bridge: arping
# must get its MAC (the one xl gave the vif), ping must get every echo
# back intact (iputils checks the payload and checksums), full-size
# (1472-byte payload: a 1514-byte frame) and in a burst of 1000 with
# 100 in flight; idle between, the guest uses no CPU to speak of; xl
# shutdown makes it report what it answered and power off.

ADDR=10.99.0.2

# start_guest: boot arpping; once more if dom0's vif-bridge script (run
# by xl before the guest starts) overran libxl's 40 s: on a test host
# slowed by other runs it takes 20-45 s, which says nothing of netfront.
start_guest() {
	xh_guest_start arpping "$(shipped_cfg arpping)"
	wait_ready && return 0
	grep -q 'vif-bridge online because of timeout' out/arpping/xl.log ||
		return 1
	xh_guest_wait arpping 30
	xh_guest_start arpping "$(shipped_cfg arpping)"
	echo "vif-bridge overran libxl's timeout; booted once more" >out/arpping/retried
	wait_ready
}

# wait_ready: until arpping says it answers, 120 s at most by the clock
# (not by a count of polls, which a loaded host stretches), or until xl
# has given up creating it.
wait_ready() {
	local end=$((SECONDS + 120))
	until grep -qF 'arpping: answering' /var/log/xen/console/guest-arpping.log 2>/dev/null; do
		((SECONDS < end)) || return 1
		! grep -q 'unable to add' out/arpping/xl.log 2>/dev/null || return 1
		sleep 0.2
	done
}

on_dom0() {
	local o=out/arpping domid t0 t1
	if start_guest; then
		domid=$(xl domid arpping)
		xenstore-read "/local/domain/$domid/device/vif/0/mac" >$o/mac
		timeout 30 arping -c 3 -w 20 -I xenbr0 $ADDR >$o/arping.log 2>&1
		timeout 30 ping -c 5 -i 0.2 -W 5 $ADDR >$o/ping.log 2>&1
		timeout 30 ping -c 3 -s 1472 -M do -W 5 $ADDR >$o/ping-1472.log 2>&1
		timeout 120 ping -q -c 1000 -l 100 -i 0.002 -s 1000 -W 10 $ADDR \
			>$o/ping-burst.log 2>&1
		t0=$(cpu_seconds arpping)
		sleep 5
		t1=$(cpu_seconds arpping)
		echo "$t0 $t1" >$o/cpu-seconds
		timeout 30 xl shutdown arpping >$o/shutdown.log 2>&1
	fi
	xh_guest_wait arpping 60
}

# expect_pings LOG N: N sent, N received, nothing wrong in between.
expect_pings() {
	local log=$OUT/arpping/$1
	grep -q "^$2 packets transmitted, $2 received" "$log" 2>/dev/null ||
		test_fail "$1: $(grep 'transmitted' "$log" 2>/dev/null || head -c 300 "$log" 2>/dev/null)"
	! grep -qiE 'wrong data|bad checksum|DUP!|truncated' "$log" 2>/dev/null ||
		test_fail "$1: $(grep -iE 'wrong data|bad checksum|DUP!|truncated' "$log" | head -n 2)"
}

on_host() {
	local mac t0 t1
	mac=$(cat "$OUT/arpping/mac" 2>/dev/null)

	[ ! -f "$OUT/arpping/retried" ] || echo "    note: $(cat "$OUT/arpping/retried")"
	test_begin netfront-connects-with-xl-mac
	[ -n "$mac" ] || test_fail "dom0 read no MAC"
	expect_text arpping "netfront: vif/0 up: mac $mac, mtu 1500"
	test_end

	test_begin arpping-answers-arp
	grep -qi "reply from $ADDR \[$mac\]" "$OUT/arpping/arping.log" 2>/dev/null ||
		test_fail "arping: $(head -c 300 "$OUT/arpping/arping.log" 2>/dev/null)"
	test_end

	test_begin arpping-answers-ping
	expect_pings ping.log 5
	expect_pings ping-1472.log 3
	test_end

	test_begin arpping-ping-burst-1000
	expect_pings ping-burst.log 1000
	test_end

	test_begin arpping-idle-uses-no-cpu
	read -r t0 t1 <"$OUT/arpping/cpu-seconds" 2>/dev/null
	if [ -z "$t1" ]; then
		test_fail "dom0 did not read the CPU time"
	else
		echo "    idle arpping: CPU time $t0 s -> $t1 s over 5 s"
		awk -v a="$t0" -v b="$t1" 'BEGIN { exit !((b - a) / 5 < 0.05) }' ||
			test_fail "used $t0 -> $t1 CPU seconds in 5 s"
	fi
	test_end

	test_begin arpping-reports-and-powers-off
	console_of arpping | grep -qE '^arpping: answered [1-9][0-9]* ARP, (10[0-9][0-9]|1[1-9][0-9][0-9]) echo; 0 replies unsent$' ||
		test_fail "no report of >= 1008 echoes: $(console_of arpping | grep 'answered')"
	expect_reason arpping poweroff
	test_end
}
