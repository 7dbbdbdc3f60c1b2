#!/usr/bin/env bash
# netbench: make bench's dom0 client (tests/integration/helpers/netbench.c)
# against the Linux guest's peer (tests/bench/linux-guest/services.c),
# both on this machine over loopback, so that a failure under the test
# host is the guest's, not theirs: each service answers as it should,
# the client's figures are there, and the client catches what is wrong
# (changed echo data, a peer that never answers) and times first
# answers by the clock it is given.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
nb=$top/build/tests/helpers/netbench
sv=$top/build/linux-guest/services
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! make -s -C "$top" build/tests/helpers/netbench build/linux-guest/services >"$tmp/make.log" 2>&1; then
	echo "FAIL netbench: the client or services does not build:"
	tail -n 5 "$tmp/make.log" | sed 's/^/    /'
	exit 0
fi

# Ports 7/9/19 + a base above 1024 that this run alone uses (by its pid).
base=$((20000 + ($$ % 2000) * 20))
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# check NAME OUTPUT-FILE REGEX: PASS if the output has a matching line.
check() {
	if grep -qE "$3" "$2"; then
		echo "PASS netbench-$1: $(grep -E "$3" "$2" | head -n 1)"
	else
		echo "FAIL netbench-$1: $(head -c 300 "$2")"
	fi
}

"$sv" -o $base >"$tmp/services.log" 2>&1 &
pids+=($!)
a=127.0.0.1
timeout 20 "$nb" firstconn $a $((base + 9)) "$(now_ms)" 10 >"$tmp/up" 2>&1
check services-listens "$tmp/services.log" "^services: tcp echo $((base + 7)), discard $((base + 9)), source $((base + 19)), udp echo $((base + 7))\$"

timeout 60 "$nb" echo $a $((base + 7)) 1048576 >"$tmp/echo" 2>&1
check tcp-echo "$tmp/echo" '^netbench: echo 1048576 bytes [0-9.]+ s [0-9.]+ MB/s$'
timeout 60 "$nb" uecho $a $((base + 7)) 1472 >"$tmp/uecho" 2>&1
check udp-echo "$tmp/uecho" '^netbench: uecho 1472 bytes ok'
timeout 60 "$nb" send $a $((base + 9)) 64 >"$tmp/send" 2>&1
check discard "$tmp/send" '^netbench: send 67108864 bytes [0-9.]+ s [0-9.]+ MB/s$'
timeout 60 "$nb" recv $a $((base + 19)) 64 >"$tmp/recv" 2>&1
check source "$tmp/recv" '^netbench: recv 67108864 bytes [0-9.]+ s [0-9.]+ MB/s$'

# A peer that does not echo (source: its stream is not our bytes, or it
# closes as soon as we send) is an error, never a figure.
timeout 60 "$nb" echo $a $((base + 19)) 4096 >"$tmp/bad" 2>&1
echo "rc $?" >>"$tmp/bad"
check catches-bad-echo "$tmp/bad" '^netbench: echo( error: 4096 bytes came back changed|: read error: )'
grep -qx 'rc 1' "$tmp/bad" || echo "FAIL netbench-catches-bad-echo: exit status $(tail -n 1 "$tmp/bad")"

# First answer: a peer that starts listening 1 s after the clock starts.
t0=$(now_ms)
(sleep 1 && exec "$sv" -o $((base + 1000)) >/dev/null 2>&1) &
pids+=($!)
timeout 20 "$nb" firstconn $a $((base + 1009)) "$t0" 10 >"$tmp/first" 2>&1
ms=$(sed -n 's/^netbench: first answer \([0-9]*\) ms, [0-9]* attempts$/\1/p' "$tmp/first")
if [ -n "$ms" ] && [ "$ms" -ge 1000 ] && [ "$ms" -lt 3000 ]; then
	echo "PASS netbench-first-answer: $ms ms for a peer up after 1000 ms"
else
	echo "FAIL netbench-first-answer: $(head -c 300 "$tmp/first")"
fi

# No peer at all: an error by the deadline, not a hang.
timeout 20 "$nb" firstconn $a $((base + 1500)) "$(now_ms)" 2 >"$tmp/none" 2>&1
echo "rc $?" >>"$tmp/none"
check no-answer-is-an-error "$tmp/none" '^netbench: firstconn error: no answer in 2 s'
grep -qx 'rc 1' "$tmp/none" || echo "FAIL netbench-no-answer-is-an-error: exit status $(tail -n 1 "$tmp/none")"
