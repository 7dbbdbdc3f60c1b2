# blk: blkfront against dom0's blkback, over two loop-backed images.
# dom0 writes a pattern into xvda (rw) and xvdb (ro); the guest
# (guests/blk.c) reads and checks them in every request shape, is
# refused writes to xvdb, writes a second pattern to xvda, flushes, and
# is destroyed at once: dom0 then finds every flushed byte in the image.
# Twice: as "blk" with what blkback offers (a 16-page ring, indirect
# requests, persistent grants), as "blkplain" with none of it (one
# page, 11 segments a request, grants mapped per request).

PLAIN='BLKFRONT_MAX_RING_ORDER=0 BLKFRONT_MAX_INDIRECT_SEGMENTS=0 BLKFRONT_PERSISTENT=0'

run_blk() {
	local name=$1 extra=$2 h=/job/helpers/blkpat a=/tmp/blk-a.img b=/tmp/blk-b.img
	rm -f $a $b
	$h write $a $((8 << 20)) 11 0 $((2 << 20)) &&
		$h write $b $((1 << 20)) 33 0 $((1 << 20)) || echo "blkpat write failed"
	xh_guest_start $name "$(guest_cfg $name blk \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$a', 'format=raw,vdev=xvdb,access=ro,target=$b']" \
		"extra = '$extra'")"
	if wait_guest_console $name 'blk: flushed, waiting to be destroyed' 240; then
		xl destroy $name
	fi
	xh_guest_wait $name 60
	mkdir -p out/$name
	$h check $a 22 $((2 << 20)) $((2 << 20)) >out/$name/written.log 2>&1
	$h check $a 11 0 $((2 << 20)) >out/$name/kept.log 2>&1
	rm -f $a $b
}

on_dom0() {
	run_blk blk ''
	run_blk blkplain "$PLAIN"
}

# The layout of the 2 MiB read and of 48 reads in flight follows from
# what was negotiated: SLOTS ring slots, SEGS segments a request, PERS.
expect_layout() {
	local g=$1 slots=$2 segs=$3 pers=$4
	expect_line $g "blk: xvda: ring of $slots, $segs segments a request, persistent $pers"
	expect_line $g "blk: 2 MiB read: $(((512 + segs - 1) / segs)) ring requests, 512 segments, $((pers * 512)) bounced"
	expect_line $g "blk: 48 completion calls, up to $((slots < 48 ? slots : 48)) requests in flight"
}

on_host() {
	test_begin blk-features-offered
	expect_layout blk 512 256 1
	test_end
	test_begin blk-features-off
	expect_layout blkplain 32 11 0
	test_end
	judge_blk blk
	judge_blk blkplain
}

judge_blk() {
	local blk=$1
	test_begin $blk-connect
	expect_line $blk 'blk: open: 0'
	expect_line $blk 'blk: xvda: 16384 sectors of 512 bytes, read-write'
	test_end

	test_begin $blk-reads-dom0-pattern
	expect_line $blk 'blk: read 2 MiB page-aligned: ok'
	expect_line $blk 'blk: read odd pieces, unaligned buffer: ok'
	expect_line $blk 'blk: read sector-aligned buffer across pages: ok'
	expect_line $blk 'blk: 48 async reads in flight: ok'
	test_end

	test_begin $blk-bad-requests
	expect_line $blk 'blk: read past the end: -28'
	expect_line $blk 'blk: misaligned offset: -22'
	expect_line $blk 'blk: misaligned length: -22'
	expect_line $blk 'blk: read the last sector: 0'
	test_end

	test_begin $blk-readonly-disk
	expect_line $blk 'blk: open xvdb: 0'
	expect_line $blk 'blk: xvdb: 2048 sectors of 512 bytes, read-only'
	expect_line $blk 'blk: xvdb write: -30'
	expect_line $blk 'blk: xvdb flush: -30'
	expect_line $blk 'blk: xvdb read: ok'
	expect_line $blk 'blk: xvdb discard: -30'
	test_end

	test_begin $blk-discard-reads-zeros
	expect_line $blk 'blk: discard: 0'
	expect_line $blk 'blk: after discard: read 0, 0 bytes not zero'
	test_end

	test_begin $blk-write-flush-destroy
	expect_line $blk 'blk: write 2 MiB: ok'
	expect_line $blk 'blk: read back: ok'
	expect_line $blk 'blk: flush: 0 (write cache 1, 1 flush sent)'
	expect_line $blk 'blk: 0 failures'
	expect_no_text $blk 'blkfront:'
	expect_no_text $blk 'xenlet: exit'
	grep -qx 'ok 2097152 bytes' "$OUT/$blk/written.log" 2>/dev/null ||
		test_fail "dom0 found the written pattern: $(cat "$OUT/$blk/written.log" 2>/dev/null)"
	grep -qx 'ok 2097152 bytes' "$OUT/$blk/kept.log" 2>/dev/null ||
		test_fail "dom0's pattern under it: $(cat "$OUT/$blk/kept.log" 2>/dev/null)"
	test_end
}
