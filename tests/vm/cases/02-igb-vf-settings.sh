#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 02-igb-vf-settings.sh: what the emulated igb PF accepts in its VF table, and how it refuses the
# rest. The plugin's ADD/DEL depend on exactly these answers.
set -eu
. /testbed/lib.sh

pf=$(pf_name)
vf=2
vfdev=$(vf_netdev $vf)

step "accepted: vlan/qos, mac, spoofchk, trust, max_tx_rate"
check_ok "vlan 10 qos 3" ip link set "$pf" vf $vf vlan 10 qos 3
check_eq 10 "$(vf_get $vf '.vlan_list[0].vlan')" "VF table vlan"
check_eq 3 "$(vf_get $vf '.vlan_list[0].qos')" "VF table qos"
check_ok "vlan 0 clears it" ip link set "$pf" vf $vf vlan 0
check_eq null "$(vf_get $vf '.vlan_list[0].vlan')" "no vlan in the VF table"

check_ok "admin mac" ip link set "$pf" vf $vf mac 02:11:22:33:44:55
check_eq 02:11:22:33:44:55 "$(vf_get $vf .address)" "VF table mac"
# igb only tells the VF at its next reset ("Reload the VF driver..."): the plugin sets the same
# address on the VF netdev, which igbvf accepts because it equals the admin MAC.
check_ok "VF netdev takes the admin mac" ip link set "$vfdev" address 02:11:22:33:44:55
check_eq 02:11:22:33:44:55 "$(cat "/sys/class/net/$vfdev/address")" "VF netdev mac"
check_ok "all-zero mac clears the admin mac" ip link set "$pf" vf $vf mac 00:00:00:00:00:00
check_eq 00:00:00:00:00:00 "$(vf_get $vf .address)" "VF table mac after clearing"

check_ok "spoofchk off" ip link set "$pf" vf $vf spoofchk off
check_eq false "$(vf_get $vf .spoofchk)" "VF table spoofchk off"
check_ok "spoofchk on" ip link set "$pf" vf $vf spoofchk on
check_eq true "$(vf_get $vf .spoofchk)" "VF table spoofchk on"

check_ok "trust on" ip link set "$pf" vf $vf trust on
check_eq true "$(vf_get $vf .trust)" "VF table trust on"
check_ok "trust off" ip link set "$pf" vf $vf trust off
check_eq false "$(vf_get $vf .trust)" "VF table trust off"

check_ok "max_tx_rate 100" ip link set "$pf" vf $vf max_tx_rate 100
check_eq 100 "$(vf_get $vf .rate.max_tx)" "VF table max_tx_rate"
check_eq 0 "$(vf_get $vf .rate.min_tx)" "VF table min_tx_rate"
check_ok "min_tx_rate 0 with max_tx_rate 200" ip link set "$pf" vf $vf min_tx_rate 0 max_tx_rate 200
check_eq 200 "$(vf_get $vf .rate.max_tx)" "VF table max_tx_rate"
check_ok "max_tx_rate 0 (no limit)" ip link set "$pf" vf $vf max_tx_rate 0
check_eq 0 "$(vf_get $vf .rate.max_tx)" "VF table max_tx_rate cleared"

step "refused, and with which error"
for st in auto enable disable; do
	check_fails "link_state $st: EOPNOTSUPP" '^RTNETLINK answers: Operation not supported$' \
		ip link set "$pf" vf $vf state $st
done
check_fails "vlan proto 802.1ad: EPROTONOSUPPORT" '^RTNETLINK answers: Protocol not supported$' \
	ip link set "$pf" vf $vf vlan 10 proto 802.1ad
check_eq null "$(vf_get $vf '.vlan_list[0].vlan')" "refused 802.1ad left no vlan"
check_ok "vlan proto 802.1Q is fine" ip link set "$pf" vf $vf vlan 10 proto 802.1Q
check_fails "min_tx_rate 10: EINVAL" '^RTNETLINK answers: Invalid argument$' \
	ip link set "$pf" vf $vf min_tx_rate 10
check_fails "vf 7 (past sriov_numvfs): EINVAL" '^RTNETLINK answers: Invalid argument$' \
	ip link set "$pf" vf 7 trust on

step "the VF table after all that"
vf_table | grep "vf $vf "
