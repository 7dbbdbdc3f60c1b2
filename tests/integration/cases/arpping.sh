# arpping: examples/arpping, from its shipped config (a vif on xenbr0,
# ip=10.99.0.2), is driven by dom0's own tools over the bridge: arping
# must get its MAC (the one xl gave the vif), ping must get every echo
# back intact (iputils checks the payload and checksums), full-size
# (1472-byte payload: a 1514-byte frame) and in a burst of 1000 with
# 100 in flight; idle between, the guest uses no CPU to speak of; xl
# shutdown makes it report what it answered and power off. A second one
# (arpping-d) has its vif taken away with xl network-detach: netfront
# follows the backend's close (so the detach completes), arpping sees
# the link go, says so and closes it (every page and grant back), and
# the guest lives on until xl shutdown.

CASE_VIF_SCRIPT="vif-bridge" # Debian's own hotplug script: a vif's life (see use_vif_script)
ADDR=10.99.0.2

# start_guest NAME: boot arpping as NAME; once more if dom0's
# vif-bridge script (run by xl before the guest starts) overran libxl's
# 40 s: on a test host slowed by other runs it takes 20-45 s, which
# says nothing of netfront.
start_guest() {
	xh_guest_start "$1" "$(shipped_cfg arpping "name = \"$1\"")"
	wait_ready "$1" && return 0
	grep -q 'vif-bridge online because of timeout' "out/$1/xl.log" ||
		return 1
	xh_guest_wait "$1" 30
	xh_guest_start "$1" "$(shipped_cfg arpping "name = \"$1\"")"
	echo "vif-bridge overran libxl's timeout; booted once more" >"out/$1/retried"
	wait_ready "$1"
}

# wait_ready NAME: until it says it answers, 120 s at most by the clock
# (not by a count of polls, which a loaded host stretches), or until xl
# has given up creating it.
wait_ready() {
	local end=$((SECONDS + 120))
	until grep -qF 'arpping: answering' "/var/log/xen/console/guest-$1.log" 2>/dev/null; do
		((SECONDS < end)) || return 1
		! grep -q 'unable to add' "out/$1/xl.log" 2>/dev/null || return 1
		sleep 0.2
	done
}

detach() {
	if start_guest arpping-d; then
		timeout 90 xl network-detach arpping-d 0 >out/arpping-d/detach.log 2>&1
		echo $? >out/arpping-d/detach-rc
		sleep 2
		timeout 30 xl shutdown arpping-d >out/arpping-d/shutdown.log 2>&1
	fi
	xh_guest_wait arpping-d 60
}

# rx_errors: dom0's counts of IPv4 and ICMP packets it received and
# threw away as malformed (/proc/net/snmp: Ip InHdrErrors, Icmp InErrors
# and InCsumErrors). A reply with a bad header or checksum never
# reaches ping, which would count it only as lost.
rx_errors() {
	awk '$1 == "Ip:" || $1 == "Icmp:" {
			if (!(($1) in hdr)) { hdr[$1] = 1; for (i = 2; i <= NF; i++) col[$1 $i] = i; next }
			if ($1 == "Ip:") v = "InHdrErrors=" $col["Ip:InHdrErrors"]
			else v = "InErrors=" $col["Icmp:InErrors"] " InCsumErrors=" $col["Icmp:InCsumErrors"]
			printf "%s%s", sep, v; sep = " " }
		END { print "" }' /proc/net/snmp
}

on_dom0() {
	local o=out/arpping domid t0 t1
	if start_guest arpping; then
		domid=$(xl domid arpping)
		xenstore-read "/local/domain/$domid/device/vif/0/mac" >$o/mac
		timeout 30 arping -c 3 -w 20 -I xenbr0 $ADDR >$o/arping.log 2>&1
		# -w: wait for every reply up to a deadline (with -W ping stops
		# two RTTs after its last send, and RTTs here swing to 100+ ms).
		timeout 40 ping -c 5 -i 0.2 -w 30 $ADDR >$o/ping.log 2>&1
		timeout 40 ping -c 3 -s 1472 -M do -w 30 $ADDR >$o/ping-1472.log 2>&1
		rx_errors >$o/rx-errors-before
		timeout 130 ping -q -c 1000 -l 100 -i 0.002 -s 1000 -w 120 $ADDR \
			>$o/ping-burst.log 2>&1
		rx_errors >$o/rx-errors-after
		t0=$(cpu_seconds arpping)
		sleep 5
		t1=$(cpu_seconds arpping)
		echo "$t0 $t1" >$o/cpu-seconds
		timeout 30 xl shutdown arpping >$o/shutdown.log 2>&1
	fi
	xh_guest_wait arpping 60
	detach
}

# expect_pings LOG N [IN_FLIGHT]: at least N replies, at most IN_FLIGHT
# (default 0) of the requests sent left unanswered, nothing wrong in
# between.
expect_pings() {
	local log=$OUT/arpping/$1 sent got
	read -r sent got < <(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) received.*/\1 \2/p' "$log" 2>/dev/null)
	[ -n "$got" ] && ((got >= $2 && sent - got <= ${3:-0})) ||
		test_fail "$1: $(grep 'transmitted' "$log" 2>/dev/null || head -c 300 "$log" 2>/dev/null)${3:+, pipe $3}"
	! grep -qiE 'wrong data|bad checksum|DUP!|truncated' "$log" 2>/dev/null ||
		test_fail "$1: $(grep -iE 'wrong data|bad checksum|DUP!|truncated' "$log" | head -n 2)"
}

# expect_burst: ping-burst.log's 1000 replies, judged by what each side
# can know. With -w, ping sends until it has its count of replies and
# then exits at once: the requests still in flight then count as lost
# ("1002 packets transmitted, 1001 received" in a run where the guest
# answered all 1002), so sent and received may differ by at most ping's
# own pipe (the most it saw in flight). That every request had its
# answer is the guest's count: its echoes answered equal the requests
# of all three pings, none unsent. A reply dom0 threw away as malformed
# shows in its error counters (rx_errors), which must not move.
expect_burst() {
	local o=$OUT/arpping pipe all answered
	pipe=$(sed -n 's/.*, pipe \([0-9]*\)$/\1/p' "$o/ping-burst.log" 2>/dev/null)
	expect_pings ping-burst.log 1000 "${pipe:-0}"
	all=$(cat "$o"/ping*.log | awk '/ packets transmitted/ { n += $1 } END { print n + 0 }')
	answered=$(console_of arpping | sed -n 's/^arpping: answered [0-9]* ARP, \([0-9]*\) echo; 0 replies unsent$/\1/p')
	[ "$answered" = "$all" ] ||
		test_fail "dom0's pings sent $all requests, the guest says: $(console_of arpping | grep 'answered')"
	[ "$(cat "$o/rx-errors-before" 2>/dev/null)" = "$(cat "$o/rx-errors-after" 2>/dev/null)" ] ||
		test_fail "dom0 dropped malformed packets during the burst: $(cat "$o/rx-errors-before" "$o/rx-errors-after" 2>&1 | paste -sd'>' -)"
	[ -s "$o/rx-errors-after" ] || test_fail "no rx error counts read in dom0"
}

on_host() {
	local mac
	mac=$(cat "$OUT/arpping/mac" 2>/dev/null)

	cat "$OUT"/arpping*/retried 2>/dev/null | sed 's/^/    note: /'
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
	expect_burst
	test_end

	test_begin arpping-idle-uses-no-cpu
	expect_idle_cpu arpping
	test_end

	test_begin arpping-reports-and-powers-off
	console_of arpping | grep -qE '^arpping: answered [1-9][0-9]* ARP, (10[0-9][0-9]|1[1-9][0-9][0-9]) echo; 0 replies unsent$' ||
		test_fail "no report of >= 1008 echoes: $(console_of arpping | grep 'answered')"
	expect_reason arpping poweroff
	test_end

	test_begin netfront-follows-network-detach
	expect_text arpping-d 'arpping: answering'
	[ "$(cat "$OUT/arpping-d/detach-rc" 2>/dev/null)" = 0 ] ||
		test_fail "xl network-detach: rc $(cat "$OUT/arpping-d/detach-rc" 2>/dev/null), $(head -c 300 "$OUT/arpping-d/detach.log" 2>/dev/null)"
	console_of arpping-d | grep -qE '^netfront: vif/0: backend Clos(ing|ed), link down$' ||
		test_fail "no 'link down' line"
	expect_line arpping-d 'arpping: vif/0 is gone (-107)'
	expect_text arpping-d 'arpping: 0 vifs; '
	expect_no_text arpping-d 'still maps'
	expect_text arpping-d 'arpping: answered 0 ARP, 0 echo'
	expect_last_line arpping-d 'xenlet: exit 0'
	expect_reason arpping-d poweroff
	test_end
}
