#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 20-crash.sh: SIGKILL sriov at every fault point of ADD and of DEL, then run what the runtime
# runs next (DEL, or GC) and check that nothing leaked: the VF is home under its name with
# its PF-side settings, no lease, no record.
# vm-timeout: 600
set -eu
. /testbed/lib.sh

idx=6
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
bootmac=$(vf_boot_mac $idx)
leases=/var/lib/cni/networks/sriov-net1
conf=$(sriov_conf "$pci" '.cniVersion = "1.1.0" | .vlan = 33 | .vlanQoS = 1 | .mac = "02:aa:bb:cc:dd:06"
	| .spoofchk = "off" | .trust = "on" | .max_tx_rate = 100')
gc_conf=$(printf '%s' "$conf" | jq -c 'del(.deviceID) | .["cni.dev/valid-attachments"] = []')
netns_add pod-x
# Let the VF and the PF agree on the VF's MAC first (see tb_reset), then take the reference.
cni_run ADD cid-warm pod-x net1 "$conf" >/tmp/warm.log
check_eq 0 "$CNI_RC" "warm-up ADD"
cni_run DEL cid-warm pod-x net1 "$conf" >>/tmp/warm.log
check_eq 0 "$CNI_RC" "warm-up DEL"
[ "$CNI_RC" = 0 ] || cat /tmp/warm.log
check_eq "$name" "$(vf_netdev $idx)" "warm-up: VF home"
before=$(vf_entry $idx)

# no_leak TEXT: the VF is as it was before the first ADD, nothing left on disk.
no_leak()
{
	check_eq "$name" "$(vf_netdev $idx)" "$1: VF home under its name"
	check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address 2>/dev/null)" "$1: netdev MAC"
	check_eq "$before" "$(vf_entry $idx)" "$1: PF's VF entry"
	vf_unpinned $idx && ok "$1: no admin MAC pinned" || fail "$1: admin MAC left pinned"
	check_eq "" "$(ls $leases 2>/dev/null | grep '^10\.')" "$1: no lease"
	check_eq "" "$(ls /var/lib/cni/sriov/vf/ 2>/dev/null | grep json)" "$1: no record"
	check_eq "" "$(ip -n pod-x link show net1 2>/dev/null)" "$1: nothing left in the pod"
	check_eq "" "$(find /var/lib/cni -name '*.tmp*' 2>/dev/null)" "$1: no temp file"
	check_eq "" "$(ls /var/lib/cni/sriov/quarantine 2>/dev/null)" "$1: no record moved aside"
	check_eq "" "$(index_leftovers)" "$1: the IPAM index lists no lease"
}

# index_leftovers: entries of the IPAM index (state/ipam/<net>/<dev.ino>/) that still name an
# IP: a per-owner file that is not empty, or a line of the bulk file that no empty per-owner
# file masks. After every DEL there must be none.
index_leftovers()
{
	local d f key
	for d in /var/lib/cni/sriov/ipam/*/*/; do
		[ -d "$d" ] || continue
		for f in "$d"*; do
			case ${f##*/} in bulk | stamp | disabled | '*') continue ;; esac
			[ ! -s "$f" ] || echo "$f: $(cat "$f")"
		done
		[ -f "${d}bulk" ] || continue
		while read -r key rest; do
			[ -f "$d$key" ] || echo "${d}bulk: $key $rest"
		done <"${d}bulk"
	done
}

points=""
step "ADD killed at each fault point, then DEL"
n=1
while :; do
	export SRIOV_FAULT_KILL_AT=$n
	cni_run ADD "cid-$n" pod-x net1 "$conf" >/tmp/crash.log 2>&1
	unset SRIOV_FAULT_KILL_AT
	if [ "$CNI_RC" = 0 ]; then
		cni_run DEL "cid-$n" pod-x net1 "$conf" >/dev/null
		break
	fi
	if [ "$CNI_RC" != 137 ]; then
		cat /tmp/crash.log
		fail "ADD with kill point $n ended with $CNI_RC, not SIGKILL"
		break
	fi
	where=$(printf '%s\n' "$CNI_ERR" | sed -n 's/^fault point [0-9]*: //p')
	points="$points|add:$where"
	cni_run DEL "cid-$n" pod-x net1 "$conf" >/tmp/del.log 2>&1
	[ "$CNI_RC" = 0 ] || cat /tmp/del.log
	check_eq 0 "$CNI_RC" "ADD killed at $n ($where): DEL succeeds"
	no_leak "ADD killed at $n ($where)"
	n=$((n + 1))
done
add_points=$((n - 1))
check_ne 0 "$add_points" "ADD has fault points"

step "ADD killed at each fault point, then GC"
i=1
while [ "$i" -le "$add_points" ]; do
	export SRIOV_FAULT_KILL_AT=$i
	cni_run ADD "cid-g$i" pod-x net1 "$conf" >/dev/null 2>&1
	unset SRIOV_FAULT_KILL_AT
	check_eq 137 "$CNI_RC" "ADD killed at $i"
	cni_run GC '' '' '' "$gc_conf" >/tmp/gc.log 2>&1
	[ "$CNI_RC" = 0 ] || cat /tmp/gc.log
	check_eq 0 "$CNI_RC" "GC after ADD killed at $i"
	no_leak "GC after ADD killed at $i"
	i=$((i + 1))
done

step "DEL killed at each fault point, then DEL again"
n=1
while :; do
	cni_run ADD "cid-d$n" pod-x net1 "$conf" >/dev/null
	check_eq 0 "$CNI_RC" "ADD before DEL kill point $n"
	export SRIOV_FAULT_KILL_AT=$n
	cni_run DEL "cid-d$n" pod-x net1 "$conf" >/dev/null 2>&1
	unset SRIOV_FAULT_KILL_AT
	if [ "$CNI_RC" = 0 ]; then
		no_leak "DEL that ran through"
		break
	fi
	check_eq 137 "$CNI_RC" "DEL with kill point $n was killed"
	where=$(printf '%s\n' "$CNI_ERR" | sed -n 's/^fault point [0-9]*: //p')
	points="$points|del:$where"
	cni_run DEL "cid-d$n" pod-x net1 "$conf" >/tmp/del.log 2>&1
	[ "$CNI_RC" = 0 ] || cat /tmp/del.log
	check_eq 0 "$CNI_RC" "DEL killed at $n ($where): second DEL succeeds"
	no_leak "DEL killed at $n ($where)"
	n=$((n + 1))
done
del_points=$((n - 1))
check_ne 0 "$del_points" "DEL has fault points"
distinct=$(printf '%s\n' "$points" | tr '|' '\n' | grep . | sort -u | wc -l)
echo "kill points exercised: ADD $add_points (each followed by DEL and by GC), DEL $del_points; distinct $distinct:"
printf '%s\n' "$points" | tr '|' '\n' | grep . | sort -u | sed 's/^/  /'
[ "$distinct" -ge 20 ] && ok "at least 20 distinct kill points ($distinct)" ||
	fail "only $distinct distinct kill points, want at least 20"
inside=$(printf '%s\n' "$points" | tr '|' '\n' | grep -c -E ':(ipam|state): ' || true)
[ "$inside" -ge 4 ] && ok "kill points inside IPAM and state: $inside" ||
	fail "only $inside kill points inside IPAM and state"
