# libc: a plain C program on newlib and the POSIX layer. stdio formats
# (C99's too, with known answers), strtod, qsort, malloc stress,
# pthreads, getopt over extra=, the environment, unsupported calls,
# time agreeing with dom0's clock, a line typed into the console,
# atexit order with the flush at exit; and a second run where abort()
# ends it with a crash report.

on_dom0() {
	local domid tty
	xh_guest_start libc "$(guest_cfg libc libc \
		"extra = 'GREETING=hi -n 7 -v \"the rest\"'")"
	if wait_console libc 'time: ' 60; then
		date -u +%s >out/libc/dom0-time
	fi
	if wait_console libc 'READY: type a line' 60; then
		domid=$(xl domid libc)
		tty=$(xenstore-read "/local/domain/$domid/console/tty")
		echo "$tty" >out/libc/tty
		# Typed as on a keyboard: Enter is a carriage return.
		# A pty nobody drains could block the job: bounded.
		timeout 5 sh -c "printf 'typed into xl console\\r' >'$tty'"
	fi
	xh_guest_wait libc 60

	xh_guest_run libc-abort "$(guest_cfg libc-abort libc "extra = '-a'")" 60
}

on_host() {
	test_begin libc-stdio-formats
	expect_line libc 'format: 3.141590 1.235e+04 -9007199254740993 18446744073709551615 99.50%'
	expect_line libc 'strtod: 2500.000000 -0.1'
	test_end

	# Known answers: what glibc prints for the same calls.
	test_begin libc-c99-formats
	expect_line libc 'c99 ints: 7 -7 -9223372036854775808 18446744073709551615 -3'
	expect_line libc 'c99 short: 44 255 4464 -9000000000 9000000000'
	expect_line libc 'c99 float: 0x1p+0 0x1.8p+1 1.234568e+04 0.0001234 1e+20 0x1234'
	expect_line libc 'c99 sscanf: 3 18446744073709551615 -5 -9000000000 guard!'
	test_end

	test_begin libc-qsort-malloc
	expect_line libc 'qsort: sorted'
	expect_lines_matching libc '^malloc: checksum matches \([0-9]+\)$' 1
	test_end

	test_begin libc-getopt-environ
	expect_line libc 'getopt: n=7 v=1 rest=the rest'
	expect_line libc 'env: GREETING=hi'
	test_end

	test_begin libc-pthreads-sum
	expect_line libc 'pthreads: sum 5000050000, returns 60'
	expect_line libc 'pthreads: 1000 detached created, 1000 ran'
	test_end

	test_begin libc-unsupported-calls
	expect_line libc 'fork: -1 ENOSYS'
	expect_line libc 'fopen: NULL ENOENT'
	test_end

	test_begin libc-system-info
	expect_line libc 'getentropy: ok'
	expect_line libc 'uname: xenlet x86_64, pagesize 4096'
	expect_line libc 'monotonic: 100 ms sleep ok'
	test_end

	test_begin libc-time-matches-dom0
	local line guest dom0 want
	line=$(grep -a '^time: ' "$OUT/libc/console.log" | head -1 | tr -d '\r')
	guest=$(echo "$line" | awk '{ print $2 }')
	dom0=$(cat "$OUT/libc/dom0-time" 2>/dev/null)
	if [ -z "$guest" ] || [ -z "$dom0" ]; then
		test_fail "no time line from the guest or no dom0 time"
	else
		echo "    guest time $guest, dom0 time $dom0"
		((dom0 - guest <= 1 && guest - dom0 <= 1)) ||
			test_fail "guest time $guest is not within 1 s of dom0's $dom0"
		want="time: $guest $(date -u -d "@$guest" '+%Y-%m-%d %H:%M:%S')"
		[ "$line" = "$want" ] || test_fail "strftime: '$line', expected '$want'"
	fi
	test_end

	test_begin libc-console-input
	expect_line libc 'poll before input: 0'
	expect_line libc 'got line: [typed into xl console]'
	test_end

	test_begin libc-atexit-order-and-flush
	local order
	order=$(grep -a '^atexit ' "$OUT/libc/console.log" | tr -d '\r' | tr '\n' ' ')
	[ "$order" = "atexit 3 atexit 2 atexit 1 " ] ||
		test_fail "atexit order: '$order'"
	expect_last_line libc 'xenlet: exit 0'
	expect_reason libc poweroff
	test_end

	test_begin libc-abort-is-a-crash-report
	expect_line libc-abort 'aborting'
	expect_text libc-abort 'killed by signal 6 (SIGABRT)'
	expect_reason libc-abort crash
	test_end
}
