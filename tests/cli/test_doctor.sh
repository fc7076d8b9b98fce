#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_doctor.sh: "sriov doctor" on a state directory full of planted and damaged files, on
# this host (no VF needed: the PCI addresses named here do not exist). It reports each, follows
# no symlink, hangs on no FIFO, prints no raw control byte, creates and changes nothing, shows
# who holds a lock, exits 0/1/2 as documented, and leaves the CNI side alone.
# usage: test_doctor.sh SRIOV SOURCE_DIR CORPUS_DIR [BUILD_DIR]
set -u

SRIOV=$1
T=$(mktemp -d)
holder=""
trap '[ -z "$holder" ] || { pkill -P "$holder"; kill "$holder"; } 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

# d ARG...: run sriov doctor (20 s at most: a FIFO must not hang it) with SRIOV_STATE_DIR=$S;
# OUT holds stdout, ERR stderr, RC the exit status.
d()
{
	RC=0
	OUT=$(SRIOV_STATE_DIR=$S timeout 20 "$SRIOV" doctor "$@" 2>"$T/err") || RC=$?
	ERR=$(cat "$T/err")
}

expect_rc()
{
	if [ "$RC" = "$1" ]; then ok; else fail "$2: exit $RC, wanted $1; output: $OUT $ERR"; fi
}

# jq_true FILTER TEXT: the JSON in OUT satisfies FILTER.
jq_true()
{
	if printf '%s\n' "$OUT" | jq -e "$1" >/dev/null 2>&1; then ok; else fail "$2: jq '$1' is false for: $OUT"; fi
}

# kinds PCI: the problem kinds reported for PCI (JSON in OUT), space separated.
kinds()
{
	printf '%s\n' "$OUT" | jq -r --arg p "$1" '[.problems[] | select(.pci == $p) | .kind] | join(" ")'
}

record()
{
	jq -cn --arg pci "$1" --arg ifname "$2" '{version: 1, network: "sriov-net1",
		containerID: "cid-1", ifname: $ifname, netns: "/var/run/netns/gone-pod", pci: $pci,
		pf: "eth0", vf: 3, dpdk: false, orig: {adminMac: "00:00:00:00:00:00", vlan: 0, qos: 0,
		vlanProto: 33024, minTxRate: 0, maxTxRate: 0, spoofchk: 1, trust: 0, linkState: 0,
		name: "eth4", mac: "52:54:00:12:34:56", mtu: 1500, up: false, ifindex: 7}}'
}

S=$T/state
mkdir -p "$S/vf" "$S/quarantine" "$S/pf" "$T/elsewhere"
# A valid record of a device that does not exist.
record 0000:ff:1f.7 net1 >"$S/vf/0000:ff:1f.7.json"
# Garbage, a FIFO, and a symlink to a valid record: each damaged, none followed or blocked on.
printf '{"garb' >"$S/vf/0000:ff:1f.6.json"
mkfifo "$S/vf/0000:ff:1f.5.json"
record 0000:ff:1f.4 net1 >"$T/elsewhere/rec.json"
ln -s "$T/elsewhere/rec.json" "$S/vf/0000:ff:1f.4.json"
# A record whose interface name carries a terminal escape and a byte that is not UTF-8.
# (jq would turn the byte into U+FFFD: put it in with sed.)
record 0000:ff:1f.2 IFNAME | sed "s/IFNAME/$(printf 'n\\\\u001b[2J\377')/" >"$S/vf/0000:ff:1f.2.json"
# A record set aside by an earlier DEL.
printf '{"garbage' >"$S/quarantine/vf-0000:ff:1f.3.1700000000.4242.json"
# A temp file of a killed writer, and a stray name: neither is a record.
printf 'x' >"$S/vf/.0000:ff:1f.1.json.999999.tmp"
printf 'x' >"$S/vf/README"
: >"$S/vf/0000:ff:1f.7.lock"
before=$(cd "$S" && find . -printf '%p %y %s %T@\n' | sort)

# ---- the problems, as JSON -------------------------------------------------------------------
d --json
expect_rc 1 "problems found"
jq_true '(.pfs | type == "array") and (.vfs | type == "array") and (.problems | type == "array")' "JSON shape"
jq_true '[.problems[] | (.kind | type == "string") and (.message | length > 40)] | all' "each problem has a kind and a message"
[ "$(kinds 0000:ff:1f.7)" = missing-vf ] && ok || fail "valid record of a missing device: got '$(kinds 0000:ff:1f.7)'"
jq_true '.problems[] | select(.pci == "0000:ff:1f.7") | .message | test("no longer exists") and test("vf/0000:ff:1f.7.json")' "missing-vf says what to delete"
[ "$(kinds 0000:ff:1f.6)" = corrupt-record ] && ok || fail "garbage record: got '$(kinds 0000:ff:1f.6)'"
[ "$(kinds 0000:ff:1f.5)" = corrupt-record ] && ok || fail "FIFO as a record: got '$(kinds 0000:ff:1f.5)'"
# Followed, the symlink would read as a valid record of a missing device (missing-vf).
[ "$(kinds 0000:ff:1f.4)" = corrupt-record ] && ok || fail "symlinked record: got '$(kinds 0000:ff:1f.4)'"
[ "$(kinds 0000:ff:1f.3)" = quarantined-record ] && ok || fail "quarantined record: got '$(kinds 0000:ff:1f.3)'"
jq_true '.problems[] | select(.kind == "quarantined-record") | .message | test("2023-11-14 at 22:13:20 UTC")' "quarantine date from the file name"
[ "$(kinds 0000:ff:1f.1)" = "" ] && ok || fail "a temp file is not a record: got '$(kinds 0000:ff:1f.1)'"
[ "$(kinds 0000:ff:1f.2)" = missing-vf ] && ok || fail "record with an odd ifname: got '$(kinds 0000:ff:1f.2)'"
jq_true '.problems[] | select(.pci == "0000:ff:1f.2") | .message | contains("n\\x1b[2J\\xff")' "odd ifname shown escaped in JSON"
printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\033')" && fail "raw ESC in the JSON" || ok
jq_true '.locks == []' "a lock file nobody holds is not listed"
jq_true '[.problems[] | select(.kind == "lock-held")] == []' "no lock-held"

# ---- the same as a table ----------------------------------------------------------------------
d
expect_rc 1 "table: problems found"
printf '%s\n' "$OUT" | grep -q '^[0-9]* problems:$' && ok || fail "table: no problem count in: $OUT"
printf '%s\n' "$OUT" | grep -q '^missing-vf 0000:ff:1f.7: the record of VF' && ok || fail "table: missing-vf line"
printf '%s\n' "$OUT" | grep -q '^corrupt-record 0000:ff:1f.5: ' && ok || fail "table: FIFO line"
printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\033')" && fail "raw ESC in the table" || ok
printf '%s' "$OUT" | LC_ALL=C grep -q "$(printf '\377')" && fail "raw 0xff in the table" || ok

# ---- a held lock: its holder is named; young, it is no problem ----------------------------------
flock "$S/vf/0000:ff:1f.7.lock" sleep 60 >/dev/null 2>&1 &
holder=$!
i=0
while [ $i -lt 50 ] && ! grep -q FLOCK /proc/locks; do sleep 0.1; i=$((i + 1)); done
d --json
jq_true ".locks | length == 1 and .[0].kind == \"vf\" and .[0].pci == \"0000:ff:1f.7\" and .[0].pid == $holder and .[0].comm == \"flock\" and .[0].seconds < 30" "the lock and its holder"
jq_true '[.problems[] | select(.kind == "lock-held")] == []' "a lock held for seconds is no problem"
pkill -P "$holder" sleep # the lock is held by flock's child too
kill "$holder"
wait "$holder" 2>/dev/null
holder=""

# ---- nothing created or changed --------------------------------------------------------------
after=$(cd "$S" && find . -printf '%p %y %s %T@\n' | sort)
[ "$before" = "$after" ] && ok || fail "the state directory changed: $before // $after"
S=$T/absent
d --json
[ "$RC" = 0 ] || [ "$RC" = 1 ] && ok || fail "no state directory: exit $RC ($ERR)"
[ ! -e "$S" ] && ok || fail "doctor created the state directory"
jq_true '[.problems[] | select(.pci != null and (.pci | startswith("0000:ff:")))] == []' "nothing recorded, nothing reported"

# ---- cannot run: exit 2 ------------------------------------------------------------------------
S=relative/dir
d
expect_rc 2 "relative SRIOV_STATE_DIR"
mkfifo "$T/fifo-state"
S=$T/fifo-state
d
expect_rc 2 "state directory that is a FIFO (and no hang)"
S=$T/state
d --bogus
expect_rc 2 "unknown argument"
printf '%s\n' "$ERR" | grep -q 'usage: sriov doctor' && ok || fail "usage on a bad argument: $ERR"
d --dp-config "$T/none.json"
expect_rc 2 "missing --dp-config file"
printf '{"resourceList": 5}' >"$T/dp-bad.json"
d --dp-config "$T/dp-bad.json"
expect_rc 2 "bad --dp-config file"
printf '%s\n' "$ERR" | grep -q 'resourceList' && ok || fail "the bad field is named: $ERR"
printf '{"resourceList": [{"resourceName": "r", "selectors": {"drivers": ["igbvf"]}}]}' >"$T/dp.json"
d --json --dp-config "$T/dp.json"
expect_rc 1 "a valid --dp-config"
d --json --dp-config - <"$T/dp.json"
expect_rc 1 "--dp-config - reads standard input"
ln -s "$T/dp.json" "$T/dp-link.json"
d --json --dp-config "$T/dp-link.json"
expect_rc 2 "--dp-config through a symlink is refused"
d --help
expect_rc 0 "--help"

# ---- with CNI_COMMAND set, the plugin runs: "doctor" is only a command-line word ----------------
RC=0
OUT=$(CNI_COMMAND=VERSION "$SRIOV" doctor </dev/null) || RC=$?
expect_rc 0 "CNI_COMMAND=VERSION sriov doctor"
jq_true '.supportedVersions | index("1.1.0") != null' "VERSION output, not the doctor's"
RC=0
OUT=$(SRIOV_STATE_DIR=$T/state CNI_COMMAND=ADD CNI_CONTAINERID=c CNI_IFNAME=net1 CNI_PATH=/nonexistent \
	"$SRIOV" doctor </dev/null 2>/dev/null) || RC=$?
expect_rc 1 "CNI_COMMAND=ADD sriov doctor with no config"
jq_true '.code == 4 and (.msg | test("CNI_NETNS"))' "a CNI error (netns missing), not the doctor's report"

echo "doctor: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
