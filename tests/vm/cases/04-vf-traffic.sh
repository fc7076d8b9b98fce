#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 04-vf-traffic.sh: two VFs in two pod netns talk through the emulated NIC, VLANs included; a
# deleted netns hands its VF back to the host.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

pf=$(pf_name)
a=$(vf_netdev 0)
b=$(vf_netdev 1)

# up_in NS DEV ADDR: bring DEV up with ADDR inside NS and wait for carrier.
up_in()
{
	ip -n "$1" addr add "$3" dev "$2"
	ip -n "$1" link set "$2" up
	wait_for 20 sh -c "/usr/sbin/ip -n $1 link show $2 | grep -q LOWER_UP" ||
		fail "$2 in $1 has no carrier after 20 s"
}

# pings NS ADDR [TRIES]: ping ADDR from NS, allowing a few tries for the first ARP exchange.
pings()
{
	local n=${3:-5}
	while [ "$n" -gt 0 ]; do
		in_netns "$1" ping -c 1 -W 2 "$2" >/dev/null 2>&1 && return 0
		n=$((n - 1))
	done
	return 1
}

step "VF 0 ($a) into pod-a as net1, VF 1 ($b) into pod-b as net1"
netns_add pod-a
netns_add pod-b
check_ok "move VF 0" ip link set "$a" netns pod-a name net1
check_ok "move VF 1" ip link set "$b" netns pod-b name net1
check_eq "" "$(vf_netdev 0)" "VF 0 netdev gone from the host"
up_in pod-a net1 10.99.0.1/24
up_in pod-b net1 10.99.0.2/24
ip -n pod-a addr show net1

step "traffic"
run in_netns pod-a ping -c 1 -W 5 10.99.0.2
pings pod-a 10.99.0.2 && ok "pod-a pings pod-b" || fail "pod-a cannot ping pod-b"
pings pod-b 10.99.0.1 && ok "pod-b pings pod-a" || fail "pod-b cannot ping pod-a"

ip link set "$pf" vf 0 vlan 10
ip link set "$pf" vf 1 vlan 10
pings pod-a 10.99.0.2 && ok "both VFs in vlan 10: ping works" || fail "no ping in vlan 10"
ip link set "$pf" vf 1 vlan 20
if pings pod-a 10.99.0.2 2; then
	fail "vlan 10 pings vlan 20: the NIC does not separate VLANs"
else
	ok "vlan 10 and vlan 20 are separated"
fi
ip link set "$pf" vf 0 vlan 0
ip link set "$pf" vf 1 vlan 0

step "deleting the netns returns the VFs to the host"
ip netns del pod-a
wait_for 10 vf_in_host 0 && ok "VF 0 back in the host as $(vf_netdev 0)" ||
	fail "VF 0 not back 10 s after deleting pod-a"
check_eq net1 "$(vf_netdev 0)" "a returning VF keeps its pod name when it is free"
ip netns del pod-b
wait_for 10 vf_in_host 1 && ok "VF 1 back in the host as $(vf_netdev 1)" ||
	fail "VF 1 not back 10 s after deleting pod-b"
idx=$(cat "/sys/bus/pci/devices/$(vf_pci 1)/net/$(vf_netdev 1)/ifindex")
check_eq "dev$idx" "$(vf_netdev 1)" "with its name taken, a returning VF becomes dev<ifindex>"
