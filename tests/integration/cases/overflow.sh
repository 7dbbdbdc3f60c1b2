# overflow: a stack overflow is reported with the thread's name.

on_dom0() {
	xh_guest_run overflow "$(guest_cfg overflow overflow)" 60
}

on_host() {
	test_begin stack-overflow-names-thread
	expect_text overflow "xenlet: stack overflow in thread 'deep'"
	expect_no_text overflow 'the thread returned'
	expect_last_line overflow 'xenlet: crashed'
	expect_reason overflow crash
	test_end
}
