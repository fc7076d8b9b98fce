#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 17-mac-mtu.sh: the MAC from CNI_ARGS MAC= and from runtimeConfig.mac on a real VF (precedence
# config < CNI_ARGS < runtimeConfig), and the VF netdev's MTU given back by DEL.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

idx=3
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
bootmac=$(vf_boot_mac $idx)
netns_add pod-m
before=$(vf_entry $idx)

# home TEXT: the VF is back as it was.
home()
{
	check_eq "$name" "$(vf_netdev $idx)" "$1: VF home under its name"
	check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "$1: netdev MAC as at boot"
	check_eq "$before" "$(vf_entry $idx)" "$1: PF's VF entry as before"
	vf_unpinned $idx && ok "$1: no admin MAC pinned" || fail "$1: admin MAC left pinned"
}

# mac_is MAC TEXT: the pod's net1, the PF's VF table and the result all say MAC.
mac_is()
{
	check_eq "$1" "$(ip -n pod-m -j link show net1 | jq -r '.[0].address')" "$2: pod netdev MAC"
	check_eq "$1" "$(vf_get $idx .address)" "$2: admin MAC in the PF's VF table"
	check_json "$CNI_OUT" ".interfaces[0].mac == \"$1\"" "$2: result MAC"
}

step "CNI_ARGS MAC= overrides the config's mac"
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .mac = "02:aa:bb:cc:00:99"')
export CNI_ARGS="IgnoreUnknown=1;K8S_POD_NAMESPACE=ns;K8S_POD_NAME=p;MAC=02:aa:bb:cc:00:01"
cni_run ADD cid-m1 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
mac_is 02:aa:bb:cc:00:01 "CNI_ARGS"
cni_run DEL cid-m1 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
home "after CNI_ARGS MAC"

step "runtimeConfig.mac overrides CNI_ARGS and the config"
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .mac = "02:aa:bb:cc:00:99"
	| .capabilities = {mac: true} | .runtimeConfig = {mac: "02:AA:BB:CC:00:02"}')
cni_run ADD cid-m2 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
mac_is 02:aa:bb:cc:00:02 "runtimeConfig"
cni_run DEL cid-m2 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
unset CNI_ARGS
home "after runtimeConfig.mac"

step "MTU: DEL gives the netdev its MTU back"
ip link set "$name" mtu 1400
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0"')
cni_run ADD cid-m3 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
check_json "$CNI_OUT" '.interfaces[0].mtu == 1400' "the result reports the VF's MTU"
check_eq 1400 "$(ip -n pod-m -j link show net1 | jq -r '.[0].mtu')" "MTU in the pod"
ip -n pod-m link set net1 mtu 1300
cni_run DEL cid-m3 pod-m net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
check_eq 1400 "$(cat /sys/class/net/"$name"/mtu)" "MTU as before ADD"
home "after MTU"
