#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 16-altname.sh: a VF netdev with an odd name and an altname equal to the pod-side name
# (udev and newer kernels add altnames; they share the name table with names).
# vm-timeout: 180
set -eu
. /testbed/lib.sh

idx=4
pci=$(vf_pci $idx)
name=$(vf_netdev $idx)
ip link set "$name" name vf.odd-name_4
ip link property add dev vf.odd-name_4 altname net1
ip link property add dev vf.odd-name_4 altname enp1s0f0v4
run ip link show vf.odd-name_4
before=$(vf_entry $idx)
netns_add pod-n
conf=$(sriov_conf "$pci")

step "ADD while the VF has the pod-side name as an altname"
cni_run ADD cid-n pod-n net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
check_ne "" "$(ip -n pod-n link show net1)" "net1 is in the pod"
check_eq "" "$(ip link show net1 2>/dev/null)" "no host link answers to net1"

step "DEL gives the odd name back"
cni_run DEL cid-n pod-n net1 "$conf"
check_eq 0 "$CNI_RC" "DEL exit status"
check_eq vf.odd-name_4 "$(vf_netdev $idx)" "original odd name restored"
check_eq "$before" "$(vf_entry $idx)" "PF's VF entry as before"

step "ADD again, then the netns dies: the VF comes back as net1 and DEL renames it"
cni_run ADD cid-n2 pod-n net1 "$conf"
check_eq 0 "$CNI_RC" "ADD again"
ip netns del pod-n
wait_for 10 sh -c "ls /sys/bus/pci/devices/$pci/net 2>/dev/null | grep -q ."
cni_run DEL cid-n2 /var/run/netns/pod-n net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
check_eq vf.odd-name_4 "$(vf_netdev $idx)" "odd name restored after the netns died"
