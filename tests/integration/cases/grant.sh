# grant: the guest grants dom0 a page with a known pattern; a dom0
# helper (helpers/gntread.c, /dev/xen/gntdev) maps it and prints its
# checksum, which must be the guest's. While the helper maps the page
# the guest's revoke must be refused as busy; after, it succeeds. The
# guest also fills its table until -ENOSPC and copies through a grant.

on_dom0() {
	local domid ref i helper
	rm -f /tmp/grant-unmap
	xh_guest_start grant "$(guest_cfg grant grant)"
	if wait_console grant 'grant: ref ' 60; then
		domid=$(xl domid grant)
		ref=$(xenstore-read "/local/domain/$domid/data/grant-ref")
		/job/helpers/gntread "$domid" "$ref" /tmp/grant-unmap \
			>out/grant/helper.log 2>&1 &
		helper=$!
		for ((i = 0; i < 200; i++)); do
			grep -q checksum out/grant/helper.log && break
			sleep 0.1
		done
		xenstore-write "/local/domain/$domid/data/mapped" 1
		wait_console grant 'grant: revoke while mapped' 30
		touch /tmp/grant-unmap
		wait "$helper"
		xenstore-write "/local/domain/$domid/data/unmapped" 1
	fi
	xh_guest_wait grant 60
}

on_host() {
	local want got
	test_begin grant-table-full-and-copy
	expect_line grant 'grant: full table is -ENOSPC: ok'
	expect_line grant 'grant: all revoked: ok'
	expect_line grant 'grant: double revoke: ok'
	expect_line grant 'grant: grant copy: ok'
	test_end

	test_begin grant-dom0-reads-the-page
	want=$(console_of grant | sed -n 's/^grant: ref [0-9]* checksum \([0-9a-f]*\)$/\1/p')
	got=$(sed -n 's/^checksum \([0-9a-f]*\) .*/\1/p' "$OUT/grant/helper.log" 2>/dev/null)
	[ -n "$want" ] || test_fail "the guest printed no checksum"
	[ "$want" = "$got" ] ||
		test_fail "dom0 read '$got' ($(head -c 200 "$OUT/grant/helper.log" 2>/dev/null)), guest wrote '$want'"
	test_end

	test_begin grant-revoke-busy-while-mapped
	expect_line grant 'grant: revoke while mapped: -16'
	expect_line grant 'grant: revoke after unmap: 0'
	expect_line grant 'grant: 0 failures'
	expect_reason grant poweroff
	test_end
}
