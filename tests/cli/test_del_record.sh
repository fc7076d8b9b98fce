#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_del_record.sh: DEL reads the VF record of deviceID once when its lock is free (under
# the lock, taken before the read), and still finishes when another process holds the lock
# (it waits for it, then reads the record again under it). The VF of the record does not
# exist, so DEL only drops the record; no privileges are needed. strace counts the opens.
# usage: test_del_record.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

SRIOV=$1
PCI=0000:ff:1f.7
if ! command -v strace >/dev/null || ! command -v flock >/dev/null; then
	echo "strace or flock not found (tests/setup.sh installs them)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

CONF='{"cniVersion":"1.0.0","name":"net1","type":"sriov","deviceID":"'$PCI'"}'

plant()
{
	mkdir -p "$T/state/vf"
	chmod 700 "$T/state" "$T/state/vf"
	printf '%s' '{"version":1,"network":"net1","containerID":"cid-1","ifname":"net1",'\
'"netns":"","pci":"'$PCI'","pf":"eth0","vf":3,"dpdk":false,"orig":{'\
'"adminMac":"00:00:00:00:00:00","vlan":0,"qos":0,"vlanProto":0,"minTxRate":0,'\
'"maxTxRate":0,"spoofchk":1,"trust":0,"linkState":0,"name":"eth1",'\
'"mac":"00:00:00:00:00:00","mtu":1500,"up":false,"ifindex":4}}' >"$T/state/vf/$PCI.json"
	chmod 600 "$T/state/vf/$PCI.json"
}

# del [WRAPPER...]: DEL of (net1, cid-1, net1) with the config on stdin, its exit status.
# LeakSanitizer cannot run under ptrace: the sanitizer build is traced without it.
del()
{
	printf '%s' "$CONF" | env SRIOV_STATE_DIR="$T/state" CNI_COMMAND=DEL CNI_CONTAINERID=cid-1 \
		CNI_IFNAME=net1 CNI_NETNS=/var/run/netns/gone CNI_PATH=/nonexistent \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$@" "$SRIOV" \
		>"$T/out" 2>"$T/err"
}

# opens: how often the last traced run opened the record for reading.
opens()
{
	grep -c "\"$PCI\\.json\", O_RDONLY" "$T/trace"
}

# The lock is free: one read, under the lock (the lock's file is opened before the record).
plant
del strace -f -qq -e trace=openat,openat2 -o "$T/trace" || fail "DEL exit $?: $(cat "$T/out" "$T/err")"
[ "$(opens)" = 1 ] || fail "the record was opened $(opens) times, not once"
lock_line=$(grep -n "\"$PCI\\.lock\"" "$T/trace" | head -n 1 | cut -d: -f1)
rec_line=$(grep -n "\"$PCI\\.json\", O_RDONLY" "$T/trace" | head -n 1 | cut -d: -f1)
[ -n "$lock_line" ] && [ -n "$rec_line" ] && [ "$lock_line" -lt "$rec_line" ] ||
	fail "the record was read before its lock was taken"
[ ! -e "$T/state/vf/$PCI.json" ] || fail "the record is still there after DEL"

# Another process holds the VF lock for a second: DEL waits for it and finishes.
plant
flock "$T/state/vf/$PCI.lock" sleep 1 &
holder=$!
sleep 0.2
del strace -f -qq -e trace=openat,openat2 -o "$T/trace" || fail "DEL (lock held) exit $?: $(cat "$T/out" "$T/err")"
wait $holder
echo "   (lock held: the record was opened $(opens) times)"
[ "$(opens)" -ge 1 ] || fail "the record was never read with the lock held"
[ ! -e "$T/state/vf/$PCI.json" ] || fail "the record is still there after DEL (lock held)"

# A second DEL holds nothing and succeeds without locking.
del strace -f -qq -e trace=openat,openat2 -o "$T/trace" || fail "second DEL exit $?: $(cat "$T/out" "$T/err")"
! grep -q "\"$PCI\\.lock\"" "$T/trace" || fail "a DEL with no record took the VF lock"

[ $failed -eq 0 ] || exit 1
echo "test_del_record: one read under the lock; a held lock is waited for"
