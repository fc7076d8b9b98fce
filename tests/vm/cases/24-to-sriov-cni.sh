#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 24-to-sriov-cni.sh: ADD by sriov leaves a cache and an allocation record as sriov-cni v2.10
# writes them. sriov-cni's own structure reads the cache with the right OrigVfState (the Go
# program tests/gocompat/cachecheck.go, packed as /testbed/bin/cachecheck), and after a rollback
# sriov-cni's DEL (done by hand from the cache, sriovcni_del in lib.sh) gives the VF back as it
# was. sriov's DEL removes all three files.
# vm-timeout: 240
set -eu
. /testbed/lib.sh

CHECKER=/testbed/bin/cachecheck
[ -x "$CHECKER" ] || skip "$CHECKER is not packed (ctest -L vm packs it; by hand: --pack build/tests/gocompat/cachecheck:$CHECKER)"

idx=5
pf=$(pf_name)
pci=$(vf_pci $idx)
name=$(vf_boot_name $idx)
bootmac=$(vf_boot_mac $idx)
before=$(vf_entry $idx)
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .vlan = 100 | .trust = "on" | .spoofchk = "off"
	| .mac = "02:aa:bb:cc:dd:55"')
cache=$SRIOVCNI_DIR/cid-t1-net1
alloc=$SRIOVCNI_DIR/pci/$pci
# What sriov-cni would have snapshot, except AdminMAC: all-zero when the table only shows the
# VF's own MAC (vf_entry prints that as "self"), so that its DEL does not pin it.
admin=$(printf '%s' "$before" | jq -r 'if .address == "self" then "00:00:00:00:00:00" else .address end')
orig=$(jq -cn --arg name "$name" --arg mac "$bootmac" --arg admin "$admin" '{HostIFName: $name,
	SpoofChk: true, Trust: false, AdminMAC: $admin, EffectiveMAC: $mac, Vlan: 0, VlanQoS: 0,
	VlanProto: 33024, MinTxRate: 0, MaxTxRate: 0, LinkState: 0, MTU: 1500}')

step "ADD writes sriov-cni's cache and allocation record"
netns_add pod-t1
cni_run ADD cid-t1 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
run cat "$cache"
check_eq 600 "$(stat -c %a "$cache" 2>/dev/null)" "cache mode 0600"
check_eq "$(netns_path pod-t1)" "$(cat "$alloc" 2>/dev/null)" "allocation record holds the netns, no newline"
jq -cn --argjson orig "$orig" --arg pci "$pci" --arg pf "$pf" --argjson idx $idx '{
	OrigVfState: $orig, deviceID: $pci, Master: $pf, VFID: $idx, MAC: "02:aa:bb:cc:dd:55",
	MTU: 1500, vlan: 100, vlanQoS: 0, vlanProto: "802.1q", spoofchk: "off", trust: "on",
	min_tx_rate: null, max_tx_rate: null, link_state: null, name: "sriov-net1",
	type: "sriov", cniVersion: "1.0.0", ipam: {type: "host-local"}, runtimeConfig: {}}' >/tmp/expect.json
check_ok "sriov-cni's NetConf reads it, with this OrigVfState" "$CHECKER" "$cache" /tmp/expect.json

step "settings ADD leaves as they are are not listed (sriov-cni's DEL would write them)"
netns_add pod-t9
idx9=6
conf9=$(sriov_conf "$(vf_pci $idx9)" '.cniVersion = "1.0.0" | .max_tx_rate = 100 | .link_state = "auto"
	| .spoofchk = "on" | .ipam.rangeStart = "10.56.217.190"')
cni_run ADD cid-t9 pod-t9 net1 "$conf9"
check_eq 0 "$CNI_RC" "ADD with a rate, link_state auto, spoofchk on"
run cat "$SRIOVCNI_DIR/cid-t9-net1"
echo '{"max_tx_rate": 100, "min_tx_rate": null, "link_state": null, "spoofchk": null,
	"vlan": null, "MAC": ""}' >/tmp/expect9.json
check_ok "rate listed; link_state, spoofchk, vlan, MAC not" "$CHECKER" "$SRIOVCNI_DIR/cid-t9-net1" /tmp/expect9.json
sriovcni_del cid-t9 pod-t9 net1
check_eq "$(vf_boot_name $idx9)" "$(vf_netdev $idx9)" "sriov-cni's DEL of it: VF home"
check_eq 0 "$(vf_get $idx9 .rate.max_tx)" "rate reset"

step "rollback: sriov-cni's DEL of our pod"
sriovcni_del cid-t1 pod-t1 net1
check_eq "" "$(ip -n pod-t1 -o link show | grep -v ': lo:')" "nothing left in the pod"
check_eq "$name" "$(vf_netdev $idx)" "VF home under its own name"
check_eq "$bootmac" "$(cat /sys/class/net/"$name"/address)" "its MAC"
check_eq "$before" "$(vf_entry $idx)" "PF's VF table entry as at boot"
vf_unpinned $idx && ok "no admin MAC pinned" || fail "admin MAC pinned"
check_eq "" "$(grep -l cid-t1 /var/lib/cni/networks/sriov-net1/10.* 2>/dev/null)" "lease released"
[ ! -e "$cache" ] && [ ! -e "$alloc" ] && ok "cache and allocation record gone" || fail "files left"

step "either binary takes the VF next"
cni_run ADD cid-t2 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "ADD by sriov"
cni_run DEL cid-t2 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "DEL by sriov"
check_eq "$before" "$(vf_entry $idx)" "VF table entry as at boot"
sriovcni_add $idx cid-t3 pod-t1 net1 "$conf"
ok "ADD by sriov-cni"
cni_run DEL cid-t3 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "DEL by sriov"
check_eq "$name" "$(vf_netdev $idx)" "VF home"
check_eq "$before" "$(vf_entry $idx)" "VF table entry as at boot"

step "sriov's DEL removes all three"
cni_run ADD cid-t4 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
[ -e "$SRIOVCNI_DIR/cid-t4-net1" ] && [ -e "$alloc" ] && [ -e "$SRIOVCNI_DIR/vf/$pci.json" ] &&
	ok "cache, allocation record and our record" || fail "a file missing"
cni_run DEL cid-t4 pod-t1 net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
[ ! -e "$SRIOVCNI_DIR/cid-t4-net1" ] && ok "cache gone" || fail "cache left"
[ ! -e "$alloc" ] && ok "allocation record gone" || fail "allocation record left"
[ ! -e "$SRIOVCNI_DIR/vf/$pci.json" ] && ok "our record gone" || fail "our record left"
check_eq "$before" "$(vf_entry $idx)" "VF table entry as at boot"

step "a failed ADD leaves none of them"
cni_run ADD cid-t5 pod-t1 net1 "$(printf '%s' "$conf" | jq -c '.link_state = "enable"')"
check_ne 0 "$CNI_RC" "ADD with link_state enable fails on igb"
[ ! -e "$SRIOVCNI_DIR/cid-t5-net1" ] && [ ! -e "$alloc" ] && ok "no cache, no allocation record" || fail "files left by the rollback"
