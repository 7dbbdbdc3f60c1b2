# blkbig: a disk over 4 GiB (guests/blkbig.c): a sparse 5 GiB image,
# 3000 bytes written through /dev/xvda across the 4 GiB mark, read back
# by the guest and, once it is gone, found by dom0 at that offset.

on_dom0() {
	local h=/job/helpers/blkpat c=/tmp/blkbig.img
	rm -f $c
	$h write $c $((5 << 30)) 0 0 0 || echo "blkpat write failed"
	xh_guest_run blkbig "$(guest_cfg blkbig blkbig \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$c']")" 300
	$h check $c 88 $(((4 << 30) - 1000)) 3000 >out/blkbig/4g.log 2>&1
	rm -f $c
}

on_host() {
	test_begin blkbig-beyond-4gib
	expect_line blkbig 'blkbig: size 5368709120'
	expect_line blkbig 'blkbig: pwrite across 4 GiB: 3000 errno 0'
	expect_line blkbig 'blkbig: fsync: 0 errno 0'
	expect_line blkbig 'blkbig: pread across 4 GiB: 3000 errno 0'
	expect_line blkbig 'blkbig: read back: ok'
	expect_line blkbig 'blkbig: pread at the end: 0 errno 0'
	expect_reason blkbig poweroff
	grep -qx 'ok 3000 bytes' "$OUT/blkbig/4g.log" 2>/dev/null ||
		test_fail "dom0 at 4 GiB: $(cat "$OUT/blkbig/4g.log" 2>/dev/null)"
	test_end
}
