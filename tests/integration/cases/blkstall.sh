# blkstall: a backend that stops answering (guests/blkstall.c). xvda
# is a device-mapper disk over a loop device; once the guest is ready
# dom0 suspends it without flushing (dmsetup suspend --noflush): what
# blkback submits is held, never completed. An asynchronous read that
# nobody waits for must still end with -EIO after blkfront's 30 s
# deadline, the disk disabled with one console line. Then dom0 resumes
# the disk, so that blkback can let go of the ring and xl end the guest.

on_dom0() {
	local img=/tmp/blkstall.img loop dm=blkstall domid sectors
	rm -f $img
	truncate -s 16M $img
	modprobe dm-mod 2>/dev/null
	loop=$(losetup -f --show $img)
	sectors=$((16 << 11))
	echo "0 $sectors linear $loop 0" | dmsetup create $dm --noudevsync &&
		dmsetup mknodes $dm || echo "dmsetup create failed"
	xh_guest_start blkstall "$(guest_cfg blkstall blkstall \
		"disk = ['format=raw,vdev=xvda,access=rw,target=/dev/mapper/$dm']")"
	if wait_guest_console blkstall 'blkstall: ready' 240; then
		domid=$(xl domid blkstall)
		dmsetup suspend --noflush --nolockfs $dm
		xenstore-write /local/domain/$domid/data/stalled 1
		wait_guest_console blkstall 'blkstall: waiting for dom0 to resume the disk' 240
		dmsetup resume $dm
		xenstore-write /local/domain/$domid/data/resumed 1
	fi
	dmsetup resume $dm 2>/dev/null
	xh_guest_wait blkstall 120
	dmsetup remove $dm
	losetup -d $loop
	rm -f $img
}

on_host() {
	local s
	test_begin blkstall-unwaited-request-fails-in-time
	expect_line blkstall 'blkstall: open: 0'
	expect_line blkstall 'blkstall: read before the stall: 0'
	expect_line blkstall 'blkstall: submit: 0'
	expect_line blkstall 'blkfront: xvda: no answer in 30 s: device disabled'
	s=$(console_of blkstall | sed -n 's/^blkstall: answered after \([0-9]*\) s: -5$/\1/p')
	if [ -z "$s" ]; then
		test_fail "no -EIO answer: $(console_of blkstall | grep '^blkstall: \(answered\|no answer\)')"
	elif [ "$s" -lt 30 ] || [ "$s" -gt 45 ]; then
		test_fail "answered after $s s, not 30-45 s"
	fi
	expect_line blkstall 'blkstall: read after: -5'
	expect_reason blkstall poweroff
	test_end
}
