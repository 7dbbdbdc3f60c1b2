#!/usr/bin/env bash
# xl-run: `make run`'s path on a machine without Xen, as a user takes it,
# in one boot of the test host: tools/xl-run echo runs in the
# background (config/echo.cfg asks for its tcp port 7 to be forwarded);
# once it prints localhost:PORT, a line sent there from this machine
# comes back through the guest; a line typed at xl-run's stdin comes
# back from the guest's console input ("echo: console: LINE"); SIGINT
# (Ctrl-C) shuts the guest down (its counts and exit line are printed)
# and ends xl-run with no QEMU left behind.
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

[ -f "$top/build/examples/echo.elf" ] || {
	echo "FAIL xl-run: build/examples/echo.elf is not built"
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
	exec env --default-signal=INT tools/xl-run echo) <"$tmp/in" >"$out" 2>&1 &
pid=$!
exec 5>"$tmp/in" # xl-run's stdin: open for as long as the test types

# 1. The forwarded port: a line through this machine's port, QEMU, dom0's
# relay and the guest's echo, and back.
line="xl-run-forward-$$"
if ! wait_out '^xl-run: localhost:[0-9]+ is echo.s tcp port 7' $BOOT_S; then
	say_fail xl-run-forward "no 'xl-run: localhost:PORT' line in $BOOT_S s"
else
	port=$(sed -n 's/^xl-run: localhost:\([0-9]*\) is echo.s.*/\1/p' "$out")
	echo "    forwarded port answered $((SECONDS - t0)) s after xl-run started"
	got=$(timeout $LINE_S bash -c "exec 3<>/dev/tcp/127.0.0.1/$port &&
		echo '$line' >&3 && head -n 1 <&3" 2>&1)
	if [ "$got" = "$line" ]; then
		echo "PASS xl-run-forward: localhost:$port echoes through the guest"
	else
		say_fail xl-run-forward "sent '$line' to localhost:$port, got '$got'"
	fi
fi

# 2. Console input: typed at xl-run, answered by the guest.
typed="xl-run-typed-$$"
echo "$typed" >&5
t1=$SECONDS
# (Console lines end in CR LF: the job streams the guest's console log.)
if wait_out "^echo: console: $typed"$'\r?$' $LINE_S; then
	echo "    typed line answered after $((SECONDS - t1)) s"
	echo "PASS xl-run-console-input: a line typed at xl-run reaches the guest"
else
	say_fail xl-run-console-input "no 'echo: console: $typed' in $LINE_S s"
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
	grep -q "^echo: served [0-9]* echo ($((${#line} + 1)) bytes)" "$out" &&
	grep -q '^xenlet: exit 0' "$out" &&
	grep -q '^\[xl-run: echo ended: poweroff\]' "$out"; then
	echo "    Ctrl-C to exit: $((SECONDS - t1)) s"
	echo "PASS xl-run-ctrl-c: SIGINT shuts the guest down, then the host; no QEMU left"
else
	say_fail xl-run-ctrl-c "after SIGINT: xl-run $rc, QEMU left: '${left}'"
	# shellcheck disable=SC2086 # one PID per word
	[ -z "$left" ] || kill $left 2>/dev/null
fi
