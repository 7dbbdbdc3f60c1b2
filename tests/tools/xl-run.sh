#!/usr/bin/env bash
# xl-run: `make run`'s path on a machine without Xen, as a user takes it,
# in one boot of the test host: tools/xl-run httpd (make run's default)
# runs in the background (config/httpd.cfg asks for its port 80 to be
# forwarded); once it prints http://localhost:PORT/, curl on this
# machine gets the site's index.html through the guest; "status" typed
# at xl-run's stdin reaches the guest's console input and is answered
# with httpd's status line; SIGINT (Ctrl-C) shuts the guest down (its
# counts and exit line are printed) and ends xl-run with no QEMU left
# behind. (examples/echo's forward was checked here before; httpd's
# replaces it, at the same cost: one boot.)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
job=$top/build/tests/xl-run/job
tmp=$(mktemp -d)
out=$tmp/out
pid=""
cleanup() {
	# Only if a check failed early: xl-run's own TERM stops the host.
	[ -z "$pid" ] || kill "$pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

[ -f "$top/build/examples/httpd.elf" ] || {
	echo "FAIL xl-run: build/examples/httpd.elf is not built"
	exit 0
}

# Deadlines by the clock, generous: under a loaded machine's emulation
# the test host has taken 80 s to boot.
BOOT_S=400 LINE_S=120 STOP_S=240

# wait_out PATTERN SECONDS: until xl-run's output has a line matching
# PATTERN (an extended regex), or it ended, or SECONDS passed.
wait_out() {
	local end=$((SECONDS + $2))
	while ((SECONDS < end)); do
		grep -qE -- "$1" "$out" && return 0
		kill -0 "$pid" 2>/dev/null || { grep -qE -- "$1" "$out"; return; }
		sleep 0.5
	done
	return 1
}

# say_fail NAME WHY: a FAIL line, with the end of xl-run's output.
say_fail() {
	echo "FAIL $1: $2; xl-run said:"
	tail -n 8 "$out" | sed 's/^/    /'
}

mkfifo "$tmp/in"
t0=$SECONDS
# env --default-signal: a background command of a script starts with
# SIGINT ignored, which bash cannot then trap; a terminal's foreground
# make run has it.
(cd "$top" && XL_RUN_JOB=$job XL_RUN_PORT=$((20000 + $$ % 20000)) \
	exec env --default-signal=INT tools/xl-run httpd) <"$tmp/in" >"$out" 2>&1 &
pid=$!
exec 5>"$tmp/in" # xl-run's stdin: open for as long as the test types

# 1. The forwarded port: a page through this machine's port, QEMU,
# dom0's relay and the guest's httpd, compared with the site's file.
page=$top/examples/httpd/rootfs/index.html
if ! wait_out '^xl-run: http://localhost:[0-9]+/' $BOOT_S; then
	say_fail xl-run-forward "no 'xl-run: http://localhost:PORT/' line in $BOOT_S s"
else
	port=$(sed -n 's|^xl-run: http://localhost:\([0-9]*\)/.*|\1|p' "$out")
	echo "    forwarded port answered $((SECONDS - t0)) s after xl-run started"
	code=$(curl -sS --max-time $LINE_S -o "$tmp/page" -w '%{http_code}' \
		"http://localhost:$port/" 2>&1)
	if [ "$code" = 200 ] && cmp -s "$tmp/page" "$page"; then
		echo "PASS xl-run-forward: curl http://localhost:$port/ gets index.html from the guest"
	else
		say_fail xl-run-forward "curl http://localhost:$port/: '$code', $(head -c 80 "$tmp/page" 2>/dev/null)"
	fi
fi

# 2. Console input: typed at xl-run, answered by the guest.
echo status >&5
t1=$SECONDS
# (Console lines end in CR LF: the job streams the guest's console log.)
if wait_out '^httpd: status requests=[1-9]' $LINE_S; then
	echo "    typed line answered after $((SECONDS - t1)) s"
	echo "PASS xl-run-console-input: 'status' typed at xl-run reaches the guest"
else
	say_fail xl-run-console-input "no 'httpd: status requests=' line in $LINE_S s"
fi

# 3. Ctrl-C: the guest shuts down cleanly, then the host; no QEMU left.
t1=$SECONDS
kill -INT "$pid"
end=$((SECONDS + STOP_S))
while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.5; done
rc=running
kill -0 "$pid" 2>/dev/null || { wait "$pid"; rc=$?; pid=""; }
exec 5>&-
left=$(pgrep -f "qemu-system-x86_64.*$job" || true)
if [ "$rc" = 0 ] && [ -z "$left" ] &&
	[ "$(grep -c '^httpd: status requests=[1-9]' "$out")" -ge 2 ] &&
	grep -q '^xenlet: exit 0' "$out" &&
	grep -q '^\[xl-run: httpd ended: poweroff\]' "$out"; then
	echo "    Ctrl-C to exit: $((SECONDS - t1)) s"
	echo "PASS xl-run-ctrl-c: SIGINT shuts the guest down, then the host; no QEMU left"
else
	say_fail xl-run-ctrl-c "after SIGINT: xl-run $rc, QEMU left: '${left}'"
	# shellcheck disable=SC2086 # one PID per word
	[ -z "$left" ] || kill $left 2>/dev/null
fi
