#!/usr/bin/env bash
# xl-run-dom0: `make run` on a Xen dom0 (tools/xl-run's first path),
# against a fake xl that logs its calls, since this machine is no dom0:
# hello (no forward line) is `xl create -c`, as before; echo (a forward
# line) is `xl create`, its address printed, `xl console`, and once the
# console is left the guest is shut down.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

echo control_d >"$fake/capabilities"
# The fake domain exists from `create` until `shutdown`.
cat >"$fake/xl" <<FAKE
#!/bin/sh
echo "xl \$*" >>"$fake/xl.log"
case \$1 in
create) touch "$fake/domain" ;;
shutdown) rm -f "$fake/domain" ;;
domid) [ -e "$fake/domain" ] ;;
esac
FAKE
chmod +x "$fake/xl"
for e in hello echo; do
	[ -f "$top/build/examples/$e.elf" ] || {
		echo "FAIL xl-run-dom0: build/examples/$e.elf is not built"
		exit 0
	}
done

# run NAME: xl-run NAME as on a dom0; its output, then xl's calls.
run() {
	rm -f "$fake/xl.log" "$fake/domain"
	(cd "$top" && PATH="$fake:$PATH" XL_RUN_XEN_CAPS=$fake/capabilities \
		timeout 30 tools/xl-run "$1" </dev/null 2>&1)
	echo "rc=$?"
	cat "$fake/xl.log" 2>/dev/null
}

out=$(run hello)
want="rc=0
xl create -c config/hello.cfg"
if [ "$out" = "$want" ]; then
	echo "PASS xl-run-dom0-hello: make run EXAMPLE=hello on a dom0 is xl create -c"
else
	echo "FAIL xl-run-dom0-hello: got:"
	sed 's/^/    /' <<<"$out"
fi

out=$(run echo)
want="xl-run: 10.99.0.2:7 (echo's tcp port 7)
xl-run: echo's console follows; Ctrl-] leaves it and shuts echo down
xl-run: shutting echo down
rc=0
xl create config/echo.cfg
xl console echo
xl domid echo
xl shutdown -w echo"
if [ "$out" = "$want" ]; then
	echo "PASS xl-run-dom0-echo: on a dom0, create, the address, the console, then shutdown"
else
	echo "FAIL xl-run-dom0-echo: got:"
	sed 's/^/    /' <<<"$out"
fi
