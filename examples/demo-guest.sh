#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo-guest.sh: the demo scenario, run inside the test VM by examples/demo.sh. Two pods get a VF
# each from the sriov plugin, with addresses from host-local IPAM; they ping each other; DEL
# gives the VFs back to the host. Every step prints what it runs; any failure stops the demo
# with a non-zero status.
set -eu
. /testbed/lib.sh

# show CMD...: print a command, then run it.
show()
{
	echo "# $*"
	"$@"
}

pf=$(pf_name)

step "1. The PF $pf ($(pf_pci)) and its $(vf_count) VFs"
show cat "/sys/class/net/$pf/device/sriov_totalvfs" "/sys/class/net/$pf/device/sriov_numvfs"
echo "index pci netdev driver"
vf_list
show ip -d link show "$pf"

step "2. Two pods: network namespaces pod-a and pod-b"
netns_add pod-a
netns_add pod-b
show ip netns list

step "3. CNI ADD: VF 0 to pod-a, VF 1 to pod-b, as net1"
for pod in a b; do
	case $pod in a) vf=0 ;; b) vf=1 ;; esac
	conf=$(sriov_conf "$(vf_pci $vf)")
	echo "network config for pod-$pod (VF $vf, $(vf_netdev $vf)):"
	printf '%s\n' "$conf" | jq .
	cni_run ADD "cid-pod-$pod" "pod-$pod" net1 "$conf"
	[ "$CNI_RC" = 0 ] || die "ADD for pod-$pod failed with exit status $CNI_RC: $CNI_OUT"
	printf '%s\n' "$CNI_OUT" | jq . >/dev/null 2>&1 || die "ADD for pod-$pod printed no JSON"
	echo "result for pod-$pod:"
	printf '%s\n' "$CNI_OUT" | jq .
	addr=$(printf '%s\n' "$CNI_OUT" | jq -r '.ips[0].address // empty')
	[ -n "$addr" ] || die "ADD for pod-$pod: no address in the result"
	eval "addr_$pod=\$addr"
	check_eq "" "$(vf_netdev $vf)" "VF $vf left the host"
done

step "4. Inside the pods"
for pod in a b; do
	show ip -n "pod-$pod" addr show
	show ip -n "pod-$pod" route show
done
check_match "$(ip -n pod-a -o addr show dev net1)" "inet ${addr_a%/*}/" "pod-a net1 has $addr_a"
check_match "$(ip -n pod-b -o addr show dev net1)" "inet ${addr_b%/*}/" "pod-b net1 has $addr_b"
check_match "$(ip -n pod-a route show)" '^default via 10\.56\.217\.1 ' "pod-a default route"

step "5. Ping pod-b (${addr_b%/*}) from pod-a"
pinged=0
for try in 1 2 3; do
	if show ip netns exec pod-a ping -c 3 -W 2 "${addr_b%/*}"; then
		pinged=1
		break
	fi
done
[ "$pinged" = 1 ] && ok "pod-a reaches pod-b" || fail "pod-a cannot ping pod-b"

step "6. The PF's VF table with both VFs in use"
show ip -d link show "$pf"

step "7. CNI DEL for both pods"
for pod in a b; do
	case $pod in a) vf=0 ;; b) vf=1 ;; esac
	cni_run DEL "cid-pod-$pod" "pod-$pod" net1 "$(sriov_conf "$(vf_pci $vf)")"
	check_eq 0 "$CNI_RC" "DEL for pod-$pod"
done

step "8. The VFs are back in the host under their own names"
for vf in 0 1; do
	wait_for 10 vf_in_host $vf || true
	check_eq "$(vf_boot_name $vf)" "$(vf_netdev $vf)" "VF $vf is back as $(vf_boot_name $vf)"
done
echo "index pci netdev driver"
vf_list
show ip -br link
show ip -d link show "$pf"
