#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 11-vf-fields.sh: every PF-side field the igb PF supports, seen on both sides, and restored.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

pf=$(pf_name)
pci=$(vf_pci 1)
name=$(vf_boot_name 1)
bootmac=$(vf_boot_mac 1)
netns_add pod-a
before=$(vf_entry 1)

step "ADD with vlan/qos/proto, mac, spoofchk off, trust on, max_tx_rate, link_state auto"
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .vlan = 100 | .vlanQoS = 5 | .vlanProto = "802.1q"
	| .mac = "02:aa:bb:cc:dd:01" | .spoofchk = "off" | .trust = "on" | .max_tx_rate = 100
	| .link_state = "auto"')
cni_run ADD cid-f pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
check_json "$CNI_OUT" '.interfaces[0].mac == "02:aa:bb:cc:dd:01"' "result mac"
check_json "$CNI_OUT" '.ips[0] | has("version") | not' "1.0.0 result has no ip version"
vf_table | grep "vf 1 "
check_eq 100 "$(vf_get 1 '.vlan_list[0].vlan')" "PF: vlan"
check_eq 5 "$(vf_get 1 '.vlan_list[0].qos')" "PF: qos"
check_eq 02:aa:bb:cc:dd:01 "$(vf_get 1 .address)" "PF: admin mac"
check_eq false "$(vf_get 1 .spoofchk)" "PF: spoofchk off"
check_eq true "$(vf_get 1 .trust)" "PF: trust on"
check_eq 100 "$(vf_get 1 .rate.max_tx)" "PF: max_tx_rate"
check_eq 02:aa:bb:cc:dd:01 "$(ip netns exec pod-a cat /sys/class/net/net1/address)" "pod: net1 mac"

step "CHECK passes, then spots a change"
prev=$CNI_OUT
cconf=$(printf '%s' "$conf" | jq -c --argjson p "$prev" '.prevResult = $p')
cni_run CHECK cid-f pod-a net1 "$cconf"
check_eq 0 "$CNI_RC" "CHECK passes on a fresh attachment"
ip link set "$pf" vf 1 vlan 101
cni_run CHECK cid-f pod-a net1 "$cconf"
check_ne 0 "$CNI_RC" "CHECK fails after the VLAN changed"
check_contains "$CNI_OUT" "vlan 100" "CHECK names the vlan"
ip link set "$pf" vf 1 vlan 100 qos 5
ip -n pod-a addr flush dev net1
cni_run CHECK cid-f pod-a net1 "$cconf"
check_ne 0 "$CNI_RC" "CHECK fails after the address went away"
check_contains "$CNI_OUT" "10.56.217.100/24" "CHECK names the address"

step "DEL restores every field"
cni_run DEL cid-f pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "DEL exit status"
vf_table | grep "vf 1 "
check_eq "$before" "$(vf_entry 1)" "PF's VF entry exactly as before"
check_eq "$name" "$(vf_netdev 1)" "VF home under its name"
check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "netdev MAC restored"
vf_unpinned 1 && ok "no admin MAC left pinned" || fail "the VF cannot change its MAC: admin MAC pinned"
