# sleep: timers never fire early by the guest's clock; a 3 s sleep lasts
# 2.7-4.5 s by dom0's clock (console lines time-stamped in dom0). dom0
# stamps a line when its poller sees it, and on a loaded test host it has
# seen the start line up to 100 ms late, which shortens the measure; the
# 10% margin absorbs that, while a wrong time scale (what this catches)
# stays far outside it.

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

	test_begin sleep-3s-by-dom0-clock
	t0=$(awk '$2 == "sleep" && $3 == "3s:" && $4 == "start" { print $1; exit }' "$OUT/sleep/stamped.log" 2>/dev/null)
	t1=$(awk '$2 == "sleep" && $3 == "3s:" && $4 == "end" { print $1; exit }' "$OUT/sleep/stamped.log" 2>/dev/null)
	if [ -z "$t0" ] || [ -z "$t1" ]; then
		test_fail "dom0 did not time-stamp both lines around the sleep"
	else
		ms=$(((t1 - t0) / 1000))
		echo "    3 s sleep by dom0's clock: $ms ms"
		((ms >= 2700 && ms <= 4500)) || test_fail "3 s sleep took $ms ms by dom0's clock"
	fi
	test_end
}
