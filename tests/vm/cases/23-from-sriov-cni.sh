#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 23-from-sriov-cni.sh: pods that sriov-cni v2.10 set up (its ADD done by hand, see
# sriovcni_add in lib.sh: VLAN, trust, spoofchk, MAC; the netdev in the pod as net1; the
# host-local lease; its cache and allocation record) are torn down by sriov after the node
# switched binaries: DEL with the netns alive or gone, CHECK, GC, an ADD that must not take the
# VF while that pod lives, and one that takes it after the pod died without DEL; a DPDK VF,
# whose DEL fails in sriov-cni itself.
# vm-timeout: 300
set -eu
. /testbed/lib.sh

idx=2
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
bootmac=$(vf_boot_mac $idx)
before=$(vf_entry $idx)
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .vlan = 100 | .trust = "on" | .spoofchk = "off"
	| .mac = "02:AA:bb:cc:dd:22"')
leases=/var/lib/cni/networks/sriov-net1
alloc=$SRIOVCNI_DIR/pci/$pci

# home: the VF is back as it was at boot and usable; its sriov-cni files and lease are gone.
home()
{
	check_eq "$name" "$(vf_netdev $idx)" "$1: VF home under its own name"
	check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address 2>/dev/null)" "$1: its MAC"
	check_eq "$before" "$(vf_entry $idx)" "$1: PF's VF table entry as at boot"
	vf_unpinned $idx && ok "$1: no admin MAC pinned" || fail "$1: admin MAC pinned"
	[ ! -e "$SRIOVCNI_DIR/$2-net1" ] && ok "$1: cache removed" || fail "$1: cache left"
	[ ! -e "$alloc" ] && ok "$1: allocation record removed" || fail "$1: allocation record left"
	check_eq "" "$(grep -l "^$2" $leases/10.* 2>/dev/null)" "$1: lease released"
}

step "a pod that sriov-cni set up"
netns_add pod-s1
sriovcni_add $idx cid-s1 pod-s1 net1 "$conf"
run cat "$SRIOVCNI_DIR/cid-s1-net1"
check_eq 100 "$(vf_get $idx '.vlan_list[0].vlan')" "VLAN 100 on the PF"
check_eq 02:aa:bb:cc:dd:22 "$(vf_get $idx .address)" "admin MAC pinned by it"
check_eq "" "$(vf_netdev $idx)" "netdev in the pod"
held=$(vf_entry $idx)

step "CHECK by sriov uses the cache"
prev=$(jq -cn --arg ns "$(netns_path pod-s1)" '{cniVersion: "1.0.0",
	interfaces: [{name: "net1", mac: "02:aa:bb:cc:dd:22", sandbox: $ns}],
	ips: [{address: "10.56.217.100/24", gateway: "10.56.217.1", interface: 0}],
	routes: [{dst: "0.0.0.0/0"}]}')
cni_run CHECK cid-s1 pod-s1 net1 "$(printf '%s' "$conf" | jq -c --argjson p "$prev" '.prevResult = $p')"
check_eq 0 "$CNI_RC" "CHECK of the sriov-cni pod passes"
cni_run CHECK cid-s1 pod-s1 net1 "$(printf '%s' "$conf" | jq -c --argjson p "$prev" '.prevResult = $p | .vlan = 101')"
check_ne 0 "$CNI_RC" "CHECK with another VLAN fails"

step "ADD of that VF for another pod is refused while the sriov-cni pod lives"
netns_add pod-x
cni_run ADD cid-x pod-x net1 "$(sriov_conf "$pci")"
check_ne 0 "$CNI_RC" "ADD fails"
check_contains "$CNI_OUT" "in use" "error says in use"
check_contains "$CNI_OUT" "$pci" "error names the deviceID"
check_eq "$held" "$(vf_entry $idx)" "VF settings untouched"
check_ne "" "$(ip -n pod-s1 link show net1)" "net1 still in the sriov-cni pod"
check_eq "" "$(ip -n pod-x -o link show | grep -v ': lo:')" "nothing in the other pod"
check_eq "" "$(grep -l cid-x $leases/10.* 2>/dev/null)" "no lease taken"
[ -e "$alloc" ] && ok "allocation record kept" || fail "allocation record gone"

step "DEL by sriov gives the VF back"
cni_run DEL cid-s1 pod-s1 net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
check_eq "" "$(ip -n pod-s1 -o link show | grep -v ': lo:')" "nothing left in the pod"
home "DEL" cid-s1
cni_run DEL cid-s1 pod-s1 net1 "$conf"
check_eq 0 "$CNI_RC" "second DEL"

step "the VF serves the next ADD"
cni_run ADD cid-n pod-x net1 "$conf"
check_eq 0 "$CNI_RC" "ADD by sriov"
cni_run DEL cid-n pod-x net1 "$conf"
check_eq 0 "$CNI_RC" "DEL by sriov"
home "next pod" cid-n

step "the netns is gone before DEL"
netns_add pod-s2
sriovcni_add $idx cid-s2 pod-s2 net1 "$conf"
ip netns del pod-s2
wait_for 10 vf_in_host $idx && ok "kernel returned the VF" || fail "VF not back"
check_eq net1 "$(vf_netdev $idx)" "it came back as net1"
cni_run DEL cid-s2 pod-s2 net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
home "netns gone" cid-s2

step "the sriov-cni pod died without DEL; sriov ADD takes the VF"
netns_add pod-s3
sriovcni_add $idx cid-s3 pod-s3 net1 "$conf"
ip netns del pod-s3
wait_for 10 vf_in_host $idx || true
netns_add pod-y
cni_run ADD cid-y pod-y net1 "$(sriov_conf "$pci" '.ipam.rangeStart = "10.56.217.150"')"
check_eq 0 "$CNI_RC" "ADD reclaims the VF of the dead pod"
check_eq 0 "$(vf_get $idx '.vlan_list[0].vlan // 0')" "the dead pod's VLAN undone first"
[ ! -e "$SRIOVCNI_DIR/cid-s3-net1" ] && ok "its cache consumed" || fail "its cache left"
check_eq "$(netns_path pod-y)" "$(cat "$alloc" 2>/dev/null)" "allocation record now names our pod"
cni_run DEL cid-y pod-y net1 "$(sriov_conf "$pci" '.ipam.rangeStart = "10.56.217.150"')"
check_eq 0 "$CNI_RC" "DEL of our pod"
check_eq "$name" "$(vf_netdev $idx)" "VF home under its own name, not net1"
check_eq "$before" "$(vf_entry $idx)" "PF's VF table entry as at boot"
cni_run DEL cid-s3 pod-s3 net1 "$conf"
check_eq 0 "$CNI_RC" "late DEL of the dead sriov-cni pod"
check_eq "" "$(grep -l cid-s3 $leases/10.* 2>/dev/null)" "its lease released"
check_eq "$before" "$(vf_entry $idx)" "VF untouched by the late DEL"

step "GC of a sriov-cni pod that is gone"
netns_add pod-s4
sriovcni_add $idx cid-s4 pod-s4 net1 "$conf"
ip netns del pod-s4
wait_for 10 vf_in_host $idx || true
cni_run GC '' '' '' "$(printf '%s' "$conf" | jq -c '.cniVersion = "1.1.0" | del(.deviceID)
	| .["cni.dev/valid-attachments"] = [{containerID: "cid-other", ifname: "net1"}]')"
check_eq 0 "$CNI_RC" "GC"
home "GC" cid-s4

step "a DPDK VF (vfio-pci) that sriov-cni set up"
d=4
dpci=$(vf_pci $d)
dsys=/sys/bus/pci/devices/$dpci
echo vfio-pci >"$dsys/driver_override"
echo "$dpci" >"$dsys/driver/unbind"
echo "$dpci" >/sys/bus/pci/drivers_probe
check_eq vfio-pci "$(vf_driver $d)" "VF bound to vfio-pci"
dbefore=$(vf_get $d tostring)
dconf=$(sriov_conf "$dpci" '.cniVersion = "1.0.0" | .vlan = 300 | .mac = "02:aa:bb:cc:dd:44"
	| .trust = "on" | .ipam.rangeStart = "10.56.217.160"')
netns_add pod-s5
sriovcni_add $d cid-s5 pod-s5 net1 "$dconf"
run cat "$SRIOVCNI_DIR/cid-s5-net1"
check_eq 300 "$(vf_get $d '.vlan_list[0].vlan')" "VLAN on the PF"
cni_run DEL cid-s5 pod-s5 net1 "$dconf"
check_eq 0 "$CNI_RC" "DEL of the DPDK VF succeeds"
check_eq "$dbefore" "$(vf_get $d tostring)" "PF's VF table entry as before"
check_eq vfio-pci "$(vf_driver $d)" "still bound to vfio-pci"
[ ! -e "$SRIOVCNI_DIR/cid-s5-net1" ] && [ ! -e "$SRIOVCNI_DIR/pci/$dpci" ] &&
	ok "cache and allocation record removed" || fail "files left"
check_eq "" "$(grep -l cid-s5 $leases/10.* 2>/dev/null)" "lease released"
