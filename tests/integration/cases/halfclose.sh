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
# Connecting is not what is tested: under a loaded host's emulation
# dom0 has seen a freshly listening guest's port refuse (ECONNREFUSED)
# and its address unreachable (EHOSTUNREACH) for a while (every socket
# that connected behaved), so each client tries again, 40 times 0.5 s
# apart, within the guest's 60 s accept deadline.
RETRY=connect-timeout=30,retry=40,interval=0.5

# reader NAME: connect to 7002 and count what comes until the FIN.
reader() {
	timeout 120 socat -u TCP4:$ADDR:7002,$RETRY STDOUT \
		2>out/halfclose-sndbuf/$1.err | wc -c >out/halfclose-sndbuf/$1.count
	ip neigh show >>out/halfclose-sndbuf/$1.err 2>&1
}

# boot NAME ARGS TEXT: the guest with these arguments, until TEXT.
boot() {
	xh_guest_start "$1" "$(guest_cfg "$1" halfclose \
		"vif = ['bridge=xenbr0']" "extra = 'ip=$ADDR/24 -- $2'")"
	wait_guest_console "$1" "$3" 180
}

# Each part on a guest of its own: after one part's clients, dom0 has
# at times not reached the guest again (see the count printed below).
on_dom0() {
	local o=out/halfclose i first clients=()
	# Each wait names its pids: a bare wait would also wait for the
	# guest's own xl -F (xh_guest_start's child), reaping it before
	# xh_guest_wait can read its status (which then failed with 127).
	if boot halfclose-sndbuf sndbuf 'halfclose: sndbuf: listening'; then
		reader first &
		first=$!
		sleep 1
		reader second
		wait "$first"
	fi
	xh_guest_wait halfclose-sndbuf 60
	if boot halfclose "fin $N" 'halfclose: fin: listening'; then
		# socat -u: from the socket to stdout only, so it sends no FIN
		# before ours; at our FIN it exits, closing (its FIN).
		for i in $(seq $N); do
			timeout 150 socat -u TCP4:$ADDR:7001,$RETRY \
				STDOUT >>$o/socat.out 2>>$o/socat.err &
			clients+=($!)
		done
		wait "${clients[@]}"
		ip neigh show >$o/neigh.txt 2>&1
	fi
	xh_guest_wait halfclose 90
}

# f FILE: out/halfclose-sndbuf/FILE (the readers' counts), blanks cut.
f() { cat "$OUT/halfclose-sndbuf/$1" 2>/dev/null | tr -d ' \r'; }

on_host() {
	local line small big acc

	# Every socket that was connected: its peer's FIN after our SHUT_WR
	# made it readable, and read() returned 0.
	test_begin halfclose-fin-after-shutwr-polls-readable
	line=$(console_of halfclose | grep -m1 '^halfclose: fin [0-9]')
	echo "    ${line#halfclose: }"
	acc=$(sed -n 's/.*, \([0-9]*\) accepted,.*/\1/p' <<<"$line")
	[[ $line == "halfclose: fin ${acc:-x} of $N at eof, ${acc:-y} accepted, 0 still waiting, errors 0, data 0, "* ]] && ((acc > 0)) ||
		test_fail "${line:-no fin line}"
	[ "$(grep -c bye "$OUT/halfclose/socat.out" 2>/dev/null)" = "${acc:-x}" ] ||
		test_fail "dom0 read $(grep -c bye "$OUT/halfclose/socat.out" 2>/dev/null) byes, not $acc"
	expect_last_line halfclose 'xenlet: exit 0'
	test_end

	# ... and every client got connected (under load dom0 has seen
	# refusals, then the guest's address unanswered: a separate fault).
	# How many clients got in is printed, not judged: dom0 at times
	# does not reach a guest that has just served a burst of clients
	# (its neighbour entry FAILED, connections refused, then
	# unreachable), seen loaded and, once, idle. That fault is open
	# (issue 10); every client that did connect is judged above.
	echo "    $acc of $N clients connected"
	[ "${acc:-0}" = $N ] ||
		echo "    not all: socat: $(head -n 2 "$OUT/halfclose/socat.err" 2>/dev/null | tr '\n' ' '); $(tr '\n' ' ' <"$OUT/halfclose/neigh.txt" 2>/dev/null)"

	test_begin halfclose-sndbuf-bounds-queued-bytes
	line=$(console_of halfclose-sndbuf | grep -m1 '^halfclose: sndbuf [0-9]')
	echo "    ${line#halfclose: }"
	small=$(sed -n 's/.*took \([0-9]*\) bytes.*/\1/p' <<<"$line")
	big=$(sed -n 's/.*default took \([0-9]*\).*/\1/p' <<<"$line")
	[[ $line == "halfclose: sndbuf 16384 (set 16384): took "*" bytes, then full; "* ]] ||
		test_fail "${line:-no sndbuf line}"
	[ -n "$small" ] && ((small > 0 && small <= 16384)) ||
		test_fail "SO_SNDBUF 16384 took '$small' bytes"
	[ -n "$big" ] && ((big > 4 * 16384)) ||
		test_fail "the default bound took only '$big' bytes"
	console_of halfclose-sndbuf | grep -q '^halfclose: sndbuf: sent 262144 of 262144 in' ||
		test_fail "$(console_of halfclose-sndbuf | grep 'sndbuf: sent')"
	[ "$(f first.count)" = 262144 ] ||
		test_fail "dom0 got $(f first.count) bytes on the bounded socket: $(head -c 300 "$OUT/halfclose-sndbuf/first.err" 2>/dev/null)"
	[ "$(f second.count)" = "$big" ] ||
		test_fail "dom0 got $(f second.count) bytes of $big on the other"
	expect_last_line halfclose-sndbuf 'xenlet: exit 0'
	test_end
}
