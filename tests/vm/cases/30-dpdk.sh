#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 30-dpdk.sh: a VF bound to vfio-pci (as for DPDK) has no netdev: ADD applies and records the
# PF-side settings and runs IPAM, DEL restores and releases, and a second DEL is harmless.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

idx=5
pci=$(vf_pci $idx)
sys=/sys/bus/pci/devices/$pci
pf=$(pf_name)

step "bind VF $idx ($pci) to vfio-pci"
echo vfio-pci >"$sys/driver_override"
echo "$pci" >"$sys/driver/unbind"
echo "$pci" >/sys/bus/pci/drivers_probe
check_eq vfio-pci "$(vf_driver $idx)" "VF bound to vfio-pci"
check_eq "" "$(vf_netdev $idx)" "no netdev"
before=$(vf_get $idx tostring)

step "ADD"
netns_add pod-d
conf=$(sriov_conf "$pci" '.cniVersion = "1.1.0" | .vlan = 2000 | .vlanQoS = 3 | .mac = "02:aa:bb:cc:dd:05"
	| .spoofchk = "off" | .trust = "on" | .max_tx_rate = 200')
cni_run ADD cid-d pod-d net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
check_json "$CNI_OUT" '.interfaces[0].name == "net1"' "result names the interface"
check_json "$CNI_OUT" ".interfaces[0].pciID == \"$pci\"" "result names the device (pciID)"
check_json "$CNI_OUT" '.interfaces[0].mac == "02:aa:bb:cc:dd:05"' "result mac"
check_json "$CNI_OUT" '.ips[0].address == "10.56.217.100/24"' "IPAM ran"
check_eq 2000 "$(vf_get $idx '.vlan_list[0].vlan')" "PF: vlan"
check_eq 3 "$(vf_get $idx '.vlan_list[0].qos')" "PF: qos"
check_eq 02:aa:bb:cc:dd:05 "$(vf_get $idx .address)" "PF: admin mac"
check_eq false "$(vf_get $idx .spoofchk)" "PF: spoofchk"
check_eq true "$(vf_get $idx .trust)" "PF: trust"
check_eq 200 "$(vf_get $idx .rate.max_tx)" "PF: max_tx_rate"
check_eq "" "$(ip -n pod-d link show net1 2>/dev/null)" "nothing configured in the pod"
check_eq vfio-pci "$(vf_driver $idx)" "still bound to vfio-pci"
prev=$CNI_OUT
cni_run CHECK cid-d pod-d net1 "$(printf '%s' "$conf" | jq -c --argjson p "$prev" '.prevResult = $p')"
check_eq 0 "$CNI_RC" "CHECK of a DPDK attachment"

step "DEL, twice"
cni_run DEL cid-d pod-d net1 "$conf"
check_eq 0 "$CNI_RC" "DEL exit status"
check_eq "$before" "$(vf_get $idx tostring)" "PF's VF entry restored"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "lease released"
check_eq "" "$(ls /var/lib/cni/sriov/vf/ | grep json)" "no record"
cni_run DEL cid-d pod-d net1 "$conf"
check_eq 0 "$CNI_RC" "second DEL succeeds"
cni_run DEL cid-d '' net1 "$conf"
check_eq 0 "$CNI_RC" "DEL without netns succeeds"
check_eq vfio-pci "$(vf_driver $idx)" "VF left bound to vfio-pci"

step "ADD with a setting igb refuses rolls back the PF side"
cni_run ADD cid-d pod-d net1 "$(sriov_conf "$pci" '.vlan = 10 | .mac = "02:aa:bb:cc:dd:05" | .link_state = "disable"')"
check_ne 0 "$CNI_RC" "ADD fails"
check_eq "$before" "$(vf_get $idx tostring)" "PF's VF entry as before"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "no lease"
