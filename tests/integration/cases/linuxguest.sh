# linuxguest: the Linux baseline guest of make bench works, so that the
# bench never silently measures nothing. Debian's kernel with the
# initramfs of tests/bench/linux-guest/ boots, gives eth0 the address
# of its command line, and its services answer dom0's netbench client
# (TCP echo checked byte for byte, a 1472-byte UDP echo, a few MiB into
# discard and out of source); xl shutdown powers it off. The fio image
# runs the disk jobs (small here: 16 MiB sequential, 5 s of each other
# job) on a vbd and prints one line each, what make bench reads: as
# PV only, the bench's type, since as PVH under the test host's TCG its
# 34 MB initramfs alone takes 70 s to boot (the whole case 215 s).
# Linux reads the TSC with RDTSCP, which the test host's emulated SVM
# mis-reports for PVH guests (tools/xenhost/README.md): tsc_mode native.

ADDR=10.99.0.3

linux_cfg() { # NAME INITRAMFS MEMORY EXTRA [LINE...]
	local name=$1 img=$2 mem=$3 extra=$4
	shift 4
	guest_cfg "$name" linux "ramdisk = \"/job/images/$img.cpio.gz\"" \
		"memory = $mem" "extra = \"console=hvc0 quiet $extra\"" \
		'tsc_mode = "native"' "$@"
}

serve() {
	local o=out/linuxguest-serve n=/job/helpers/netbench
	xh_guest_start linuxguest-serve "$(linux_cfg linuxguest-serve serve 256 \
		"benchip=$ADDR/24 benchmode=serve" "vif = ['bridge=xenbr0']")"
	if wait_guest_console linuxguest-serve 'services: tcp echo 7' 300; then
		$n echo $ADDR 7 1048576 >$o/echo.log 2>&1
		$n uecho $ADDR 7 1472 >$o/uecho.log 2>&1
		$n send $ADDR 9 8 >$o/send.log 2>&1
		$n recv $ADDR 19 8 >$o/recv.log 2>&1
		shutdown_guest linuxguest-serve
	fi
	xh_guest_wait linuxguest-serve 120
}

# 5 s of random I/O: 2 s once completed nothing on a loaded host.
run_fio() {
	local img=/tmp/linuxguest.img
	rm -f $img
	truncate -s 64M $img
	xh_guest_run linuxguest-fio "$(linux_cfg linuxguest-fio fio 512 \
		"benchmode=fio benchfio=16,5" \
		"disk = ['format=raw,vdev=xvda,access=rw,target=$img']")" 400
	rm -f $img
}

on_dom0() {
	serve
	[ "$GUEST_TYPE" != pv ] || run_fio
}

# expect_netbench LOG REGEX: the client's result line.
expect_netbench() {
	grep -qE "$2" "$OUT/linuxguest-serve/$1" 2>/dev/null ||
		test_fail "$1: $(head -c 300 "$OUT/linuxguest-serve/$1" 2>/dev/null)"
}

on_host() {
	test_begin linuxguest-boots-with-address
	console_of linuxguest-serve | grep -qE "^linux-guest: eth0 ([0-9a-f]{2}:){5}[0-9a-f]{2} $ADDR/24\$" ||
		test_fail "no 'linux-guest: eth0 MAC $ADDR/24' line"
	expect_line linuxguest-serve 'services: tcp echo 7, discard 9, source 19, udp echo 7'
	test_end

	test_begin linuxguest-services-answer
	expect_netbench echo.log '^netbench: echo 1048576 bytes [0-9.]+ s [0-9.]+ MB/s$'
	expect_netbench uecho.log '^netbench: uecho 1472 bytes ok'
	expect_netbench send.log '^netbench: send 8388608 bytes [0-9.]+ s [0-9.]+ MB/s$'
	expect_netbench recv.log '^netbench: recv 8388608 bytes [0-9.]+ s [0-9.]+ MB/s$'
	cat "$OUT"/linuxguest-serve/*.log 2>/dev/null | grep '^netbench:' | sed 's/^/    /'
	test_end

	test_begin linuxguest-xl-shutdown
	expect_reason linuxguest-serve poweroff
	test_end

	if [ "$GUEST_TYPE" != pv ]; then
		echo "SKIP linuxguest-fio-jobs [$GUEST_TYPE]: the bench runs fio as PV only (see the top of the case)"
		return
	fi
	test_begin linuxguest-fio-jobs
	local job
	for job in seqwrite-qd1 seqwrite-qd8 seqread-qd1 seqread-qd8 randread-qd1 randread-qd32; do
		expect_lines_matching linuxguest-fio "^fio: $job [0-9]+\.[0-9] [1-9][0-9]*\$" 1
	done
	expect_lines_matching linuxguest-fio '^fio: writefsync [1-9][0-9]* [1-9][0-9]*$' 1
	expect_line linuxguest-fio 'linux-guest: fio done'
	expect_reason linuxguest-fio poweroff
	console_of linuxguest-fio | grep -E '^(fio|linux-guest): ' | sed 's/^/    /'
	test_end
}
