# blk: blkfront against dom0's blkback, over two loop-backed images.
# dom0 writes a pattern into xvda (rw) and xvdb (ro); the guest
# (guests/blk.c) reads and checks them in every request shape, is
# refused writes to xvdb, writes a second pattern to xvda, flushes, and
# is destroyed at once: dom0 then finds every flushed byte in the image.

on_dom0() {
	local h=/job/helpers/blkpat a=/tmp/blk-a.img b=/tmp/blk-b.img
	rm -f $a $b
	$h write $a $((8 << 20)) 11 0 $((2 << 20)) &&
		$h write $b $((1 << 20)) 33 0 $((1 << 20)) || echo "blkpat write failed"
	xh_guest_start blk "$(guest_cfg blk blk \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$a', 'format=raw,vdev=xvdb,access=ro,target=$b']")"
	if wait_guest_console blk 'blk: flushed, waiting to be destroyed' 240; then
		xl destroy blk
	fi
	xh_guest_wait blk 60
	$h check $a 22 $((2 << 20)) $((2 << 20)) >out/blk/written.log 2>&1
	$h check $a 11 0 $((2 << 20)) >out/blk/kept.log 2>&1
	rm -f $a $b
}

on_host() {
	test_begin blk-connect
	expect_line blk 'blk: open: 0'
	expect_line blk 'blk: xvda: 16384 sectors of 512 bytes, read-write'
	test_end

	test_begin blk-reads-dom0-pattern
	expect_line blk 'blk: read 2 MiB page-aligned: ok'
	expect_line blk 'blk: read odd pieces, unaligned buffer: ok'
	expect_line blk 'blk: read sector-aligned buffer across pages: ok'
	expect_line blk 'blk: 2 MiB read: 47 ring requests, 512 segments, 0 bounced'
	expect_line blk 'blk: 48 completion calls, up to 32 requests in flight'
	expect_line blk 'blk: 48 async reads in flight: ok'
	test_end

	test_begin blk-bad-requests
	expect_line blk 'blk: read past the end: -28'
	expect_line blk 'blk: misaligned offset: -22'
	expect_line blk 'blk: misaligned length: -22'
	expect_line blk 'blk: read the last sector: 0'
	test_end

	test_begin blk-readonly-disk
	expect_line blk 'blk: open xvdb: 0'
	expect_line blk 'blk: xvdb: 2048 sectors of 512 bytes, read-only'
	expect_line blk 'blk: xvdb write: -30'
	expect_line blk 'blk: xvdb flush: -30'
	expect_line blk 'blk: xvdb read: ok'
	expect_line blk 'blk: xvdb discard: -30'
	test_end

	test_begin blk-discard-reads-zeros
	expect_line blk 'blk: discard: 0'
	expect_line blk 'blk: after discard: read 0, 0 bytes not zero'
	test_end

	test_begin blk-write-flush-destroy
	expect_line blk 'blk: write 2 MiB: ok'
	expect_line blk 'blk: read back: ok'
	expect_line blk 'blk: flush: 0 (write cache 1, 1 flush sent)'
	expect_line blk 'blk: 0 failures'
	expect_no_text blk 'blkfront:'
	expect_no_text blk 'xenlet: exit'
	grep -qx 'ok 2097152 bytes' "$OUT/blk/written.log" 2>/dev/null ||
		test_fail "dom0 found the written pattern: $(cat "$OUT/blk/written.log" 2>/dev/null)"
	grep -qx 'ok 2097152 bytes' "$OUT/blk/kept.log" 2>/dev/null ||
		test_fail "dom0's pattern under it: $(cat "$OUT/blk/kept.log" 2>/dev/null)"
	test_end
}
