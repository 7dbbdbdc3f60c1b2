# sleep: timers never fire early by the guest's clock; a 1 s sleep lasts
# 0.95-1.5 s by dom0's clock (console lines time-stamped in dom0).

on_dom0() {
	xh_guest_start sleep "$(guest_cfg sleep sleep)"
	stamp_console sleep out/sleep/stamped.log
	xh_guest_wait sleep 60
	sleep 0.5
	stop_stamping
}

on_host() {
	local t0 t1 ms
	test_begin timers-never-early
	expect_lines_matching sleep '^sleep [0-9]+ ns: slept [0-9]+ ns: ok$' 3
	expect_no_text sleep EARLY
	expect_reason sleep poweroff
	test_end

	test_begin sleep-1s-by-dom0-clock
	t0=$(awk '$2 == "sleep" && $3 == "1s:" && $4 == "start" { print $1; exit }' "$OUT/sleep/stamped.log" 2>/dev/null)
	t1=$(awk '$2 == "sleep" && $3 == "1s:" && $4 == "end" { print $1; exit }' "$OUT/sleep/stamped.log" 2>/dev/null)
	if [ -z "$t0" ] || [ -z "$t1" ]; then
		test_fail "dom0 did not time-stamp both lines around the sleep"
	else
		ms=$(((t1 - t0) / 1000))
		echo "    1 s sleep by dom0's clock: $ms ms"
		((ms >= 950 && ms <= 1500)) || test_fail "1 s sleep took $ms ms by dom0's clock"
	fi
	test_end
}
