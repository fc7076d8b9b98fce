#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 14-parallel.sh: six pods ADD six VFs at once, get distinct addresses and ping each other.
# vm-timeout: 300
set -eu
. /testbed/lib.sh

step "parallel ADD of VFs 1-6"
for i in 1 2 3 4 5 6; do
	netns_add "pod$i"
	vf_entry $i >"/tmp/entry$i.before"
done
for i in 1 2 3 4 5 6; do
	(
		cni_run ADD "cid$i" "pod$i" net1 "$(sriov_conf "$(vf_pci $i)")" >"/tmp/add$i.log"
		echo "$CNI_RC" >"/tmp/add$i.rc"
		printf '%s' "$CNI_OUT" >"/tmp/add$i.json"
	) &
done
wait
for i in 1 2 3 4 5 6; do
	check_eq 0 "$(cat /tmp/add$i.rc)" "pod$i ADD"
	[ "$(cat /tmp/add$i.rc)" = 0 ] || cat "/tmp/add$i.log"
done
addrs=$(for i in 1 2 3 4 5 6; do jq -r '.ips[0].address' /tmp/add$i.json; done | sort -u)
check_eq 6 "$(printf '%s\n' "$addrs" | grep -c 10.56.217.)" "six distinct addresses"

step "every pod pings pod1"
# The emulated VF reports carrier seconds after it is brought up; the plugin does not wait for
# it (that would put seconds on every pod start), so the test does.
for i in 1 2 3 4 5 6; do
	wait_for 30 sh -c "/usr/sbin/ip -n pod$i link show net1 | grep -q LOWER_UP" ||
		fail "pod$i: net1 has no carrier after 30 s"
done
a1=$(jq -r '.ips[0].address' /tmp/add1.json | cut -d/ -f1)
for i in 2 3 4 5 6; do
	okp=0
	for n in 1 2 3 4 5; do
		in_netns "pod$i" ping -c 1 -W 2 "$a1" >/dev/null 2>&1 && okp=1 && break
	done
	if [ "$okp" = 1 ]; then
		ok "pod$i pings pod1 ($a1)"
	else
		fail "pod$i cannot ping pod1"
		ip -n "pod$i" neigh show
		ip -n pod1 -s link show net1
		ip -n "pod$i" -s link show net1
	fi
done

step "parallel DEL"
for i in 1 2 3 4 5 6; do
	(
		cni_run DEL "cid$i" "pod$i" net1 "$(sriov_conf "$(vf_pci $i)")" >"/tmp/del$i.log"
		echo "$CNI_RC" >"/tmp/del$i.rc"
	) &
done
wait
for i in 1 2 3 4 5 6; do
	check_eq 0 "$(cat /tmp/del$i.rc)" "pod$i DEL"
	[ "$(cat /tmp/del$i.rc)" = 0 ] || cat "/tmp/del$i.log"
	check_eq "$(vf_boot_name $i)" "$(vf_netdev $i)" "VF $i home"
	check_eq "$(vf_boot_mac $i)" "$(cat "/sys/class/net/$(vf_boot_name $i)/address" 2>/dev/null)" \
		"VF $i netdev MAC as at boot"
	check_eq "$(cat /tmp/entry$i.before)" "$(vf_entry $i)" "VF $i PF table entry as before"
done
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "no lease left"
