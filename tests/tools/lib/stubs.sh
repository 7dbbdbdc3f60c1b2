# stubs.sh - sourced by the tools tests of the test host's hotplug
# scripts (block-xenhost.sh, vif-xenhost.sh): a scratch folder, stub
# commands that record how they were called, and the check of that
# record. Lives in lib/ so that tests/check does not run it as a test.
#
# After sourcing: $tmp is a scratch folder removed on exit, $tmp/bin the
# folder for stubs (put it first on PATH), $tmp/calls.log the record.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin"

# stub NAME [LINE]: a command NAME that appends "NAME ARGS" to calls.log,
# then runs LINE (a line of bash, written into the stub as it is).
stub() {
	printf '#!/usr/bin/env bash\necho "%s $*" >>"%s/calls.log"\n%s\n' \
		"$1" "$tmp" "${2:-}" >"$tmp/bin/$1"
	chmod +x "$tmp/bin/$1"
}

# stub_xenstore_ls: xenstore-ls prints $tmp/keys, as the real one prints
# a directory; a test writes the backend's keys there.
stub_xenstore_ls() {
	printf '#!/usr/bin/env bash\ncat "%s/keys"\n' "$tmp" >"$tmp/bin/xenstore-ls"
	chmod +x "$tmp/bin/xenstore-ls"
}

# check NAME EXPECTED: PASS if calls.log is EXPECTED; the test's name is
# $CHECK_PREFIX-NAME.
check() {
	if [ "$(cat "$tmp/calls.log")" = "$2" ]; then
		echo "PASS $CHECK_PREFIX-$1"
	else
		echo "FAIL $CHECK_PREFIX-$1: got: $(tr '\n' '|' <"$tmp/calls.log")"
	fi
}
