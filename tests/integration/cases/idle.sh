# idle: a sleeping guest uses under 5 % of a CPU (xl list's CPU time
# over 5 s, read in dom0).

on_dom0() {
	local t0 t1
	xh_guest_start idle "$(guest_cfg idle idle)"
	if wait_console idle 'idle: sleeping' 60; then
		t0=$(cpu_seconds idle)
		sleep 5
		t1=$(cpu_seconds idle)
		echo "$t0 $t1" >out/idle/cpu-seconds
	fi
	xh_guest_wait idle 60
}

on_host() {
	local t0 t1
	test_begin idle-under-5-percent-cpu
	read -r t0 t1 <"$OUT/idle/cpu-seconds" 2>/dev/null
	if [ -z "$t1" ]; then
		test_fail "dom0 did not read the CPU time"
	else
		echo "    idle guest: CPU time $t0 s -> $t1 s over 5 s"
		awk -v a="$t0" -v b="$t1" 'BEGIN { exit !((b - a) / 5 < 0.05) }' ||
			test_fail "used $t0 -> $t1 CPU seconds in 5 s"
	fi
	expect_line idle 'idle: awake'
	expect_reason idle poweroff
	test_end
}
