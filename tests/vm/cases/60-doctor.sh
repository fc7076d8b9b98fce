#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 60-doctor.sh: "sriov doctor" and "sriov doctor --json" on real VFs, healthy and broken: a
# node with one pod (owner shown, exit 0), a VLAN planted on a free VF (dirty-vf, gone once
# the reset it proposes is run), a pod whose netns died (stale-owner, gone after its DEL), a VF
# with no driver, the PF down, a pod whose VF was moved out (vf-not-in-pod), a VF in a netns
# without our record (untracked-vf, with sriov-cni's allocation record or without), a VF
# on vfio-pci (driver shown, netdev null; iommu-off without IOMMU groups), a pod-side name left
# in the host, a damaged record before and after DEL quarantines it, a record of a device that
# is no VF, a lock held past the 30 s others wait, the device plugin's selectors, and the PF
# with sriov_numvfs 0 (no-vfs, and the record of a VF that went away: missing-vf).
# vm-timeout: 300
set -eu
. /testbed/lib.sh

pf=$(pf_name)
pfpci=$(pf_pci)
nvfs=$(vf_count)

# doctor [ARG...]: run "sriov doctor", leave stdout in DOC, the exit status in DOC_RC.
doctor()
{
	echo "\$ sriov doctor $*"
	DOC_RC=0
	DOC=$("$SRIOV" doctor "$@" 2>/tmp/doctor.err) || DOC_RC=$?
	printf '%s\n' "$DOC" | sed 's/^/  /'
	[ ! -s /tmp/doctor.err ] || sed 's/^/  stderr: /' /tmp/doctor.err
	echo "  (exit $DOC_RC)"
}

# kinds PCI: the kinds of the problems doctor --json reported for PCI, space separated.
kinds()
{
	printf '%s\n' "$DOC" | jq -r --arg p "$1" '[.problems[] | select(.pci == $p) | .kind] | join(" ")'
}

# message KIND PCI: the message of that problem.
message()
{
	printf '%s\n' "$DOC" | jq -r --arg k "$1" --arg p "$2" \
		'.problems[] | select(.kind == $k and .pci == $p) | .message'
}

vf_json()
{
	printf '%s\n' "$DOC" | jq -rc --arg p "$(vf_pci "$1")" ".vfs[] | select(.pci == \$p) | ${2:-.}"
}

step "a healthy node with one pod"
pci1=$(vf_pci 1)
netns_add pod-a
cni_run ADD cid-a pod-a net1 "$(sriov_conf "$pci1" '.cniVersion = "1.0.0" | .vlan = 100 | .vlanQoS = 5')"
check_eq 0 "$CNI_RC" "ADD of pod-a"
doctor
check_eq 0 "$DOC_RC" "table: exit 0"
check_match "$DOC" "^no problems found$" "table: no problems found"
check_match "$DOC" "^$pf +1 +$pci1 +igbvf +- +[0-9a-f:-]+ +100 +5 +on +off +auto +0/0 +sriov-net1/cid-a/net1\$" \
	"table: VF 1 in the pod, PF-side settings and owner"
check_match "$DOC" "^$pf +$pfpci +igb +8086:10c9 +$nvfs/[0-9]+ +up\$" "table: the PF"
doctor --json
check_eq 0 "$DOC_RC" "json: exit 0"
check_json "$DOC" '.problems == []' "json: no problems"
check_json "$DOC" ".pfs == [{\"name\": \"$pf\", \"pci\": \"$pfpci\", \"driver\": \"igb\", \"device\": \"8086:10c9\",
	\"totalvfs\": $(cat "/sys/class/net/$pf/device/sriov_totalvfs"), \"numvfs\": $nvfs, \"up\": true, \"carrier\": true}]" "json: the PF"
check_json "$DOC" ".vfs | length == $nvfs" "json: every VF listed"
check_eq "{\"network\":\"sriov-net1\",\"containerID\":\"cid-a\",\"ifname\":\"net1\",\"netns\":\"/var/run/netns/pod-a\",\"netns_state\":\"alive\"}" \
	"$(vf_json 1 .owner)" "json: the owner of VF 1"
check_eq '[null,100,5,"igbvf",1]' "$(vf_json 1 '[.netdev, .vlan, .qos, .driver, .vf]')" "json: VF 1 in the pod"
check_eq "[\"$(vf_netdev 2)\",null,true,false,\"auto\"]" "$(vf_json 2 '[.netdev, .owner, .spoofchk, .trust, .link_state]')" \
	"json: a free VF"

step "a VLAN planted on a free VF"
pci2=$(vf_pci 2)
ip link set "$pf" vf 2 vlan 42
doctor --json
check_eq 1 "$DOC_RC" "exit 1"
check_eq dirty-vf "$(kinds "$pci2")" "dirty-vf for VF 2"
fix=$(message dirty-vf "$pci2" | sed -n 's/.*Reset: //p')
check_eq "ip link set $pf vf 2 vlan 0 qos 0" "$fix" "the message gives the reset"
check_json "$DOC" "[.problems[] | select(.pci != \"$pci2\")] == []" "no other problem"

step "a pod whose netns was deleted (with the VLAN still there)"
pci3=$(vf_pci 3)
name3=$(vf_boot_name 3)
netns_add pod-b
conf_b=$(sriov_conf "$pci3" '.cniVersion = "1.0.0" | .vlan = 7')
cni_run ADD cid-b pod-b net1 "$conf_b"
check_eq 0 "$CNI_RC" "ADD of pod-b"
ip netns del pod-b
wait_for 10 vf_in_host 3 && ok "the kernel returned VF 3" || fail "VF 3 not back"
doctor
check_eq 1 "$DOC_RC" "table: exit 1"
check_match "$DOC" "^$pf +3 +$pci3 +igbvf +net1 +.* +sriov-net1/cid-b/net1 \(netns gone\)\$" "table: VF 3 back as net1, owner's netns gone"
check_match "$DOC" "^stale-owner $pci3: VF 3 of $pf belongs to network sriov-net1, container cid-b, interface net1, whose netns /var/run/netns/pod-b is gone" \
	"table: stale-owner line"
check_match "$DOC" "^dirty-vf $pci2: " "table: dirty-vf line"
check_match "$DOC" "^2 problems:$" "table: two problems"
doctor --json
check_eq stale-owner "$(kinds "$pci3")" "json: stale-owner (not leftover-netdev: the record knows its name)"
check_eq gone "$(vf_json 3 .owner.netns_state)" "json: the owner's netns is gone"
cni_run DEL cid-b pod-b net1 "$conf_b"
check_eq 0 "$CNI_RC" "DEL of pod-b"
check_eq "$name3" "$(vf_netdev 3)" "VF 3 home under its name"
# (In "sh -c", ip would be busybox's applet, which knows no VFs.)
run sh -c "/usr/sbin/$fix"
doctor --json
check_eq "" "$(kinds "$pci3")" "stale-owner gone after the DEL"
check_eq "" "$(kinds "$pci2")" "dirty-vf gone after the proposed reset"
check_eq 0 "$DOC_RC" "exit 0 again"

step "a VF with no driver, a PF that is down"
pci0=$(vf_pci 0)
name0=$(vf_boot_name 0)
echo "$pci0" >"/sys/bus/pci/devices/$pci0/driver/unbind"
doctor --json
check_eq vf-no-driver "$(kinds "$pci0")" "vf-no-driver"
check_eq '[null,null]' "$(vf_json 0 '[.driver, .netdev]')" "json: no driver, no netdev"
_tb_rebind 0
wait_for 10 vf_in_host 0 && ok "VF 0 back on igbvf" || fail "VF 0 has no netdev"
[ "$(vf_netdev 0)" = "$name0" ] || ip link set "$(vf_netdev 0)" name "$name0"
ip link set "$pf" down
doctor --json
check_eq pf-down "$(kinds "$pfpci")" "pf-down"
check_match "$(message pf-down "$pfpci")" "ip link set $pf up" "the message says how"
ip link set "$pf" up
pf_carrier()
{
	[ "$(cat "/sys/class/net/$pf/carrier" 2>/dev/null)" = 1 ]
}
wait_for 20 pf_carrier && ok "$pf has carrier again" || fail "$pf has no carrier"

step "a pod that lost its VF to the host"
netns_add pod-e
conf_e=$(sriov_conf "$pci0" '.cniVersion = "1.0.0"')
cni_run ADD cid-e pod-e net1 "$conf_e"
check_eq 0 "$CNI_RC" "ADD of pod-e"
ip -n pod-e link set net1 netns 1
doctor --json
check_eq vf-not-in-pod "$(kinds "$pci0")" "vf-not-in-pod"
check_match "$(message vf-not-in-pod "$pci0")" "whose netns /var/run/netns/pod-e exists, but the VF is in the host as net1" \
	"the message says where it is"
cni_run DEL cid-e pod-e net1 "$conf_e"
check_eq 0 "$CNI_RC" "its DEL brings it home"
check_eq "$name0" "$(vf_netdev 0)" "VF 0 home under its name"

step "a VF in a netns nobody of ours recorded, and one of sriov-cni"
netns_add pod-f
ip link set "$name0" netns pod-f
doctor --json
check_eq untracked-vf "$(kinds "$pci0")" "untracked-vf"
mkdir -p /var/lib/cni/sriov/pci
printf '/var/run/netns/pod-f' >"/var/lib/cni/sriov/pci/$pci0"
doctor --json
check_match "$(message untracked-vf "$pci0")" "is attached by sriov-cni \(its allocation record names netns /var/run/netns/pod-f" \
	"sriov-cni's allocation record named"
doctor
check_match "$DOC" "^$pf +0 +$pci0 +igbvf +- +.* +\(sriov-cni\)\$" "table: owner (sriov-cni)"
ip -n pod-f link set "$name0" netns 1
rm -r /var/lib/cni/sriov/pci
doctor --json
check_eq 0 "$DOC_RC" "exit 0 again"

step "a lock held longer than others wait: an ADD stuck in a slow IPAM plugin"
mkdir -p /tmp/slowbin
cat >/tmp/slowbin/slow-ipam <<'EOF'
#!/bin/sh
[ "$CNI_COMMAND" = ADD ] || exit 0
sleep 45
echo '{"cniVersion":"1.0.0","code":11,"msg":"slow-ipam gave up"}'
exit 1
EOF
chmod +x /tmp/slowbin/slow-ipam
pci6=$(vf_pci 6)
netns_add pod-slow
sriov_conf "$pci6" '.ipam = {type: "slow-ipam"}' >/tmp/slow.conf
(
	export CNI_COMMAND=ADD CNI_CONTAINERID=cid-slow CNI_IFNAME=net1 CNI_NETNS=/var/run/netns/pod-slow
	export CNI_PATH=/tmp/slowbin
	exec "$SRIOV" </tmp/slow.conf >/tmp/slow.out 2>&1
) &
slow=$!
slow_t0=$(date +%s)
wait_for 10 sh -c "grep -q FLOCK /proc/locks" || true

step "a VF bound to vfio-pci"
pci5=$(vf_pci 5)
sys5=/sys/bus/pci/devices/$pci5
echo vfio-pci >"$sys5/driver_override"
echo "$pci5" >"$sys5/driver/unbind"
echo "$pci5" >/sys/bus/pci/drivers_probe
check_eq vfio-pci "$(vf_driver 5)" "VF 5 bound to vfio-pci"
doctor --json
check_eq '["vfio-pci",null,true]' "$(vf_json 5 '[.driver, .netdev, .iommu_group]')" "json: driver shown, netdev null"
check_eq "" "$(kinds "$pci5")" "no problem with an IOMMU"
check_json "$DOC" '.iommu_groups > 0' "the guest has IOMMU groups"
doctor
check_match "$DOC" "^$pf +5 +$pci5 +vfio-pci +- " "table: vfio-pci, no netdev"
# The same node as one without an IOMMU: an empty iommu_groups in a private mount namespace.
run unshare -m sh -c "mount --make-rprivate / && mount -t tmpfs none /sys/kernel/iommu_groups &&
	$SRIOV doctor --json"
check_eq 1 "$RUN_RC" "without IOMMU groups: exit 1"
DOC=$RUN_OUT
check_eq iommu-off "$(kinds "$pci5")" "iommu-off for the vfio-pci VF"
check_json "$DOC" '[.problems[] | select(.kind == "iommu-off")] | length == 1' "only for it"
_tb_rebind 5
wait_for 10 vf_in_host 5 && ok "VF 5 back on igbvf" || fail "VF 5 has no netdev"
# The kernel names it after the lowest free ethN, which may be the name of VF 1, now in pod-a.
[ "$(vf_netdev 5)" = "$(vf_boot_name 5)" ] || ip link set "$(vf_netdev 5)" name "$(vf_boot_name 5)"

step "a pod-side name left in the host"
pci4=$(vf_pci 4)
name4=$(vf_boot_name 4)
ip link set "$name4" name net7
doctor --json
check_eq leftover-netdev "$(kinds "$pci4")" "leftover-netdev for net7"
# A pod may rename its VF to anything before its netns dies: here a terminal escape.
ip link set net7 name "$(printf 'v\033x')"
doctor --json
check_eq 'v\x1bx' "$(vf_json 4 .netdev)" "json: the name escaped"
esc=$(printf '\033')
case $DOC in *"$esc"*) fail "json: a raw ESC" ;; *) ok "json: no raw ESC" ;; esac
doctor
check_match "$DOC" "^$pf +4 +$pci4 +igbvf +v\\\\x1bx " "table: the name escaped"
case $DOC in *"$esc"*) fail "table: a raw ESC" ;; *) ok "table: no raw ESC" ;; esac
ip link set "$(printf 'v\033x')" name "$name4"

step "a damaged record, before and after DEL sets it aside"
netns_add pod-c
conf_c=$(sriov_conf "$pci4" '.cniVersion = "1.0.0"')
cni_run ADD cid-c pod-c net1 "$conf_c"
check_eq 0 "$CNI_RC" "ADD of pod-c"
printf '{"garbage' >"/var/lib/cni/sriov/vf/$pci4.json"
doctor --json
check_eq "corrupt-record untracked-vf" "$(echo $(kinds "$pci4" | tr ' ' '\n' | sort))" \
	"corrupt-record, and the VF in a netns nobody recorded"
cni_run DEL cid-c pod-c net1 "$conf_c"
check_eq 0 "$CNI_RC" "DEL quarantines the record"
doctor --json
check_eq "leftover-netdev quarantined-record" "$(echo $(kinds "$pci4" | tr ' ' '\n' | sort))" \
	"quarantined-record, and the VF home under its safe name"
check_match "$(message quarantined-record "$pci4")" "quarantine/vf-$pci4\.[0-9]+\.[0-9]+\.json: a damaged record of VF $pci4, set aside on 20[0-9-]+ at " \
	"the message names the file and the time"
rm /var/lib/cni/sriov/quarantine/*
ip link set "$(vf_netdev 4)" name "$name4"
doctor --json
check_eq "" "$(kinds "$pci4")" "gone once the file is deleted and the name given back"

step "a record of a PCI device that is no VF"
jq -c --arg p "$pfpci" '.pci = $p' "/var/lib/cni/sriov/vf/$pci1.json" >"/var/lib/cni/sriov/vf/$pfpci.json"
doctor --json
check_eq missing-vf "$(kinds "$pfpci")" "missing-vf"
check_match "$(message missing-vf "$pfpci")" "is not a VF now" "the message says so"
rm "/var/lib/cni/sriov/vf/$pfpci.json"

step "the lock of the stuck ADD, past 30 s"
while [ $(($(date +%s) - slow_t0)) -le 33 ]; do sleep 1; done
doctor --json
check_eq lock-held "$(kinds "$pci6")" "lock-held for VF 6"
check_match "$(message lock-held "$pci6")" "^the vf lock of $pci6 has been held for [0-9]+ s by pid [0-9]+ \(sriov\)" "it names the holder"
doctor
check_match "$DOC" "^lock-held $pci6: " "table: lock-held line"
wait "$slow" || true
cat /tmp/slow.out
doctor --json
check_eq "" "$(kinds "$pci6")" "no lock-held once the ADD ended"
check_json "$DOC" '.locks == []' "no lock listed"

step "the device plugin's selectors"
sed -n '/config.json: |/,$p' /testbed/examples/sriovdp-configmap.yaml | tail -n +2 >/tmp/dp.json
doctor --json --dp-config /tmp/dp.json
check_json "$DOC" '[.problems[] | select(.kind | startswith("dp-") or . == "numvfs-mismatch")] == []' \
	"the example's selectors match the VFs here"
# The seed guide's selectors: X710/82599 VFs only.
jq '.resourceList[0].selectors.devices = ["154c", "10ed"] | .resourceList[0].selectors.drivers = ["i40evf", "ixgbevf"]' \
	/tmp/dp.json >/tmp/dp-seed.json
doctor --json --dp-config /tmp/dp-seed.json
check_eq 1 "$DOC_RC" "exit 1"
check_json "$DOC" '[.problems[] | select(.kind == "dp-no-match")] | length == 1' "dp-no-match"
check_match "$(printf '%s' "$DOC" | jq -r '.problems[] | select(.kind == "dp-no-match") | .message')" \
	"intel_sriov_netdevice selects none of the $nvfs VFs here.*\(8086:10ca igbvf\)" "it shows what the node has"
jq -n --arg pf "$pf" '{resourceList: [{resourceName: "igb", selectors: {pfNames: [($pf + "#0-9")]}}]}' >/tmp/dp-range.json
doctor --json --dp-config /tmp/dp-range.json
check_eq numvfs-mismatch "$(kinds "$pfpci")" "numvfs-mismatch for $pf#0-9"
check_match "$(message numvfs-mismatch "$pfpci")" "but $pf can have at most $(cat "/sys/class/net/$pf/device/sriov_totalvfs") VFs: change the selector" \
	"the 82576 cannot have VF 9"

step "the PF with sriov_numvfs 0, and the record of a VF that went away"
cni_run DEL cid-a pod-a net1 "$(sriov_conf "$pci1" '.cniVersion = "1.0.0" | .vlan = 100 | .vlanQoS = 5')"
check_eq 0 "$CNI_RC" "DEL of pod-a"
# A DPDK attachment: its VF is removed with the others, its record stays.
echo vfio-pci >"$sys5/driver_override"
echo "$pci5" >"$sys5/driver/unbind"
echo "$pci5" >/sys/bus/pci/drivers_probe
netns_add pod-d
conf_d=$(sriov_conf "$pci5" '.cniVersion = "1.0.0"')
cni_run ADD cid-d pod-d net1 "$conf_d"
check_eq 0 "$CNI_RC" "ADD of a DPDK pod"
echo 0 >"/sys/class/net/$pf/device/sriov_numvfs"
doctor --json
check_eq 1 "$DOC_RC" "exit 1"
check_eq no-vfs "$(kinds "$pfpci")" "no-vfs"
check_match "$(message no-vfs "$pfpci")" "echo N > /sys/class/net/$pf/device/sriov_numvfs" "the message says how"
check_json "$DOC" '.vfs == []' "no VFs listed"
check_eq missing-vf "$(kinds "$pci5")" "missing-vf for the DPDK pod's VF"
check_match "$(message missing-vf "$pci5")" "no longer exists" "the message says so"
jq -n --arg pf "$pf" '{resourceList: [{resourceName: "igb", selectors: {pfNames: [($pf + "#0-3")]}}]}' >/tmp/dp-low.json
doctor --json --dp-config /tmp/dp-low.json
check_match "$(message numvfs-mismatch "$pfpci")" "has sriov_numvfs 0: set it to at least 4" \
	"numvfs-mismatch says how many VFs $pf#0-3 needs"
doctor
check_match "$DOC" "^no-vfs $pfpci: PF $pf can have [0-9]+ VFs but has none" "table: no-vfs line"
cni_run DEL cid-d pod-d net1 "$conf_d"
check_eq 0 "$CNI_RC" "its DEL succeeds"
doctor --json
check_eq "" "$(kinds "$pci5")" "the DEL dropped the record"

step "restore the VFs"
echo "$nvfs" >"/sys/class/net/$pf/device/sriov_numvfs"
all_vfs_up()
{
	local i=0
	while [ "$i" -lt "$nvfs" ]; do
		vf_in_host "$i" || return 1
		i=$((i + 1))
	done
}
wait_for 60 all_vfs_up && ok "$nvfs VFs with netdevs again" || fail "VFs not back"
