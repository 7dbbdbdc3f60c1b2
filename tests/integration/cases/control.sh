# control: `xl shutdown -w` and `xl reboot` use the PV control protocol.
# A guest without a handler exits 0 as a poweroff; one with a handler
# gets the request and returns from main; `xl reboot` with
# on_reboot = "restart" brings the guest back (then destroyed here).
# The time `xl shutdown -w` takes goes to out/control/shutdown-ms.

# shutdown_w NAME: time `xl shutdown -w NAME` into out/NAME/.
shutdown_w() {
	local t0 t1 rc=0
	t0=${EPOCHREALTIME/./}
	timeout 60 xl shutdown -w "$1" >"out/$1/shutdown.log" 2>&1 || rc=$?
	t1=${EPOCHREALTIME/./}
	echo "$rc" >"out/$1/shutdown-rc"
	echo $(((t1 - t0) / 1000)) >"out/$1/shutdown-ms"
}

# shutdown_run NAME CFG: boot the guest, and once it is ready shut it
# down with `xl shutdown -w`. xl itself has died of a signal in dom0 under
# this emulation ("malloc(): corrupted top size", after it had sent the
# request and the guest had powered off): that says nothing of the guest,
# so it is noted in out/NAME.xl-died and the guest is run once more.
shutdown_run() {
	local attempt rc
	for attempt in 1 2; do
		xh_guest_start "$1" "$2"
		wait_console "$1" 'control: ready' 60 && shutdown_w "$1"
		xh_guest_wait "$1" 30
		rc=$(cat "out/$1/shutdown-rc" 2>/dev/null)
		((${rc:-0} < 128)) && break
		echo "xl shutdown -w died of signal $((rc - 128)): $(tail -n 1 "out/$1/shutdown.log")" >>"out/$1.xl-died"
	done
}

# xl_died_note NAME: on the host, say if xl died on a first try.
xl_died_note() {
	[ ! -f "$OUT/$1.xl-died" ] || echo "    note: ran $1 again: $(cat "$OUT/$1.xl-died")"
}

ready_count() {
	grep -c 'control: ready' "/var/log/xen/console/guest-$1.log" 2>/dev/null
}

on_dom0() {
	local cfg d0 d1 i
	shutdown_run control "$(guest_cfg control control)"
	shutdown_run control-h "$(guest_cfg control-h control "extra = 'handler'")"

	cfg=$(guest_cfg reboot control)
	sed -i 's/^on_reboot.*/on_reboot = "restart"/' "$cfg"
	xh_guest_start reboot "$cfg"
	if wait_console reboot 'control: ready' 60; then
		d0=$(xl domid reboot)
		xl reboot reboot >out/reboot/reboot.log 2>&1
		for ((i = 0; i < 600; i++)); do
			d1=$(xl domid reboot 2>/dev/null)
			[ -n "$d1" ] && [ "$d1" != "$d0" ] &&
				[ "$(ready_count reboot)" -ge 2 ] && break
			sleep 0.1
		done
		echo "$d0 $d1" >out/reboot/domids
		ready_count reboot >out/reboot/ready-count
		xl destroy reboot
	fi
	xh_guest_wait reboot 30
}

on_host() {
	local ms
	test_begin xl-shutdown-w-returns-exit-0
	xl_died_note control
	[ "$(cat "$OUT/control/shutdown-rc" 2>/dev/null)" = 0 ] ||
		test_fail "xl shutdown -w: $(cat "$OUT/control/shutdown.log" 2>/dev/null)"
	expect_line control 'xenlet: poweroff requested'
	expect_last_line control 'xenlet: exit 0'
	expect_reason control poweroff
	ms=$(cat "$OUT/control/shutdown-ms" 2>/dev/null)
	[ -n "$ms" ] && echo "    xl shutdown -w took $ms ms"
	test_end

	test_begin xl-shutdown-handler
	xl_died_note control-h
	[ "$(cat "$OUT/control-h/shutdown-rc" 2>/dev/null)" = 0 ] ||
		test_fail "xl shutdown -w failed"
	expect_line control-h 'control: handler got poweroff, cleaning up'
	expect_last_line control-h 'xenlet: exit 0'
	expect_reason control-h poweroff
	test_end

	test_begin xl-reboot-restarts
	local d0 d1
	read -r d0 d1 <"$OUT/reboot/domids" 2>/dev/null
	[ -n "$d1" ] && [ "$d1" != "$d0" ] ||
		test_fail "no new domain after xl reboot (domids '$d0' '$d1')"
	[ "$(cat "$OUT/reboot/ready-count" 2>/dev/null)" -ge 2 ] 2>/dev/null ||
		test_fail "the restarted guest did not come up"
	expect_text reboot 'xenlet: reboot requested'
	test_end
}
