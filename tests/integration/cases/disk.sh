# disk: examples/disk from its shipped config (a dom0 image in place of
# its target) writes, reads and verifies 8 MiB; dom0 then finds the
# pattern in the image (helpers/blkpat.c, seed 1 is the example's).

on_dom0() {
	local img=/tmp/disk-example.img
	rm -f $img
	/job/helpers/blkpat write $img $((16 << 20)) 1 0 0
	xh_guest_run disk "$(shipped_cfg disk \
		"disk = [ 'format=raw,vdev=xvda,access=rw,target=$img' ]" \
		"extra = '-n 8 -b 512 all'")" 300
	/job/helpers/blkpat check $img 1 0 $((8 << 20)) >out/disk/image.log 2>&1
	rm -f $img
}

on_host() {
	test_begin disk-example-write-read-verify
	expect_text disk 'disk: wrote 8 MiB in 512 KiB blocks: '
	expect_text disk 'disk: read 8 MiB in 512 KiB blocks: '
	expect_line disk 'disk: verify: ok (0 bytes differ)'
	expect_reason disk poweroff
	grep -qx 'ok 8388608 bytes' "$OUT/disk/image.log" 2>/dev/null ||
		test_fail "dom0's image: $(cat "$OUT/disk/image.log" 2>/dev/null)"
	console_of disk | grep '^disk: \(wrote\|read\)' | sed 's/^/    /'
	test_end
}
