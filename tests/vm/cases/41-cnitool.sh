#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 41-cnitool.sh: libcni, the library every Go runtime uses, through cnitool (built by setup.sh
# from Debian's libcni): ADD, CHECK and DEL of examples/sriov-tuning.conflist, which chains the
# sriov plugin with Debian's tuning plugin. tuning only works on the prevResult that sriov
# returns; CHECK and DEL get the result libcni cached at ADD as their prevResult. (libcni 1.1.2's
# cnitool has no GC or STATUS command; the sriov binary's own GC and STATUS are 31-gc-status.)
# vm-needs: cnitool
# vm-timeout: 240
set -eu
. /testbed/lib.sh

vf=3
pci=$(vf_pci $vf)
name=$(vf_boot_name $vf)
mac=$(vf_boot_mac $vf)
export NETCONFPATH=/tmp/net.d CNI_PATH=/opt/cni/bin CNI_IFNAME=net1
mkdir -p "$NETCONFPATH"
jq --arg pci "$pci" '.plugins[0].deviceID = $pci' /testbed/examples/sriov-tuning.conflist \
	>"$NETCONFPATH/20-sriov-tuned.conflist"
cat "$NETCONFPATH/20-sriov-tuned.conflist"
netns_add pod-c
ns=/var/run/netns/pod-c
before=$(vf_entry $vf)

step "cnitool add sriov-tuned $ns"
run cnitool add sriov-tuned "$ns"
check_eq 0 "$RUN_RC" "cnitool add"
res=$(printf '%s\n' "$RUN_OUT" | sed -n '/^{/,/^}/p')
check_json "$res" '.cniVersion == "1.0.0"' "result in the list's version"
check_json "$res" '.interfaces[0].name == "net1" and .interfaces[0].sandbox == "/var/run/netns/pod-c"' "result interface"
check_json "$res" '.ips[0].address == "10.56.220.2/24"' "host-local's first address"
cache=$(ls /var/lib/cni/results/sriov-tuned-cnitool-*-net1 2>/dev/null | head -n 1)
[ -n "$cache" ] && ok "libcni cached the result in $cache" || fail "no libcni result cache"
check_json "$(cat "$cache")" '.result.ips[0].address == "10.56.220.2/24"' "the cached result is the chain's"
cid=$(jq -r .containerId "$cache")
check_match "$cid" '^cnitool-[0-9a-f]{20}$' "cnitool's container ID"

step "the pod: sriov's VF with tuning applied on top"
run ip -n pod-c -d link show net1
check_contains "$RUN_OUT" "mtu 1400" "tuning set the MTU"
check_contains "$RUN_OUT" "parentdev $pci" "net1 is VF $vf"
check_contains "$(ip -n pod-c addr show net1)" "inet 10.56.220.2/24" "address on net1"
check_eq 1 "$(in_netns pod-c cat /proc/sys/net/ipv4/conf/net1/arp_filter)" "tuning's sysctl"
check_eq "$cid$(printf '\r')
net1" "$(cat /var/lib/cni/networks/sriov-tuned/10.56.220.2)" "lease names cnitool's ID"

step "cnitool check: both plugins compare the pod with the cached prevResult"
run cnitool check sriov-tuned "$ns"
check_eq 0 "$RUN_RC" "check passes"
ip -n pod-c addr flush dev net1 scope global
run cnitool check sriov-tuned "$ns"
check_ne 0 "$RUN_RC" "check fails once the address is gone"
check_contains "$RUN_OUT" "10.56.220.2/24" "sriov's CHECK names the address from prevResult"
ip -n pod-c addr add 10.56.220.2/24 dev net1
ip -n pod-c route add default via 10.56.220.1 dev net1 2>/dev/null || true
run cnitool check sriov-tuned "$ns"
check_eq 0 "$RUN_RC" "check passes again"
ip -n pod-c link set net1 mtu 1500
run cnitool check sriov-tuned "$ns"
check_ne 0 "$RUN_RC" "check fails once tuning's MTU is undone (tuning's CHECK)"
ip -n pod-c link set net1 mtu 1400

step "cnitool del"
run cnitool del sriov-tuned "$ns"
check_eq 0 "$RUN_RC" "cnitool del"
check_eq "$name" "$(vf_netdev $vf)" "VF home under its own name"
check_eq "$mac" "$(cat "/sys/class/net/$name/address")" "VF MAC restored"
check_eq 1500 "$(cat "/sys/class/net/$name/mtu")" "VF MTU restored"
check_eq "$before" "$(vf_entry $vf)" "PF's VF table entry as before"
[ ! -e /var/lib/cni/networks/sriov-tuned/10.56.220.2 ] && ok "lease released" || fail "lease left"
[ ! -e "$cache" ] && ok "libcni dropped its cache" || fail "libcni cache left: $cache"
run cnitool del sriov-tuned "$ns"
check_eq 0 "$RUN_RC" "a second del, without a cached result, succeeds"
