# dom0-io.sh - the dom0 part of make bench's network and disk sections
# (sourced by the job's run.sh after lib.sh and guest.sh; tests/bench/run
# reads what it leaves in /job/out). The same client and the same disk
# serve both guests:
#
#   network   netbench (tests/integration/helpers/netbench.c) against
#             the Linux guest's services (10.99.0.3) and xenlet's
#             examples/echo (its config's address): `xl create` -> first
#             answered SYN to port 9, then NET_MIB MiB into discard (9)
#             and out of source (19); ROUNDS boots of each
#   disk      fio in the Linux guest, blkbench (the xenlet guest
#             tests/integration/guests/blkbench.c, the same jobs) on the
#             same kind of disk: a DISK_MIB MiB file in dom0's tmpfs
#             /tmp, on a loop device served by blkback; blkbench with
#             and without persistent grants; DISK_ROUNDS rounds
#
# A guest whose image was not built is skipped; the report says n/a.

LINUX_ADDR=10.99.0.3
NET_MIB=${NET_MIB:-64}
DISK_MIB=${DISK_MIB:-256}
DISK_SECONDS=${DISK_SECONDS:-20}
DISK_ROUNDS=${DISK_ROUNDS:-2}
NB=/job/images/netbench

# linux_cfg NAME INITRAMFS MEMORY EXTRA [LINE...]: the Linux guest, PV,
# one vCPU like a xenlet guest. tsc_mode native as in the linuxguest case.
linux_cfg() {
	local name=$1 img=$2 mem=$3 extra=$4
	shift 4
	GUEST_TYPE=pv guest_cfg "$name" linux "ramdisk = \"/job/images/$img.cpio.gz\"" \
		"memory = $mem" "extra = \"console=hvc0 quiet $extra\"" \
		'tsc_mode = "native"' "$@"
}

# net_run NAME ADDR CFG: boot, time the first answer on port 9 by dom0's
# clock from just before `xl create` (xh_guest_start's start-ms), then
# one transfer each way, then xl shutdown. Results in out/NAME/*.log.
net_run() {
	local name=$1 addr=$2 cfg=$3 o=out/$1 start
	xh_guest_start "$name" "$cfg"
	read -r start <"/run/xenhost/$name/start-ms"
	# 300 s: a Linux guest takes ~20 s here, 60 s on a loaded host.
	if $NB firstconn "$addr" 9 "$start" 300 >"$o/firstconn.log" 2>&1; then
		$NB send "$addr" 9 "$NET_MIB" >"$o/send.log" 2>&1
		$NB recv "$addr" 19 "$NET_MIB" >"$o/recv.log" 2>&1
	fi
	shutdown_guest "$name"
	xh_guest_wait "$name" 120
}

bench_network() {
	local i type addr
	# dom0 asks for a guest's MAC again every 10 ms, not every second:
	# first-answer times are measured to the ARP reply, not to a retry.
	# 300 tries keep the default 3 s before a neighbour counts as gone:
	# with 3 tries of 10 ms a guest slow to answer (under emulation) made
	# the transfers after the first answer fail with EHOSTUNREACH.
	local n=/proc/sys/net/ipv4/neigh/xenbr0
	echo 10 >$n/retrans_time_ms
	echo 300 >$n/mcast_solicit
	echo 300 >$n/ucast_solicit
	addr=$(sed -n 's/^extra *=.*ip=\([0-9.]*\).*/\1/p' /job/config/echo.cfg 2>/dev/null)
	for i in $(seq "$ROUNDS"); do
		net_run linux-net-$i $LINUX_ADDR "$(linux_cfg linux-net-$i serve 256 \
			"benchip=$LINUX_ADDR/24 benchmode=serve" "vif = ['bridge=xenbr0']")"
		[ -f /job/images/echo.elf ] && [ -n "$addr" ] || continue
		for type in pv pvh; do
			GUEST_TYPE=$type net_run echo-$type-$i "$addr" \
				"$(GUEST_TYPE=$type shipped_cfg echo "name = \"echo-$type-$i\"")"
		done
	done
}

# fresh_disk: each guest starts from a new sparse image.
fresh_disk() {
	rm -f /tmp/bench-disk.img
	truncate -s "${DISK_MIB}M" /tmp/bench-disk.img
}

DISK_CFG="disk = ['format=raw,vdev=xvda,access=rw,target=/tmp/bench-disk.img']"

# blkbench_run NAME TYPE WORDS: blkbench on a fresh disk, with WORDS
# (environment words, blkfront's knobs) before its options in extra=.
blkbench_run() {
	fresh_disk
	GUEST_TYPE=$2 xh_guest_run "$1" "$(GUEST_TYPE=$2 guest_cfg "$1" blkbench \
		"$DISK_CFG" "memory = 64" \
		"extra = '$3 -- -s $DISK_MIB -t $DISK_SECONDS'")" 900
}

# The knob that turns blkfront's persistent grants the other way than
# its default, as the default run of round 1 showed it (the console
# log's lines end in CR LF).
other_pg() {
	if tr -d '\r' <"out/blkbench-$1-1/console.log" 2>/dev/null |
		grep -q '^blkbench: ring .*, persistent grants on$'; then
		echo BLKFRONT_PERSISTENT=0
	else
		echo BLKFRONT_PERSISTENT=1
	fi
}

# bench_disk: DISK_ROUNDS rounds of: fio in the Linux guest
# (out/linux-fio-R), then blkbench as PV and as PVH with blkfront's
# defaults (out/blkbench-TYPE-R) and, back to back with it, with
# persistent grants the other way (out/blkbench-TYPE-pg-R): the pair
# that decides blkfront's default. Odd rounds run the default first,
# even ones the other, so a drift of the host's load favours neither.
bench_disk() {
	local r type
	for r in $(seq "$DISK_ROUNDS"); do
		fresh_disk
		xh_guest_run linux-fio-$r "$(linux_cfg linux-fio-$r fio 512 \
			"benchmode=fio benchfio=$DISK_MIB,$DISK_SECONDS" "$DISK_CFG")" 900
		[ -f /job/images/blkbench.elf ] || continue
		for type in pv pvh; do
			if [ $((r % 2)) = 1 ]; then
				blkbench_run blkbench-$type-$r $type ""
				blkbench_run blkbench-$type-pg-$r $type "$(other_pg $type)"
			else
				blkbench_run blkbench-$type-pg-$r $type "$(other_pg $type)"
				blkbench_run blkbench-$type-$r $type ""
			fi
		done
	done
	rm -f /tmp/bench-disk.img
}

# http_run NAME ADDR CFG: boot; `xl create` -> the first HTTP 200 for /,
# by dom0's clock from just before `xl create` (start-ms): netbench
# waits for port 80 to answer a SYN, then GETs / until a 200 (a server
# may listen before it serves): the static helper, not curl, whose own
# start-up took 0.8-1.4 s of dom0's emulated CPU per try, added to
# both servers' figures; then wrk's keep-alive load on the page
# (WRK_ARGS, the same for both servers), then xl shutdown. Results in
# out/NAME/{firstconn.log,first200-ms,wrk.log}.
WRK_ARGS=${WRK_ARGS:--c 50 -t 2 -d 10s}
http_run() {
	local name=$1 addr=$2 cfg=$3 o=out/$1 start
	xh_guest_start "$name" "$cfg"
	read -r start <"/run/xenhost/$name/start-ms"
	if $NB first200 "$addr" 80 "$start" 300 >"$o/firstconn.log" 2>&1; then
		sed -n 's/^netbench: first 200 \([0-9]*\) ms.*/\1/p' "$o/firstconn.log" >"$o/first200-ms"
		# shellcheck disable=SC2086 # WRK_ARGS is words
		timeout 120 wrk $WRK_ARGS "http://$addr/" >"$o/wrk.log" 2>&1
	fi
	shutdown_guest "$name"
	xh_guest_wait "$name" 120
}

# bench_http: ROUNDS rounds of nginx in the Linux guest (web.cpio.gz,
# LINUX_WEB_MB) and examples/httpd from its shipped config as PV and
# PVH, its site the bench's page (/job/images/web-site.cpio, the same
# 612 bytes nginx serves).
LINUX_WEB_MB=${LINUX_WEB_MB:-256}
bench_http() {
	local i type addr
	addr=$(sed -n 's/^extra *=.*ip=\([0-9.]*\).*/\1/p' /job/config/httpd.cfg 2>/dev/null)
	for i in $(seq "$ROUNDS"); do
		http_run linux-web-$i $LINUX_ADDR "$(linux_cfg linux-web-$i web $LINUX_WEB_MB \
			"benchip=$LINUX_ADDR/24 benchmode=web" "vif = ['bridge=xenbr0']")"
		[ -f /job/images/httpd.elf ] && [ -n "$addr" ] || continue
		for type in pv pvh; do
			GUEST_TYPE=$type http_run httpd-$type-$i "$addr" \
				"$(GUEST_TYPE=$type shipped_cfg httpd "name = \"httpd-$type-$i\"" \
					'ramdisk = "/job/images/web-site.cpio"' 'extra = "ip='"$addr"'/24"')"
		done
	done
}
