# rootfs: files by name from the xl ramdisk (guests/rootfs.c, whose
# archive make packs from guests/rootfs.rootfs/). The guest lists the
# whole tree with each file's size, mtime and cksum as read(); the host
# computes the same from the archive dom0 was given. Then the calls'
# answers (EROFS, ENOENT, ENOTDIR, ELOOP, ".." at the root, fopen and
# fgets, pread and lseek). The same guest runs on a truncated archive
# (one console line with the offset, an empty root, exit 0) and with no
# ramdisk at all (an empty root, silently).

# cpio_header_of FILE NAME (on the host): the offset of NAME's header in the newc
# archive FILE, and the offset of its data ("HEADER DATA").
cpio_header_of() {
	local f=$1 want=$2 off=0 h namesize filesize name size
	size=$(wc -c <"$f")
	while ((off + 110 <= size)); do
		h=$(head -c $((off + 110)) "$f" | tail -c 110)
		namesize=$((16#${h:94:8}))
		filesize=$((16#${h:54:8}))
		name=$(head -c $((off + 110 + namesize - 1)) "$f" | tail -c $((namesize - 1)))
		if [ "$name" = "$want" ]; then
			echo "$off $(((off + 110 + namesize + 3) / 4 * 4))"
			return 0
		fi
		[ "$name" = "TRAILER!!!" ] && return 1
		off=$((((off + 110 + namesize + 3) / 4 * 4 + filesize + 3) / 4 * 4))
	done
	return 1
}

# Where the truncated copy ends: inside sub/dir/numbers.txt's 13893
# bytes of data (on_host checks that it is), so its header is whole and
# its data is not.
CUT_AT=8000

on_dom0() {
	local a=/job/images/rootfs.cpio cut=/tmp/rootfs-cut.cpio
	xh_guest_run rootfs "$(guest_cfg rootfs rootfs "ramdisk = '$a'")" 120
	head -c $CUT_AT $a >$cut
	xh_guest_run rootfs-cut "$(guest_cfg rootfs-cut rootfs "ramdisk = '$cut'")" 120
	xh_guest_run rootfs-none "$(guest_cfg rootfs-none rootfs)" 120
	rm -f $cut
}

# The guest's lines for the tree, as the archive says they should be.
expected_tree() {
	local dir path t
	dir=$(mktemp -d)
	(cd "$dir" && cpio -idm --quiet --no-absolute-filenames) <"$IMAGES/rootfs.cpio"
	(cd "$dir" && find . -mindepth 1 | LC_ALL=C sort) | while read -r path; do
		t=$dir/$path
		path=${path#.}
		if [ -L "$t" ]; then
			echo "other $path mode 120777 type 10"
		elif [ -d "$t" ]; then
			echo "dir $path mode $(stat -c %a "$t") type 4"
		else
			echo "file $path size $(stat -c '%s mtime %Y' "$t") cksum $(cksum <"$t")"
		fi
	done
	rm -rf "$dir"
}

on_host() {
	local want got where
	test_begin rootfs-tree-matches-archive
	want=$(expected_tree | LC_ALL=C sort)
	got=$(console_of rootfs | grep -E '^(file|dir|other) ' | LC_ALL=C sort)
	echo "    rootfs: $(echo "$want" | wc -l) entries expected, $(echo "$got" | grep -c .) listed"
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "listing differs: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
	expect_line rootfs "entries: $(echo "$want" | wc -l)"
	test_end

	# The allocator never hands out the ramdisk's pages: the tree reads
	# the same after the guest filled all its memory.
	test_begin rootfs-ramdisk-survives-filling-memory
	got=$(console_of rootfs | sed -n 's/^after fill: //p' | LC_ALL=C sort)
	console_of rootfs | grep -E '^filled [0-9]+ KiB$' | sed 's/^/    rootfs: /'
	expect_lines_matching rootfs '^filled [0-9]{4,} KiB$' 1
	[ -n "$want" ] && [ "$want" = "$got" ] ||
		test_fail "after filling memory: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -n 4 | tr '\n' ' ')"
	test_end

	test_begin rootfs-writes-erofs
	expect_line rootfs 'open O_WRONLY: -1 Read-only file system'
	expect_line rootfs 'open O_RDWR: -1 Read-only file system'
	expect_line rootfs 'open O_TRUNC: -1 Read-only file system'
	expect_line rootfs 'open O_CREAT new: -1 Read-only file system'
	expect_line rootfs 'open O_CREAT|O_EXCL old: -1 File exists'
	expect_line rootfs 'access W_OK: -1 Read-only file system'
	expect_line rootfs 'unlink: -1 Read-only file system'
	expect_line rootfs 'mkdir: -1 Read-only file system'
	expect_line rootfs 'fopen w: -1 Read-only file system'
	test_end

	test_begin rootfs-names-errors
	expect_line rootfs 'open missing: -1 No such file or directory'
	expect_line rootfs 'stat missing: -1 No such file or directory'
	expect_line rootfs 'open through a file: -1 Not a directory'
	expect_line rootfs 'open file/: -1 Not a directory'
	expect_line rootfs 'open O_DIRECTORY file: -1 Not a directory'
	expect_line rootfs 'open symlink: -1 Too many symbolic links'
	expect_line rootfs 'stat symlink: -1 Too many symbolic links'
	expect_line rootfs 'lstat symlink: 1 ok'
	expect_line rootfs 'access R_OK: 0 ok'
	expect_line rootfs 'open dir: 1 ok'
	expect_line rootfs 'read dir: -1 Is a directory'
	test_end

	test_begin rootfs-paths-stay-in-root
	expect_line rootfs 'path "../../../hello.txt": file size 56'
	expect_line rootfs 'path "/../hello.txt": file size 56'
	expect_line rootfs 'path "sub/../../hello.txt": file size 56'
	expect_line rootfs 'path "//sub///dir//../dir/./numbers.txt": file size 13893'
	expect_line rootfs 'path "./sub/dir/numbers.txt": file size 13893'
	expect_line rootfs 'path "/sub/dir/": dir size 0'
	expect_line rootfs 'path "/..": dir size 0'
	expect_line rootfs 'path "": No such file or directory size -1'
	test_end

	test_begin rootfs-read-pread-lseek-stdio
	expect_line rootfs 'pread 10 at 100: 10 ok'
	expect_line rootfs "pread bytes: [$(seq 1 3000 | tail -c +101 | head -c 10 | tr '\n' '|')]"
	expect_line rootfs 'lseek end: 13893 ok'
	expect_line rootfs 'read at end: 0 ok'
	expect_line rootfs 'lseek set 6: 6 ok'
	expect_line rootfs 'read 4: 4 ok'
	expect_line rootfs 'read bytes: [4|5|]'
	expect_line rootfs 'lseek negative: -1 Invalid argument'
	expect_line rootfs 'fopen: 1 ok'
	expect_line rootfs 'fgets 1: [first line of hello]'
	expect_line rootfs 'fgets 2: [second line]'
	expect_line rootfs 'fgets 3: [third, without a newline]'
	expect_line rootfs 'fread: 13893 bytes, eof 1'
	expect_line rootfs 'rootfs: done'
	expect_reason rootfs poweroff
	expect_no_text rootfs 'rootfs: bad cpio'
	test_end

	test_begin rootfs-truncated-archive-one-line-empty-root
	where=$(cpio_header_of "$IMAGES/rootfs.cpio" sub/dir/numbers.txt)
	((${where#* } < CUT_AT && CUT_AT < ${where#* } + 13893)) ||
		test_fail "the cut at $CUT_AT is not inside numbers.txt's data ($where)"
	expect_lines_matching rootfs-cut '^rootfs: ' 2
	expect_line rootfs-cut "rootfs: bad cpio header at offset ${where% *}: file data past the end of the archive (root file system left empty)"
	expect_line rootfs-cut 'entries: 0'
	expect_line rootfs-cut 'open missing: -1 No such file or directory'
	expect_line rootfs-cut 'path "/..": dir size 0'
	expect_line rootfs-cut 'rootfs: done'
	expect_reason rootfs-cut poweroff
	test_end

	test_begin rootfs-no-ramdisk-empty-root
	expect_line rootfs-none 'entries: 0'
	expect_line rootfs-none 'fopen: -1 No such file or directory'
	expect_lines_matching rootfs-none '^rootfs: ' 1
	expect_line rootfs-none 'rootfs: done'
	expect_reason rootfs-none poweroff
	test_end
}
