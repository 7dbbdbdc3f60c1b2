# blkdetach: `xl block-detach` while the guest writes (guests/blkdetach.c):
# the frontend drains, flushes and closes within xl's timeout, later I/O
# fails with -EIO and the guest lives; `xl block-attach` of the same
# image then gives it a working xvdb again, with what it wrote before.

on_dom0() {
	local h=/job/helpers/blkpat b=/tmp/blkdetach-b.img
	rm -f $b
	$h write $b $((2 << 20)) 66 0 $((2 << 20)) || echo "blkpat write failed"
	xh_guest_start blkdetach "$(guest_cfg blkdetach blkdetach \
		"disk = ['format=raw,vdev=xvdb,access=rw,target=$b']")"
	if wait_guest_console blkdetach 'blkdetach: detach me' 120; then
		timeout 120 xl block-detach blkdetach xvdb >out/blkdetach/detach.log 2>&1
		echo $? >out/blkdetach/detach-rc
		$h check $b 77 0 65536 >out/blkdetach/written.log 2>&1
		wait_guest_console blkdetach 'blkdetach: I/O after detach' 120
		timeout 120 xl block-attach blkdetach \
			"format=raw,vdev=xvdb,access=rw,target=$b" >out/blkdetach/attach.log 2>&1
		echo $? >out/blkdetach/attach-rc
	fi
	xh_guest_wait blkdetach 180
	rm -f $b
}

on_host() {
	test_begin blkdetach-detach-during-io
	expect_line blkdetach 'blkdetach: open: 0'
	expect_line blkdetach 'blkdetach: read: 0, pattern ok'
	expect_line blkdetach 'blkdetach: write: 0'
	[ "$(cat "$OUT/blkdetach/detach-rc" 2>/dev/null)" = 0 ] ||
		test_fail "xl block-detach: $(cat "$OUT/blkdetach/detach-rc" "$OUT/blkdetach/detach.log" 2>/dev/null)"
	expect_line blkdetach 'blkfront: xvdb: detached'
	expect_line blkdetach 'blkdetach: I/O after detach: -5'
	grep -qx 'ok 65536 bytes' "$OUT/blkdetach/written.log" 2>/dev/null ||
		test_fail "dom0's image: $(cat "$OUT/blkdetach/written.log" 2>/dev/null)"
	test_end

	test_begin blkdetach-attach-again
	[ "$(cat "$OUT/blkdetach/attach-rc" 2>/dev/null)" = 0 ] ||
		test_fail "xl block-attach: $(cat "$OUT/blkdetach/attach-rc" "$OUT/blkdetach/attach.log" 2>/dev/null)"
	expect_line blkdetach 'blkdetach: attached again: ok'
	# Polling a disk whose old backend is still Closed is quiet.
	expect_no_text blkdetach 'cannot connect'
	expect_line blkdetach 'blkdetach: read again: 0, pattern ok'
	expect_line blkdetach 'blkdetach: close: 0'
	expect_reason blkdetach poweroff
	test_end
}
