#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 03-vfio-bind.sh: a VF can be moved to vfio-pci (driver_override + drivers_probe), as a DPDK
# user does, and back to igbvf; the plugin must recognise such a VF by its driver.
set -eu
. /testbed/lib.sh

vf=6
pci=$(vf_pci $vf)
sys=/sys/bus/pci/devices/$pci
name=$(vf_netdev $vf)

step "VF $vf ($pci, $name) to vfio-pci"
group=$(basename "$(readlink "$sys/iommu_group")" 2>/dev/null) || die "$pci has no IOMMU group"
ok "IOMMU group $group"
echo vfio-pci >"$sys/driver_override"
echo "$pci" >"$sys/driver/unbind"
echo "$pci" >/sys/bus/pci/drivers_probe
check_eq vfio-pci "$(vf_driver $vf)" "driver after drivers_probe"
check_eq "" "$(vf_netdev $vf)" "no netdev while bound to vfio-pci"
[ -c "/dev/vfio/$group" ] && ok "/dev/vfio/$group exists" || fail "/dev/vfio/$group missing"
check_match "$(vf_table)" "^ *vf $vf " "PF still lists vf $vf"
check_ok "VF table is writable for a vfio VF" ip link set "$(pf_name)" vf $vf vlan 20

step "back to igbvf"
echo "$pci" >"$sys/driver/unbind"
echo >"$sys/driver_override"
echo "$pci" >/sys/bus/pci/drivers_probe
check_eq igbvf "$(vf_driver $vf)" "driver after clearing driver_override"
wait_for 10 vf_in_host $vf && ok "netdev is back: $(vf_netdev $vf)" ||
	fail "no netdev 10 s after rebinding to igbvf"
