# httpd: examples/httpd from its shipped config (a vif on xenbr0, static
# ip=10.99.0.2/24), its site the ramdisk make built from
# examples/httpd/rootfs/ plus, for this case, a 20 MB file of random
# bytes (the archive is rebuilt in dom0 with busybox cpio). Driven from
# dom0 by curl, busybox nc and the httpclient helper
# (tests/integration/helpers/httpclient.c).
#
# Logs go to out/httpdcase (starting a guest empties out/NAME).
# Two boots: "httpd" with the access log on, for the pages, the
# protocol and the hostile requests; "httpdload" without it (10,000
# console lines would time the console, not the server), for 200
# clients at once and the heap after 10,000 requests.

ADDR=10.99.0.2
H=/job/helpers/httpclient
C="curl -sS --max-time 60"
WWW=/tmp/httpd-www
HEADER_S=5 # header_timeout= of the first boot, in seconds

# site: the shipped site with big.bin (20 MiB) added, as a cpio archive.
site() {
	rm -rf $WWW && mkdir -p $WWW
	(cd $WWW && busybox cpio -idm <"/job/images/httpd.cpio") \
		>out/httpdcase/cpio.log 2>&1
	head -c 20971520 /dev/urandom >$WWW/big.bin
	(cd $WWW && sha256sum big.bin index.html) >out/httpdcase/sums-dom0.txt
	(cd $WWW && find . | sort | busybox cpio -o -H newc) \
		>/tmp/httpd-big.cpio 2>>out/httpdcase/cpio.log
}

# shipped_memory NAME: the memory= of config/NAME.cfg.
shipped_memory() {
	sed -n 's/^memory *= *\([0-9]*\).*/\1/p' "/job/config/$1.cfg"
}

# boot NAME RAMDISK MEMORY EXTRA: from config/httpd.cfg, until it serves.
boot() {
	xh_guest_start "$1" "$(shipped_cfg httpd "name = \"$1\"" \
		"ramdisk = \"$2\"" "memory = $3" "extra = \"$4\"")"
	wait_guest_console "$1" "httpd: serving http://$ADDR/" 180
}

# code [OPTION...] URL...: the status of each URL, one per line (curl's
# own -w); each body goes to /dev/null (curl's -o names one URL's).
code() {
	local a args=()
	for a in "$@"; do
		args+=("$a")
		[[ $a != http://* ]] || args+=(-o /dev/null)
	done
	$C -w '%{http_code}\n' "${args[@]}" 2>&1
}

# raw NAME: stdin sent as it is to port 80, the answer to out/httpdcase/NAME.
raw() {
	timeout 40 busybox nc -w 20 $ADDR 80 >"out/httpdcase/$1" 2>&1
}

pages() {
	local d=out/httpdcase lm
	$C -D $d/index.head -o $d/index.html http://$ADDR/ 2>$d/index.err
	$C -D $d/docs.head -o $d/docs.html http://$ADDR/docs/
	$C -o $d/style.css -w '%{content_type}\n' http://$ADDR/style.css >$d/style.type
	code http://$ADDR/docs >$d/redirect.code
	$C -o /dev/null -w '%{redirect_url}\n' http://$ADDR/docs >$d/redirect.url
	$C -I http://$ADDR/index.html >$d/head.txt 2>&1
	code http://$ADDR/no-such-page.html http://$ADDR/index.html/ >$d/404.code
	$C -v -o /dev/null -o /dev/null http://$ADDR/ http://$ADDR/style.css \
		>$d/keepalive.txt 2>&1
	printf 'GET /style.css HTTP/1.1\r\nHost: a\r\n\r\nGET /nope HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' |
		raw pipelined.txt
	lm=$(sed -n 's/^Last-Modified: //p' $d/index.head | tr -d '\r')
	code -H "If-Modified-Since: $lm" http://$ADDR/ >$d/ims.code
	code -H "If-Modified-Since: Thu, 01 Jan 1970 00:00:00 GMT" \
		http://$ADDR/ >>$d/ims.code
	local t0=$EPOCHREALTIME
	$C --max-time 300 -o /tmp/big.bin http://$ADDR/big.bin 2>$d/big.err
	echo "$t0 $EPOCHREALTIME" >$d/big.time
	(cd /tmp && sha256sum big.bin) >$d/sums-got.txt
	rm -f /tmp/big.bin
	port_reused
}

# port_reused: two requests from the same client port, each asking the
# server to close: the guest closes first and keeps the first connection
# in TIME_WAIT, which the second SYN between the same ports must end
# (net/lwip/timewait.c) rather than be answered for; before, the client
# waited for its connect until it gave up. Should dom0's own side of the
# first connection be the one in TIME_WAIT (curl closed before the
# server's FIN came), dom0 cannot bind the port again (curl's exit 45):
# that pair shows nothing, and the next port is tried, up to three.
port_reused() {
	local port rc1 rc2 out=out/httpdcase/reuse.txt
	: >$out
	for port in 47000 47010 47020; do
		reuse_get $port
		rc1=$?
		# dom0's side of the first connection is closed by now
		# (its FIN answered), so the port can be bound again.
		sleep 1
		reuse_get $port
		rc2=$?
		[ $rc1 = 45 ] || [ $rc2 = 45 ] || return 0
		echo "port $port: dom0 could not bind it again (curl 45)" >>$out
	done
}

# reuse_get PORT: GET /style.css from dom0's PORT, "Connection: close";
# its status and time to out/httpdcase/reuse.txt; curl's exit status.
reuse_get() {
	$C --max-time 20 --local-port $1 -H 'Connection: close' \
		-o /dev/null -w '%{http_code} %{time_total}\n' \
		http://$ADDR/style.css >>out/httpdcase/reuse.txt 2>&1
}

# Requests no server should serve; the answers' status lines are kept.
hostile() {
	local d=out/httpdcase long
	printf '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n' | raw garbage.txt
	printf 'GET / HTTP/1.1\r\nHost: a\r\nX-Big: %09000d\r\n\r\n' 0 | raw huge.txt
	long=$(printf '%03000d' 0)
	printf 'GET /%s HTTP/1.1\r\nHost: a\r\n\r\n' "$long" | raw long.txt
	printf 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello' | raw post.txt
	printf 'GET / HTTP/2.0\r\nHost: a\r\n\r\n' | raw version.txt
	printf 'GET http://evil/../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n' | raw absolute.txt
	# absolute-form, as to a proxy: RFC 7230 5.3.2 says serve it
	printf 'GET http://%s/style.css HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n' $ADDR |
		raw absform.txt
	printf 'GET /../../etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n' | raw dotdot.txt
	code --path-as-is http://$ADDR/%2e%2e/%2e%2e/etc/passwd \
		http://$ADDR/docs/..%2f..%2fetc%2fpasswd \
		http://$ADDR//etc/passwd http://$ADDR/a%00.html \
		http://$ADDR/docs/%2E%2E/index.html >$d/traversal.code
	# Requests that never end: the server closes each after its header
	# deadline (HEADER_S), and serves others meanwhile.
	timeout 120 $H -t 100 stall $ADDR 20 $HEADER_S >$d/stall.log 2>&1 &
	local stall=$!
	sleep 1
	code http://$ADDR/ http://$ADDR/style.css >$d/during-stall.code
	wait $stall
	echo "rc=$?" >>$d/stall.log
	code http://$ADDR/ >$d/after.code
}

# The heap's figure of the status page (status=1).
heap() {
	$C http://$ADDR/.httpd/status >>out/httpdcase/heap.txt 2>&1
}

# heap_settled: the status again (every 2 s, up to 30 s) until the heap
# is no bigger than the first figure: connections still closing are
# given time to give their memory back.
heap_settled() {
	local end=$((SECONDS + 30)) base now
	base=$(sed -n '1s/.* heap=\([0-9]*\).*/\1/p' out/httpdcase/heap.txt)
	while :; do
		heap
		now=$(sed -n '$s/.* heap=\([0-9]*\).*/\1/p' out/httpdcase/heap.txt)
		# A status request that failed is a request not served: the
		# case says so (its line is the last), waiting will not mend it.
		[ -n "$now" ] || return
		[ -n "$base" ] && [ -n "$now" ] && [ "$now" -le "$base" ] && return
		((SECONDS < end)) || return
		sleep 2
	done
}

# diag_if_failed LOG: a helper that failed may have lost the guest:
# what dom0 and the guest see of its vif goes to out/httpdcase/net-diag.txt.
diag_if_failed() {
	grep -q '^rc=0$' "$1" || net_diag httpdload $ADDR out/httpdcase/net-diag.txt
}

load() {
	local d=out/httpdcase
	timeout 200 $H -t 180 concurrent $ADDR / 200 "$(stat -c %s $WWW/index.html)" \
		>$d/concurrent.log 2>&1
	echo "rc=$?" >>$d/concurrent.log
	diag_if_failed $d/concurrent.log
	heap
	# Large answers at once: each holds up to its SO_SNDBUF of heap.
	timeout 200 $H -t 180 concurrent $ADDR /big.txt 10 \
		"$(stat -c %s $WWW/big.txt)" >$d/downloads.log 2>&1
	echo "rc=$?" >>$d/downloads.log
	diag_if_failed $d/downloads.log
	heap
	timeout 330 $H -t 300 keepalive $ADDR /style.css 100 100 \
		"$(stat -c %s $WWW/style.css)" >$d/keepalive10000.log 2>&1
	echo "rc=$?" >>$d/keepalive10000.log
	diag_if_failed $d/keepalive10000.log
	heap_settled
	# The console's status command: the counts and the network's line.
	console_type httpdload status &&
		wait_console httpdload 'net: rx ' 30
}

on_dom0() {
	mkdir -p out/httpdcase
	site
	if boot httpd /tmp/httpd-big.cpio 64 \
		"ip=$ADDR/24 log=1 header_timeout=${HEADER_S}000"; then
		pages
		hostile
		shutdown_guest httpd
	fi
	xh_guest_wait httpd 60
	# The shipped config's memory=, which this boot checks is enough.
	if boot httpdload /job/images/httpd.cpio "$(shipped_memory httpd)" \
		"ip=$ADDR/24 status=1"; then
		load
		shutdown_guest httpdload
	fi
	xh_guest_wait httpdload 60
	rm -rf $WWW /tmp/httpd-big.cpio
}

# --- host side ---------------------------------------------------------------

f() { cat "$OUT/httpdcase/$1" 2>/dev/null | tr -d '\r'; }

# expect_status FILE CODE...: the status lines of the raw answer FILE.
expect_status() {
	local file=$1 got
	shift
	got=$(f "$file" | sed -n 's/^HTTP\/1\.1 \([0-9]*\) .*/\1/p' | tr '\n' ' ')
	[ "$got" = "$* " ] || test_fail "$file: statuses '$got', expected '$*'"
}

expect_ok() { expect_helper_ok httpdcase/"$1" || net_diag_said; }

# net_diag_said: (after a failure) what net_diag found, once: dom0's
# neighbour entry for the guest, ping's summary and the guest's own
# "net:" lines (its dropped frames).
net_diag_said() {
	[ -z "${DIAG_SAID:-}" ] || return
	DIAG_SAID=1
	grep -E "^$ADDR |packets transmitted" "$OUT/httpdcase/net-diag.txt" 2>/dev/null |
		sed 's/^/    dom0: /'
	console_of httpdload | grep '^net: ' | sed 's/^/    /'
}

on_host() {
	local src=examples/httpd/rootfs t0 t1 base after line

	test_begin httpd-serves-pages
	expect_text httpd "httpd: serving http://$ADDR/"
	cmp -s "$OUT/httpdcase/index.html" $src/index.html ||
		test_fail "/ is not index.html: $(f index.err) $(head -c 100 "$OUT/httpdcase/index.html" 2>/dev/null)"
	cmp -s "$OUT/httpdcase/docs.html" $src/docs/index.html ||
		test_fail "/docs/ is not docs/index.html"
	cmp -s "$OUT/httpdcase/style.css" $src/style.css ||
		test_fail "/style.css differs"
	[ "$(f style.type)" = 'text/css; charset=utf-8' ] ||
		test_fail "style.css type '$(f style.type)'"
	f index.head | grep -qx 'Content-Type: text/html; charset=utf-8' ||
		test_fail "index.html's Content-Type"
	f index.head | grep -qx "Content-Length: $(stat -c %s $src/index.html)" ||
		test_fail "index.html's Content-Length"
	[ "$(f redirect.code)" = 301 ] && [ "$(f redirect.url)" = "http://$ADDR/docs/" ] ||
		test_fail "/docs: $(f redirect.code) to '$(f redirect.url)', not 301 to /docs/"
	test_end

	test_begin httpd-head-404-keepalive-pipelined
	f head.txt | grep -q '^HTTP/1.1 200 OK$' && f head.txt | grep -q '^Last-Modified: ' &&
		f head.txt | grep -qx "Content-Length: $(stat -c %s $src/index.html)" ||
		test_fail "HEAD: $(f head.txt | head -c 200)"
	[ "$(f 404.code | tr '\n' ' ')" = '404 404 ' ] ||
		test_fail "missing pages: $(f 404.code | tr '\n' ' ')"
	grep -q 'Re-using existing connection' "$OUT/httpdcase/keepalive.txt" ||
		test_fail "curl did not reuse the connection"
	expect_status pipelined.txt 200 404 200
	f pipelined.txt | grep -q '^Connection: close$' ||
		test_fail "pipelined: no Connection: close on the last answer"
	f pipelined.txt | grep -qF "$(head -n 1 $src/style.css)" ||
		test_fail "pipelined: no style.css in the first answer"
	test_end

	test_begin httpd-if-modified-since
	[ "$(f ims.code | tr '\n' ' ')" = '304 200 ' ] ||
		test_fail "If-Modified-Since: $(f ims.code | tr '\n' ' '), expected 304 200"
	test_end

	test_begin httpd-20MB-file-checksummed
	t0= t1=
	read -r t0 t1 <"$OUT/httpdcase/big.time" 2>/dev/null
	local want got
	want=$(grep big.bin "$OUT/httpdcase/sums-dom0.txt" 2>/dev/null | cut -d' ' -f1)
	got=$(cut -d' ' -f1 "$OUT/httpdcase/sums-got.txt" 2>/dev/null)
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "sha256 '$got', expected '$want': $(f big.err)"
	[ -n "$t1" ] && echo "    20 MiB in $(awk -v a="$t0" -v b="$t1" \
		'BEGIN { printf "%.2f s (%.1f MB/s)", b - a, 20.97 / (b - a) }')"
	test_end

	test_begin httpd-client-port-reused-from-time-wait
	f reuse.txt | sed 's/^/    /'
	[ "$(f reuse.txt | tail -2 | cut -d' ' -f1 | tr '\n' ' ')" = '200 200 ' ] ||
		test_fail "two requests from one client port: $(f reuse.txt | tr '\n' ' ')"
	test_end

	test_begin httpd-refuses-malformed-requests
	expect_status garbage.txt 400
	expect_status huge.txt 431
	expect_status long.txt 414
	expect_status post.txt 405
	f post.txt | grep -qx 'Allow: GET, HEAD' || test_fail "405 without Allow"
	expect_status version.txt 505
	expect_status absolute.txt 400
	expect_status absform.txt 200
	f absform.txt | grep -qF "$(head -n 1 $src/style.css)" ||
		test_fail "absolute-form: no style.css in the answer"
	expect_status dotdot.txt 400
	[ "$(f traversal.code | tr '\n' ' ')" = '400 400 404 400 400 ' ] ||
		test_fail "traversals: $(f traversal.code | tr '\n' ' '), expected 400 400 404 400 400"
	grep -l 'root:' "$OUT"/httpdcase/*.txt 2>/dev/null | grep -q . &&
		test_fail "an answer holds dom0's /etc/passwd"
	test_end

	test_begin httpd-header-timeout-serves-others
	expect_ok stall.log
	[ "$(f during-stall.code | tr '\n' ' ')" = '200 200 ' ] ||
		test_fail "during the stall: $(f during-stall.code | tr '\n' ' ')"
	[ "$(f after.code)" = 200 ] || test_fail "after it all: $(f after.code)"
	test_end

	test_begin httpd-access-log
	expect_line httpd "httpd: 10.99.0.1 GET /style.css 200 $(stat -c %s $src/style.css)"
	expect_line httpd "httpd: 10.99.0.1 GET /nope 404 90"
	expect_line httpd "httpd: 10.99.0.1 HEAD / 200 $(stat -c %s $src/index.html)"
	expect_line httpd "httpd: 10.99.0.1 - - 431 134"
	expect_reason httpd poweroff
	test_end

	test_begin httpd-200-clients-at-once
	expect_ok concurrent.log
	test_end

	test_begin httpd-10-parallel-downloads
	expect_ok downloads.log
	test_end

	test_begin httpd-heap-back-after-10000-requests
	expect_ok keepalive10000.log
	base=$(sed -n '1s/.* heap=\([0-9]*\).*/\1/p' "$OUT/httpdcase/heap.txt" 2>/dev/null)
	after=$(sed -n '$s/.* heap=\([0-9]*\).*/\1/p' "$OUT/httpdcase/heap.txt" 2>/dev/null)
	echo "    heap: $base bytes before, $after after 10,000 requests"
	echo "    memory: $(sed -n '$s/.* \(used=.*\)/\1/p' "$OUT/httpdcase/heap.txt" 2>/dev/null | tr -d '\r')"
	if [ -z "$after" ]; then
		test_fail "the status request after the load failed:" \
			"$(tail -1 "$OUT/httpdcase/heap.txt" 2>/dev/null)"
	elif [ -z "$base" ] || [ "$after" -gt "$base" ]; then
		test_fail "heap $base -> $after bytes"
	fi
	console_of httpdload | grep -qE '^httpd: status requests=102[0-9][0-9] .* timeouts=0 failed=0 ' ||
		test_fail "not 10,2xx requests: $(console_of httpdload | grep 'httpd: status')"
	expect_reason httpdload poweroff
	test_end

	# "status" typed at the console after the load: the network's line
	# (frames received and dropped, the pools' free entries) follows.
	test_begin httpd-console-status-says-frames
	line=$(console_of httpdload | grep -m1 '^net: rx ')
	echo "    ${line:-no net: line}"
	[[ $line =~ ^net:\ rx\ ([0-9]+)\ frames,\ dropped\ [0-9]+\ .*pbufs\ free\ [0-9]+\ of\ [0-9]+ ]] &&
		((BASH_REMATCH[1] >= 10000)) ||
		test_fail "no 'net: rx N frames' line with N >= 10000 after the status command"
	test_end
}
