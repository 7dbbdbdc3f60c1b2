#!/usr/bin/env bash
# app-moved: the out-of-tree build (`make app APP=DIR`) of a program
# works whatever was built before under the same name: the same name
# built from one folder, that folder deleted, then built from another.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make_prog() { # make_prog DIR WORD: a program printing WORD
	mkdir -p "$1"
	printf '#include <stdio.h>\nint main(void)\n{\n\tputs("%s");\n\treturn 0;\n}\n' \
		"$2" >"$1/main.c"
}

make_prog "$tmp/s1/appmoved" first-folder
printf 'int helper(void);\nint helper(void) { return 1; }\n' >"$tmp/s1/appmoved/helper.c"
if ! make -s -C "$top" app APP="$tmp/s1/appmoved" >"$tmp/log1" 2>&1; then
	echo "FAIL app-moved: the first build failed:"
	tail -n 5 "$tmp/log1" | sed 's/^/    /'
	exit 0
fi
rm -rf "$tmp/s1"
make_prog "$tmp/s2/appmoved" second-folder
if ! make -s -C "$top" app APP="$tmp/s2/appmoved" >"$tmp/log2" 2>&1; then
	echo "FAIL app-moved: the same name from another folder does not build:"
	tail -n 5 "$tmp/log2" | sed 's/^/    /'
elif ! grep -q second-folder "$top/build/app/appmoved.elf"; then
	echo "FAIL app-moved: build/app/appmoved.elf is not the second folder's program"
else
	echo "PASS app-moved: the same name builds from a second folder after the first is gone"
fi
rm -rf "$top/build/app/appmoved.elf" "$top/build/app/obj$tmp"
