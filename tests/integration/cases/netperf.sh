# netperf: where examples/echo's TCP time goes. Each echo image in
# /job/images (echo.elf, and variants echo-*.elf put there to compare
# two builds in one boot of the test host, under the same load) boots
# in turn from config/echo.cfg and moves NETPERF_MIB MiB into discard
# (dom0 -> guest), out of chargen (guest -> dom0) and through echo, with
# the echoclient helper; dom0's TCP counters (/proc/net/snmp) before and
# after each transfer say how many segments went each way, the
# retransmissions, the delayed ACKs and timeouts.
# It judges that each transfer completed, and one thing that decides
# dom0 -> guest speed: netback hands the guest dom0's TCP stream as GSO
# frames of up to 64 KiB (feature-gso-tcpv4), so the guest ACKs far
# fewer segments than dom0 sends (one in 1.7 without GSO, measured;
# the check allows one in 3). The figures are for reading
# (out/TYPE/netperf/).

ADDR=10.99.0.2
H=/job/helpers/echoclient
NB=/job/helpers/netbench
LINUX_ADDR=10.99.0.3
NETPERF_MIB=${NETPERF_MIB:-8}
# One round in make check: the figures there are only read; the
# comparison with Linux is make bench's. NETPERF_LINUX=1 adds the Linux
# guest to each round when comparing by hand.
NETPERF_ROUNDS=${NETPERF_ROUNDS:-1}
NETPERF_LINUX=${NETPERF_LINUX:-0}

# tcp_counts: dom0's Tcp: and TcpExt: counters (/proc/net/snmp and
# netstat: header line, then values), as NAME=VALUE words.
tcp_counts() {
	awk '$1 == "Tcp:" || $1 == "TcpExt:" {
		if (!(FILENAME SUBSEP $1 in h)) { h[FILENAME, $1] = $0; next }
		split(h[FILENAME, $1], n)
		for (i = 2; i <= NF; i++) printf "%s=%s ", n[i], $i
	} END { print "" }' /proc/net/snmp /proc/net/netstat
}

# measure DIR MODE BYTES: one transfer, with dom0's counters around it.
measure() {
	local d=$1 mode=$2 bytes=$3
	tcp_counts >"$d/$mode.before"
	timeout 330 $H -t 300 "$mode" $ADDR "$bytes" >"$d/$mode.log" 2>&1
	echo "rc=$?" >>"$d/$mode.log"
	tcp_counts >"$d/$mode.after"
}

on_dom0() {
	local r
	# Round after round over the images: the host's load drifts, so
	# each image is measured at several times.
	for r in $(seq $NETPERF_ROUNDS); do
		linux_baseline $r
		netperf_round $r
	done
}

# netperf_round R: each echo image once; results in out/netperf/IMAGE
# (round 1) or IMAGE@R.
netperf_round() {
	local img v n d cfg bytes=$((NETPERF_MIB * 1048576))
	for img in /job/images/echo.elf /job/images/echo-*.elf; do
		[ -f "$img" ] || continue
		v=$(basename "$img" .elf)
		d=out/netperf/$v$([ "$1" = 1 ] || echo "@$1")
		mkdir -p "$d"
		# A name of its own: the echo case's guest is "echo", and a
		# guest's out/NAME folder is emptied when it starts.
		n=netperf-$v
		cfg=$(shipped_cfg echo "name = \"$n\"")
		sed -i "s|^kernel *=.*|kernel = \"$img\"|" "$cfg"
		xh_guest_start "$n" "$cfg"
		if wait_guest_console "$n" 'echo: serving' 180; then
			measure "$d" discard $bytes
			measure "$d" chargen $bytes
			measure "$d" echo $((bytes / 2))
			bench "$d" $ADDR
			timeout 30 xl shutdown "$n" >/dev/null 2>&1
		fi
		xh_guest_wait "$n" 60
	done
}

# bench DIR ADDR: make bench's client (netbench), NETPERF_MIB each way.
bench() {
	timeout 330 $NB send "$2" 9 $NETPERF_MIB >"$1/nb-send.log" 2>&1
	timeout 330 $NB recv "$2" 19 $NETPERF_MIB >"$1/nb-recv.log" 2>&1
}

# linux_baseline R: the same netbench runs against make bench's Linux PV
# guest (its services, tests/bench/linux-guest), when it was built, so
# that both compare in one boot of the test host.
linux_baseline() {
	local d=out/netperf-lx/r$1 cfg
	[ "$NETPERF_LINUX" = 1 ] || return 0
	[ -f /job/images/linux.elf ] && [ -f /job/images/serve.cpio.gz ] || return 0
	mkdir -p $d
	cfg=$(GUEST_TYPE=pv guest_cfg netperf-linux linux \
		'ramdisk = "/job/images/serve.cpio.gz"' 'memory = 256' \
		"extra = \"console=hvc0 quiet benchip=$LINUX_ADDR/24 benchmode=serve\"" \
		'tsc_mode = "native"' "vif = ['bridge=xenbr0']")
	xh_guest_start netperf-linux "$cfg"
	if $NB firstconn $LINUX_ADDR 9 $((${EPOCHREALTIME/./} / 1000)) 300 >$d/firstconn.log 2>&1; then
		bench $d $LINUX_ADDR
	fi
	timeout 30 xl destroy netperf-linux >/dev/null 2>&1
	xh_guest_wait netperf-linux 60
}

# count_moved PREFIX NAME: how much dom0's counter NAME moved.
count_moved() {
	local b a
	b=$(tr ' ' '\n' <"$1.before" | sed -n "s/^$2=//p")
	a=$(tr ' ' '\n' <"$1.after" | sed -n "s/^$2=//p")
	echo $((${a:-0} - ${b:-0}))
}

# counts_moved PREFIX: dom0's counters that changed during a transfer.
counts_moved() {
	[ -f "$1.before" ] && [ -f "$1.after" ] || return 0
	awk 'NR == FNR { for (i = 1; i <= NF; i++) { split($i, kv, "="); b[kv[1]] = kv[2] } next }
	{ for (i = 1; i <= NF; i++) { split($i, kv, "="); d = kv[2] - b[kv[1]]
		if (d != 0 && kv[1] !~ /Curr|RtoM|MaxConn/) printf " %s=%d", kv[1], d } }
	END { print "" }' "$1.before" "$1.after" | fold -s -w 100 | sed 's/^/    dom0:/'
}

on_host() {
	local d v m
	for d in "$OUT"/netperf/*/; do
		v=$(basename "$d")
		for m in discard chargen echo; do
			test_begin "netperf-$v-$m"
			if grep -q '^rc=0$' "$d/$m.log" 2>/dev/null; then
				grep ': ok ' "$d/$m.log" | sed 's/^/    /'
				counts_moved "$d/$m"
			else
				test_fail "$(head -c 300 "$d/$m.log" 2>/dev/null)"
			fi
			test_end
		done
	done
	for d in "$OUT"/netperf/*/ "$OUT"/netperf-lx/*/; do
		[ -f "$d/nb-send.log" ] || continue
		echo "    netbench $(basename "$(dirname "$d")")/$(basename "$d"): $(grep -h '^netbench' "$d"/nb-send.log "$d"/nb-recv.log | tr '\n' ' ')"
	done
	d=$OUT/netperf/echo
	test_begin netperf-gso-fewer-acks
	local sent acks
	sent=$(count_moved "$d/discard" OutSegs)
	acks=$(count_moved "$d/discard" InSegs)
	((sent > 1000 && acks * 3 < sent)) ||
		test_fail "into discard dom0 sent $sent segments, the guest sent $acks"
	test_end
}
