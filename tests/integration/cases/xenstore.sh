# xenstore: the XenStore client against the real xenstored. The guest
# reads its own name, domid and vm path (compared with what dom0 sees),
# checks error values, directories, permissions, 8 threads of requests
# in flight and two conflicting transactions; then dom0 writes a key the
# guest watches. The watch latency (dom0's write -> the guest's console
# line, by dom0's clock) goes to out/xenstore/watch-latency-ms.

on_dom0() {
	local domid t0
	xh_guest_start xenstore "$(guest_cfg xenstore xenstore)"
	stamp_console xenstore out/xenstore/stamped.log
	if wait_console xenstore 'xs: watch: ready' 90; then
		domid=$(xl domid xenstore)
		echo "$domid" >out/xenstore/domid
		xenstore-read "/local/domain/$domid/vm" >out/xenstore/vm
		t0=${EPOCHREALTIME/./}
		xenstore-write "/local/domain/$domid/data/ping" hello-from-dom0
		echo "$t0" >out/xenstore/ping-us
	fi
	xh_guest_wait xenstore 90
	sleep 0.5
	stop_stamping
}

on_host() {
	local domid vm t0 t1 ms
	domid=$(cat "$OUT/xenstore/domid" 2>/dev/null)
	vm=$(cat "$OUT/xenstore/vm" 2>/dev/null)

	test_begin xenstore-own-keys
	[ -n "$domid" ] || test_fail "dom0 did not record the domid"
	expect_line xenstore "xs: name=xenstore domid=$domid vm=$vm"
	test_end

	test_begin xenstore-errors-are-errno
	expect_line xenstore 'xs: read of a missing key: -2'
	expect_line xenstore 'xs: write into dom0'"'"'s directory: -13'
	test_end

	test_begin xenstore-tree-and-perms
	expect_line xenstore 'xs: directory lists a and b: ok'
	expect_line xenstore 'xs: own directory has name and control: ok'
	expect_line xenstore 'xs: perms read back: ok'
	expect_line xenstore 'xs: gone after rm: ok'
	test_end

	test_begin xenstore-requests-in-flight
	expect_line xenstore 'xs: 8 threads x 25 write+read: 0 wrong'
	test_end

	test_begin xenstore-transaction-conflict-retried
	expect_line xenstore 'xs: transactions: A tries 1, B tries 2, counter 2'
	test_end

	test_begin xenstore-watch-fired-by-dom0
	expect_line xenstore 'xs: watch: got hello-from-dom0'
	t0=$(cat "$OUT/xenstore/ping-us" 2>/dev/null)
	t1=$(awk '$2 == "xs:" && $3 == "watch:" && $4 == "got" { print $1; exit }' "$OUT/xenstore/stamped.log" 2>/dev/null)
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		ms=$(((t1 - t0) / 1000))
		echo "$ms" >"$OUT/xenstore/watch-latency-ms"
		echo "    watch latency (dom0 write -> guest console line): $ms ms"
	else
		test_fail "no time stamps for the watch"
	fi
	test_end

	test_begin xenstore-clean-exit
	expect_line xenstore 'xs: 0 failures'
	expect_last_line xenstore 'xenlet: exit 0'
	expect_reason xenstore poweroff
	test_end
}
