#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 40-containerd.sh: a real container runtime. containerd 1.6 (Debian) runs two busybox containers
# with "ctr run --cni", which sets up their network through go-cni and libcni, the code kubelet's
# CRI calls use: the seed's sriov-net1 config as a conflist in /etc/cni/net.d, the plugin from
# /opt/cni/bin. Each container gets a VF with its address; they ping each other over the VFs;
# when the tasks end, ctr's CNI DEL gives the VFs back and releases the leases.
#
# ctr loads the first config file of /etc/cni/net.d when it starts and names the interface
# "eth0" (go-cni's default; Multus would say "net1"). The config names one VF (deviceID, as
# Multus would inject it), so each "ctr run" starts after the file names its VF.
# vm-needs: containerd
# vm-timeout: 240
set -eu
. /testbed/lib.sh

leases=/var/lib/cni/networks/sriov-net1
conf=/etc/cni/net.d/10-sriov-net1.conflist

# conflist VF: the seed's sriov-net1 config as the only plugin of a list, with VF's deviceID.
conflist()
{
	jq --arg pci "$(vf_pci "$1")" '{ cniVersion: .cniVersion, name: .name,
		plugins: [ del(.cniVersion, .name) + { deviceID: $pci } ] }' \
		/testbed/examples/sriov-net1.json
}

# task_pid ID: the PID of container ID's task, once it runs.
task_pid()
{
	ctr task ls 2>/dev/null | awk -v id="$1" '$1 == id && $3 == "RUNNING" { print $2 }'
}
task_running()
{
	[ -n "$(task_pid "$1")" ]
}

# in_task ID CMD...: run CMD (from the host) inside container ID's network namespace.
in_task()
{
	local pid
	pid=$(task_pid "$1")
	shift
	nsenter --net="/proc/$pid/ns/net" "$@"
}

step "containerd, as on a node"
mkdir -p /etc/cni/net.d /var/lib/containerd
containerd >/tmp/containerd.log 2>&1 &
ctrd=$!
if wait_until 60 ctr version; then
	ok "containerd answers: $(ctr version | sed -n 's/^ *Version: *//p' | tail -n 1)"
else
	cat /tmp/containerd.log
	die "containerd did not come up within 60 s"
fi
check_match "$(ctr plugins ls)" 'io\.containerd\.runtime\.v2 +task .* ok' "runc v2 runtime plugin loaded"

# run_container NAME VF: "ctr run --cni" in the background, with the conflist naming VF; the
# PID of ctr in CTR_PID.
# --no-pivot: the guest's root is the initramfs, which pivot_root(2) refuses to move (EINVAL);
# runc then moves the container root with MS_MOVE and chroots, as for a ramdisk-booted node.
run_container()
{
	conflist "$2" >"$conf"
	echo "\$ ctr run --rm --cni --no-pivot --rootfs /testbed/rootfs $1 /bin/sleep 600   # $conf: VF $2"
	ctr run --rm --cni --no-pivot --rootfs /testbed/rootfs "$1" /bin/sleep 600 \
		>"/tmp/$1.out" 2>&1 </dev/null &
	CTR_PID=$!
	if wait_until 90 task_running "$1"; then
		ok "$1 is running (pid $(task_pid "$1"))"
	else
		cat "/tmp/$1.out"
		tail -n 30 /tmp/containerd.log
		die "$1 did not start within 90 s"
	fi
}

step "container ctr-a with VF 0, container ctr-b with VF 1"
cat "$conf" 2>/dev/null || conflist 0
run_container ctr-a 0
pid_a=$CTR_PID
run_container ctr-b 1
pid_b=$CTR_PID

for c in a b; do
	case $c in a) vf=0 want=10.56.217.100 ;; b) vf=1 want=10.56.217.101 ;; esac
	step "inside ctr-$c"
	run in_task "ctr-$c" /usr/sbin/ip addr show eth0
	check_contains "$RUN_OUT" "inet $want/24" "ctr-$c has $want on eth0"
	dev=$(in_task "ctr-$c" /usr/sbin/ip -j -d link show eth0 | jq -r '.[0].parentdev')
	check_eq "$(vf_pci $vf)" "$dev" "ctr-$c's eth0 is VF $vf"
	check_match "$(in_task "ctr-$c" /usr/sbin/ip route show)" "^default via 10\.56\.217\.1 dev eth0" "ctr-$c default route"
	check_eq "" "$(vf_netdev $vf)" "VF $vf left the host"
	check_eq "default-ctr-$c$(printf '\r')
eth0" "$(cat "$leases/$want" 2>/dev/null)" "lease $want names containerd's ID and the interface"
	[ -s "/var/lib/cni/results/sriov-net1-default-ctr-$c-eth0" ] && ok "libcni cached the ADD result" ||
		fail "no libcni result cache for ctr-$c"
done
run ctr task exec --exec-id inside ctr-a /bin/ip addr show eth0
check_contains "$RUN_OUT" "inet 10.56.217.100/24" "the container itself sees its address (busybox ip)"

step "ctr-a pings ctr-b over the VFs, from inside the container"
pinged=0
for try in 1 2 3; do
	run ctr task exec --exec-id "ping$try" ctr-a /bin/ping -c 3 -W 2 10.56.217.101
	if [ "$RUN_RC" = 0 ]; then
		pinged=1
		break
	fi
done
[ "$pinged" = 1 ] && ok "ctr-a reaches ctr-b" || fail "ctr-a cannot ping ctr-b"
run ctr task exec --exec-id pingback ctr-b /bin/ping -c 2 -W 2 10.56.217.100
check_eq 0 "$RUN_RC" "ctr-b reaches ctr-a"

step "the tasks end: ctr runs CNI DEL (its netns already gone) and removes the containers"
ctr task kill -s SIGKILL ctr-a
ctr task kill -s SIGKILL ctr-b
rc_a=0
wait "$pid_a" || rc_a=$?
rc_b=0
wait "$pid_b" || rc_b=$?
echo "ctr run exit statuses: ctr-a $rc_a, ctr-b $rc_b (137: the task was killed)"
for c in a b; do
	sed 's/^/  ctr-'$c': /' "/tmp/ctr-$c.out"
	if grep -q 'network review' "/tmp/ctr-$c.out"; then
		fail "ctr reported a failed CNI DEL for ctr-$c"
	else
		ok "ctr's CNI DEL for ctr-$c succeeded"
	fi
done
check_eq "" "$(ctr containers ls -q)" "no containers left"
for vf in 0 1; do
	wait_for 10 vf_in_host $vf || true
	check_eq "$(vf_boot_name $vf)" "$(vf_netdev $vf)" "VF $vf home under its own name"
	check_eq "$(vf_boot_mac $vf)" "$(cat "/sys/class/net/$(vf_boot_name $vf)/address" 2>/dev/null)" "VF $vf MAC restored"
done
check_eq "" "$(ls "$leases" 2>/dev/null | grep '^10\.' || true)" "leases released"
check_eq "" "$(ls /var/lib/cni/sriov/vf/ 2>/dev/null | grep json || true)" "no VF records left"
check_eq "" "$(ls /var/lib/cni/results/ 2>/dev/null || true)" "libcni's cache is empty"

kill "$ctrd" 2>/dev/null || true
wait "$ctrd" 2>/dev/null || true
