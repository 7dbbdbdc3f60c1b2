# sock: lwIP and BSD sockets (tests/integration/guests/sock.c), driven
# from dom0 over xenbr0 (10.99.0.1/24) with dom0's own tools:
#   sock-static  extra= ip=/gw=: ping; a TCP echo over bash's /dev/tcp,
#                served from a poll() over the listening socket, the
#                connections and the console, with a line typed into the
#                console in between; connect() to dom0's closed port 1
#                gives ECONNREFUSED, blocking and not; socket options
#   sock-dhcp    no ip=: DHCP from dnsmasq on xenbr0, whose DNS also
#                answers getaddrinfo; ping of the leased address
#   sock-xl      the vif's own ip= in the xl config (xl's backend key)
#   sock-bad     a bad ip=: one console line, exit status 2
#   sock-novif   no vif at all: socket() fails with ENETDOWN, one line
# Each guest's address line is timed from xl create (stamp_console).

STATIC=10.99.0.5
XLIP=10.99.0.6

# boot NAME CFG TEXT: start it and wait for TEXT, 180 s at most by the
# clock; the console stamped with dom0's clock for the timings.
boot() {
	xh_guest_start "$1" "$2"
	stamp_console "$1" "out/$1/stamped.log"
	wait_guest_console "$1" "$3" 180
}

# addr_ms NAME: ms from xl create to the "net: vif0 up" line, and from
# netfront's line (the vif connected: dom0's hotplug is done) to it.
addr_ms() {
	local start t nf
	read -r start <"/run/xenhost/$1/start-ms"
	t=$(grep -m1 'net: vif0 up' "out/$1/stamped.log" | cut -d' ' -f1)
	nf=$(grep -m1 'netfront: vif/0 up' "out/$1/stamped.log" | cut -d' ' -f1)
	[ -n "$t" ] && echo $((t / 1000 - start)) >"out/$1/addr-ms"
	[ -n "$t" ] && [ -n "$nf" ] && echo $(((t - nf) / 1000)) >"out/$1/netif-ms"
}

# echo_tcp ADDR LINE: send LINE to ADDR:7, print the line that comes back.
echo_tcp() {
	timeout 30 bash -c 'exec 3<>"/dev/tcp/$1/7" || exit 1
		printf "%s\n" "$2" >&3
		IFS= read -r -t 20 reply <&3 && printf "%s\n" "$reply"' _ "$1" "$2"
}

type_line() {
	local tty
	tty=$(xenstore-read "/local/domain/$(xl domid "$1")/console/tty")
	timeout 5 sh -c "printf '%s\\r' '$2' >'$tty'"
}

static_case() {
	local o=out/sock-static
	if boot sock-static "$(guest_cfg sock-static sock \
		"vif = ['bridge=xenbr0']" \
		"extra = 'ip=$STATIC/24 gw=10.99.0.1 -- -r 10.99.0.1 -s 7'")" \
		'sock: ready'; then
		addr_ms sock-static
		timeout 40 ping -c 3 -i 0.2 -w 30 $STATIC >$o/ping.log 2>&1
		echo_tcp $STATIC 'hello from dom0' >$o/echo1.log 2>&1
		type_line sock-static 'typed while serving'
		wait_console sock-static "console said" 30
		echo_tcp $STATIC 'quit' >$o/echo2.log 2>&1
	fi
	stop_stamping
	xh_guest_wait sock-static 60
}

dhcp_case() {
	local o=out/sock-dhcp
	# --no-ping: dnsmasq would first ping a new address for 3 s
	# (PING_WAIT), which says nothing of the guest's DHCP client.
	dnsmasq --no-ping --interface=xenbr0 --bind-interfaces --user=root --group=root \
		--dhcp-range=10.99.0.100,10.99.0.150,255.255.255.0,10m \
		--dhcp-leasefile=/tmp/sock-dhcp.leases --no-resolv --no-hosts \
		--address=/test.xenlet/10.99.0.77 --pid-file=/tmp/dnsmasq.pid \
		--log-facility=/job/$o-dnsmasq.log 2>$o-dnsmasq.err
	if boot sock-dhcp "$(guest_cfg sock-dhcp sock \
		"vif = ['bridge=xenbr0']" "extra = '-n test.xenlet -w'")" \
		'sock: waiting'; then
		addr_ms sock-dhcp
		sed -n 's/.*net: vif0 up: .*, ip \([0-9.]*\)\/.*/\1/p' \
			"out/sock-dhcp/stamped.log" | head -n1 >$o/leased
		timeout 40 ping -c 3 -i 0.2 -w 30 "$(cat $o/leased)" \
			>$o/ping.log 2>&1
		cp /tmp/sock-dhcp.leases $o/leases 2>/dev/null
		timeout 30 xl shutdown sock-dhcp >/dev/null 2>&1
	fi
	stop_stamping
	xh_guest_wait sock-dhcp 60
	kill "$(cat /tmp/dnsmasq.pid 2>/dev/null)" 2>/dev/null
}

xl_case() {
	local o=out/sock-xl
	if boot sock-xl "$(guest_cfg sock-xl sock \
		"vif = ['bridge=xenbr0,ip=$XLIP']" "extra = '-w'")" \
		'sock: waiting'; then
		addr_ms sock-xl
		timeout 40 ping -c 3 -i 0.2 -w 30 $XLIP >$o/ping.log 2>&1
		timeout 30 xl shutdown sock-xl >/dev/null 2>&1
	fi
	stop_stamping
	xh_guest_wait sock-xl 60
}

on_dom0() {
	mkdir -p out/sock-static out/sock-dhcp out/sock-xl
	static_case
	dhcp_case
	xl_case
	xh_guest_run sock-bad "$(guest_cfg sock-bad sock \
		"vif = ['bridge=xenbr0']" "extra = 'ip=10.99.0.300/24 -- -w'")" 120
	xh_guest_run sock-novif "$(guest_cfg sock-novif sock "extra = '-w'")" 60
}

# expect_pings GUEST LOG: every ping answered.
expect_pings() {
	grep -q ' 0% packet loss' "$OUT/$1/$2" 2>/dev/null ||
		test_fail "$1 $2: $(grep transmitted "$OUT/$1/$2" 2>/dev/null || head -c 200 "$OUT/$1/$2" 2>/dev/null)"
}

# report_ms GUEST: the address line's time, for the log.
report_ms() {
	local ms
	ms=$(cat "$OUT/$1/addr-ms" 2>/dev/null)
	[ -n "$ms" ] && echo "    $1: xl create -> address line: $ms ms" \
		"(vif connected -> address line: $(cat "$OUT/$1/netif-ms" 2>/dev/null) ms)"
}

on_host() {
	local mac
	test_begin lwip-static-address-and-ping
	expect_lines_matching sock-static "^net: vif0 up: mac [0-9a-f:]{17}, ip $STATIC/24, gw 10\\.99\\.0\\.1 \\(extra=\\)\$" 1
	expect_pings sock-static ping.log
	report_ms sock-static
	test_end

	test_begin lwip-tcp-echo-from-dom0
	grep -qxF 'hello from dom0' "$OUT/sock-static/echo1.log" 2>/dev/null ||
		test_fail "echo: '$(head -c 200 "$OUT/sock-static/echo1.log" 2>/dev/null)'"
	expect_line sock-static 'sock: listening on port 7'
	expect_line sock-static 'sock: served 2 connections, 21 bytes'
	expect_last_line sock-static 'xenlet: exit 0'
	expect_reason sock-static poweroff
	test_end

	test_begin lwip-poll-socket-and-console
	expect_line sock-static "sock: console said 'typed while serving'"
	test_end

	test_begin lwip-connect-refused
	expect_line sock-static 'sock: connect to a closed port: -1 ECONNREFUSED'
	expect_line sock-static 'sock: nonblocking connect: -1 EINPROGRESS'
	expect_line sock-static 'sock: poll 1 revents POLLOUT POLLERR, SO_ERROR ECONNREFUSED'
	test_end

	test_begin lwip-socket-options
	expect_line sock-static 'sock: TCP_NODELAY 1'
	expect_line sock-static 'sock: SO_KEEPALIVE 1'
	expect_line sock-static 'sock: SO_RCVTIMEO 5s'
	expect_line sock-static 'sock: SO_SNDBUF positive'
	expect_line sock-static 'sock: peer 10.99.0.1'
	expect_line sock-static 'sock: FIONREAD ok'
	expect_line sock-static "sock: own address $STATIC"
	test_end

	test_begin lwip-dhcp-from-dnsmasq
	expect_lines_matching sock-dhcp '^net: vif0 up: mac [0-9a-f:]{17}, ip 10\.99\.0\.1[0-5][0-9]/24, gw [0-9.]+ \(dhcp\)$' 1
	expect_pings sock-dhcp ping.log
	report_ms sock-dhcp
	# getsockname of a connected UDP socket: the leased address (what
	# httpd prints its URL with)
	local leased
	leased=$(console_of sock-dhcp | sed -n 's/^net: vif0 up: .*, ip \([0-9.]*\)\/.*/\1/p' | head -n1)
	expect_line sock-dhcp "sock: own address ${leased:-?}"
	test_end

	test_begin lwip-dns-from-dhcp
	expect_line sock-dhcp 'sock: getaddrinfo test.xenlet: 10.99.0.77:7'
	test_end

	test_begin lwip-xl-vif-ip
	expect_lines_matching sock-xl "^net: vif0 up: mac [0-9a-f:]{17}, ip $XLIP/24, gw 0\\.0\\.0\\.0 \\(xl ip=\\)\$" 1
	expect_pings sock-xl ping.log
	report_ms sock-xl
	test_end

	test_begin lwip-bad-ip-exits
	expect_line sock-bad "net: bad ip= '10.99.0.300/24': not an IPv4 address A.B.C.D"
	expect_no_text sock-bad 'net: vif0 up'
	expect_last_line sock-bad 'xenlet: exit 2'
	expect_reason sock-bad crash
	test_end

	test_begin lwip-no-vif-enetdown
	expect_line sock-novif 'net: no vif in the xl config: no network'
	expect_line sock-novif 'sock: socket: ENETDOWN'
	expect_last_line sock-novif 'xenlet: exit 1'
	test_end
}
