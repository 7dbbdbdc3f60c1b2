# threads: 100 000 switches of a ping-pong; 1000 threads created, run
# (yielding, sleeping, taking a mutex) and joined.

on_dom0() {
	xh_guest_run pingpong "$(guest_cfg pingpong pingpong)" 120
	xh_guest_run threads "$(guest_cfg threads threads 'memory = 64')" 120
}

on_host() {
	test_begin thread-pingpong-100000
	expect_text pingpong 'pingpong: 100000 switches in '
	expect_reason pingpong poweroff
	test_end

	test_begin threads-1000-joined
	expect_line threads 'threads: 1000 joined, sum 499500, statuses 499500'
	expect_reason threads poweroff
	test_end
}
