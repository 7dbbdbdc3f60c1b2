#!/usr/bin/env bash
# block-xenhost: the test host's block hotplug script (tools/xenhost/
# block-xenhost), run here on stubs of xenstore-ls, xenstore-write and
# losetup that record what they are asked, and a fake sysfs: add puts a
# file on a loop device (read-only when the mode has no w) or takes a
# block device as is, and writes the keys of Debian's block script
# (physical-device in hex, physical-device-path, node for a loop
# device, hotplug-status connected); a second add does nothing; a bad
# target, a missing file or device are refused with hotplug-status
# error; remove detaches only the loop device it attached. The real
# script under the real libxl is what kv's crash rounds run.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/tools/xenhost/block-xenhost
CHECK_PREFIX=block-xenhost
. "$top/tests/tools/lib/stubs.sh"

mkdir -p "$tmp/sys/class/block/loop3" "$tmp/sys/class/block/nvme0n1"
echo 7:3 >"$tmp/sys/class/block/loop3/dev"
echo 259:16 >"$tmp/sys/class/block/nvme0n1/dev"
: >"$tmp/disk.img"
# losetup --show prints the loop device it "attached".
stub xenstore-write
stub losetup '[ "$1" = -d ] || echo /dev/loop3'
stub_xenstore_ls

# run COMMAND KEYS [XENBUS_PATH]: the script with libxl's environment;
# its status and the stubs' calls in $tmp/calls.log.
run() {
	: >"$tmp/calls.log"
	printf '%s\n' "$2" >"$tmp/keys"
	PATH=$tmp/bin:$PATH XENBUS_PATH=${3:-backend/vbd/7/51712} \
		BLOCK_XENHOST_SYS=$tmp/sys BLOCK_XENHOST_LOG=$tmp/hotplug.log \
		bash "$script" "$1"
	echo "rc $?" >>"$tmp/calls.log"
}

be=backend/vbd/7/51712
err() { # the refusal of add with MESSAGE
	echo "xenstore-write $be/hotplug-error $1 $be/hotplug-status error"
	echo "rc 1"
}

run add "params = \"$tmp/disk.img\"
mode = \"w\"
state = \"2\""
check file-on-loop "losetup -f --show $tmp/disk.img
xenstore-write $be/node /dev/loop3 $be/physical-device 7:3 $be/physical-device-path /dev/loop3 $be/hotplug-status connected
rc 0"

run add "params = \"$tmp/disk.img\"
mode = \"r\""
check file-read-only "losetup -f --show -r $tmp/disk.img
xenstore-write $be/node /dev/loop3 $be/physical-device 7:3 $be/physical-device-path /dev/loop3 $be/hotplug-status connected
rc 0"

run add 'params = "/dev/nvme0n1"
mode = "w"'
check block-device "xenstore-write $be/physical-device 103:10 $be/physical-device-path /dev/nvme0n1 $be/hotplug-status connected
rc 0"

run add "params = \"$tmp/disk.img\"
physical-device = \"7:3\""
check second-add "rc 0"

run add 'params = "disk.img"'
check relative-target "$(err "bad target 'disk.img'")"

run add "params = \"$tmp/a b\""
check target-with-space "$(err "bad target '$tmp/a b'")"

run add "params = \"$tmp/nosuch.img\""
check missing-file "$(err "no such device or file '$tmp/nosuch.img'")"

run add 'params = "/dev/sdz"'
check missing-device "$(err "no block device '/dev/sdz'")"

run remove "params = \"$tmp/disk.img\"
node = \"/dev/loop3\""
check remove-loop "losetup -d /dev/loop3
rc 0"

run remove 'params = "/dev/nvme0n1"'
check remove-device "rc 0"

run remove 'node = "/dev/sda"'
check remove-not-a-loop "rc 0"

run add "params = \"$tmp/disk.img\"" 'backend/vbd/7/../../x'
check bad-xenbus-path "rc 1"
