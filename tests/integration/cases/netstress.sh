# netstress: the byte stream through a guest while dom0 is busy: the
# reproducer of the corrupted-bytes fault of issues 10 and 13, which was
# the test host's own (fixed there: Xen's spec-ctrl=eager-fpu, see
# tools/xenhost/xenhost). Opt-in: NETSTRESS_ROUNDS=N rounds of
# NETSTRESS_REQUESTS requests per test (default 20000; a round then costs
# 20-60 s per guest type), reported as skipped otherwise.
#
# examples/echo (config/echo.cfg) is driven by Debian's redis-benchmark
# on its echo port: each pipelined request comes back as it was sent,
# which redis-benchmark reads as one reply (a RESP array of bulk
# strings), so every byte the guest returns is parsed. 100 clients,
# 32 requests pipelined each, SET GET INCR MSET. Two busy loops in dom0
# run meanwhile: without them the fault was rare (no round of ten on a
# quiet test host); with them most rounds, PV and PVH alike, got bytes
# that were never sent ("got \x00 as reply type byte"; examples/kv once
# read a string of dom0's bash binary as a command).
#
# The tcpzeros helper watches the guest's vif in dom0 with a packet
# socket and prints every TCP payload on the echo port with a run of 8
# zero bytes or more, and which way it went. Each such run was first in
# a segment dom0 sent to the guest (16 to 128 zeros, at the start or the
# end of a segment of a pipelined write of redis-benchmark), then in the
# guest's echo of it; the Linux baseline guest of make bench got them
# too. The cause was in dom0: Xen switched FPU state lazily (CR0.TS and
# the #NM fault), QEMU's TCG raises no #NM for XSAVE/XRSTOR, so dom0's
# kernel gave a task another context's vector registers in the middle of
# a memcpy. 4 December 2026, PV rounds (3-5 a run): corrupt in 8 of 9
# as the host was; also with AVX off (5 of 5), XSAVEOPT off (3 of 4),
# single-threaded TCG (3 of 3); clean with XSAVE off in QEMU (0 of 4) or
# in dom0 (noxsave, 0 of 4), and with eager FPU (0 of 4, then 0 of 5 PV
# and 0 of 5 PVH). Smaller rounds still catch it: with the fault brought
# back (XENHOST_XEN_ARGS=spec-ctrl=no-eager-fpu) 3 of 3 rounds of
# NETSTRESS_REQUESTS=5000, which cost about 20 s each on a loaded host
# (3 rounds and the boot: 75 s PV, 64 s PVH), clean without it.

ADDR=10.99.0.2
ROUNDS=${NETSTRESS_ROUNDS:-0}
REQUESTS=${NETSTRESS_REQUESTS:-20000}

on_dom0() {
	local i hogs=() o=out/netstress vif
	((ROUNDS > 0)) || return 0
	mkdir -p $o
	boot_echo netstress || { xh_guest_wait netstress 60; return; }
	vif=$(ls /sys/class/net | grep '^vif' | head -n 1)
	# What dom0's kernel sees of the emulated CPU (avx, xsave...).
	grep -m 1 '^flags' /proc/cpuinfo >$o/cpuflags.txt
	/job/helpers/tcpzeros "$vif" 7 8 $((ROUNDS * 200 + 60)) \
		>$o/tcpzeros.txt 2>&1 &
	hogs+=($!)
	for i in 1 2; do
		(while :; do :; done) &
		hogs+=($!)
	done
	for ((i = 1; i <= ROUNDS; i++)); do
		timeout 200 redis-benchmark -h $ADDR -p 7 -t set,get,incr,mset \
			-c 100 -P 32 -n "$REQUESTS" -q >$o/round$i.out 2>&1
		echo "rc=$?" >>$o/round$i.out
	done
	kill "${hogs[@]}"
	shutdown_guest netstress
	xh_guest_wait netstress 60
}

on_host() {
	local f bad=0 n=0 z=$OUT/netstress/tcpzeros.txt
	if ((${NETSTRESS_ROUNDS:-0} == 0)); then
		echo "SKIP netstress-echo-bytes-intact [$GUEST_TYPE]: NETSTRESS_ROUNDS=0 (opt-in: see the case's header)"
		return 0
	fi
	test_begin netstress-echo-bytes-intact
	for f in "$OUT"/netstress/round*.out; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if ! grep -q '^rc=0$' "$f" || tr '\r' '\n' <"$f" | grep -qi 'error'; then
			bad=$((bad + 1))
			echo "    $(basename "$f" .out): $(tr '\r' '\n' <"$f" | grep -iE 'error|^rc=' | head -n 2 | tr '\n' ' ')"
		fi
	done
	echo "    $bad of $n rounds saw bytes that were not sent; TCP segments with 8+ zeros:" \
		"$(grep -c 'to guest' "$z" 2>/dev/null) from dom0 to the guest," \
		"$(grep -c 'from guest' "$z" 2>/dev/null) from the guest to dom0"
	((n == ROUNDS)) || test_fail "$n of $ROUNDS rounds ran"
	((bad == 0)) || test_fail "$bad of $n rounds got bytes that were not sent"
	test_end
}
