# kv: examples/kv from its shipped config (a vif, static ip=10.99.0.2/24,
# a file of dom0 as its disk), driven from dom0 by Debian's redis-cli and
# redis-benchmark, socat, and the kvclient helper
# (tests/integration/helpers/kvclient.c). Logs go to out/kvcase.
#
#  - a scripted redis-cli session whose every reply is compared with
#    kv.expected: the replies of Debian's redis-server 7.0.15 to the same
#    script (appendonly yes), recorded on the build machine;
#  - inline commands through socat, malformed requests, then service;
#  - redis-benchmark -t set,get,incr,mset -P 16;
#  - the disk made torn (the last record's end zeroed) and corrupt (a
#    byte of a middle record changed) with dd between boots;
#  - a full disk and a full memory (a 64 KiB disk, maxmemory=30000,
#    appendfsync=everysec): errors, reads go on, nothing lost;
#  - crash consistency: kvclient writes over 8 connections, the guest is
#    destroyed (xl destroy) 1 to 3 s in, booted again on the same disk,
#    and every acknowledged write must be there. KV_CRASH_ROUNDS rounds
#    (default 3: about 15 s each here; the issue's 20 with
#    KV_CRASH_ROUNDS=20 make integration).

ADDR=10.99.0.2
D=out/kvcase
CLI="timeout 60 redis-cli -h $ADDR"
ROUNDS=${KV_CRASH_ROUNDS:-3}

# boot NAME IMAGE [EXTRA]: from config/kv.cfg on disk IMAGE, until it
# serves (3 minutes: a loaded machine's emulation).
boot() {
	xh_guest_start "$1" "$(shipped_cfg kv "name = \"$1\"" \
		"disk = [ 'format=raw,vdev=xvda,access=rw,target=$2' ]" \
		"extra = \"ip=$ADDR/24 ${3:-}\"")"
	wait_guest_console "$1" "kv: serving redis on port 6379" 180
}

# stop NAME: xl shutdown (the caller then waits, with xh_guest_wait,
# whether the boot worked or not).
stop() {
	shutdown_guest "$1"
}

# The script of the session (redis-cli reads one command a line).
session() {
	cat <<'SESSION'
FLUSHALL
PING
PING "hello world"
ECHO "a b"
SET k v
GET k
GET nosuchkey
SET k v2 NX
SET k v3 XX
GET k
SET k2 v XX
SET k2 v NX
SET k v4 GET
SET newkey v GET
SET k v NX XX
SET k v EX 10 PX 100
SET k v EX 0
SET k v EX abc
SET k v EX
SET k v KEEPTTL EX 10
SET k v BADOPT
SET t v EX 1000
TTL t
SET t v2 KEEPTTL
TTL t
SET t v3
TTL t
GETSET k new
GETSET nosuch x
GET nosuch
INCR counter
INCR counter
INCRBY counter 10
DECR counter
DECRBY counter 5
INCRBY counter abc
INCR k
SET big 9223372036854775807
INCR big
SET small -9223372036854775808
DECR small
DECRBY counter -9223372036854775808
SET spaced " 1"
INCR spaced
APPEND app hello
APPEND app " world"
GET app
STRLEN app
STRLEN nosuchkey
MSET m1 a m2 b m3 c
MGET m1 m2 nosuch m3
MSET m1
MSET m1 a m2
DEL m1 m2 nosuch
EXISTS m3 m3 nosuch
EXISTS m1
EXPIRE m3 1000
TTL m3
EXPIRE m3 2000 NX
EXPIRE m3 2000 XX
TTL m3
EXPIRE m3 100 GT
EXPIRE m3 3000 GT
EXPIRE m3 100 LT
TTL m3
EXPIRE m3 10 NX XX
EXPIRE m3 10 GT LT
EXPIRE m3 10 FOO
EXPIRE m3 abc
EXPIRE m3 99999999999999999
EXPIRE nosuch 10
PEXPIRE m3 9223372036854775807
PERSIST m3
PERSIST m3
TTL m3
TTL nosuch
PTTL m3
PTTL nosuch
EXPIRE m3 -1
EXISTS m3
TYPE k
TYPE nosuch
SELECT 0
SELECT 16
SELECT x
DBSIZE
KEYS m*
KEYS nomatch*
FLUSHALL
DBSIZE
MSET h1 1 h2 2 hello 3 hxllo 5
KEYS hx?lo
KEYS h[ea]llo
KEYS h[^e]llo
KEYS h[a-b]llo
KEYS *2
SCAN 0 MATCH hx* COUNT 1000
SCAN abc
SCAN 0 COUNT 0
SCAN 0 COUNT
SCAN 0 BADOPT 1
SCAN 0 TYPE list
CONFIG GET appendonly
CONFIG GET nosuchparam
CONFIG FOO
COMMAND FOO
COMMAND INFO nosuchcmd
GET
GET a b
SET k
DEL
FOO
FOO bar baz
foo "with space"
set K lower
GET K
FLUSHALL ASYNC
FLUSHALL NOW
DBSIZE
QUIT
SESSION
}

# raw NAME BYTES...: each argument sent on a connection of its own (as
# printf's format), the answers appended to $D/NAME.
raw() {
	local name=$1
	shift
	for req in "$@"; do
		printf "$req" | timeout 20 socat -t 5 - "TCP:$ADDR:6379" >>"$D/$name" 2>&1
	done
}

# fill NAME PREFIX N: SET PREFIX<i> to 1000 bytes, i = 1..N, until a
# reply is not OK; the replies' counts to $D/NAME.
fill() {
	local i v reply
	v=$(printf '%01000d' 7)
	for ((i = 1; i <= $3; i++)); do
		reply=$($CLI set "$2$i" "$v" 2>&1)
		echo "$reply"
		[ "$reply" = OK ] || break
	done | uniq -c | sed 's/^ *//' >"$D/$1"
}

main_boot() {
	local img=/tmp/kv.img
	rm -f $img && busybox truncate -s 16M $img
	if boot kv $img; then
		session | $CLI --no-raw >$D/session.out 2>&1
		raw inline.out 'PING\r\nSET inl "a b"\r\nGET inl\r\nget nosuch\r\nQUIT\r\n'
		raw garbage.out '*1\r\n$-3\r\n' '*2\r\nx\r\n' '*a\r\n' \
			'set "a"b c\r\n' '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n'
		head -c 100000 /dev/urandom | timeout 20 socat -t 5 - "TCP:$ADDR:6379" >/dev/null 2>&1
		$CLI ping >$D/after-garbage.out 2>&1
		timeout 300 redis-benchmark -h $ADDR -t set,get,incr,mset -P 16 \
			-n 2000 -q >$D/bench.out 2>&1
		echo "rc=$?" >>$D/bench.out
		for kv in "before1 x" "midkey MIDVALUEMIDVALUE" "after1 y" "last1 a" "last2 b"; do
			$CLI set $kv >>$D/known.out 2>&1
		done
		stop kv
	fi
	xh_guest_wait kv 60
}

# Damage made with dd on copies of the image kv left, between boots.
damaged_boots() {
	local end off
	end=$(tr -d '\r' <out/kv/console.log | sed -n 's/^kv: stop: .* log \([0-9]*\) bytes$/\1/p')
	[ -n "$end" ] || { echo "no log end" >$D/damage.log; return; }
	cp /tmp/kv.img /tmp/kv-torn.img
	dd if=/dev/zero of=/tmp/kv-torn.img bs=1 seek=$((end - 5)) count=5 \
		conv=notrunc >>$D/damage.log 2>&1
	cp /tmp/kv.img /tmp/kv-mid.img
	off=$(grep -obUa MIDVALUEMIDVALUE /tmp/kv-mid.img | head -n 1 | cut -d: -f1)
	printf 'X' | dd of=/tmp/kv-mid.img bs=1 seek=$((off + 3)) conv=notrunc \
		>>$D/damage.log 2>&1
	rm -f /tmp/kv.img
	if boot kvtorn /tmp/kv-torn.img; then
		for k in before1 midkey last1 last2; do $CLI get $k; done >$D/torn.out 2>&1
		stop kvtorn
	fi
	xh_guest_wait kvtorn 60
	if boot kvmid /tmp/kv-mid.img; then
		for k in before1 midkey after1 last1; do $CLI get $k; done >$D/mid.out 2>&1
		$CLI dbsize >>$D/mid.out 2>&1
		stop kvmid
	fi
	xh_guest_wait kvmid 60
	rm -f /tmp/kv-torn.img /tmp/kv-mid.img
}

full_boots() {
	local img=/tmp/kv-full.img v
	rm -f $img && busybox truncate -s 64K $img
	v=$(printf '%01000d' 7)
	if boot kvfull $img "maxmemory=30000 appendfsync=everysec"; then
		fill full-memory.out m 100
		$CLI get m1 | wc -c >$D/full-reads.out 2>&1
		for ((i = 1; i <= 40; i++)); do echo "del m$i"; done | $CLI >/dev/null 2>&1
		# One key written again and again: the log grows, not memory.
		for ((i = 1; i <= 100; i++)); do
			reply=$($CLI set d "$i-$v" 2>&1)
			echo "$reply"
			[ "$reply" = OK ] || break
		done | uniq -c | sed 's/^ *//' >$D/full-disk.out
		$CLI get d | cut -d- -f1 >>$D/full-reads.out 2>&1
		$CLI config get appendfsync >>$D/full-reads.out 2>&1
		stop kvfull
	fi
	xh_guest_wait kvfull 60
	if boot kvfull2 $img; then
		$CLI get d | cut -d- -f1 >$D/full-after.out 2>&1
		$CLI dbsize >>$D/full-after.out 2>&1
		stop kvfull2
	fi
	xh_guest_wait kvfull2 60
	rm -f $img
}

crash_rounds() {
	local img=/tmp/kv-crash.img r writer t0
	rm -f $img /tmp/kv-acks && busybox truncate -s 16M $img
	for ((r = 1; r <= ROUNDS + 1; r++)); do
		t0=$EPOCHREALTIME
		boot kvcrash $img || { echo "round $r: no boot" >>$D/crash.log; break; }
		if ((r > 1)); then
			/job/helpers/kvclient check $ADDR /tmp/kv-acks >>$D/crash.log 2>&1 ||
				echo "round $r: check failed" >>$D/crash.log
		fi
		if ((r > ROUNDS)); then
			stop kvcrash
			break
		fi
		/job/helpers/kvclient write $ADDR $r 8 30 /tmp/kv-acks >>$D/crash.log 2>&1 &
		writer=$!
		sleep "$((1 + RANDOM % 2)).$((RANDOM % 10))"
		xl destroy kvcrash >>$D/crash.log 2>&1
		xh_guest_wait kvcrash 60
		kill $writer 2>/dev/null
		wait $writer 2>/dev/null
		tr -d '\r' <out/kvcrash/console.log | grep '^kv: log' >>$D/crash-replay.log
		echo "round $r: $t0 $EPOCHREALTIME" >>$D/crash-times.log
	done
	xh_guest_wait kvcrash 60
	rm -f $img /tmp/kv-acks
}

on_dom0() {
	mkdir -p $D
	main_boot
	damaged_boots
	full_boots
	crash_rounds
}

# --- host side ---------------------------------------------------------------

f() { tr -d '\r' <"$OUT/kvcase/$1" 2>/dev/null; }

on_host() {
	local got n

	test_begin kv-session-replies-as-redis
	expect_text kv "kv: log /dev/xvda: 0 records replayed"
	# redis-cli adds "(0.86s)" after a reply that took over half a
	# second: a time, not a reply.
	grep -v '^([0-9.]*s)$' "$OUT/kvcase/session.out" >"$OUT/kvcase/session.replies" 2>/dev/null
	if ! diff -u tests/integration/cases/kv.expected "$OUT/kvcase/session.replies" >"$OUT/kvcase/session.diff" 2>&1; then
		test_fail "replies differ from Redis's: $(head -c 600 "$OUT/kvcase/session.diff")"
	fi
	test_end

	test_begin kv-inline-and-malformed-requests
	got=$(f inline.out | tr '\n' '|')
	[ "$got" = '+PONG|+OK|$3|a b|$-1|+OK|' ] || test_fail "inline: '$got'"
	got=$(f garbage.out | tr '\n' '|')
	[[ $got == "-ERR Protocol error: invalid bulk length|-ERR Protocol error: expected '\$', got 'x'|-ERR Protocol error: invalid multibulk length|-ERR Protocol error: unbalanced quotes in request|-ERR unknown command '"* ]] ||
		test_fail "malformed: '$got'"
	[ "$(f after-garbage.out)" = PONG ] || test_fail "after them: '$(f after-garbage.out)'"
	test_end

	test_begin kv-redis-benchmark-pipelined
	grep -q '^rc=0$' "$OUT/kvcase/bench.out" || test_fail "redis-benchmark: $(f bench.out | tail -n 3)"
	for t in SET GET INCR 'MSET (10 keys)'; do
		got=$(f bench.out | tr '\r' '\n' | grep -F "$t: " | grep 'requests per second' | tail -n 1)
		[ -n "$got" ] || test_fail "no $t figure"
		echo "    ${got%%, p50*}"
	done
	! f bench.out | grep -qiE 'error|ERR ' || test_fail "errors: $(f bench.out | grep -iE 'error|ERR ' | head -n 2)"
	[ "$(f known.out | tr '\n' ' ')" = 'OK OK OK OK OK ' ] || test_fail "known keys: $(f known.out)"
	expect_text kv "kv: stop: "
	expect_reason kv poweroff
	test_end

	test_begin kv-torn-tail-cut-at-boot
	console_of kvtorn | grep -qE '^kv: log: torn tail at offset [0-9]+ \(bad checksum\): cut, [0-9]+ bytes dropped$' ||
		test_fail "no torn-tail line: $(console_of kvtorn | grep '^kv: log' | head -n 3)"
	[ "$(f torn.out | tr '\n' ' ')" = 'x MIDVALUEMIDVALUE a  ' ] ||
		test_fail "after the cut: '$(f torn.out | tr '\n' ' ')', expected 'x MIDVALUEMIDVALUE a  '"
	console_of kvtorn | grep '^kv: log' | sed 's/^/    /'
	test_end

	test_begin kv-corrupt-middle-record-stops-replay
	console_of kvmid | grep -qE '^kv: log: corrupt record at offset [0-9]+ \(bad checksum\): replay stops there, 4 records \([0-9]+ bytes\) dropped$' ||
		test_fail "no corrupt-record line: $(console_of kvmid | grep '^kv: log' | head -n 3)"
	got=$(f mid.out | tr '\n' ' ')
	[[ $got == 'x    '* ]] || test_fail "after the corrupt record: '$got', expected 'x' then nothing"
	console_of kvmid | grep '^kv: log' | sed 's/^/    /'
	test_end

	test_begin kv-full-memory-and-disk
	f full-memory.out | grep -qE "^1 OOM command not allowed when used memory > 'maxmemory'\.$" ||
		test_fail "memory: $(f full-memory.out | tr '\n' ' ')"
	f full-disk.out | grep -qE '^1 MISCONF Errors writing to the AOF file: No space left on device$' ||
		test_fail "disk: $(f full-disk.out | tr '\n' ' ')"
	n=$(f full-disk.out | sed -n 's/^\([0-9]*\) OK$/\1/p')
	[ "$(f full-reads.out | tr '\n' ' ')" = "1001 $n appendfsync everysec " ] ||
		test_fail "reads: '$(f full-reads.out | tr '\n' ' ')', expected '1001 $n appendfsync everysec '"
	[ "$(f full-after.out | head -n 1)" = "$n" ] ||
		test_fail "after a reboot: d is '$(f full-after.out | head -n 1)', last acknowledged $n"
	echo "    memory: $(f full-memory.out | tr '\n' ' ')/ disk: $(f full-disk.out | tr '\n' ' ')"
	expect_reason kvfull poweroff
	expect_reason kvfull2 poweroff
	test_end

	test_begin kv-crash-consistency
	n=$(grep -c '^kvclient check: ok' "$OUT/kvcase/crash.log" 2>/dev/null)
	[ "$n" = "${KV_CRASH_ROUNDS:-3}" ] ||
		test_fail "$n of ${KV_CRASH_ROUNDS:-3} rounds checked ok: $(grep -v ': ok\|acknowledged$' "$OUT/kvcase/crash.log" | head -n 3)"
	grep -q FAIL "$OUT/kvcase/crash.log" && test_fail "$(grep FAIL "$OUT/kvcase/crash.log" | head -n 3)"
	grep '^kvclient check' "$OUT/kvcase/crash.log" | tail -n 1 | sed 's/^/    /'
	awk '{ s += $4 - $3; n++ } END { if (n) printf "    %d rounds, %.1f s each (boot, write, destroy)\n", n, s / n }' \
		"$OUT/kvcase/crash-times.log" 2>/dev/null
	test_end
}
