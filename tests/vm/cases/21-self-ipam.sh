#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 21-self-ipam.sh: ipam.type naming the plugin itself (corpus 42, and a copy under another
# name): every verb ends within a second with an error naming ipam.type (DEL succeeds), no
# sriov process is left, and the VF is untouched.
# vm-timeout: 120
set -eu
. /testbed/lib.sh

idx=2
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
netns_add pod-s
before=$(vf_entry $idx)

ms()
{
	awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# strays: sriov processes still running (the cases' own shell does not count).
strays()
{
	ps -o pid,args | grep -E '/(usr/local|opt/cni)/bin/sriov' | grep -v grep || true
}

# verbs TYPE LIMIT_MS: every verb with ipam.type TYPE.
verbs()
{
	local t=$1 limit=$2 verb c t0 t1
	for verb in ADD CHECK GC STATUS DEL; do
		c=$(sriov_conf "$pci" ".cniVersion = \"1.1.0\" | .ipam.type = \"$t\"")
		case $verb in
		CHECK) c=$(printf '%s' "$c" | jq -c '.prevResult = {cniVersion: "1.1.0"}') ;;
		GC) c=$(printf '%s' "$c" | jq -c 'del(.deviceID) | .["cni.dev/valid-attachments"] = []') ;;
		esac
		t0=$(ms)
		cni_run "$verb" cid-s pod-s net1 "$c"
		t1=$(ms)
		[ $((t1 - t0)) -le "$limit" ] && ok "$t $verb: ended in $((t1 - t0)) ms" ||
			fail "$t $verb: took $((t1 - t0)) ms, limit $limit"
		if [ "$verb" = DEL ]; then
			check_eq 0 "$CNI_RC" "$t DEL succeeds"
		else
			check_ne 0 "$CNI_RC" "$t $verb fails"
			# A copy is only found out when it runs; CHECK fails before it would.
			[ "$t $verb" = "sriov-copy CHECK" ] ||
				check_contains "$CNI_OUT" "ipam.type" "$t $verb: the error names ipam.type"
		fi
		sleep 0.2
		check_eq "" "$(strays)" "$t $verb: no sriov process left"
	done
	check_eq "$name" "$(vf_netdev $idx)" "$t: VF home under its name"
	check_eq "$before" "$(vf_entry $idx)" "$t: PF's VF entry untouched"
	check_eq "" "$(ip -n pod-s -o link show | grep -v ': lo:')" "$t: nothing in the pod"
	check_eq "" "$(ls /var/lib/cni/sriov/vf/ 2>/dev/null | grep json)" "$t: no VF record"
}

step "ipam.type sriov"
verbs sriov 1000

step "a copy of sriov under another name: the delegated copy refuses at once"
cp /usr/local/bin/sriov /opt/cni/bin/sriov-copy
verbs sriov-copy 5000
rm -f /opt/cni/bin/sriov-copy
