# blkfile: /dev/xvda as a POSIX file (guests/blkfile.c): random
# unaligned pread/pwrite against a model, the end of the disk, O_RDONLY,
# a read-only disk, fstat and ioctl, fsync; dom0 then finds the model's
# bytes in the image.

on_dom0() {
	local h=/job/helpers/blkpat a=/tmp/blkfile-a.img b=/tmp/blkfile-b.img
	rm -f $a $b
	$h write $a $((4 << 20)) 44 0 $((4 << 20)) &&
		$h write $b $((1 << 20)) 55 0 4096 || echo "blkpat write failed"
	xh_guest_run blkfile "$(guest_cfg blkfile blkfile \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$a', 'format=raw,vdev=xvdb,access=ro,target=$b']")" 600
	$h sum $a >out/blkfile/sum.log 2>&1
	rm -f $a $b
}

on_host() {
	local want got
	test_begin blkfile-stat-ioctl
	expect_line blkfile 'blkfile: open: ok'
	expect_line blkfile 'blkfile: block device 1, size 4194304, blksize 4096, BLKGETSIZE64 4194304, BLKSSZGET 512'
	test_end

	test_begin blkfile-random-unaligned-io
	expect_line blkfile 'blkfile: random unaligned pread/pwrite: ok'
	expect_line blkfile 'blkfile: read all: ok'
	test_end

	test_begin blkfile-edges
	expect_line blkfile 'blkfile: pread at the end: 0 errno 0'
	expect_line blkfile 'blkfile: pwrite 600 over the end: 100 errno 0'
	expect_line blkfile 'blkfile: pwrite at the end: -1 errno 28'
	expect_line blkfile 'blkfile: lseek end: 4194304 errno 0'
	expect_line blkfile 'blkfile: write on O_RDONLY: -1 errno 9'
	expect_line blkfile 'blkfile: open xvdb O_RDWR: -1 errno 30'
	expect_line blkfile 'blkfile: open xvdb O_RDONLY: 0 errno 0'
	expect_line blkfile 'blkfile: read xvdb: 600 errno 0'
	expect_line blkfile 'blkfile: open xvdz: -1 errno 2'
	test_end

	test_begin blkfile-fsync-dom0-sees-model
	expect_line blkfile 'blkfile: fsync: 0 errno 0'
	expect_line blkfile 'blkfile: fdatasync: 0 errno 0'
	expect_line blkfile 'blkfile: 0 failures'
	expect_reason blkfile poweroff
	want=$(console_of blkfile | sed -n 's/^blkfile: model sum \([0-9a-f]*\) of \([0-9]*\) bytes$/sum \1 of \2 bytes/p')
	got=$(cat "$OUT/blkfile/sum.log" 2>/dev/null)
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "guest's model '$want', dom0's image '$got'"
	test_end
}
