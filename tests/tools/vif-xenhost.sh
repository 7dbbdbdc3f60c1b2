#!/usr/bin/env bash
# vif-xenhost: the test host's vif hotplug script (tools/xenhost/
# vif-xenhost), run here on stubs of xenstore-ls, xenstore-write and ip
# that record what they are asked, and a fake sysfs: online sets the vif
# up as Debian's vif-bridge does and reports connected; the MTU is the
# backend's key or else the bridge's; a bridge that is missing or whose
# name is not an interface name is refused with hotplug-status error;
# offline takes the vif out of its bridge; a bad vif name is refused.
# The real script under the real libxl is what the integration cases
# run (all but the four that say CASE_VIF_SCRIPT="vif-bridge").
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
script=$top/tools/xenhost/vif-xenhost
CHECK_PREFIX=vif-xenhost
. "$top/tests/tools/lib/stubs.sh"

mkdir -p "$tmp/net/xenbr0/bridge" "$tmp/net/eth0"
echo 1500 >"$tmp/net/xenbr0/mtu"
# ip also records the batch it reads.
stub xenstore-write
stub ip 'sed "s/^/  /" >>"'"$tmp"'/calls.log"'
stub_xenstore_ls

# run COMMAND VIF KEYS: the script with libxl's environment; its status
# and the stubs' calls in $tmp/calls.log.
run() {
	: >"$tmp/calls.log"
	printf '%s\n' "$3" >"$tmp/keys"
	PATH=$tmp/bin:$PATH XENBUS_PATH=backend/vif/7/0 vif=$2 \
		VIF_XENHOST_NET=$tmp/net VIF_XENHOST_LOG=$tmp/hotplug.log \
		bash "$script" "$1"
	echo "rc $?" >>"$tmp/calls.log"
}

up() { # the ip batch of online for vif7.0, MTU $1, bridge $2
	printf '%s\n' "ip -batch -" "  link set dev vif7.0 down" \
		"  link set dev vif7.0 address fe:ff:ff:ff:ff:ff" \
		"  address flush dev vif7.0" "  link set dev vif7.0 mtu $1" \
		"  link set dev vif7.0 master $2" "  link set dev vif7.0 up"
}

run online vif7.0 'bridge = "xenbr0"
handle = "0"'
check online "$(up 1500 xenbr0)
xenstore-write /local/domain/7/device/vif/0/mtu 1500 backend/vif/7/0/hotplug-status connected
rc 0"

run online vif7.0 'bridge = "xenbr0"
mtu = "1400"'
check backend-mtu "$(up 1400 xenbr0)
xenstore-write /local/domain/7/device/vif/0/mtu 1400 backend/vif/7/0/hotplug-status connected
rc 0"

run online vif7.0 'bridge = "nosuchbr"'
check missing-bridge "xenstore-write backend/vif/7/0/hotplug-error no bridge 'nosuchbr' backend/vif/7/0/hotplug-status error
rc 1"

run online vif7.0 'bridge = "eth0"'
check not-a-bridge "xenstore-write backend/vif/7/0/hotplug-error no bridge 'eth0' backend/vif/7/0/hotplug-status error
rc 1"

run online vif7.0 'bridge = "../../etc"'
check bad-bridge-name "xenstore-write backend/vif/7/0/hotplug-error no bridge '../../etc' backend/vif/7/0/hotplug-status error
rc 1"

run offline vif7.0 'bridge = "xenbr0"'
check offline "ip -force -batch -
  link set dev vif7.0 down
  link set dev vif7.0 nomaster
rc 0"

run online 'vif7.0;x' 'bridge = "xenbr0"'
check bad-vif-name "xenstore-write backend/vif/7/0/hotplug-error bad vif name 'vif7.0;x' backend/vif/7/0/hotplug-status error
rc 1"
