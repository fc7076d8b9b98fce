#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 31-gc-status.sh: CNI 1.1 GC tears down every attachment missing from valid-attachments
# (including one whose netns is gone), keeps the valid ones; STATUS says whether ADD can work.
# vm-timeout: 240
set -eu
. /testbed/lib.sh

conf_for()
{
	sriov_conf "$(vf_pci "$1")" '.cniVersion = "1.1.0" | .vlan = 12'
}
gc()
{
	conf_for 0 | jq -c "del(.deviceID) | .[\"cni.dev/valid-attachments\"] = $1"
}

step "three attachments"
for i in 0 1 2; do
	netns_add "gpod$i"
	cni_run ADD "gcid$i" "gpod$i" net1 "$(conf_for $i)"
	check_eq 0 "$CNI_RC" "ADD $i"
done
ip netns del gpod1
wait_for 10 sh -c "ls /sys/bus/pci/devices/$(vf_pci 1)/net 2>/dev/null | grep -q ."

step "GC keeps gcid0, collects gcid1 (netns gone) and gcid2"
cni_run GC '' '' '' "$(gc '[{"containerID":"gcid0","ifname":"net1"}]')"
check_eq 0 "$CNI_RC" "GC exit status"
check_eq "" "$CNI_OUT" "GC prints nothing"
check_ne "" "$(ip -n gpod0 link show net1)" "gcid0 keeps its VF"
check_eq 12 "$(vf_get 0 '.vlan_list[0].vlan')" "gcid0's VF keeps its vlan"
for i in 1 2; do
	check_eq "$(vf_boot_name $i)" "$(vf_netdev $i)" "VF $i home under its name"
	check_eq null "$(vf_get $i '.vlan_list[0].vlan')" "VF $i vlan cleared"
done
check_eq "gcid0" "$(cat /var/lib/cni/networks/sriov-net1/10.* | tr '\r\n' '  ' | cut -d' ' -f1)" "only gcid0's lease is left"
check_eq 1 "$(ls /var/lib/cni/networks/sriov-net1 | grep -c '^10\.')" "one lease"
check_eq 1 "$(ls /var/lib/cni/sriov/vf/ | grep -c json)" "one record"
cni_run GC '' '' '' "$(gc '[{"containerID":"gcid0","ifname":"net1"}]')"
check_eq 0 "$CNI_RC" "GC again is a no-op"
check_ne "" "$(ip -n gpod0 link show net1)" "gcid0 still has its VF"
cni_run GC '' '' '' "$(gc '[]')"
check_eq 0 "$CNI_RC" "GC with nothing valid"
check_eq "$(vf_boot_name 0)" "$(vf_netdev 0)" "VF 0 home"
check_eq 0 "$(ls /var/lib/cni/networks/sriov-net1 | grep -c '^10\.')" "no lease"

step "GC needs cniVersion 1.1.0"
cni_run GC '' '' '' "$(gc '[]' | jq -c '.cniVersion = "1.0.0"')"
check_json "$CNI_OUT" '.code == 1' "code 1 for an older config"

step "STATUS"
st=$(conf_for 0 | jq -c 'del(.deviceID)')
cni_run STATUS '' '' '' "$st"
check_eq 0 "$CNI_RC" "STATUS ok with a usable store"
check_eq "" "$CNI_OUT" "STATUS ok prints nothing"
cni_run STATUS '' '' '' "$(printf '%s' "$st" | jq -c '.ipam.dataDir = "/proc/version"')"
check_ne 0 "$CNI_RC" "STATUS fails when the IPAM store cannot be used"
check_json "$CNI_OUT" '.code == 50' "code 50"
cni_run STATUS '' '' '' "$(printf '%s' "$st" | jq -c '.ipam = {"type": "no-such-ipam"}')"
check_json "$CNI_OUT" '.code == 50' "code 50 when the delegated IPAM plugin is missing"
