# dom0-apps.sh - the dom0 part of make bench's lua and kv sections
# (sourced by the job's run.sh after lib.sh, guest.sh and dom0-io.sh,
# whose linux_cfg and LINUX_ADDR it uses; tests/bench/run reads what it
# leaves in /job/out):
#
#   lua   tests/bench/cpu.lua in examples/lua as PV and PVH (its ramdisk
#         /job/images/cpu-lua.cpio) and under Debian's lua5.4 in the
#         Linux guest (lua.cpio.gz), LUA_ROUNDS boots of each:
#         out/lua-GUEST-ROUND/console.log
#   kv    examples/kv (PV, PVH: KV_TYPES) and Debian's redis-server in
#         the Linux guest (redis.cpio.gz, its append-only file on ext4),
#         each on a KV_DISK_MIB MiB file of dom0's tmpfs /tmp on a loop
#         device (blkback), driven by the same dom0 clients. Three boots
#         of each server:
#           always    a new disk, appendfsync always: redis-benchmark
#                     SET and GET, -P 1 and -P 16
#           fill      a new disk, everysec: one million keys through
#                     redis-cli --pipe (/job/images/kvfill.resp)
#           recover   that disk again, everysec: `xl create` -> the
#                     first PONG (the data set loaded), DBSIZE, then
#                     redis-benchmark as in the first boot
#         out/kv-SERVER-BOOT/: serving-ms, bench-pP.csv (and .err),
#         fill-ms, dbsize, console.log
#
# A xenlet guest whose image was not built is skipped; the report says
# n/a.

KV_TYPES=${KV_TYPES:-pv pvh}
KV_DISK_MIB=${KV_DISK_MIB:-256}
KV_MB=${KV_MB:-512}
KV_N_P1=${KV_N_P1:-5000}
KV_N_P16=${KV_N_P16:-50000}
KV_KEYSPACE=${KV_KEYSPACE:-100000}
LUA_SCALE=${LUA_SCALE:-1}
LUA_ROUNDS=${LUA_ROUNDS:-2}
# memory= of the xenlet Lua guest: the Linux guest's.
LUA_MB=${LUA_MB:-256}
KV_IMG=/tmp/kvbench.img
KV_DISK_CFG="disk = ['format=raw,vdev=xvda,access=rw,target=$KV_IMG']"

# bench_lua: LUA_ROUNDS rounds of xenlet PV, Linux, xenlet PVH (Linux
# between the two: a drift of the host's load favours neither type):
# out/lua-GUEST-ROUND.
bench_lua() {
	local r type
	for r in $(seq "$LUA_ROUNDS"); do
		for type in pv linux pvh; do
			if [ $type = linux ]; then
				xh_guest_run lua-linux-$r "$(linux_cfg lua-linux-$r lua "$LUA_MB" \
					"benchmode=lua benchlua=$LUA_SCALE")" 900
			elif [ -f /job/images/lua.elf ]; then
				GUEST_TYPE=$type xh_guest_run lua-$type-$r \
					"$(GUEST_TYPE=$type shipped_cfg lua "name = \"lua-$type-$r\"" \
						'ramdisk = "/job/images/cpu-lua.cpio"' "memory = $LUA_MB" \
						"extra = 'cpu.lua $LUA_SCALE'")" 900
			fi
		done
	done
}

# kv_addr SERVER: where it serves: kv at its config's address.
kv_addr() {
	case $1 in
	linux) echo "$LINUX_ADDR" ;;
	*) sed -n 's/^extra *=.*ip=\([0-9.]*\).*/\1/p' /job/config/kv.cfg ;;
	esac
}

# kv_start NAME SERVER FSYNC DISK: boot SERVER (linux, pv or pvh) on
# KV_IMG, made anew first when DISK is new.
kv_start() {
	local name=$1 server=$2 fsync=$3 disk=$4 cfg
	if [ "$disk" = new ]; then
		rm -f $KV_IMG
		truncate -s "${KV_DISK_MIB}M" $KV_IMG
	fi
	if [ "$server" = linux ]; then
		cfg=$(linux_cfg "$name" redis "$KV_MB" "benchip=$LINUX_ADDR/24 \
benchmode=redis benchfsync=$fsync benchdisk=$disk" "vif = ['bridge=xenbr0']" \
			"$KV_DISK_CFG")
	else
		cfg=$(GUEST_TYPE=$server shipped_cfg kv "name = \"$name\"" \
			"memory = $KV_MB" "$KV_DISK_CFG" \
			"extra = \"ip=$(kv_addr kv)/24 appendfsync=$fsync\"")
	fi
	xh_guest_start "$name" "$cfg"
}

# kv_ready NAME ADDR: until the server answers PING with PONG (Redis
# answers LOADING while it replays its file), by dom0's clock from just
# before `xl create` into out/NAME/serving-ms. 600 s: a million keys
# replayed under emulation on a loaded host.
kv_ready() {
	local name=$1 addr=$2 start end now
	read -r start <"/run/xenhost/$name/start-ms"
	end=$((SECONDS + 600))
	while ((SECONDS < end)); do
		# A guest that died (its console says why) will never answer:
		# its `xl create -F` has ended.
		xh_running "$(cat "/run/xenhost/$name/xl")" || return 1
		if [ "$(timeout 10 redis-cli -h "$addr" ping 2>/dev/null)" = PONG ]; then
			now=${EPOCHREALTIME/./}
			echo $((now / 1000 - start)) >"out/$name/serving-ms"
			return 0
		fi
		sleep 0.05
	done
	return 1
}

# kv_bench NAME ADDR: redis-benchmark's SET and GET at -P 1 and -P 16,
# 50 clients, keys of a KV_KEYSPACE keyspace (the fill's first keys).
# Its error replies (a fault of the server) go to bench-pP.err.
kv_bench() {
	local name=$1 addr=$2 p n
	for p in 1 16; do
		n=$KV_N_P1
		[ $p = 16 ] && n=$KV_N_P16
		timeout 900 redis-benchmark -h "$addr" -c 50 -P $p -n "$n" \
			-r "$KV_KEYSPACE" -t set,get --csv \
			>"out/$name/bench-p$p.csv" 2>"out/$name/bench-p$p.err"
		echo "rc=$?" >>"out/$name/bench-p$p.err"
	done
}

# kv_fill NAME ADDR: the million SETs of kvfill.resp through one
# connection (redis-cli --pipe), timed by dom0's clock.
kv_fill() {
	local name=$1 addr=$2 t0 t1
	t0=${EPOCHREALTIME/./}
	timeout 1800 redis-cli -h "$addr" --pipe </job/images/kvfill.resp \
		>"out/$name/fill.log" 2>&1
	t1=${EPOCHREALTIME/./}
	echo $(((t1 - t0) / 1000)) >"out/$name/fill-ms"
}

# kv_boot NAME SERVER FSYNC DISK WHAT...: one boot: start, wait until it
# serves, do WHAT (bench, fill: the functions above), xl shutdown.
kv_boot() {
	local name=$1 server=$2 fsync=$3 disk=$4 addr w
	shift 4
	addr=$(kv_addr "$server")
	kv_start "$name" "$server" "$fsync" "$disk"
	if kv_ready "$name" "$addr"; then
		for w in "$@"; do
			"kv_$w" "$name" "$addr"
		done
		timeout 60 redis-cli -h "$addr" dbsize >"out/$name/dbsize" 2>&1
	fi
	shutdown_guest "$name"
	xh_guest_wait "$name" 300
}

bench_kv() {
	local server
	for server in linux $KV_TYPES; do
		[ $server = linux ] || [ -f /job/images/kv.elf ] || continue
		kv_boot kv-$server-always $server always new bench
		kv_boot kv-$server-fill $server everysec new fill
		kv_boot kv-$server-recover $server everysec old bench
	done
	rm -f $KV_IMG
}
