# guest.sh — helpers for xenhost job scripts, to be sourced in dom0:
#
#   . /usr/lib/xenhost/guest.sh
#   xh_guest_run NAME CFG [TIMEOUT_S]       boot a guest, wait until it is gone
#   xh_guest_run_live NAME CFG [TIMEOUT_S]  same, its console streamed to stdout
#   xh_guest_start NAME CFG [live]          boot a guest in the background
#   xh_guest_wait NAME [TIMEOUT_S]          wait for a started guest to end
#   xh_vif_script SCRIPT                    the hotplug script of vifs from
#                                           now on (vif-xenhost, the test
#                                           host's; vif-bridge, Debian's)
#
# NAME must be the `name` in CFG (xl names consoles and domains after it).
# Each guest leaves in /job/out/NAME/:
#   console.log    everything the guest wrote to its console
#   reason         poweroff | reboot | suspend | crash | watchdog |
#                  soft_reset | timeout | unknown
#   xl.log         output of `xl create -F`
#   first-line-ms  ms from just before `xl create` until the console log
#                  held a complete line (absent if it never did)
#   xl-dmesg.log   the end of Xen's log (register dumps of crashed guests)
# xh_guest_run / xh_guest_wait return xl's exit status, or 124 on timeout.
#
# No `set -e` here: this file is sourced into the job's shell.

XH_OUT=${XH_OUT:-/job/out}
XH_STATE=/run/xenhost
XH_CONSOLE_DIR=/var/log/xen/console
XH_DEFAULT_TIMEOUT=60

# xh__now_ms: sets XH_NOW_MS to wall-clock milliseconds. bash's
# EPOCHREALTIME (microseconds) and a variable instead of $(...) avoid a
# fork, which matters in polling loops under emulation: a forked subshell
# that died there once made an empty time, and a wait end at once as a
# timeout. coreutils `date +%s%N` gives the same clock.
xh__now_ms() {
    local t=${EPOCHREALTIME/./}
    XH_NOW_MS=$((t / 1000))
}

# xh__nap SECONDS: sleep without forking a process. `read -t` on a FIFO
# nobody writes to simply times out. The FIFO is opened once, here at
# source time, so background subshells inherit the descriptor.
mkdir -p "$XH_STATE"
[ -p "$XH_STATE/nap" ] || mkfifo "$XH_STATE/nap"
exec {XH__NAP_FD}<>"$XH_STATE/nap"
xh__nap() {
    read -r -t "$1" -u "$XH__NAP_FD" || true
}

# xh__measure_first_line LOG START_MS OUTFILE: background poller. Writes
# the milliseconds from START_MS until LOG first holds a complete line.
# `read` succeeds only on a newline-terminated line, so no fork per poll.
xh__measure_first_line() {
    local log=$1 start=$2 out=$3
    while :; do
        if [ -f "$log" ] && IFS= read -r _ <"$log" 2>/dev/null; then
            xh__now_ms
            echo $((XH_NOW_MS - start)) >"$out"
            return 0
        fi
        xh__nap 0.005
    done
}

# xh__console_closed LOG: has xenconsoled closed LOG? It closes a guest's
# log only after draining the ring of a domain that is gone, so once the
# file is closed, copying it gives the complete console output.
# `-ef` (same device and inode, following the /proc fd link) is a shell
# builtin: a readlink per descriptor per poll costs seconds under TCG.
xh__console_closed() {
    local pid fd
    [ -f "$1" ] || return 0
    pid=$(cat /run/xenconsoled.pid 2>/dev/null) || return 0
    for fd in /proc/"$pid"/fd/*; do
        ! [ "$fd" -ef "$1" ] || return 1
    done
    return 0
}

# xh__reason XL_LOG: one word from xl's "has shut down, reason code N".
# The codes are Xen's SHUTDOWN_* values (public/sched.h).
xh__reason() {
    local code
    code=$(sed -n 's/.*has shut down, reason code \([0-9]*\).*/\1/p' "$1" | tail -n 1)
    case $code in
    0) echo poweroff ;;
    1) echo reboot ;;
    2) echo suspend ;;
    3) echo crash ;;
    4) echo watchdog ;;
    5) echo soft_reset ;;
    *) echo unknown ;;
    esac
}

# xh_guest_start NAME CFG [live]: start `xl create -F CFG` in the
# background (-F keeps xl in the foreground until the domain is gone and
# makes it print why it shut down). With `live`, the guest's console is
# copied to stdout as it arrives.
xh_guest_start() {
    local name=$1 cfg=$2 live=${3:-}
    local dir=$XH_OUT/$name state=$XH_STATE/$name
    local log=$XH_CONSOLE_DIR/guest-$name.log
    local start
    rm -rf "$dir" "$state"
    mkdir -p "$dir" "$state"
    rm -f "$log"
    xh__now_ms
    start=$XH_NOW_MS
    echo "$start" >"$state/start-ms"
    xh__measure_first_line "$log" "$start" "$dir/first-line-ms" &
    echo $! >"$state/poller"
    xl create -F "$cfg" >"$dir/xl.log" 2>&1 &
    echo $! >"$state/xl"
    if [ "$live" = live ]; then
        # -F follows the name: the log appears only once xenconsoled
        # attaches to the new domain.
        tail -n +1 -s 0.05 -F "$log" 2>/dev/null &
        echo $! >"$state/tail"
    fi
}

# xh_running PID: is the process still running? An ended child stays a
# zombie until bash reaps it, and kill -0 succeeds on a zombie. Under
# this emulation bash has now and then left a child unreaped for minutes
# (a case hung for 600 s after its guest and xl had ended), so a zombie
# counts as ended; the caller's `wait` reaps it.
xh_running() {
    local stat
    read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# xh__wait_pid PID TIMEOUT_S: wait for a background PID; 1 on timeout.
xh__wait_pid() {
    local pid=$1 deadline
    xh__now_ms
    deadline=$((XH_NOW_MS + $2 * 1000))
    while xh_running "$pid"; do
        xh__now_ms
        ((XH_NOW_MS < deadline)) || return 1
        xh__nap 0.05
    done
    return 0
}

# xh__stop_pid FILE: end the background process whose PID is in FILE.
xh__stop_pid() {
    local pid
    [ -f "$1" ] || return 0
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$1"
}

# xh__collect NAME: once the domain is gone, wait for xenconsoled to
# finish the log (at most 5 s) and record the console and Xen's log.
xh__collect() {
    local name=$1 dir=$XH_OUT/$1 state=$XH_STATE/$1
    local log=$XH_CONSOLE_DIR/guest-$1.log
    if xl domid "$name" >/dev/null 2>&1; then
        # Still there (on_crash = "preserve"...): xenconsoled keeps the
        # log open as long as the domain exists; take what is there now.
        xh__nap 0.5
    else
        for _ in $(seq 100); do
            xh__console_closed "$log" && break
            xh__nap 0.05
        done
    fi
    # The last console bytes may still be on their way to tail.
    [ ! -f "$state/tail" ] || { xh__nap 0.3; xh__stop_pid "$state/tail"; }
    # The poller gives up here: no complete line will come any more.
    xh__stop_pid "$state/poller"
    if [ -f "$log" ]; then
        cp "$log" "$dir/console.log"
    else
        : >"$dir/console.log"
    fi
    xl dmesg 2>&1 | tail -n 200 >"$dir/xl-dmesg.log"
}

# xh_guest_wait NAME [TIMEOUT_S]: wait until the guest started by
# xh_guest_start is gone (destroying it after TIMEOUT_S), then write the
# files described at the top. Returns xl's status, or 124 on timeout.
xh_guest_wait() {
    local name=$1 timeout=${2:-$XH_DEFAULT_TIMEOUT}
    local dir=$XH_OUT/$1 state=$XH_STATE/$1 xl_pid rc=0
    xl_pid=$(cat "$state/xl")
    if xh__wait_pid "$xl_pid" "$timeout"; then
        wait "$xl_pid" 2>/dev/null || rc=$?
        xh__reason "$dir/xl.log" >"$dir/reason"
    else
        printf "\nxenhost: guest %s still running after %s s: destroying it\n" "$name" "$timeout" >&2
        xl destroy "$name" >>"$dir/xl.log" 2>&1
        # xl -F notices the destruction and exits.
        xh__wait_pid "$xl_pid" 10 || kill "$xl_pid" 2>/dev/null
        wait "$xl_pid" 2>/dev/null
        echo timeout >"$dir/reason"
        rc=124
    fi
    rm -f "$state/xl"
    xh__collect "$name"
    return "$rc"
}

# xh_vif_script SCRIPT: libxl's default vif hotplug script (xl.conf's
# vif.default.script) for the guests created from now on: vif-xenhost,
# the test host's lean one (see its header), or Debian's vif-bridge, to
# measure what the toolstack costs with it.
xh_vif_script() {
    [ -x "/etc/xen/scripts/$1" ] || return 1
    sed -i '/^vif\.default\.script *=/d' /etc/xen/xl.conf
    echo "vif.default.script=\"$1\"" >>/etc/xen/xl.conf
}

# xh_guest_run NAME CFG [TIMEOUT_S]: boot a guest and wait until it is gone.
xh_guest_run() {
    xh_guest_start "$1" "$2"
    xh_guest_wait "$1" "${3:-$XH_DEFAULT_TIMEOUT}"
}

# xh_guest_run_live NAME CFG [TIMEOUT_S]: the same, with the guest's
# console streamed to stdout while it runs (for `make run`).
xh_guest_run_live() {
    xh_guest_start "$1" "$2" live
    xh_guest_wait "$1" "${3:-$XH_DEFAULT_TIMEOUT}"
}
