# xenbus: a guest with one vif finds its backend through XenStore, sees
# netback in InitWait, and when dom0 detaches the vif follows the
# backend's Closing with its own Closed. A second one connects to
# netback (two granted empty rings and an event channel), closes, and
# gets its grants back once netback has unmapped them.

on_dom0() {
	local domid
	xh_guest_start xenbus "$(guest_cfg xenbus xenbus "vif = ['bridge=xenbr0']")"
	if wait_console xenbus 'xenbus: waiting for Connected or a close' 60; then
		domid=$(xl domid xenbus)
		xenstore-read "/local/domain/$domid/device/vif/0/backend" >out/xenbus/backend
		timeout 60 xl network-detach xenbus 0 >out/xenbus/detach.log 2>&1
		echo $? >out/xenbus/detach-rc
	fi
	xh_guest_wait xenbus 60
	xh_guest_run xenbus-c "$(guest_cfg xenbus-c xenbus "vif = ['bridge=xenbr0']" "extra = 'connect'")" 90
}

on_host() {
	test_begin xenbus-enumerate-and-backend
	expect_line xenbus 'xenbus: enumerate vbd: -2'
	expect_line xenbus 'xenbus: 1 vif, first id 0'
	expect_line xenbus "xenbus: backend $(cat "$OUT/xenbus/backend" 2>/dev/null) (domain 0)"
	expect_line xenbus 'xenbus: backend InitWait: 0'
	test_end

	test_begin xenbus-follows-backend-close
	expect_line xenbus 'xenbus: wait for Connected: -107, backend Closing'
	expect_line xenbus 'xenbus: frontend Closed: 0'
	expect_line xenbus 'xenbus: backend Closed: 0'
	expect_text xenbus 'xenbus: callback: backend now Closing'
	expect_reason xenbus poweroff
	test_end

	test_begin xenbus-connect-to-netback-and-close
	expect_line xenbus-c 'xenbus: backend InitWait: 0'
	expect_line xenbus-c 'xenbus: connect: 0, backend Connected'
	expect_line xenbus-c 'xenbus: close: 0'
	expect_line xenbus-c 'xenbus: backend Closed: 0'
	expect_line xenbus-c 'xenbus: ring grants revoked: 0'
	expect_reason xenbus-c poweroff
	test_end
}
