# dom0-phases.sh - the dom0 part of make bench's BENCH=phases (sourced by
# the job's run.sh after dom0-io.sh): where the time goes from `xl
# create` to a guest's first answer, for the Linux guest (nginx) and
# examples/httpd (PV) alike, served by the same dom0 and timed by the
# same client as BENCH=http. Each guest is booted with the test host's
# vif hotplug script (vif-xenhost) and with Debian's (vif-bridge), so
# the report shows what the toolstack's part costs with either.
#
# Every event is stamped by dom0's wall clock in microseconds and kept
# in out/NAME/ (tests/bench/run's report_phases reads them):
#   start-ms         just before `xl create` (xh_guest_start)
#   xs.log           each XenStore path written under /local/domain
#                    (xenstore-watch): the vif's backend directory (the
#                    domain is built), its hotplug-status (the hotplug
#                    script is done: libxl then unpauses the guest), the
#                    frontend's tx-ring-ref (the guest's netfront is
#                    ready), the backend's state (netback connected)
#   pkt.log          ARP and TCP SYN/SYN-ACK frames on xenbr0 (pktstamp)
#   firstconn.log    netbench first200: the first SYN answered, the
#                    first 200
# The stampers are processes of dom0 and may lag under load: a phase's
# end is an upper bound, by tens of ms on a quiet host.

PHASES_ROUNDS=${PHASES_ROUNDS:-1}

# stamp: each input line prefixed with the clock (no fork per line).
stamp() {
	local l
	while IFS= read -r l; do
		echo "${EPOCHREALTIME/./} $l"
	done
}

# phases_run NAME ADDR CFG: boot with the stampers running, until the
# first 200 on port 80 (300 s at most: netbench's deadline), then shut
# the guest down. The stampers write in /tmp (xh_guest_start empties
# out/NAME) and end with the guest (pktstamp by its own deadline if all
# else fails); their logs then join out/NAME.
phases_run() {
	local name=$1 addr=$2 cfg=$3 t=/tmp/phases-$1 start pk xw
	rm -rf "$t"
	mkdir -p "$t"
	/job/images/pktstamp xenbr0 400 >"$t/pkt.log" 2>&1 &
	pk=$!
	# $! is xenstore-watch's own pid (dom0 has no pkill): killed, it
	# ends stamp's input too. It would otherwise wait for a write that
	# may never come.
	xenstore-watch /local/domain 2>/dev/null > >(stamp >"$t/xs.log") &
	xw=$!
	cut -d' ' -f1-3 /proc/loadavg >"$t/loadavg"
	xh_guest_start "$name" "$cfg"
	read -r start <"/run/xenhost/$name/start-ms"
	echo "$start" >"out/$name/start-ms"
	$NB first200 "$addr" 80 "$start" 300 >"out/$name/firstconn.log" 2>&1
	shutdown_guest "$name"
	xh_guest_wait "$name" 120
	kill "$pk" "$xw" 2>/dev/null
	wait "$pk" "$xw" 2>/dev/null
	xh__nap 0.2 # stamp's last lines
	mv "$t"/* "out/$name/"
	rm -rf "$t"
}

bench_phases() {
	local i script addr
	local n=/proc/sys/net/ipv4/neigh/xenbr0
	# As bench_network: dom0 asks for a guest's MAC every 10 ms.
	echo 10 >$n/retrans_time_ms
	echo 300 >$n/mcast_solicit
	echo 300 >$n/ucast_solicit
	addr=$(sed -n 's/^extra *=.*ip=\([0-9.]*\).*/\1/p' /job/config/httpd.cfg 2>/dev/null)
	for i in $(seq "$PHASES_ROUNDS"); do
		for script in vif-xenhost vif-bridge; do
			xh_vif_script $script
			phases_run phases-linux-$script-$i $LINUX_ADDR \
				"$(linux_cfg phases-linux-$script-$i web $LINUX_WEB_MB \
					"benchip=$LINUX_ADDR/24 benchmode=web" "vif = ['bridge=xenbr0']")"
			[ -f /job/images/httpd.elf ] && [ -n "$addr" ] || continue
			GUEST_TYPE=pv phases_run phases-httpd-$script-$i "$addr" \
				"$(GUEST_TYPE=pv shipped_cfg httpd "name = \"phases-httpd-$script-$i\"" \
					'ramdisk = "/job/images/web-site.cpio"' 'extra = "ip='"$addr"'/24"')"
		done
	done
	xh_vif_script vif-bridge # the default again, for the sections after
}
