# lua: examples/lua (Debian's Lua 5.4, unchanged, with lua.c as the
# program) from its shipped config, on the test ramdisk built from
# tests/integration/guests/luatest.rootfs/. Debian's lua5.4 on the build
# machine runs the same scripts: it is the oracle of every line that does
# not depend on where Lua runs.
#   luatest  lua -v -e "GUEST=true" main.lua a b: the known-answer
#            scripts (strings, arithmetic, coroutines, utf8, tables,
#            files, require, os), then os.exit(3)
#   luaerr   lua err.lua: an error's message and traceback, status 1
#   luarepl  lua with no script: the prompt, lines typed into the console
# and, on the example's own ramdisk (LuaSocket's modules in it), with a
# vif (ip=10.99.0.2/24; dom0 is 10.99.0.1):
#   luaecho  lua echo.lua 7: the Lua TCP echo server, driven by busybox
#            nc (a line) and socat (200 KB of random bytes, compared),
#            then xl shutdown (not an exit of its own: lwIP's unsent
#            bytes of a closed socket would die with the guest)
#   luahttp  lua httpget.lua URL: socket.http fetching a page from
#            busybox httpd in dom0

ROOTFS=tests/integration/guests/luatest.rootfs
ADDR=10.99.0.2
WWW=/tmp/lua-www

# boot NAME EXTRA: the shipped config on the test ramdisk, in the background.
boot() {
	xh_guest_start "$1" "$(shipped_cfg lua "name = \"$1\"" \
		"ramdisk = \"/job/images/luatest.cpio\"" "extra = '$2'")"
}

# type_line NAME TEXT: TEXT and Enter typed into the guest's console
# (a carriage return, as a keyboard sends). A pty nobody drains could
# block the job: bounded.
type_line() {
	local domid tty
	domid=$(xl domid "$1") || return 1
	tty=$(xenstore-read "/local/domain/$domid/console/tty") || return 1
	timeout 5 sh -c "printf '%s\\r' '$2' >'$tty'"
}

on_dom0() {
	date -u +%s >out/luatest-dom0-time 2>/dev/null
	boot luatest 'LUAENV=xen-guest -v -e "GUEST=true" main.lua a b'
	xh_guest_wait luatest 120
	mkdir -p out/luatest && mv out/luatest-dom0-time out/luatest/dom0-before
	date -u +%s >out/luatest/dom0-after

	boot luaerr 'err.lua'
	xh_guest_wait luaerr 60

	boot luarepl ''
	if wait_guest_console luarepl 'Copyright' 60; then
		type_line luarepl 'print(6*7)'
		wait_guest_console luarepl '42' 30
		type_line luarepl 'n = io.read("n")'
		type_line luarepl '123'
		type_line luarepl 'print(n * 2, math.type(n))'
		wait_guest_console luarepl '246' 30
		type_line luarepl 'os.exit(true)'
	fi
	xh_guest_wait luarepl 60

	sockets
}

# net_boot NAME EXTRA: the shipped config and ramdisk, with a vif.
net_boot() {
	xh_guest_start "$1" "$(shipped_cfg lua "name = \"$1\"" \
		"vif = ['bridge=xenbr0']" "extra = 'ip=$ADDR/24 $2'")"
}

sockets() {
	local d=out/luaecho
	net_boot luaecho 'echo.lua 7'
	if wait_guest_console luaecho 'echo.lua: serving' 120; then
		printf 'hello from dom0\n' |
			timeout 30 busybox nc -w 10 $ADDR 7 >$d/nc.out 2>$d/nc.err
		head -c 204800 /dev/urandom >/tmp/lua-echo.in
		local t0=$EPOCHREALTIME
		timeout 120 socat -t 30 -T 60 - TCP:$ADDR:7 \
			</tmp/lua-echo.in >/tmp/lua-echo.out 2>$d/socat.err
		echo "rc=$?" >>$d/socat.err
		echo $(((${EPOCHREALTIME/./} - ${t0/./}) / 1000)) >$d/socat.ms
		cmp /tmp/lua-echo.in /tmp/lua-echo.out >$d/cmp.log 2>&1 &&
			echo same >>$d/cmp.log
		wc -c </tmp/lua-echo.out >$d/socat.bytes
	fi
	shutdown_guest luaecho
	xh_guest_wait luaecho 60

	rm -rf $WWW && mkdir -p $WWW
	printf 'first line of the page\nsecond line, from dom0\n' >$WWW/page.txt
	busybox httpd -f -p 10.99.0.1:8080 -h $WWW &
	local httpd=$!
	net_boot luahttp 'httpget.lua http://10.99.0.1:8080/page.txt'
	xh_guest_wait luahttp 120
	kill $httpd 2>/dev/null
	wait $httpd 2>/dev/null
	return 0
}

# between GUEST FROM TO: the console lines from the one equal to FROM to
# the one equal to TO, both included.
between() {
	console_of "$1" | sed -n "/^$2\$/,/^$3\$/p"
}

# oracle SCRIPT ARGS...: Debian's lua5.4 running SCRIPT in a copy of the
# ramdisk's folder, named "lua" as the guest's program is (its messages
# start with the program's name), in UTC as the guest is.
oracle() {
	(cd "$ROOTFS" && TZ=UTC exec -a lua lua5.4 "$@" 2>&1)
}

# tmpname_failing: what Debian's lua5.4 says to pcall(os.tmpname) when no
# temporary file can be made (its mkstemp, on a read-only /tmp of a
# mount namespace of its own); without namespaces, the words of Lua's
# loslib.c (os_tmpname's error when lua_tmpnam fails).
tmpname_failing() {
	unshare -rm sh -c 'mount -t tmpfs -o ro none /tmp &&
		lua5.4 -e "print(pcall(os.tmpname))"' 2>/dev/null ||
		printf 'false\tunable to generate a unique filename\n'
}

on_host() {
	local want got
	strip -o "$OUT/lua.stripped" build/examples/lua.elf &&
		echo "    lua: stripped image $(wc -c <"$OUT/lua.stripped") bytes"

	test_begin lua-known-answers-match-debian-lua
	want=$(oracle main.lua a b | sed -n '/^== begin$/,/^== end$/p')
	got=$(between luatest '== begin' '== end' | grep -av '^env:')
	echo "    lua: $(echo "$want" | wc -l) lines from lua5.4, $(echo "$got" | wc -l) from the guest"
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "differs: $(diff -a <(echo "$want") <(echo "$got") | grep -a '^[<>]' | head -n 6 | tr '\n' ' ')"
	expect_line luatest "$(lua5.4 -v)"
	test_end

	# What depends on the guest: its clock against dom0's (read before
	# and after the boot), extra='s environment, and what a guest with a
	# read-only root and no processes cannot do, failing the Lua way.
	test_begin lua-os-and-io-guest-answers
	local t before after
	t=$(console_of luatest | sed -n 's/^env: time\t\([0-9]*\)\t.*/\1/p')
	read -r before <"$OUT/luatest/dom0-before" 2>/dev/null
	read -r after <"$OUT/luatest/dom0-after" 2>/dev/null
	echo "    lua: os.time() $t, dom0 $before..$after"
	if [ -z "$t" ] || [ -z "$before" ] || [ -z "$after" ]; then
		test_fail "no os.time() line or no dom0 time"
	else
		((before - 1 <= t && t <= after + 1)) ||
			test_fail "os.time() $t is not within dom0's $before..$after"
		expect_line luatest "$(printf 'env: time\t%s\t%s' "$t" "$(date -u -d "@$t" '+%Y-%m-%d %H:%M:%S')")"
	fi
	expect_line luatest "$(printf 'env: getenv\txen-guest\tnil')"
	expect_line luatest "$(printf 'env: execute\tnil\tFunction not implemented\t88')"
	expect_line luatest "$(printf 'env: execute()\tfalse')"
	expect_line luatest "$(printf 'env: remove\tnil\tdata/poem.txt: Read-only file system\t30')"
	expect_line luatest "$(printf 'env: rename\tnil\tRead-only file system\t30')"
	expect_line luatest "$(printf 'env:\tnil\tdata/new.txt: Read-only file system\t30')"
	expect_line luatest "$(printf 'env:\tnil\tdata/poem.txt: Read-only file system\t30')"
	expect_line luatest "$(printf 'env: tmpname\t%s' "$(tmpname_failing)")"
	expect_line luatest "$(printf 'env: tmpfile\tnil\tRead-only file system\t30')"
	expect_line luatest "$(printf "env: popen\tfalse\t'popen' not supported")"
	expect_line luatest "$(printf 'env: clock\ttrue')"
	expect_line luatest "$(printf 'env: clock asleep\ttrue\ttrue')"
	test_end

	# One second of Lua computing (compute.lua): no event may arrive,
	# no upcall interrupt it, no timer fire, with no timer due. A guest
	# that left Xen's periodic tick on (10 ms) shows events 1 here.
	test_begin lua-compute-second-without-events
	console_of luatest | grep -a '^env: compute [0-9]' | sed 's/^env: /    lua: /'
	expect_lines_matching luatest '^env: compute (0\.9[0-9]*|1\.[0-9]+) s [0-9]+ rounds: events 0 upcalls 0 timer 0 due false$' 1
	test_end

	test_begin lua-os-exit-3-is-guest-status
	expect_last_line luatest 'xenlet: exit 3'
	expect_reason luatest crash
	test_end

	test_begin lua-error-traceback-status-1
	want=$(oracle err.lua)
	got=$(between luaerr 'err: calling' '	\[C\]: in ?')
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "differs: $(diff -a <(echo "$want") <(echo "$got") | grep -a '^[<>]' | head -n 6 | tr '\n' ' ')"
	expect_no_text luaerr 'never printed'
	expect_last_line luaerr 'xenlet: exit 1'
	expect_reason luaerr crash
	test_end

	test_begin lua-socket-echo-server
	# (LuaSocket 3.1.0's socket._VERSION still says 3.0.0.)
	expect_lines_matching luaecho '^echo\.lua: serving tcp port 7 \(LuaSocket [0-9.]+\)$' 1
	echo "    lua: 204800 bytes echoed in $(cat "$OUT/luaecho/socat.ms" 2>/dev/null) ms"
	[ "$(cat "$OUT/luaecho/nc.out" 2>/dev/null)" = 'hello from dom0' ] ||
		test_fail "nc got '$(head -c 200 "$OUT/luaecho/nc.out" 2>/dev/null)'"
	grep -qx same "$OUT/luaecho/cmp.log" 2>/dev/null ||
		test_fail "socat's 204800 bytes came back as $(cat "$OUT/luaecho/socat.bytes" 2>/dev/null) bytes: $(head -c 200 "$OUT/luaecho/cmp.log" 2>/dev/null)"
	expect_line luaecho 'echo.lua: connection closed after 16 bytes'
	expect_line luaecho 'echo.lua: connection closed after 204800 bytes'
	expect_last_line luaecho 'xenlet: exit 0'
	expect_reason luaecho poweroff
	test_end

	test_begin lua-socket-http-get
	expect_lines_matching luahttp '^httpget\.lua: status HTTP/1\.[01] 200 OK$' 1
	expect_line luahttp 'httpget.lua: 46 bytes, content-length 46'
	expect_line luahttp 'body: first line of the page'
	expect_line luahttp 'body: second line, from dom0'
	expect_last_line luahttp 'xenlet: exit 0'
	expect_reason luahttp poweroff
	test_end

	test_begin lua-repl-console
	expect_text luarepl "$(lua5.4 -v)"
	expect_text luarepl '42'
	expect_text luarepl "$(printf '246\tinteger')"
	# Lua's last prompt ("> ") has no newline: the exit line follows it.
	expect_lines_matching luarepl '^(> )?xenlet: exit 0$' 1
	expect_reason luarepl poweroff
	test_end
}
