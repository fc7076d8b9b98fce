#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 22-corrupt-record.sh: the record of a VF in use is overwritten with garbage, or replaced by a
# FIFO. DEL succeeds the first time: the record is moved to the quarantine directory, the VF
# comes home from the pod under its safe name, the lease is released. The VF stays usable.
# While the sriov-cni cache that ADD also wrote is intact, DEL takes the VF's original name
# and settings from there instead.
# vm-timeout: 180
set -eu
. /testbed/lib.sh

idx=4
pci=$(vf_pci $idx)
netns_add pod-k
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .vlan = 12 | .mac = "02:aa:bb:cc:dd:44"')
# The documented safe name: "vf" + domain (hex, no leading zeros) + bus + device + function.
dom=${pci%%:*}
rest=${pci#*:}
safe=$(printf 'vf%x%s%s%s' "$((0x$dom))" "${rest%%:*}" "$(echo "${rest#*:}" | cut -d. -f1)" "${pci##*.}")
record=/var/lib/cni/sriov/vf/$pci.json

step "garbage in the record, the sriov-cni cache intact"
name=$(vf_boot_name $idx)
before=$(vf_entry $idx)
cni_run ADD cid-k0 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
printf '{"garbage' >"$record"
cni_run DEL cid-k0 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "DEL succeeds at once"
check_eq "$name" "$(vf_netdev $idx)" "VF home under its original name, from the cache"
check_eq "$before" "$(vf_entry $idx)" "PF's VF entry restored from the cache"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "lease released"
[ ! -e "$SRIOVCNI_DIR/cid-k0-net1" ] && ok "cache removed" || fail "cache left"
rm -rf /var/lib/cni/sriov/quarantine

step "garbage in the record of a VF in use, and no sriov-cni cache"
cni_run ADD cid-k pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
check_ne "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "a lease is held"
printf '{"garbage' >"$record"
rm "$SRIOVCNI_DIR/cid-k-net1"
cni_run DEL cid-k pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "DEL succeeds at once"
check_eq "" "$(ip -n pod-k -o link show | grep -v ': lo:')" "nothing left in the pod"
check_eq "$safe" "$(vf_netdev $idx)" "VF home under its safe name $safe"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "lease released"
[ ! -e "$record" ] && ok "record gone from vf/" || fail "record still in vf/"
q=$(ls /var/lib/cni/sriov/quarantine/ 2>/dev/null)
check_match "$q" "^vf-$pci\.[0-9]+\.[0-9]+\.json$" "record kept in quarantine/"
check_eq '{"garbage' "$(cat /var/lib/cni/sriov/quarantine/$q 2>/dev/null)" "quarantined as it was"
cni_run DEL cid-k pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "second DEL"

step "the VF is usable again"
cni_run ADD cid-k2 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "ADD on the same VF"
cni_run DEL cid-k2 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "DEL"
check_eq "$safe" "$(vf_netdev $idx)" "VF home (under the name it had)"

step "a FIFO in place of the record"
cni_run ADD cid-k3 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
rm -f "$record" "$SRIOVCNI_DIR/cid-k3-net1"
mkfifo "$record"
cni_run DEL cid-k3 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "DEL with a FIFO as the record ends and succeeds"
check_eq "$safe" "$(vf_netdev $idx)" "VF home"
[ ! -e "$record" ] && ok "the FIFO moved aside" || fail "the FIFO is still in vf/"

step "a FIFO as the netns path"
cni_run ADD cid-k4 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "ADD"
mkfifo /tmp/not-a-netns
cni_run DEL cid-k4 /tmp/not-a-netns net1 "$conf"
# The VF is in pod-k, which this DEL cannot reach: failing (so that a retry with the right
# netns finishes) is right; hanging is not.
check_match "$CNI_OUT" "neither in the host nor in netns /tmp/not-a-netns" "DEL ends and says why"
cni_run DEL cid-k4 pod-k net1 "$conf"
check_eq 0 "$CNI_RC" "DEL from the real netns"
check_eq "$safe" "$(vf_netdev $idx)" "VF home"
cni_run GC '' '' '' "$(printf '%s' "$conf" | jq -c '.cniVersion = "1.1.0" | del(.deviceID)
	| .["cni.dev/valid-attachments"] = []')"
check_eq 0 "$CNI_RC" "GC"
check_eq "" "$(ls /var/lib/cni/networks/sriov-net1 | grep '^10\.')" "no lease left"
check_eq "" "$(ls /var/lib/cni/sriov/vf/ | grep json)" "no record left"
