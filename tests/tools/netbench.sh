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

# Ports 7/9/19 + a base above 1024 that this run alone uses (by its pid),
# all below the kernel's ephemeral range (32768 up): a port there can be
# the local end of one of this test's own connections, still in
# TIME_WAIT, and a server's bind then fails (seen once: first-200's
# server never listened).
base=$((10000 + ($$ % 1000) * 20))
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
check discard-tcp-info "$tmp/send" "^netbench: send tcp: [1-9][0-9]* samples; rtt mean [0-9]+ us; cwnd [0-9]+/[0-9]+/[0-9]+ segments of [1-9][0-9]* bytes \(min/mean/max\); peer window [0-9]+/[0-9]+/[1-9][0-9]* KiB; retransmitted [0-9]+; busy [0-9]+ ms, of it limited by the peer's window [0-9]+ ms, by the send buffer [0-9]+ ms$"
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

# First 200 (make bench's http section): a server that answers at once
# but with 503 until 1 s after the clock starts, then 200; the SYN's
# answer must come before, the 200 after that second.
# http_server PORT READY_MS: answers every request, 200 from READY_MS on.
http_server() {
	cat >"$tmp/http-$1" <<HTTP
#!/usr/bin/env bash
read -r line
if (( \$(date +%s%N) / 1000000 >= $2 )); then s="200 OK"; else s="503 Busy"; fi
printf 'HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "\$s"
HTTP
	chmod +x "$tmp/http-$1"
	socat TCP-LISTEN:"$1",bind=127.0.0.1,reuseaddr,fork EXEC:"$tmp/http-$1" 2>"$tmp/socat-$1.err" &
	pids+=($!)
}
t0=$(now_ms)
http_server $((base + 1080)) $((t0 + 1000))
timeout 20 "$nb" first200 $a $((base + 1080)) "$t0" 10 >"$tmp/f200" 2>&1
first=$(sed -n 's/^netbench: first answer \([0-9]*\) ms, [0-9]* attempts$/\1/p' "$tmp/f200")
ok=$(sed -n 's/^netbench: first 200 \([0-9]*\) ms, [0-9]* GETs$/\1/p' "$tmp/f200")
if [ -n "$first" ] && [ -n "$ok" ] && [ "$first" -lt 1000 ] && [ "$ok" -ge 1000 ] && [ "$ok" -lt 3000 ]; then
	echo "PASS netbench-first-200: answer $first ms, 200 $ok ms for a server ready after 1000 ms"
else
	echo "FAIL netbench-first-200: $(head -c 300 "$tmp/f200") $(head -c 200 "$tmp/socat-$((base + 1080)).err")"
fi

# A server that never says 200: an error by the deadline.
http_server $((base + 1081)) $((t0 + 3600000))
timeout 20 "$nb" first200 $a $((base + 1081)) "$(now_ms)" 2 >"$tmp/no200" 2>&1
echo "rc $?" >>"$tmp/no200"
check no-200-is-an-error "$tmp/no200" '^netbench: first200 error: no 200 in 2 s'
grep -qx 'rc 1' "$tmp/no200" || echo "FAIL netbench-no-200-is-an-error: exit status $(tail -n 1 "$tmp/no200")"
