#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# addel-guest.sh: inside the test VM, time sriov ADD and DEL on a real VF against a bare exec
# of the same binary, and the Go host-local plugin alone for scale. Prints figures only. With
# /usr/local/bin/sriov-before (addel_bench.sh --before) both binaries are timed, interleaved.
set -eu
. /testbed/lib.sh

ROUNDS=${ROUNDS:-30}
pci=$(vf_pci 0)
netns_add bench
export CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench CNI_IFNAME=net1 CNI_PATH=/opt/cni/bin

sriov_conf "$pci" >/tmp/plain.json
sriov_conf "$pci" '.vlan = 100 | .mac = "02:aa:bb:cc:dd:01" | .spoofchk = "off" | .trust = "on"' >/tmp/full.json
sriov_conf "$pci" 'del(.ipam)' >/tmp/noipam.json
jq -c '.ipam | {cniVersion: "0.3.1", name: "bench-hl", ipam: .}' /tmp/plain.json >/tmp/hl.json

bins=$SRIOV
[ -x /usr/local/bin/sriov-before ] && bins="/usr/local/bin/sriov-before $SRIOV"
echo "== $ROUNDS rounds each, emulated igb VF $pci (QEMU TCG, no KVM): $bins"
echo "-- bare exec of sriov (CNI_COMMAND=VERSION):"
cnitime -v -n "$ROUNDS" $bins
echo "-- sriov, no IPAM:"
cnitime -n "$ROUNDS" -c /tmp/noipam.json $bins
echo "-- sriov, seed config (host-local embedded):"
cnitime -n "$ROUNDS" -c /tmp/plain.json $bins
echo "-- sriov, vlan + mac + spoofchk + trust + host-local:"
cnitime -n "$ROUNDS" -c /tmp/full.json $bins
if [ -x /opt/cni/bin/host-local ]; then
	echo "-- Go host-local alone (what sriov-cni execs for IPAM on every ADD/DEL):"
	cnitime -n "$ROUNDS" -c /tmp/hl.json /opt/cni/bin/host-local
fi

# The floor: the device operations an ADD+DEL cannot avoid (move into the pod with a rename,
# up, and back), done with ip(8): four execs of ip plus what the kernel and the emulated VF take.
dev=$(vf_netdev 0)
floor_start=$(cut -d' ' -f1 /proc/uptime)
i=0
while [ "$i" -lt "$ROUNDS" ]; do
	/usr/sbin/ip link set "$dev" netns bench name net1
	/usr/sbin/ip -n bench link set net1 up
	/usr/sbin/ip -n bench link set net1 down
	/usr/sbin/ip -n bench link set net1 netns 1 name "$dev"
	i=$((i + 1))
done
floor_end=$(cut -d' ' -f1 /proc/uptime)
echo "-- the same device operations with ip(8) (4 execs: move+rename, up, down, move back):"
awk -v s="$floor_start" -v e="$floor_end" -v n="$ROUNDS" \
	'BEGIN { printf "ip(8)  n=%-3d wall: mean %7.2f ms per ADD+DEL-equivalent round\n", n, (e - s) * 1000 / n }'
