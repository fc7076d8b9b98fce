#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 00-vfs.sh: the testbed itself: an igb PF with 7 VFs, each an igbvf netdev in the host.
set -eu
. /testbed/lib.sh

step "the PF"
pf=$(pf_name) || die "no SR-IOV capable netdev in the guest"
dev=/sys/class/net/$pf/device
ok "PF is $pf at $(pf_pci)"
check_eq igb "$(basename "$(readlink "$dev/driver")")" "PF driver"
check_eq 7 "$(cat "$dev/sriov_totalvfs")" "sriov_totalvfs"
check_eq 7 "$(cat "$dev/sriov_numvfs")" "sriov_numvfs"

step "the VFs, from sysfs"
vf_list
for i in 0 1 2 3 4 5 6; do
	pci=$(vf_pci "$i")
	check_match "$pci" '^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$' "VF $i PCI address"
	check_ne "" "$(vf_netdev "$i")" "VF $i ($pci) has a netdev in the host"
	check_eq igbvf "$(vf_driver "$i")" "VF $i ($pci) driver symlink"
	check_eq "$pf" "$(ls "/sys/bus/pci/devices/$pci/physfn/net")" "VF $i physfn is $pf"
	check_eq "$i" "$(vf_index "$pci")" "VF $i index found back from its PCI address"
done
[ ! -e "$dev/virtfn7" ] && ok "no virtfn7" || fail "virtfn7 exists"
n=0
for d in /sys/class/net/*; do
	[ "$(basename "$(readlink "$d/device/driver" 2>/dev/null)" 2>/dev/null)" = igbvf ] && n=$((n + 1))
done
check_eq 7 "$n" "igbvf netdevs in the host"

step "the PF's VF table"
table=$(vf_table)
printf '%s\n' "$table"
for i in 0 1 2 3 4 5 6; do
	check_match "$table" "^ *vf $i " "ip link show $pf lists vf $i"
done
check_eq 7 "$(ip -j -d link show "$pf" | jq '.[0].vfinfo_list | length')" "VF entries in JSON"
check_eq 7 "$(ip -d link show "$pf" | grep -c '^ *vf [0-9]')" "VF lines in text"
