# dom0.sh - the dom0 side of an integration run (tests/integration/run
# copies it into the job; the test host runs it from /job/run.sh).
#
# Runs each case's on_dom0 once per guest type in TYPES, each in a bash
# of its own so that one case's failure or definitions do not leak into
# the next. Cases write to out/NAME relative to their working folder,
# which holds an "out" link to out/TYPE.
set -u
. /usr/lib/xenhost/guest.sh

# A case's dom0 part may take this many seconds of real time unless its
# file says otherwise (CASE_DEADLINE=, read by case_deadline).
CASE_DEADLINE_DEFAULT=600

# show_processes SESSION: every user process with its session, state, what
# it waits in (wchan) and, for those of SESSION, its kernel stack: what a
# hung case was stuck on.
show_processes() {
	local p stat sid
	for p in /proc/[0-9]*; do
		stat=$(cat "$p/stat" 2>/dev/null) || continue
		[ -s "$p/cmdline" ] || continue # kernel threads
		stat=${stat##*) }
		sid=$(echo "$stat" | cut -d' ' -f4)
		echo "  pid ${p#/proc/} sid $sid state ${stat%% *}" \
			"wchan $(cat "$p/wchan" 2>/dev/null):" \
			"$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | cut -c1-120)"
		[ "$sid" != "$1" ] || sed 's/^/      /' "$p/stack" 2>/dev/null | head -n 12
	done
}

# case_deadline CASE-FILE: the seconds of real time the case's dom0 part
# may take: its CASE_DEADLINE (kv sets one from its crash rounds), else
# CASE_DEADLINE_DEFAULT. The file is sourced in a subshell, as run_case
# does, so a deadline may depend on the case's settings.
case_deadline() {
	local d
	d=$( (CASE_DEADLINE= && . /job/lib.sh && . "$1" && echo "$CASE_DEADLINE") 2>/dev/null)
	[[ $d =~ ^[0-9]+$ ]] || d=$CASE_DEADLINE_DEFAULT
	echo "$d"
}

# show_guests: what tells a guest that spins from one that waits, for a
# case past its deadline: each domain's CPU seconds twice, 5 s apart
# (xl list's Time column); "status" typed at its console meanwhile (a
# guest that answers it, httpd, prints its network counters); its
# console's last lines; netback's ring indexes for its vifs (debugfs:
# req_prod, req_cons, rsp_prod of both rings, pending events); its
# vCPUs' call traces (xenctx, with the symbols of its kernel's image).
show_guests() {
	local d dom map q tty
	[ -d /sys/kernel/debug/xen-netback ] ||
		mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	timeout 20 xl list 2>&1 | tee /tmp/deadline-xl-list | sed 's/^/  /'
	awk 'NR > 2 { print $2 }' /tmp/deadline-xl-list | while read -r dom; do
		tty=$(timeout 5 xenstore-read "/local/domain/$dom/console/tty") &&
			timeout 5 sh -c "printf 'status\\r' >'$tty'"
	done
	xh__nap 5
	echo "  5 s later:"
	timeout 20 xl list 2>&1 | sed 's/^/  /'
	awk 'NR > 2 { print $1, $2 }' /tmp/deadline-xl-list | while read -r d dom; do
		echo "  == $d (domid $dom): its console's last lines"
		tail -n 15 "/var/log/xen/console/guest-$d.log" 2>&1 | tr -d '\r' | sed 's/^/    /'
		for q in /sys/kernel/debug/xen-netback/vif$dom.*/io_ring_q*; do
			[ -e "$q" ] || continue
			echo "  == $q"
			sed 's/^/    /' "$q"
		done
		map=$(timeout 20 xl list -l "$d" 2>/dev/null |
			sed -n 's|.*"kernel": *"\(.*\)\.elf".*|\1.map|p' | head -n 1)
		[ -f "$map" ] || map=/dev/null
		echo "  == $d: xenctx"
		timeout 20 xenctx -s "$map" -f -a -S "$dom" 2>&1 | head -n 60 | sed 's/^/    /'
	done
}

# run_case TYPE CASE-FILE: the case's dom0 part, in a session of its own
# under a deadline in real time (case_deadline): a hang in one case (a
# guest, a tool, the job library) must not stall the run. A case past its
# deadline has its processes and guests listed, then is killed
# (DEADLINE_HIT=1). The deadline is read from the clock: counting passes
# of a 0.1 s nap made 1200 "seconds" last far longer under the emulation,
# where a pass costs more than its nap (a hung httpd case ran 20 minutes
# without reaching it).
run_case() {
	local pid limit end
	DEADLINE_HIT=0
	limit=$(case_deadline "$2")
	end=$((EPOCHSECONDS + limit))
	setsid bash -c '
		cd /tmp/work-$1 && export GUEST_TYPE=$1 XH_OUT=/job/out/$1 CASE_DEADLINE=$3 &&
		. /usr/lib/xenhost/guest.sh && . /job/lib.sh && CASE_FILE=$2 && . "$2" &&
		{ case_runs_on $1 || exit 0; } && use_vif_script && on_dom0' _ "$1" "$2" "$limit" &
	pid=$!
	while xh_running "$pid"; do
		if ((EPOCHSECONDS >= end)); then
			echo "deadline: ${2##*/} [$1] (session $pid) still runs after $limit s; processes:"
			show_processes "$pid"
			echo "deadline: ${2##*/} [$1]: its guests:"
			show_guests
			DEADLINE_HIT=1
			kill -KILL -- -"$pid" 2>/dev/null
			break
		fi
		xh__nap 0.1
	done
	wait "$pid"
}

# Whatever a failed case left running goes, so the next starts clean.
destroy_leftovers() {
	xl list 2>/dev/null | awk 'NR > 2 { print $1 }' | while read -r d; do
		echo "destroying leftover domain $d"
		xl destroy "$d"
	done
}

# case_guests: the guests the case just run started, by name:
# xh_guest_start makes XH_STATE/NAME afresh for each, on dom0's own
# tmpfs, so those newer than /tmp/case-start. bash's -nt compares the
# times to the nanosecond (busybox find -newer, to the second). Scanning
# every guest's xl.log in /job/out instead cost 2-4 s a case late in a
# run: /job is QEMU's 9p share, about 25 ms a file.
case_guests() {
	local d
	for d in "$XH_STATE"/*/; do
		d=${d%/}
		[[ $d -nt /tmp/case-start ]] && echo "${d##*/}"
	done
	return 0
}

# lost_consoles TYPE GUEST...: every xenlet guest prints at least
# "xenlet: exit N", so a guest of this case with an empty log means its
# console never reached dom0 (seen once: xenconsoled did not attach to
# a new domain).
lost_consoles() {
	local type=$1 g f
	shift
	for g; do
		f=/job/out/$type/$g/console.log
		[ -f "$f" ] && [ ! -s "$f" ] && echo "$g"
	done
}

# triple_faults TYPE GUEST...: those of the guests that Xen says
# triple-faulted ("dNv0 Triple fault" in the Xen log kept with the
# guest), each with the RIP of Xen's dump. xenlet's IDT sends a double
# fault to a stack of its own (arch/x86/idt.c), so a guest of ours
# reports its faults; yet under this emulation (QEMU's emulated SVM has
# no next-RIP or decode assists: Xen decodes every hypercall and hlt
# from guest memory) exit-heavy PVH guests have triple-faulted: once
# with an event Xen was injecting on its own, a page fault on an
# instruction fetch the guest never made (lib.sh, type_cfg); in CI, in
# the 20,000 event round trips of evtchn and hostile's flood. Seen here
# in hostile's flood: the guest vCPU's state in Xen's dump held Xen's
# own CS (e008), its stack and as RIP the instruction after Xen's VMRUN
# (svm/entry.S): the host state VMRUN saves, loaded as the guest's by
# the emulated SVM; the guest then fetched at that address, faulted
# (CR2 = RIP) and triple-faulted. The RIP is in the retry line, and
# such a host RIP is named for what it is.
triple_faults() {
	local type=$1 g d text
	shift
	for g; do
		text=
		{ read -r -d '' text <"/job/out/$type/$g/xl.log"; } 2>/dev/null
		[[ $text =~ \(domid\ ([0-9]+) ]] || continue
		d=${BASH_REMATCH[1]}
		# Read by bash first: the pipeline's three processes only for a
		# guest that did triple-fault.
		text=
		{ read -r -d '' text <"/job/out/$type/$g/xl-dmesg.log"; } 2>/dev/null
		[[ $text == *"d${d}v0 Triple fault"* ]] || continue
		grep -A 8 "d${d}v0 Triple fault" "/job/out/$type/$g/xl-dmesg.log" 2>/dev/null |
			grep -m 1 -o 'RIP: *[0-9a-f]*:\[<[0-9a-f]*>\]' |
			sed -e "s/^/$g at /" \
				-e 's/e008:.*/& (Xen'"'"'s own code: the emulated SVM gave the guest the host'"'"'s state)/'
	done
}

# run_case, once more if the first run was spoilt by the test host: a
# guest's console that never reached dom0 (lost_consoles), the case's
# own bash killed by a signal other than our deadline's (under this
# emulation bash has aborted in malloc, as busybox has segfaulted; that
# says nothing of the guest), or a PVH guest's triple fault
# (triple_faults). Only once: a second spoilt run stands as it is. The
# retry is logged and reported with its reason.
run_case_once_more_if_spoilt() { # type case-file
	local rc=0 lost tf why= guests
	touch /tmp/case-start
	run_case "$1" "$2" || rc=$?
	[ $rc = 0 ] || echo "dom0 part of ${2##*/} [$1] failed ($rc)"
	destroy_leftovers
	guests=$(case_guests)
	lost=$(lost_consoles "$1" $guests)
	[ -z "$lost" ] || why="no console output reached dom0 from $(echo $lost)"
	tf=$(triple_faults "$1" $guests | paste -sd ',' -)
	[ -z "$tf" ] || why="${why:+$why; }Xen says a PVH guest triple-faulted: $tf"
	((rc <= 128 || DEADLINE_HIT)) || why="its dom0 part died of signal $((rc - 128))"
	[ -n "$why" ] || return 0
	echo "retrying ${2##*/} [$1]: $why"
	echo "${2##*/} [$1]: $why" >>/job/out/retried
	rc=0
	run_case "$1" "$2" || rc=$?
	[ $rc = 0 ] || echo "dom0 part of ${2##*/} [$1] failed ($rc)"
	destroy_leftovers
}

for type in $TYPES; do
	mkdir -p "/job/out/$type" "/tmp/work-$type"
	ln -sfn "/job/out/$type" "/tmp/work-$type/out"
	for c in /job/cases/*.sh; do
		echo "== ${c##*/} [$type]"
		start=$EPOCHSECONDS
		run_case_once_more_if_spoilt "$type" "$c"
		# What each case costs, for the suite's time budget.
		echo "$((EPOCHSECONDS - start)) s ${c##*/} [$type]" >>/job/out/case-times
	done
done
