#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 10-add-del.sh: the seed's sriov-net1 config: ADD gives a pod a VF with an address and a
# default route; DEL gives the VF back exactly as it was; DEL is idempotent.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

pf=$(pf_name)
pci=$(vf_pci 0)
name=$(vf_boot_name 0)
mac=$(vf_boot_mac 0)
conf=$(sriov_conf "$pci")
leases=/var/lib/cni/networks/sriov-net1

step "ADD VF 0 ($pci, $name) to pod-a as net1"
netns_add pod-a
before=$(vf_entry 0)
cni_run ADD cid-a pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
check_json "$CNI_OUT" '.cniVersion == "0.3.1"' "result cniVersion"
check_json "$CNI_OUT" '.interfaces[0].name == "net1"' "result interface name"
check_json "$CNI_OUT" '.interfaces[0].sandbox == "/var/run/netns/pod-a"' "result sandbox"
check_json "$CNI_OUT" ".interfaces[0].mac == \"$mac\"" "result mac is the VF's own"
check_json "$CNI_OUT" '.ips[0].address == "10.56.217.100/24"' "first address of the range"
check_json "$CNI_OUT" '.ips[0].version == "4" and .ips[0].gateway == "10.56.217.1"' "ip version and gateway"
check_json "$CNI_OUT" '.ips[0].interface == 0' "ip points at the interface"
check_json "$CNI_OUT" '.routes[0].dst == "0.0.0.0/0"' "default route in the result"
check_json "$CNI_OUT" '.dns == {}' "0.3.1 prints an empty dns"

step "the pod side"
run ip -n pod-a addr show net1
check_contains "$RUN_OUT" "inet 10.56.217.100/24" "address on net1"
check_contains "$RUN_OUT" "link/ether $mac" "MAC on net1"
check_match "$RUN_OUT" "<[^>]*UP[^>]*>" "net1 is up"
run ip -n pod-a route show
check_contains "$RUN_OUT" "default via 10.56.217.1 dev net1" "default route via the gateway"
check_eq "" "$(vf_netdev 0)" "VF netdev left the host"
check_eq "cid-a$(printf '\r')
net1" "$(cat "$leases/10.56.217.100")" "host-local lease file content"

step "DEL"
cni_run DEL cid-a pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "DEL exit status"
check_eq "" "$CNI_OUT" "DEL prints nothing"
check_eq "$name" "$(vf_netdev 0)" "VF back in the host under its original name"
check_eq "$mac" "$(cat /sys/class/net/"$name"/address)" "VF MAC restored"
check_eq "$before" "$(vf_entry 0)" "PF's VF table entry as before ADD"
vf_unpinned 0 && ok "no admin MAC left pinned" || fail "the VF cannot change its MAC: admin MAC pinned"
check_match "$(ip link show "$name")" "state DOWN|<BROADCAST,MULTICAST>" "VF down again, as found"
[ ! -e "$leases/10.56.217.100" ] && ok "lease released" || fail "lease still there"
[ -z "$(ls /var/lib/cni/sriov/vf/*.json 2>/dev/null)" ] && ok "no VF record left" ||
	fail "VF record left: $(ls /var/lib/cni/sriov/vf/)"

step "idempotent DEL"
cni_run DEL cid-a pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "second DEL succeeds"
cni_run DEL cid-never pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "DEL without ADD succeeds"
cni_run DEL cid-a '' net1 "$conf"
check_eq 0 "$CNI_RC" "DEL with empty CNI_NETNS succeeds"
check_eq "$name" "$(vf_netdev 0)" "VF still home"

step "ADD again reuses the released address"
cni_run ADD cid-b pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
check_json "$CNI_OUT" '.ips[0].address == "10.56.217.101/24"' "round-robin: next address"
cni_run DEL cid-b pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "DEL exit status"
check_eq "$name" "$(vf_netdev 0)" "VF home"
