#!/usr/bin/env bash
# run-installs-deps: on a machine that is not a Xen dom0, `make run`
# (tools/xl-run) first installs the test host's Debian packages, as
# `make check` does, before it boots the test host.
#
# The machine is made to look fresh: a dpkg-query that knows no package
# and an apt-get that records what it is asked and then fails (so that
# nothing is installed and the test host is never booted).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

cat >"$fake/dpkg-query" <<'FAKE'
#!/bin/sh
exit 1
FAKE
cat >"$fake/apt-get" <<FAKE
#!/bin/sh
echo "apt-get \$*" >>"$fake/apt.log"
exit 1
FAKE
chmod +x "$fake/dpkg-query" "$fake/apt-get"
[ -f "$top/build/examples/hello.elf" ] || {
	echo "FAIL run-installs-deps: build/examples/hello.elf is not built"
	exit 0
}

out=$(cd "$top" && PATH="$fake:$PATH" timeout 120 tools/xl-run hello 2>&1)
rc=$?
if [ $rc -ne 0 ] && [ -f "$fake/apt.log" ] &&
	grep -q 'xen-hypervisor-4.17-amd64' <<<"$out" &&
	grep -q 'qemu-system-x86' <<<"$out" &&
	! grep -q 'booting the test host' <<<"$out"; then
	echo "PASS run-installs-deps: make run asks apt-get for the test host's packages first"
else
	echo "FAIL run-installs-deps: xl-run exited $rc without installing the test host's packages:"
	sed 's/^/    /' <<<"$out" | tail -n 5
fi
