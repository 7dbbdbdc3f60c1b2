#!/usr/bin/env bash
# pktstamp: make bench's frame stamper (tests/integration/helpers/
# pktstamp.c), here on this machine's loopback: a connection refused
# shows as a SYN and an RST, stamped between the clock before and after
# it; the UDP frames around it are filtered out; its deadline ends it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
ps=$top/build/tests/helpers/pktstamp
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! make -s -C "$top" build/tests/helpers/pktstamp >"$tmp/make.log" 2>&1; then
	echo "FAIL pktstamp: does not build: $(tail -n 3 "$tmp/make.log" | tr '\n' ' ')"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "SKIP pktstamp: a packet socket needs root"
	exit 0
fi
port=$((40000 + $$ % 10000))
"$ps" lo 2 >"$tmp/out" 2>&1 &
pid=$!
sleep 0.5
t0=$(($(date +%s%N) / 1000))
echo x >/dev/udp/127.0.0.1/$port 2>/dev/null
bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null
echo x >/dev/udp/127.0.0.1/$port 2>/dev/null
t1=$(($(date +%s%N) / 1000))
start=$SECONDS
wait $pid
ended=$((SECONDS - start))
if awk -v a="$t0" -v b="$t1" -v p="$port" '
	$2 == "tcp" && $3 == "syn" && $6 == "127.0.0.1:" p && $1 >= a && $1 <= b { syn = 1 }
	$2 == "tcp" && $3 == "rst" && $4 == "127.0.0.1:" p && $1 >= a && $1 <= b { rst = 1 }
	$2 != "tcp" && $2 != "arp" { other = 1 }
	END { exit !(syn && rst && !other) }' "$tmp/out"; then
	echo "PASS pktstamp-syn-rst: $(wc -l <"$tmp/out") lines, stamps within the connect"
else
	echo "FAIL pktstamp-syn-rst: t0 $t0 t1 $t1: $(head -c 300 "$tmp/out")"
fi
if [ "$ended" -le 3 ]; then
	echo "PASS pktstamp-deadline: ended by its 2 s"
else
	echo "FAIL pktstamp-deadline: still running $ended s after the connect"
fi
