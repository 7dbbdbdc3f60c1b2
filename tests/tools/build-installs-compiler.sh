#!/usr/bin/env bash
# build-installs-compiler: on a machine with no C compiler yet, the
# first make installs the build packages before it reads the flags that
# ask the compiler for its own headers (an empty answer there broke the
# first build of a fresh machine: "stddef.h: No such file").
#
# The machine is made to look fresh: a compiler name that does not
# exist, a dpkg-query that knows no package and an apt-get that records
# what it is asked and installs nothing.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
fake=$(mktemp -d)
trap 'rm -rf "$fake"' EXIT

printf '#!/bin/sh\nexit 1\n' >"$fake/dpkg-query"
# (update succeeds, install fails)
printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.log"\n[ "$1" = update ]\n' "$fake" >"$fake/apt-get"
chmod +x "$fake/dpkg-query" "$fake/apt-get"

out=$(cd "$top" && PATH="$fake:$PATH" make -n all CC=xenlet-no-such-cc 2>&1)
rc=$?
if [ $rc -ne 0 ] && grep -q 'apt-get install.* gcc' "$fake/apt.log" 2>/dev/null &&
	grep -q "no C compiler 'xenlet-no-such-cc'" <<<"$out"; then
	echo "PASS build-installs-compiler: with no compiler, make installs the build packages first, then stops clearly"
else
	echo "FAIL build-installs-compiler: make exited $rc; apt-get was asked: $(cat "$fake/apt.log" 2>/dev/null)"
	tail -n 3 <<<"$out" | sed 's/^/    /'
fi
