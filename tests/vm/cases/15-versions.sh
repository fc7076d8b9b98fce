#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 15-versions.sh: the result in the shape of each cniVersion; the seed's two networks in one pod.
# vm-timeout: 240
set -eu
. /testbed/lib.sh

pci=$(vf_pci 4)
netns_add pod-v
before4=$(vf_entry 4)
before5=$(vf_entry 5)

# home IDX BEFORE TEXT: VF IDX is back under its boot name and MAC, its table entry as BEFORE.
home()
{
	check_eq "$(vf_boot_name $1)" "$(vf_netdev $1)" "$3: VF $1 home under its name"
	check_eq "$(vf_boot_mac $1)" "$(cat "/sys/class/net/$(vf_boot_name $1)/address" 2>/dev/null)" \
		"$3: VF $1 netdev MAC"
	check_eq "$2" "$(vf_entry $1)" "$3: VF $1 PF table entry"
	check_eq "" "$(ip -n pod-v -o link show | grep -v ': lo:')" "$3: nothing left in the pod"
}
for v in 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0; do
	step "cniVersion $v"
	conf=$(sriov_conf "$pci" ".cniVersion = \"$v\"")
	cni_run ADD "cid-$v" pod-v net1 "$conf"
	check_eq 0 "$CNI_RC" "$v: ADD"
	check_json "$CNI_OUT" ".cniVersion == \"$v\"" "$v: result version"
	case $v in
	0.*)
		check_json "$CNI_OUT" '.ips[0].version == "4"' "$v: ips carry version"
		check_json "$CNI_OUT" '.interfaces[0] | has("mtu") | not' "$v: no interface mtu"
		;;
	1.0.0)
		check_json "$CNI_OUT" '.ips[0] | has("version") | not' "$v: no ip version"
		check_json "$CNI_OUT" '.interfaces[0] | has("pciID") | not' "$v: no pciID before 1.1.0"
		;;
	1.1.0)
		check_json "$CNI_OUT" ".interfaces[0].pciID == \"$pci\"" "$v: pciID names the VF"
		;;
	esac
	if [ "$v" != 0.3.0 ] && [ "$v" != 0.3.1 ]; then
		cni_run CHECK "cid-$v" pod-v net1 "$(printf '%s' "$conf" | jq -c --argjson p "$CNI_OUT" '.prevResult = $p')"
		check_eq 0 "$CNI_RC" "$v: CHECK"
	fi
	cni_run DEL "cid-$v" pod-v net1 "$conf"
	check_eq 0 "$CNI_RC" "$v: DEL"
	home 4 "$before4" "$v"
	check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "$v: lease released"
done

step "the seed's vnf-pod: sriov-net1 and sriov-net2 in one pod"
net2=$(jq -cn --arg pci "$(vf_pci 5)" '{cniVersion: "0.3.1", name: "sriov-net2", type: "sriov",
	deviceID: $pci, ipam: {type: "host-local", subnet: "10.56.218.0/24"}}')
cni_run ADD cid-vnf pod-v net1 "$(sriov_conf "$pci")"
check_eq 0 "$CNI_RC" "sriov-net1 ADD"
cni_run ADD cid-vnf pod-v net2 "$net2"
check_eq 0 "$CNI_RC" "sriov-net2 ADD"
check_json "$CNI_OUT" '.ips[0].address == "10.56.218.2/24" and .ips[0].gateway == "10.56.218.1"' "host-local defaults: .2, gateway .1"
run ip -n pod-v -br addr
check_contains "$RUN_OUT" "10.56.218.2/24" "net2 address in the pod"
cni_run DEL cid-vnf pod-v net2 "$net2"
check_eq 0 "$CNI_RC" "sriov-net2 DEL"
cni_run DEL cid-vnf pod-v net1 "$(sriov_conf "$pci")"
check_eq 0 "$CNI_RC" "sriov-net1 DEL"
home 4 "$before4" "vnf-pod"
home 5 "$before5" "vnf-pod"
