# dom0-io.sh - the dom0 part of make bench's network and disk sections
# (sourced by the job's run.sh after lib.sh and guest.sh; tests/bench/run
# reads what it leaves in /job/out). The same client and the same disk
# serve both guests:
#
#   network   netbench (tests/integration/helpers/netbench.c) against
#             the Linux guest's services (10.99.0.3) and xenlet's
#             examples/echo (its config's address): `xl create` -> first
#             answered SYN to port 9, then NET_MIB MiB into discard (9)
#             and out of source (19); ROUNDS boots of each. Around
#             each transfer, where its time goes (net_transfer): the CPU
#             seconds of the guest and of dom0 (xl list), dom0's
#             /proc/stat, and during it netback's ring indexes
#             (debugfs) every 0.2 s; netbench send adds what dom0's TCP
#             saw (TCP_INFO)
#   disk      fio in the Linux guest, blkbench (the xenlet guest
#             tests/integration/guests/blkbench.c, the same jobs) on the
#             same kind of disk: a DISK_MIB MiB file in dom0's tmpfs
#             /tmp, on a loop device served by blkback; blkbench with
#             and without persistent grants; DISK_ROUNDS rounds
#
# A guest whose image was not built is skipped; the report says n/a.
#
# Both guests' vifs of the network and http sections come up with the
# same hotplug script, the test host's vif-xenhost (Debian's vif-bridge
# costs either guest 8-10 s of dom0's emulated CPU before libxl
# unpauses it: make bench BENCH=phases measures both scripts), so that
# the first answer compares the guests, not the scripts.

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

# Every xenlet guest of the bench runs with tsc_mode native too, as the
# Linux guest it is compared with: in the default mode Xen emulates each
# RDTSC of a PV guest here (a trap per clock read: this host's emulated
# CPU does not say its TSC is invariant; a server's CPU does, and Xen
# then runs RDTSC natively in that mode too). PVH guests have it already
# (lib.sh's type_cfg).
type_cfg() {
	echo "type = \"$GUEST_TYPE\""
	echo 'tsc_mode = "native"'
}

# xl_cpu NAME WHEN: to out/NAME/cpu.log, "WHEN xl G D": the CPU
# seconds the guest and dom0 have used (xl list's Time(s), 0.1 s steps).
xl_cpu() {
	xl list 2>/dev/null | awk -v n="$1" -v w="$2" '
		$1 == n { g = $6 } $1 == "Domain-0" { d = $6 }
		END { print w, "xl", (g == "" ? "n/a" : g), (d == "" ? "n/a" : d) }' \
		>>"out/$1/cpu.log"
}

# dom0_stat NAME WHEN: to out/NAME/cpu.log, "WHEN stat US F...": dom0's
# clock (us) and its cpu line of /proc/stat (jiffies of its two vCPUs:
# user nice system idle iowait irq softirq steal). Read by bash itself,
# right next to the transfer: xl_cpu's own process runs outside.
dom0_stat() {
	local t=${EPOCHREALTIME/./} stat
	read -r stat </proc/stat
	echo "$2 stat $t ${stat#cpu }" >>"out/$1/cpu.log"
}

# ring_sampler VIF FILE: every 0.2 s, netback's view of the vif's
# rings (debugfs io_ring_q0: on the RX ring, "req prod P (N)" has N =
# the guest's posted buffers netback has not filled yet) to FILE,
# each sample after a "t US" line. Read by bash itself, no fork.
ring_sampler() {
	local ring=/sys/kernel/debug/xen-netback/$1/io_ring_q0 l
	while [ -r "$ring" ]; do
		{
			echo "t ${EPOCHREALTIME/./}"
			while IFS= read -r l; do echo "$l"; done <"$ring"
		} >>"$2"
		xh__nap 0.2
	done
}

# vif_counters VIF WHEN FILE: the vif's counters in dom0 (its tx is
# the guest's rx) to FILE.
vif_counters() {
	local c v
	for c in rx_packets rx_dropped tx_packets tx_dropped; do
		v=
		read -r v <"/sys/class/net/$1/statistics/$c" 2>/dev/null
		echo "$2 $c ${v:-n/a}"
	done >>"$3"
}

# net_transfer NAME WHAT ADDR PORT: netbench WHAT (send or recv) with
# the probes around it and the ring sampled during it.
net_transfer() {
	local name=$1 what=$2 o=out/$1 rs vif
	vif=vif$(xl domid "$name" 2>/dev/null).0
	[ -d /sys/kernel/debug/xen-netback ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	vif_counters "$vif" "before-$what" "$o/vif.log"
	ring_sampler "$vif" "$o/ring-$what.log" &
	rs=$!
	xl_cpu "$name" "before-$what"
	dom0_stat "$name" "before-$what"
	$NB "$what" "$3" "$4" "$NET_MIB" >"$o/$what.log" 2>&1
	dom0_stat "$name" "after-$what"
	xl_cpu "$name" "after-$what"
	kill "$rs" 2>/dev/null
	wait "$rs" 2>/dev/null
	vif_counters "$vif" "after-$what" "$o/vif.log"
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
		net_transfer "$name" send "$addr" 9
		net_transfer "$name" recv "$addr" 19
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
	xh_vif_script vif-xenhost
	for i in $(seq "$ROUNDS"); do
		net_run linux-net-$i $LINUX_ADDR "$(linux_cfg linux-net-$i serve 256 \
			"benchip=$LINUX_ADDR/24 benchmode=serve" "vif = ['bridge=xenbr0']")"
		[ -f /job/images/echo.elf ] && [ -n "$addr" ] || continue
		for type in pv pvh; do
			GUEST_TYPE=$type net_run echo-$type-$i "$addr" \
				"$(GUEST_TYPE=$type shipped_cfg echo "name = \"echo-$type-$i\"")"
		done
	done
	xh_vif_script vif-bridge # the test host's default again
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

# http_run NAME ADDR CFG [FIRST_S]: boot; `xl create` -> the first HTTP
# 200 for /, by dom0's clock from just before `xl create` (start-ms):
# netbench waits for port 80 to answer a SYN, then GETs / until a 200 (a
# server may listen before it serves): the static helper, not curl, whose
# own start-up took 0.8-1.4 s of dom0's emulated CPU per try, added to
# both servers' figures; then wrk's keep-alive load on the page
# (WRK_ARGS, the same for both servers), then one more GET (is it still
# serving?), then xl shutdown. FIRST_S (300) bounds the wait for the
# first 200. Results in out/NAME/{firstconn.log,first200-ms,wrk.log,
# after.log}.
WRK_ARGS=${WRK_ARGS:--c 50 -t 2 -d 10s}
http_run() {
	local name=$1 addr=$2 cfg=$3 o=out/$1 start
	xh_guest_start "$name" "$cfg"
	read -r start <"/run/xenhost/$name/start-ms"
	if $NB first200 "$addr" 80 "$start" "${4:-300}" >"$o/firstconn.log" 2>&1; then
		sed -n 's/^netbench: first 200 \([0-9]*\) ms.*/\1/p' "$o/firstconn.log" >"$o/first200-ms"
		# shellcheck disable=SC2086 # WRK_ARGS is words
		timeout 120 wrk $WRK_ARGS "http://$addr/" >"$o/wrk.log" 2>&1
		$NB first200 "$addr" 80 "$start" 30 >"$o/after.log" 2>&1
	fi
	shutdown_guest "$name"
	xh_guest_wait "$name" 120
}

# served NAME: did http_run NAME serve the whole load? Answers came
# (requests/s above 0), all of them 2xx, without a socket error (a
# refused or reset connection), and a 200 after it.
served() {
	local o=out/$1
	grep -q '^Requests/sec: *[1-9]' "$o/wrk.log" 2>/dev/null &&
		! grep -q 'Non-2xx\|Socket errors' "$o/wrk.log" &&
		grep -q '^netbench: first 200 ' "$o/after.log" 2>/dev/null
}

# http_memory ADDR: the smallest memory= (MiB) with which httpd (PV)
# still serves wrk's load as in bench_http: HTTP_MEM_TRY downwards from
# below the shipped config's, until one does not serve (that try waits
# 60 s at most for its first 200); the last that served to
# out/httpd-memory. Each try is out/httpd-mem-M.
HTTP_MEM_TRY=${HTTP_MEM_TRY:-7 6 5 4 3}
http_memory() {
	local mem name
	rm -f out/httpd-memory
	for mem in $HTTP_MEM_TRY; do
		name=httpd-mem-$mem
		GUEST_TYPE=pv http_run $name "$1" \
			"$(GUEST_TYPE=pv shipped_cfg httpd "name = \"$name\"" "memory = $mem" \
				'ramdisk = "/job/images/web-site.cpio"' 'extra = "ip='"$1"'/24"')" 60
		served $name || break
		echo "$mem" >out/httpd-memory
	done
}

# bench_http: ROUNDS rounds of nginx in the Linux guest (web.cpio.gz,
# LINUX_WEB_MB) and examples/httpd from its shipped config as PV and
# PVH, its site the bench's page (/job/images/web-site.cpio, the same
# 612 bytes nginx serves); then http_memory. Both guests' vifs come up
# with vif-xenhost (see the top).
LINUX_WEB_MB=${LINUX_WEB_MB:-256}
bench_http() {
	local i type addr
	addr=$(sed -n 's/^extra *=.*ip=\([0-9.]*\).*/\1/p' /job/config/httpd.cfg 2>/dev/null)
	xh_vif_script vif-xenhost
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
	[ -f /job/images/httpd.elf ] && [ -n "$addr" ] && http_memory "$addr"
	xh_vif_script vif-bridge # the test host's default again
}
