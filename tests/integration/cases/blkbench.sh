# blkbench: the disk jobs of make bench (guests/blkbench.c), small: a
# 64 MiB image, 32 MiB sequential each way (what seqread reads checked
# against what seqwrite wrote), 5 s of 4 KiB random reads and writes at
# depth 32. Judged on the lines make bench parses and on the data, not
# on speed; the figures are shown.

on_dom0() {
	local img=/tmp/blkbench.img
	rm -f $img
	truncate -s 64M $img
	xh_guest_run blkbench "$(guest_cfg blkbench blkbench \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$img']" \
		"extra = '-s 32 -t 5 -v'")" 400
	rm -f $img
}

on_host() {
	local job
	test_begin blkbench-jobs
	expect_line blkbench 'blkbench: xvda, 32 MiB, 5 s, depth 32'
	for job in seqwrite seqread randread randwrite; do
		expect_lines_matching blkbench "^blkbench: $job [0-9]+\.[0-9] [1-9][0-9]*\$" 1
	done
	expect_line blkbench 'blkbench: seqread verify: 0 MiB differ'
	expect_line blkbench 'blkbench: done, 0 failures'
	expect_no_text blkbench 'blkfront:'
	expect_reason blkbench poweroff
	console_of blkbench | grep '^blkbench: ' | sed 's/^/    /'
	test_end
}
