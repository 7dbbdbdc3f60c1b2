#!/usr/bin/env bash
# echoclient: dom0's client of the echo case (tests/integration/helpers/
# echoclient.c) against socat servers on this machine, so that what it
# reports of the guest is the guest's doing: it passes against a true
# echo, a sink and an RFC 864 stream made by awk (not by chargen.h, which
# it shares with examples/echo), and fails against servers that corrupt
# a byte, close early, or never answer.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
client=$top/build/tests/helpers/echoclient
tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! make -s -C "$top" build/tests/helpers/echoclient >"$tmp/make.log" 2>&1 ||
	! command -v socat >/dev/null; then
	echo "FAIL echoclient: cannot build it, or no socat: $(tail -n 3 "$tmp/make.log")"
	exit 0
fi

# Below the kernel's ephemeral range (32768 up), where a port can be
# held by a connection's TIME_WAIT and a server's bind fails.
port=$((10000 + $$ % 20000))
# serve PORT [-u] ADDRESS: a socat server on 127.0.0.1:PORT, forking one
# child per client (-u: one way, from the client).
serve() {
	local p=$1 opts=()
	shift
	[ "$1" = -u ] && { opts=(-u); shift; }
	socat "${opts[@]}" "TCP4-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork" "$1" \
		2>/dev/null &
	pids+=($!)
}
cat >"$tmp/chargen.awk" <<'AWK'
BEGIN {
	for (i = 0; i < 95; i++)
		c = c sprintf("%c", 32 + i)
	c = c c
	for (l = 0; ; l++)
		printf "%s\r\n", substr(c, l % 95 + 1, 72)
}
AWK
serve $port PIPE
serve $((port + 1)) -u OPEN:/dev/null
serve $((port + 2)) EXEC:"awk -f $tmp/chargen.awk"
# Every zero byte comes back as 1 (stdbuf: tr must pass each byte on at
# once, or the client stalls; a script: socat's quoting is its own).
printf '#!/bin/sh\nexec stdbuf -i0 -o0 tr "\\000" "\\001"\n' >"$tmp/corrupt"
chmod +x "$tmp/corrupt"
serve $((port + 3)) EXEC:"$tmp/corrupt"
serve $((port + 4)) EXEC:"head -c 100000"
serve $((port + 5)) EXEC:yes
socat "UDP4-RECVFROM:$port,bind=127.0.0.1,fork" PIPE 2>/dev/null &
pids+=($!)
sleep 0.5

# expect OUTCOME NAME SECONDS ARGS...: the client's run, with a deadline
# of SECONDS, ends in OUTCOME ("ok", or "FAIL why" with why as given)
# and exits 0 or 1 accordingly.
bad=()
expect() {
	local want=$1 name=$2 t=$3 out
	shift 3
	out=$("$client" -t "$t" "$@" 2>&1)
	case ${want%% *}:$? in
	ok:0 | FAIL:1) ;;
	*) bad+=("$name: $out") ;;
	esac
	[[ $out == *": $want"* ]] || bad+=("$name said: $out")
}

A=127.0.0.1
expect ok echo-10MB 30 echo $A:$port 10000000
expect ok concurrent-50 30 concurrent $A:$port 50 20000
expect ok sequential-200 30 sequential $A:$port 200 100
expect ok rounds-5x20 30 rounds $A:$port 5 20 100
expect ok discard-10MB 30 discard $A:$((port + 1)) 10000000
expect ok chargen-awk 30 chargen $A:$((port + 2)) 2000000
expect ok udp 30 udp $A:$port 20
expect "FAIL byte" corrupted-byte 30 echo $A:$((port + 3)) 1000000
expect "FAIL closed by the server" closed-early 30 echo $A:$((port + 4)) 1000000
expect "FAIL chargen byte after 0 is wrong" not-chargen 30 chargen $A:$((port + 5)) 1000
expect "FAIL connect: Connection refused" refused 30 echo $A:$((port + 9)) 10
expect "FAIL no progress" no-answer-in-time 2 echo $A:$((port + 1)) 1000
expect "FAIL no progress for 1 s" stall-bound 30 -s 1 echo $A:$((port + 1)) 1000

if [ ${#bad[@]} -eq 0 ]; then
	echo "PASS echoclient: checks, times and fails as it should against socat servers"
else
	echo "FAIL echoclient: ${bad[*]}"
fi
