# blkbench: the disk jobs of make bench (guests/blkbench.c), small: a
# 64 MiB image, 16 MiB sequential each way at depth 1 and 8 (what the
# seqreads read checked against what the seqwrites wrote), 2 s each of
# 4 KiB random reads at depth 1 and 32 and of 4 KiB write + fsync
# pairs; once with persistent grants (blkback offers them) and once
# without (BLKFRONT_PERSISTENT=0), the two ways make bench compares.
# Judged on the lines make bench parses and on the data, not on speed;
# the figures are shown.

JOBS="seqwrite-qd1 seqwrite-qd8 seqread-qd1 seqread-qd8 randread-qd1 randread-qd32"

on_dom0() {
	local img=/tmp/blkbench.img pg
	for pg in 1 0; do
		rm -f $img
		truncate -s 64M $img
		xh_guest_run blkbench-pg$pg "$(guest_cfg blkbench-pg$pg blkbench \
			"disk = ['format=raw,vdev=xvda,access=rw,target=$img']" \
			"extra = 'BLKFRONT_PERSISTENT=$pg -- -s 16 -t 2 -v'")" 400
	done
	rm -f $img
}

# expect_jobs GUEST: every job's figure line, the data checked.
expect_jobs() {
	local job
	expect_line $1 'blkbench: xvda, 16 MiB, 2 s'
	for job in $JOBS; do
		expect_lines_matching $1 "^blkbench: $job [0-9]+\.[0-9] [1-9][0-9]*\$" 1
	done
	expect_lines_matching $1 '^blkbench: writefsync [1-9][0-9]* [1-9][0-9]*$' 1
	expect_line $1 'blkbench: seqread-qd1 verify: 0 MiB differ'
	expect_line $1 'blkbench: seqread-qd8 verify: 0 MiB differ'
	expect_line $1 'blkbench: done, 0 failures'
	expect_no_text $1 'blkfront:'
	expect_reason $1 poweroff
}

on_host() {
	test_begin blkbench-jobs
	expect_jobs blkbench-pg1
	expect_lines_matching blkbench-pg1 '^blkbench: ring [0-9]+ slots, [0-9]+ segments a request, persistent grants on$' 1
	console_of blkbench-pg1 | grep '^blkbench: ' | sed 's/^/    /'
	test_end

	# The bench's other half: zero-copy grants of the guest's own pages.
	test_begin blkbench-jobs-nonpersistent
	expect_jobs blkbench-pg0
	expect_lines_matching blkbench-pg0 '^blkbench: ring [0-9]+ slots, [0-9]+ segments a request, persistent grants off$' 1
	expect_lines_matching blkbench-pg0 '^blkbench: seqwrite-qd1 stats: .*, 0 bounced, ' 1
	console_of blkbench-pg0 | grep '^blkbench: ' | sed 's/^/    /'
	test_end
}
