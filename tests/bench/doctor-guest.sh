#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# doctor-guest.sh: inside the test VM, time "sriov doctor --json" with six pods holding VFs,
# then again with 300 more network namespaces holding a veth pair each. Prints figures only.
# vm-timeout: 600
set -eu
. /testbed/lib.sh

ROUNDS=${ROUNDS:-30}
EXTRA=${EXTRA:-300}

# rounds CMD...: mean wall-clock ms of CMD over ROUNDS runs (output discarded).
rounds()
{
	local s e i=0
	s=$(cut -d' ' -f1 /proc/uptime)
	while [ "$i" -lt "$ROUNDS" ]; do
		"$@" >/dev/null 2>&1 || true
		i=$((i + 1))
	done
	e=$(cut -d' ' -f1 /proc/uptime)
	awk -v s="$s" -v e="$e" -v n="$ROUNDS" 'BEGIN { printf "%.1f ms\n", (e - s) * 1000 / n }'
}

for i in 1 2 3 4 5 6; do
	netns_add "pod$i"
	cni_run ADD "cid$i" "pod$i" net1 "$(sriov_conf "$(vf_pci "$i")" '.vlan = 10')" >/dev/null
	[ "$CNI_RC" = 0 ] || { echo "ADD $i failed: $CNI_OUT"; exit 1; }
done
echo "== $ROUNDS rounds each, $(vf_count) VFs, 6 of them in pods (QEMU TCG, no KVM)"
printf 'bare exec (sriov --version):          '
rounds "$SRIOV" --version
printf 'sriov doctor --json:                  '
rounds "$SRIOV" doctor --json
i=0
while [ "$i" -lt "$EXTRA" ]; do
	ip netns add "x$i"
	out=$(ip -n "x$i" link add name va type veth peer name vb 2>&1) || { echo "veth in x$i: $out"; exit 1; }
	i=$((i + 1))
done
echo "== $EXTRA more network namespaces, a veth pair in each"
printf 'bare exec (sriov --version):          '
rounds "$SRIOV" --version
printf 'sriov doctor --json:                  '
rounds "$SRIOV" doctor --json
"$SRIOV" doctor >/dev/null && echo "doctor: no problem found" || echo "doctor: exit $?"
