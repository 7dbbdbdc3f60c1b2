# echohostile: examples/echo (config/echo.cfg) keeps serving while dom0
# sends it malformed frames from a raw socket on xenbr0 (the hostile
# helper of the vifs case: runts, bad IPv4 lengths and checksums,
# fragments never completed, bad ARP, oversize frames, then a flood of
# 20,000 UDP frames). Throughout, a 20 MB round trip through TCP echo
# runs (echoclient checks every byte); after it, 100 connections at
# once are served, the guest still answers the helper's good ping after
# each batch, its console has no fault or protocol error, and it powers
# off at xl shutdown. Without the hostile helper (built from the vifs
# branch) the case says SKIP.

ADDR=10.99.0.2
H=/job/helpers/echoclient
HOSTILE=/job/helpers/hostile
BATCHES="runt iplen csum frag arp oversize flood"

boot() {
	xh_guest_start "$1" "$(shipped_cfg echo "name = \"$1\"")"
	wait_guest_console "$1" 'echo: serving' 180
}

on_dom0() {
	local o=out/echohostile mac b bg
	mkdir -p $o
	[ -x $HOSTILE ] || { echo absent >$o/no-helper; return 0; }
	if boot echohostile; then
		mac=$(xenstore-read "/local/domain/$(xl domid echohostile)/device/vif/0/mac")
		timeout 330 $H -t 300 echo $ADDR 20971520 >$o/during.log 2>&1 &
		bg=$!
		for b in $BATCHES; do
			timeout 120 $HOSTILE xenbr0 "$mac" $ADDR $b 20000 \
				>$o/$b.log 2>&1
		done
		wait $bg
		echo "rc=$?" >>$o/during.log
		timeout 230 $H -t 200 concurrent $ADDR 100 4096 >$o/after.log 2>&1
		echo "rc=$?" >>$o/after.log
		timeout 30 xl shutdown echohostile >$o/shutdown.log 2>&1
	fi
	xh_guest_wait echohostile 60
}

expect_ok() {
	local log=$OUT/echohostile/$1
	if grep -q '^rc=0$' "$log" 2>/dev/null && grep -q ': ok ' "$log"; then
		grep ': ok ' "$log" | sed 's/^/    /'
	else
		test_fail "$1: $(grep -v '^rc=' "$log" 2>/dev/null | head -c 300)"
	fi
}

on_host() {
	local b line
	if [ -e "$OUT/echohostile/no-helper" ]; then
		echo "SKIP echo-serves-under-hostile-frames [$GUEST_TYPE]: no hostile helper (tests/integration/helpers/hostile.c, branch vifs)"
		return
	fi
	test_begin echo-serves-under-hostile-frames
	expect_ok during.log
	expect_ok after.log
	for b in $BATCHES; do
		line=$(grep -E "^($b: sent|flood: [0-9])" "$OUT/echohostile/$b.log" 2>/dev/null | tr '\n' ' ')
		echo "    $line"
		[ "$b" = flood ] || [[ $line == *"control answered 1"* ]] ||
			test_fail "$b: the good ping went unanswered: '$line'"
	done
	line=$(console_of echohostile | grep -vE '^(net: .*|netfront: .*|echo: (serving|served) .*|xenlet: (poweroff requested|exit 0))$')
	[ -z "$line" ] || test_fail "unexpected console lines: $(echo "$line" | head -n 3)"
	expect_reason echohostile poweroff
	test_end
}
