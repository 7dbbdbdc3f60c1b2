# halfclose: the socket layer under a poll() server
# (tests/integration/guests/halfclose.c), driven from dom0:
#   - N connections held at once, each shut for writing by the guest;
#     dom0's socat reads until that FIN and closes: every socket must
#     turn readable in poll() and read 0;
#   - SO_SNDBUF: a socket given 16384 queues no more than that (the
#     guest sends without yielding, so no ACK frees any of it meanwhile)
#     and poll does not call it writable until the peer (socat) has
#     taken some; all 256 KiB arrive.

ADDR=10.99.0.2
N=30

# reader NAME: connect to 7002 and count what comes until the FIN.
reader() {
	timeout 120 socat -u TCP4:$ADDR:7002,connect-timeout=60 STDOUT \
		2>out/halfclose/$1.err | wc -c >out/halfclose/$1.count
	ip neigh show >>out/halfclose/$1.err 2>&1
}

on_dom0() {
	local o=out/halfclose i
	mkdir -p $o
	xh_guest_start halfclose "$(guest_cfg halfclose halfclose \
		"vif = ['bridge=xenbr0']" "extra = 'ip=$ADDR/24 -- $N'")"
	if wait_guest_console halfclose 'halfclose: fin: listening' 180; then
		# socat -u: from the socket to stdout only, so it sends no FIN
		# before ours; at our FIN it exits, closing (its FIN).
		for i in $(seq $N); do
			timeout 150 socat -u TCP4:$ADDR:7001,connect-timeout=60 \
				STDOUT >>$o/socat.out 2>>$o/socat.err &
		done
		wait
	fi
	if wait_guest_console halfclose 'halfclose: sndbuf: listening' 150; then
		reader first &
		sleep 1
		reader second
		wait
	fi
	xh_guest_wait halfclose 60
}

f() { cat "$OUT/halfclose/$1" 2>/dev/null | tr -d ' \r'; }

on_host() {
	local line small big

	test_begin halfclose-fin-after-shutwr-polls-readable
	line=$(console_of halfclose | grep -m1 '^halfclose: fin [0-9]')
	echo "    ${line#halfclose: }"
	[[ $line == "halfclose: fin $N of $N at eof, $N accepted, 0 still waiting, errors 0, data 0, "* ]] ||
		test_fail "${line:-no fin line}; socat: $(head -c 200 "$OUT/halfclose/socat.err" 2>/dev/null)"
	[ "$(grep -c bye "$OUT/halfclose/socat.out" 2>/dev/null)" = $N ] ||
		test_fail "dom0 read $(grep -c bye "$OUT/halfclose/socat.out" 2>/dev/null) byes, not $N"
	test_end

	test_begin halfclose-sndbuf-bounds-queued-bytes
	line=$(console_of halfclose | grep -m1 '^halfclose: sndbuf [0-9]')
	echo "    ${line#halfclose: }"
	small=$(sed -n 's/.*took \([0-9]*\) bytes.*/\1/p' <<<"$line")
	big=$(sed -n 's/.*default took \([0-9]*\).*/\1/p' <<<"$line")
	[[ $line == "halfclose: sndbuf 16384 (set 16384): took "*" bytes, then full; "* ]] ||
		test_fail "${line:-no sndbuf line}"
	[ -n "$small" ] && ((small > 0 && small <= 16384)) ||
		test_fail "SO_SNDBUF 16384 took '$small' bytes"
	[ -n "$big" ] && ((big > 4 * 16384)) ||
		test_fail "the default bound took only '$big' bytes"
	console_of halfclose | grep -q '^halfclose: sndbuf: sent 262144 of 262144 in' ||
		test_fail "$(console_of halfclose | grep 'sndbuf: sent')"
	[ "$(f first.count)" = 262144 ] ||
		test_fail "dom0 got $(f first.count) bytes on the bounded socket: $(head -c 300 "$OUT/halfclose/first.err" 2>/dev/null)"
	[ "$(f second.count)" = "$big" ] ||
		test_fail "dom0 got $(f second.count) bytes of $big on the other"
	expect_last_line halfclose 'xenlet: exit 0'
	test_end
}
