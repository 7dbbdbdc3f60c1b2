# lib.sh - helpers shared by the integration test cases.
#
# A case file in cases/ defines two functions:
#   on_dom0   runs inside dom0 of the test host (cwd /job), starts guests
#             with xh_guest_run (tools/xenhost/guest.sh) and may compute
#             things there; everything it keeps goes to /job/out.
#   on_host   runs on the build machine after the test host is gone and
#             judges the results in $OUT with test_begin/expect_*/test_end,
#             which print "PASS name" or "FAIL name: why".

# GUEST_TYPE (pv or pvh) is set by the runner: the same case runs for both.
GUEST_TYPE=${GUEST_TYPE:-pv}

# case_runs_on TYPE: does the case run for that guest type? Every case
# runs for both unless it names its types (CASE_TYPES), saying why in a
# comment; the runner reports the others as SKIP lines, with SKIP_WHY.
case_runs_on() {
	if [ -n "${CASE_TYPES:-}" ] && [[ " $CASE_TYPES " != *" $1 "* ]]; then
		SKIP_WHY="the case says CASE_TYPES=\"$CASE_TYPES\""
		return 1
	fi
	return 0
}

# use_vif_script: the vif hotplug script of the case's guests (dom0's
# xl.conf). Debian's vif-bridge costs a guest 8-10 s up and 14-18 s
# down under the emulation (about 40 processes at 0.1-0.2 s each; make
# bench BENCH=phases), the test host's vif-xenhost does the same steps
# in 3 processes. So cases use vif-xenhost, and the ones about a vif's
# life (attach, detach, the first connection) say CASE_VIF_SCRIPT=
# "vif-bridge", so that Debian's own script stays tested on every run.
use_vif_script() {
	xh_vif_script "${CASE_VIF_SCRIPT:-vif-xenhost}" ||
		echo "use_vif_script: no /etc/xen/scripts/${CASE_VIF_SCRIPT:-vif-xenhost}" >&2
}

# --- dom0 side ---------------------------------------------------------------

# The xl lines that select the guest type. A PVH guest also gets
# tsc_mode = "native": Xen runs RDTSC natively when the CPU's TSC is
# invariant, as on the servers xenlet runs on, and emulates it (a VM exit
# per clock read) when not, as on this test host, whose emulated CPU does
# not say invariant. That emulation breaks under many exits: a PVH
# arpping flooded with 100,000 frames on an idle test host triple-faulted
# in 3 of 3 runs with it (5 runs on a busy host, at a slower pace, did
# not), and in none of 3 runs (5 floods) without it. The postmortem:
# stopped just past the RDTSC of xen_system_time_ns, descriptor tables
# and stack intact, and the event Xen was injecting a page fault on an
# instruction fetch (0x80000b0e, error code 0x10) that the guest never
# made: most likely Xen's own fetch of the RDTSC it was emulating. (The
# emulated SVM also reports RDTSCP exits as RDTSC ones.) Native, the
# tests run PVH guests as those servers would.
type_cfg() {
	echo "type = \"$GUEST_TYPE\""
	[ "$GUEST_TYPE" = pvh ] && echo 'tsc_mode = "native"'
	return 0
}

# set_cfg_lines CFG [KEY=VALUE-LINE...]: each line replaces the key's
# line in CFG, or is added.
set_cfg_lines() {
	local cfg=$1 line
	shift
	for line in "$@"; do
		sed -i "/^${line%%[ =]*} *=/d" "$cfg"
		echo "$line" >>"$cfg"
	done
}

# guest_cfg NAME IMAGE [LINE...]: write an xl config for /job/images/IMAGE.elf
# with the given lines added or replacing the defaults; print its path.
guest_cfg() {
	local name=$1 image=$2 cfg=/tmp/$1.cfg
	shift 2
	{
		echo "name = \"$name\""
		echo "kernel = \"/job/images/$image.elf\""
		echo 'memory = 32'
		echo 'vcpus = 1'
		echo 'on_poweroff = "destroy"'
		echo 'on_crash = "destroy"'
		echo 'on_reboot = "destroy"'
		type_cfg
	} >"$cfg"
	set_cfg_lines "$cfg" "$@"
	echo "$cfg"
}

# shipped_cfg NAME [KEY=VALUE-LINE...]: config/NAME.cfg as shipped, with
# the job's image paths (kernel, and ramdisk if it has one), the guest
# type, and the given lines.
shipped_cfg() {
	local name=$1 cfg=/tmp/$1.cfg type_lines
	shift
	mapfile -t type_lines < <(type_cfg)
	sed -e "s|^kernel *=.*|kernel = \"/job/images/$name.elf\"|" \
		-e "s|^ramdisk *=.*|ramdisk = \"/job/images/$name.cpio\"|" \
		"/job/config/$name.cfg" >"$cfg"
	set_cfg_lines "$cfg" "${type_lines[@]}" "$@"
	echo "$cfg"
}

# PRESERVE: xl lines that keep a guest that crashed or triple-faulted
# (a PVH triple fault is a reboot) for postmortem instead of destroying it.
PRESERVE=('on_crash = "preserve"' 'on_reboot = "preserve"')

# postmortem NAME IMAGE: if guest NAME stopped but is still there (kept by
# PRESERVE), write its vCPU state (xen-hvmctx: the registers, IDTR, GDTR,
# TR and any pending event; xenctx: the call trace with IMAGE's symbols)
# to out/NAME/postmortem.log and destroy it. Prints nothing otherwise.
postmortem() {
	local name=$1 image=$2 domid o=out/$1
	domid=$(xl domid "$name" 2>/dev/null) || return 0
	# xl list's state column: s = shut down (and kept), c = crashed.
	xl list "$name" 2>/dev/null | awk 'NR == 2 { print $5 }' |
		grep -q '[sc]' || return 0
	{
		xl list "$name"
		xen-hvmctx "$domid" 2>&1 | sed -n '/type 2 /,/event/p'
		xenctx -s "/job/images/$image.map" -f -a -S "$domid" 2>&1
	} >"$o/postmortem.log" 2>&1
	xl destroy "$name" >/dev/null 2>&1
}

# stamp_console NAME OUTFILE: in the background, write each console line
# of guest NAME to OUTFILE prefixed with dom0's clock in microseconds.
# Call it after xh_guest_start; stop it with stop_stamping.
stamp_console() {
	# -s: tail polls a file that did not exist yet, every 1 s by default.
	tail -n +1 -s 0.01 -F "/var/log/xen/console/guest-$1.log" 2>/dev/null |
		while IFS= read -r line; do
			echo "${EPOCHREALTIME/./} ${line%$'\r'}"
		done >"$2" &
	STAMP_PID=$!
}

stop_stamping() {
	pkill -P "$STAMP_PID" 2>/dev/null
	kill "$STAMP_PID" 2>/dev/null
	wait "$STAMP_PID" 2>/dev/null
	return 0 # the stamper's status is that of a killed process
}

# wait_console NAME TEXT [TIMEOUT_S]: wait until the console shows TEXT,
# by the clock (a count of polls stretched to many minutes under load),
# and forking nothing while it polls (see wait_guest_console).
wait_console() {
	local end=$((SECONDS + ${3:-60})) text
	while ((SECONDS < end)); do
		text=
		{ read -r -d '' text <"/var/log/xen/console/guest-$1.log"; } 2>/dev/null
		[[ $text == *"$2"* ]] && return 0
		xh__nap 0.05
	done
	return 1
}

# wait_guest_console NAME TEXT TIMEOUT_S: wait until the console of a
# guest started by xh_guest_start shows TEXT; by the clock, and giving
# up at once if its `xl create` has ended (a failed create). Unlike
# wait_console it forks nothing while it polls (twice a second): under
# emulation a grep every 50 ms takes enough of dom0 to make the disk
# hotplug scripts of the same guest miss libxl's 40 s timeout.
wait_guest_console() {
	local end=$((SECONDS + $3)) pid text
	read -r pid <"/run/xenhost/$1/xl" 2>/dev/null
	while ((SECONDS < end)); do
		text=
		{ read -r -d '' text <"/var/log/xen/console/guest-$1.log"; } 2>/dev/null
		[[ $text == *"$2"* ]] && return 0
		[ -n "$pid" ] && xh_running "$pid" || return 1
		xh__nap 0.5
	done
	return 1
}

# console_count NAME TEXT: how many times TEXT is in NAME's console,
# forking nothing (see wait_guest_console).
console_count() {
	local text= rest
	{ read -r -d '' text <"/var/log/xen/console/guest-$1.log"; } 2>/dev/null
	rest=${text//"$2"/}
	echo $(((${#text} - ${#rest}) / ${#2}))
}

# wait_console_count NAME TEXT N TIMEOUT_S: until TEXT is in NAME's
# console N times.
wait_console_count() {
	local end=$((SECONDS + $4))
	while ((SECONDS < end)); do
		(($(console_count "$1" "$2") >= $3)) && return 0
		xh__nap 0.5
	done
	return 1
}

# boot_echo NAME [CFG-LINE...]: examples/echo from config/echo.cfg as
# NAME (with any extra config lines), waiting for its serving line, 180 s
# at most by the clock (or until xl create has given up).
boot_echo() {
	local name=$1
	shift
	xh_guest_start "$name" "$(shipped_cfg echo "name = \"$name\"" "$@")"
	wait_guest_console "$name" 'echo: serving' 180
}

# run_helper LOG SECONDS HELPER ARGS...: a dom0 helper under a deadline
# of its own (-t SECONDS) and timeout's as a backstop; its output and
# exit status ("rc=N", the last line) to LOG.
run_helper() {
	local log=$1 t=$2 helper=$3
	shift 3
	timeout $((t + 30)) "$helper" -t "$t" "$@" >"$log" 2>&1
	echo "rc=$?" >>"$log"
}

# expect_helper_ok LOG: (on_host) the helper's log out/LOG (run_helper's)
# ends with rc=0 and has its ": ok " line, which is shown; else the test
# fails with the log's start, and the status is 1.
expect_helper_ok() {
	local log=$OUT/$1
	if grep -q '^rc=0$' "$log" 2>/dev/null && grep -q ': ok ' "$log"; then
		grep ': ok ' "$log" | sed 's/^/    /'
	else
		test_fail "${1##*/}: $(grep -v '^rc=' "$log" 2>/dev/null | head -c 300)"
		return 1
	fi
}

# expect_idle_cpu NAME: (on_host) the two CPU times dom0 wrote into
# out/NAME/cpu-seconds, 5 s apart, differ by under 5 % of that time.
expect_idle_cpu() {
	local t0 t1
	read -r t0 t1 <"$OUT/$1/cpu-seconds" 2>/dev/null
	if [ -z "$t1" ]; then
		test_fail "dom0 did not read the CPU time"
		return
	fi
	echo "    idle $1: CPU time $t0 s -> $t1 s over 5 s"
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !((b - a) / 5 < 0.05) }' ||
		test_fail "used $t0 -> $t1 CPU seconds in 5 s"
}

# cpu_seconds NAME: the CPU time the domain has used, from `xl list`.
cpu_seconds() {
	xl list "$1" 2>/dev/null | awk 'NR == 2 { print $6 }'
}

# shutdown_guest NAME: xl shutdown; once more if xl itself failed and
# the domain is still there (xl has aborted here on a mutex assertion
# after sending the request, under emulation).
shutdown_guest() {
	timeout 60 xl shutdown "$1" >>"out/$1/shutdown.log" 2>&1 && return
	sleep 2
	! xl domid "$1" >/dev/null 2>&1 ||
		timeout 60 xl shutdown "$1" >>"out/$1/shutdown.log" 2>&1
}

# console_type NAME TEXT: TEXT and Enter typed at guest NAME's console
# (its pty, as `xl console` would), bounded: a pty nobody drains could
# block the job.
console_type() {
	local domid tty
	domid=$(xl domid "$1" 2>/dev/null) || return 1
	tty=$(xenstore-read "/local/domain/$domid/console/tty") || return 1
	timeout 5 sh -c "printf '%s\\r' '$2' >'$tty'"
}

# net_diag NAME ADDR FILE: what dom0 sees of guest NAME's vif (its
# neighbour entry, the vif's counters, netback's ring indexes from
# debugfs, a ping), to FILE; then "status" is typed at the guest's
# console, for a guest that answers it with its own counters (httpd:
# frames dropped and the pools' free entries). For a case to call when
# the guest stopped answering.
net_diag() {
	local domid
	domid=$(xl domid "$1" 2>/dev/null)
	[ -d /sys/kernel/debug/xen-netback ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	{
		echo "== $(date -u +%T) $1 (domid $domid) at $2"
		ip neigh show
		ip -s link show "vif$domid.0"
		cat /sys/kernel/debug/xen-netback/vif$domid.0/io_ring_q0
		timeout 10 ping -c 2 -W 2 "$2"
	} >>"$3" 2>&1
	console_type "$1" status
}

# --- host side ----------------------------------------------------------------

test_begin() {
	TEST_NAME=$1
	TEST_FAILS=()
}

test_fail() {
	TEST_FAILS+=("$*")
}

test_end() {
	if [ ${#TEST_FAILS[@]} -eq 0 ]; then
		echo "PASS $TEST_NAME [$GUEST_TYPE]"
	else
		echo "FAIL $TEST_NAME [$GUEST_TYPE]: ${TEST_FAILS[*]}"
	fi
}

# The guest's console log without the "\r" the console adds before "\n".
console_of() {
	{ tr -d '\r' <"$OUT/$1/console.log"; } 2>/dev/null
}

# triple_fault_report GUEST: what Xen's log says of a PVH guest that
# ended as 'reboot' (Xen's action for an HVM triple fault): its "Triple
# fault" line and the RIP, CR2 and CR3 of the register dump after it,
# on one line; nothing if the log has no triple fault.
triple_fault_report() {
	sed -n '/Triple fault/,/cr3:/p' "$OUT/$1/xl-dmesg.log" 2>/dev/null |
		grep -E 'Triple fault|RIP:|cr2:|cr3:' | head -n 4 |
		sed 's/^(XEN) *//' | tr -s ' ' | paste -sd ';' -
}

# expect_reason GUEST REASON: how the domain ended (poweroff, crash, ...).
expect_reason() {
	local got why=
	got=$(cat "$OUT/$1/reason" 2>/dev/null || echo "no result")
	[ "$got" = reboot ] && why=$(triple_fault_report "$1")
	[ "$got" = "$2" ] ||
		test_fail "$1 ended as '$got', expected '$2'${why:+ (Xen: $why)}"
}

# expect_line GUEST TEXT: a console line equal to TEXT.
expect_line() {
	console_of "$1" | grep -qxF -- "$2" || test_fail "$1: no console line '$2'"
}

# expect_text GUEST TEXT: TEXT appears somewhere in the console.
expect_text() {
	console_of "$1" | grep -qF -- "$2" || test_fail "$1: no console text '$2'"
}

# expect_no_text GUEST TEXT: TEXT appears nowhere in the console.
expect_no_text() {
	! console_of "$1" | grep -qF -- "$2" || test_fail "$1: console has '$2'"
}

# expect_lines_matching GUEST REGEX COUNT: exactly COUNT lines match.
expect_lines_matching() {
	local n
	n=$(console_of "$1" | grep -cE -- "$2")
	[ "$n" = "$3" ] || test_fail "$1: $n lines match '$2', expected $3"
}

# expect_last_line GUEST TEXT: the final console line is TEXT.
expect_last_line() {
	local last
	last=$(console_of "$1" | tail -n 1)
	[ "$last" = "$2" ] || test_fail "$1: last line is '$last', expected '$2'"
}

# check_memory GUEST MIB MIN_PERCENT_USABLE: the memory guest (guests/memory.c)
# saw MIB MiB, had that share free at main, and got every page back.
check_memory() {
	local pages=$(($2 * 256)) free
	expect_text "$1" "memory: $pages pages ($2 MiB)"
	free=$(console_of "$1" | sed -n 's/^memory: [0-9]* pages ([0-9]* MiB), \([0-9]*\) free at main$/\1/p')
	if [ -z "$free" ]; then
		test_fail "$1: no free count"
		return
	fi
	echo "    $1: $free of $pages pages free at main ($((free * 100 / pages)) %)"
	((free * 100 >= pages * $3)) || test_fail "$1: only $free of $pages pages usable"
	expect_lines_matching "$1" "^memory: round [12]: $free pages one by one, $free in large blocks, $free free after\$" 2
	expect_reason "$1" poweroff
}
