#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 40-corpus.sh: every real-world config of ../shared/corpus (packed into /testbed/corpus by the
# runner) tried as a runtime does it: ADD, then DEL with whatever ADD returned. Whether ADD
# works depends on the config (an IPAM plugin that is not installed, 802.1ad or link_state on
# igb); DEL must always exit 0, and leave the VF home with nothing recorded.
# As Multus does, the VF's deviceID replaces "@VF@" or is added, and a config without a name
# gets its network's name ("corpus-NN"); of a conflist the sriov entry runs, with the list's
# name and cniVersion, as libcni does.
# vm-timeout: 480
set -eu
. /testbed/lib.sh

dir=/testbed/corpus
[ -d "$dir" ] || skip "no corpus in $dir (run.sh --pack <shared>/corpus:$dir)"
idx=1
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
bootmac=$(vf_boot_mac $idx)
netns_add pod-c
before=$(vf_entry $idx)
# leases: lease files (named by an IP) in the default dataDir and the corpus' own dataDirs.
leases()
{
	find /var/lib/cni/networks /run/my-orchestrator -type f 2>/dev/null |
		grep -E '/[0-9a-f.:]*[.:][0-9a-f.:]*$' || true
}
total=0
added=0
add_failed=0
del_ok=0
undeliverable=0
for f in "$dir"/*.json "$dir"/*.conflist; do
	[ -f "$f" ] || continue
	base=$(basename "$f")
	n=${base%%-*}
	total=$((total + 1))
	step "$base"
	if ! jq -e . "$f" >/dev/null 2>&1; then
		# Not JSON: no runtime can load it, so none would ever run a DEL with it.
		undeliverable=$((undeliverable + 1))
		cni_run ADD "cid-$n" pod-c net1 "$(cat "$f")"
		check_eq 6 "$(printf '%s' "$CNI_OUT" | jq .code)" "$base: not JSON: ADD fails with code 6"
		continue
	fi
	conf=$(jq -c --arg pci "$pci" --arg name "corpus-$n" '
		(if has("plugins") then
			(.plugins | map(select(.type == "sriov")) | first) +
			({name, cniVersion} | with_entries(select(.value != null)))
		else . end)
		| .deviceID = $pci
		| if (.name // "") == "" then .name = $name else . end' "$f")
	cni_run ADD "cid-$n" pod-c net1 "$conf"
	del_conf=$conf
	if [ "$CNI_RC" = 0 ]; then
		added=$((added + 1))
		del_conf=$(printf '%s' "$conf" | jq -c --argjson r "$CNI_OUT" '.prevResult = $r')
	else
		add_failed=$((add_failed + 1))
		check_json "$CNI_OUT" '.code > 0 and (.msg | length > 0)' "$base: failed ADD gives a CNI error"
	fi
	cni_run DEL "cid-$n" pod-c net1 "$del_conf"
	check_eq 0 "$CNI_RC" "$base: DEL exit status"
	[ "$CNI_RC" = 0 ] && del_ok=$((del_ok + 1))
	wait_for 5 vf_in_host $idx || true
	check_eq "$name" "$(vf_netdev $idx)" "$base: VF home under its name"
	check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address 2>/dev/null)" "$base: netdev MAC"
	check_eq "$before" "$(vf_entry $idx)" "$base: PF's VF entry as before"
	check_eq "" "$(ls /var/lib/cni/sriov/vf/ 2>/dev/null | grep json)" "$base: no VF record"
	check_eq "" "$(leases)" "$base: no lease"
	check_eq "" "$(ip -n pod-c -o link show | grep -v ': lo:')" "$base: nothing left in the pod"
done
echo "corpus: $total configs; ADD succeeded $added, failed $add_failed; DEL exit 0 for $del_ok of $((total - undeliverable)) (+$undeliverable not JSON, refused by ADD)"
check_eq "$((total - undeliverable))" "$del_ok" "every deliverable config: DEL exit 0"
check_ne 0 "$total" "the corpus has configs"
