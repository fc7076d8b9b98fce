#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 13-netns-gone.sh: the pod netns is deleted before DEL. The kernel hands the VF back to the
# host under the pod-side name; DEL must still rename it back and restore everything.
# A late DEL from a former owner must not touch the VF's new owner.
# vm-timeout: 240
set -eu
. /testbed/lib.sh

pci=$(vf_pci 3)
name=$(vf_boot_name 3)
bootmac=$(vf_boot_mac 3)
before=$(vf_entry 3)
conf=$(sriov_conf "$pci" '.vlan = 7 | .mac = "02:aa:bb:cc:dd:03"')

step "ADD, then the netns dies without DEL"
netns_add pod-a
cni_run ADD cid-a pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "ADD exit status"
ip netns del pod-a
wait_for 10 sh -c "ls /sys/bus/pci/devices/$pci/net 2>/dev/null | grep -q ." && ok "kernel returned the VF to the host" || fail "VF not back"
check_eq net1 "$(vf_netdev 3)" "it came back under the pod-side name"
cni_run DEL cid-a pod-a net1 "$conf"
check_eq 0 "$CNI_RC" "DEL with a vanished netns succeeds"
check_eq "$name" "$(vf_netdev 3)" "VF renamed back to its original name"
check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "MAC restored"
check_eq "$before" "$(vf_entry 3)" "PF's VF entry restored"
[ ! -e /var/lib/cni/networks/sriov-net1/10.56.217.100 ] && ok "lease released" || fail "lease leaked"

step "a new pod takes the VF while the old owner's DEL is still to come"
netns_add pod-b
cni_run ADD cid-b pod-b net1 "$conf"
check_eq 0 "$CNI_RC" "pod-b ADD"
ip netns del pod-b
wait_for 10 sh -c "ls /sys/bus/pci/devices/$pci/net 2>/dev/null | grep -q ." || true
netns_add pod-c
conf_c=$(sriov_conf "$pci" '.vlan = 9 | .mac = "02:aa:bb:cc:dd:0c"')
cni_run ADD cid-c pod-c net1 "$conf_c"
check_eq 0 "$CNI_RC" "pod-c reclaims the VF of the dead pod-b"
cni_run DEL cid-b pod-b net1 "$conf"
check_eq 0 "$CNI_RC" "late DEL of pod-b succeeds"
check_eq 9 "$(vf_get 3 '.vlan_list[0].vlan')" "pod-c's vlan untouched by the late DEL"
check_eq 02:aa:bb:cc:dd:0c "$(vf_get 3 .address)" "pod-c's admin MAC untouched"
check_ne "" "$(ip -n pod-c link show net1)" "pod-c still has net1"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep -x 10.56.217.101)" "pod-b's lease released"
cni_run DEL cid-c pod-c net1 "$conf_c"
check_eq 0 "$CNI_RC" "pod-c DEL"
check_eq "$name" "$(vf_netdev 3)" "VF home under its original name"
check_eq "$before" "$(vf_entry 3)" "PF's VF entry as before all of it"

step "a VF in use by a live pod is refused"
netns_add pod-d
netns_add pod-e
cni_run ADD cid-d pod-d net1 "$conf"
check_eq 0 "$CNI_RC" "pod-d ADD"
held=$(vf_entry 3)
cni_run ADD cid-e pod-e net1 "$conf_c"
check_ne 0 "$CNI_RC" "second ADD for the same VF fails"
check_contains "$CNI_OUT" "in use" "error says the VF is in use"
check_eq "$held" "$(vf_entry 3)" "pod-d's VF settings undisturbed"
check_ne "" "$(ip -n pod-d link show net1)" "pod-d keeps net1"
cni_run DEL cid-d pod-d net1 "$conf"
check_eq 0 "$CNI_RC" "pod-d DEL"
check_eq "$name" "$(vf_netdev 3)" "VF home"
check_eq "$before" "$(vf_entry 3)" "PF's VF entry as before"
