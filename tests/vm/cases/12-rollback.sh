#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 12-rollback.sh: igb refuses link_state, 802.1ad, min_tx_rate and a rate above link speed.
# Each refusal comes after other settings were applied; ADD must undo all of them, release
# the lease and leave the VF exactly as it was.
# vm-timeout: 240
set -eu
. /testbed/lib.sh

pci=$(vf_pci 2)
name=$(vf_boot_name 2)
bootmac=$(vf_boot_mac 2)
netns_add pod-a
before=$(vf_entry 2)
base='.cniVersion = "1.0.0" | .vlan = 42 | .vlanQoS = 2 | .mac = "02:aa:bb:cc:dd:02" | .trust = "on" | .spoofchk = "off"'

# fails_clean TEXT JQ ERE: ADD with the config edited by JQ fails with ERE; nothing is left.
fails_clean()
{
	step "$1"
	cni_run ADD cid-r pod-a net1 "$(sriov_conf "$pci" "$base | $2")"
	check_ne 0 "$CNI_RC" "$1: ADD fails"
	check_json "$CNI_OUT" '.code > 0 and (.msg | length > 0)' "$1: CNI error JSON"
	check_match "$CNI_OUT" "$3" "$1: the error names the step and the kernel's reason"
	check_eq "$before" "$(vf_entry 2)" "$1: PF's VF entry as before"
	check_eq "$name" "$(vf_netdev 2)" "$1: VF home under its name"
	check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "$1: netdev MAC as before"
	check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 2>/dev/null | grep -v -e lock -e last_reserved)" "$1: no lease"
	check_eq "" "$(ls /var/lib/cni/sriov/vf/ 2>/dev/null | grep json)" "$1: no VF record"
	check_eq "" "$(ip -n pod-a link show net1 2>/dev/null)" "$1: nothing in the pod"
}

fails_clean "link_state enable" '.link_state = "enable"' 'link_state.*(not supported|Operation not supported)'
fails_clean "min_tx_rate" '.min_tx_rate = 10 | .max_tx_rate = 100' 'rate.*Invalid argument'
fails_clean "max_tx_rate above link speed" '.max_tx_rate = 100000' 'rate.*Invalid argument'
fails_clean "802.1ad" '.vlanProto = "802.1ad"' 'vlan.*(Protocol not supported|not supported)'

# Steps the kernel does not refuse on this testbed are made to fail by SRIOV_FAULT_FAIL.
export SRIOV_FAULT_FAIL="move into the pod"
fails_clean "the move into the pod fails" '.' 'into netns as net1: move into the pod: failure injected'
export SRIOV_FAULT_FAIL="add address"
fails_clean "adding the address fails" '.' 'add address 10\.56\.217\.[0-9]+/24 to net1: add address: failure injected'
unset SRIOV_FAULT_FAIL
# A gateway outside every subnet of the pod: the kernel refuses the route (ENETUNREACH).
fails_clean "adding a route fails" '.ipam.routes = [{"dst": "192.168.0.0/16", "gw": "10.99.0.1"}]' \
	'add route 192\.168\.0\.0/16 via net1'

step "IPAM exhausted after the VF moved into the pod"
mkdir -p /var/lib/cni/networks/sriov-net1
printf 'someone-else\r\neth0' >/var/lib/cni/networks/sriov-net1/10.56.217.150
cni_run ADD cid-r pod-a net1 "$(sriov_conf "$pci" "$base | .ipam.rangeStart = \"10.56.217.150\" | .ipam.rangeEnd = \"10.56.217.150\"")"
check_ne 0 "$CNI_RC" "ADD fails"
check_contains "$CNI_OUT" "no IP addresses available" "exhaustion error"
check_eq "$before" "$(vf_entry 2)" "PF's VF entry as before"
check_eq "$name" "$(vf_netdev 2)" "VF home under its name"
check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "netdev MAC as before"
check_eq "" "$(ip -n pod-a link show net1 2>/dev/null)" "nothing in the pod"
check_eq "someone-else$(printf '\r')
eth0" "$(cat /var/lib/cni/networks/sriov-net1/10.56.217.150)" "the other lease untouched"
rm -f /var/lib/cni/networks/sriov-net1/10.56.217.150

step "invalid config touches nothing"
cni_run ADD cid-r pod-a net1 "$(sriov_conf "$pci" '.trust = "maybe" | .vlan = 5')"
check_eq 7 "$(printf '%s' "$CNI_OUT" | jq .code)" "code 7 for trust maybe"
check_contains "$CNI_OUT" "trust" "message names trust"
check_eq "$before" "$(vf_entry 2)" "PF's VF entry untouched"

step "interface name already taken in the pod"
ip -n pod-a link add net1 type veth peer name other
cni_run ADD cid-r pod-a net1 "$(sriov_conf "$pci" "$base")"
check_ne 0 "$CNI_RC" "ADD fails"
check_contains "$CNI_OUT" "already exists" "error says so"
check_eq "$before" "$(vf_entry 2)" "PF's VF entry untouched"
check_ne "" "$(ip -n pod-a link show net1)" "the pod's own net1 is still there"
check_eq "$name" "$(vf_netdev 2)" "VF home"
