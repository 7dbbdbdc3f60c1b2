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
	test_begin idle-under-5-percent-cpu
	expect_idle_cpu idle
	expect_line idle 'idle: awake'
	expect_reason idle poweroff
	test_end
}
