#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_validate.sh: "sriov validate" on good and bad configs, conflists and
# NetworkAttachmentDefinitions, on the whole real-world corpus, and on files it must not follow.
# usage: test_validate.sh SRIOV SOURCE_DIR CORPUS_DIR [BUILD_DIR]
set -u

SRIOV=$1
CORPUS=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

# v FILE...: run sriov validate; OUT holds stdout, ERR stderr, RC the exit status.
v()
{
	RC=0
	OUT=$("$SRIOV" validate "$@" 2>"$T/err") || RC=$?
	ERR=$(cat "$T/err")
}

expect_rc()
{
	if [ "$RC" = "$1" ]; then ok; else fail "$2: exit $RC, wanted $1; output: $OUT $ERR"; fi
}

# has_line ERE TEXT: some output line matches ERE.
has_line()
{
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then ok; else fail "$2: no line matches /$1/ in: $OUT"; fi
}

lines()
{
	printf '%s\n' "$OUT" | grep -c .
}

# ---- a good config, with and without what Multus injects -------------------------------------
cat >"$T/good.json" <<'EOF'
{ "cniVersion": "1.0.0", "name": "good", "type": "sriov", "vlan": 10, "spoofchk": "on",
  "ipam": { "type": "host-local", "subnet": "10.56.217.0/24" } }
EOF
v "$T/good.json"
expect_rc 0 "good config"
has_line "^$T/good.json: valid sriov config for network good \(cniVersion 1.0.0, ipam host-local\)$" "good config reported valid"
printf '{"type":"sriov","vlan":5}' >"$T/noname.json"
v "$T/noname.json"
expect_rc 0 "config without name and deviceID (Multus injects both)"
has_line "valid sriov config for network \(name set by Multus\)" "the name is left to Multus"

# ---- every wrong field on its own line -------------------------------------------------------
cat >"$T/bad.json" <<'EOF'
{ "cniVersion": "9.9.9", "name": "bad/name", "type": "sriov", "deviceID": "0000:zz",
  "vlan": 5000, "mac": "01:00:5e:00:00:01", "spoofchk": "yes", "trust": "ON",
  "link_state": "up", "min_tx_rate": -1, "logLevel": "loud",
  "ipam": { "type": "host-local", "subnet": "10.0.0.0/33" } }
EOF
v "$T/bad.json"
expect_rc 1 "bad config"
for field in cniVersion name deviceID vlan mac spoofchk trust link_state min_tx_rate logLevel ipam.subnet; do
	has_line "^$T/bad.json: $field: " "the problem with $field is reported on its own line"
done
[ "$(lines)" = 11 ] && ok || fail "bad config: wanted 11 lines, one per problem, got $(lines): $OUT"

# The checks are the plugin's own: what ADD refuses, validate refuses with the same words.
printf '{"cniVersion":"0.3.1","name":"n","type":"sriov","vlanQoS":3}' >"$T/qos.json"
v "$T/qos.json"
expect_rc 1 "vlanQoS without vlan"
has_line 'vlanQoS: needs vlan to be set' "vlanQoS without vlan"
printf '{"cniVersion":"0.3.1","name":"n","type":"sriov","ipam":{"type":"host-local"}}' >"$T/noranges.json"
v "$T/noranges.json"
expect_rc 1 "host-local without ranges"
has_line 'ipam.ranges: no IP ranges specified' "IPAM's own validation runs"
printf '{"cniVersion":"0.3.1","name":"n","type":"sriov","ipam":{"type":"../evil"}}' >"$T/ipamtype.json"
v "$T/ipamtype.json"
expect_rc 1 "IPAM type with a slash"
has_line 'ipam: invalid plugin name' "delegated IPAM type checked as ADD checks it"
printf '{"cniVersion":"0.3.1","name":"n","type":"macvlan","vlan":1}' >"$T/type.json"
v "$T/type.json"
expect_rc 0 "another type only warns"
has_line 'warning: type: "macvlan" is not "sriov"' "type warning"

# A value with control characters cannot forge report lines or terminal escapes.
printf '{"cniVersion":"0.3.1","name":"n","type":"sriov","trust":"x\\nFAKE: valid\\u001b[2J"}' >"$T/ctl.json"
v "$T/ctl.json"
expect_rc 1 "control characters"
[ "$(lines)" = 1 ] && ok || fail "a newline in a value made extra lines: $OUT"
# Echoed input is quoted as Go's %q does: a newline reads \n, ESC \x1b.
has_line 'x\\nFAKE: valid\\x1b\[2J' "control characters shown escaped"

# ---- conflists --------------------------------------------------------------------------------
cat >"$T/list.conflist" <<'EOF'
{ "cniVersion": "1.0.0", "name": "chain", "plugins": [
  { "type": "sriov", "vlan": 7, "ipam": { "type": "host-local", "subnet": "10.9.0.0/24" } },
  { "type": "tuning", "mtu": 1400 } ] }
EOF
v "$T/list.conflist"
expect_rc 0 "conflist"
has_line 'plugins\[0\]: valid sriov config for network chain \(cniVersion 1.0.0, ipam host-local\)' "list name and version injected as libcni does"
printf '{"cniVersion":"0.3.1","name":"c","plugins":[{"type":"tuning"},{"type":"sriov","vlan":9999}]}' >"$T/badlist.conflist"
v "$T/badlist.conflist"
expect_rc 1 "conflist with a bad sriov entry"
has_line 'plugins\[1\]: vlan: 9999 is out of range' "the entry is named"
printf '{"cniVersion":"0.3.1","name":"c","plugins":[{"type":"tuning"}]}' >"$T/nosriov.conflist"
v "$T/nosriov.conflist"
expect_rc 1 "conflist without sriov"
has_line 'plugins: no plugin of type "sriov"' "conflist without sriov"
printf '{"cniVersion":"0.3.1","name":"c","plugins":[]}' >"$T/empty.conflist"
v "$T/empty.conflist"
expect_rc 1 "empty conflist"

# ---- NetworkAttachmentDefinitions --------------------------------------------------------------
cat >"$T/nads.yaml" <<'EOF'
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: n1
  namespace: ns
spec:
  config: '{"cniVersion":"0.3.1","type":"sriov","vlan":1,"vlanQoS":9,
     "ipam":{"type":"host-local","ranges":[[{"subnet":"10.1.0.0/24","rangeStart":"10.2.0.1"}]]}}'
---
apiVersion: v1
kind: Pod
metadata: { name: p }
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: n2
spec: {}
---
apiVersion: k8s.cni.cncf.io/v1
kind: NetworkAttachmentDefinition
metadata:
  name: n3
spec:
  config: |
    { "cniVersion": "1.0.0", "plugins": [ { "type": "sriov", "trust": "on" } ] }
EOF
v "$T/nads.yaml"
expect_rc 1 "NAD file with problems"
has_line "^$T/nads.yaml:7: NetworkAttachmentDefinition ns/n1: vlanQoS: 9 is out of range 0-7$" "NAD problem with its line"
has_line "^$T/nads.yaml:7: NetworkAttachmentDefinition ns/n1: ipam.ranges\[0\]\[0\]: invalid range set 0: RangeStart 10.2.0.1 not in network 10.1.0.0/24$" "NAD IPAM problem"
has_line "NetworkAttachmentDefinition n2: spec.config: missing" "NAD without config"
has_line "^$T/nads.yaml:25: NetworkAttachmentDefinition n3, plugins\[0\]: valid sriov config for network n3 " "NAD name injected into a list without name"
[ "$(lines)" = 4 ] && ok || fail "NAD file: wanted 4 lines, got: $OUT"
cat >"$T/list.yaml" <<'EOF'
apiVersion: v1
kind: List
items:
- apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata: { name: a }
  spec: { config: '{"cniVersion":"0.3.1","type":"sriov"}' }
- apiVersion: k8s.cni.cncf.io/v1
  kind: NetworkAttachmentDefinition
  metadata: { name: b }
  spec: { config: '{"cniVersion":"0.3.1","type":"sriov","link_state":"on"}' }
EOF
v - <"$T/list.yaml"
expect_rc 1 "kubectl List on stdin"
has_line '^-:7: NetworkAttachmentDefinition a: valid sriov config for network a ' "List item a"
has_line '^-:11: NetworkAttachmentDefinition b: link_state: invalid value "on"' "List item b"
printf 'kind: Pod\nmetadata: {name: p}\n' >"$T/pod.yaml"
v "$T/pod.yaml"
expect_rc 1 "YAML without a NAD"
has_line 'no CNI config \(JSON\) and no NetworkAttachmentDefinition \(YAML\) found' "YAML without a NAD"
printf 'a: [\n' >"$T/broken.yaml"
v "$T/broken.yaml"
expect_rc 1 "broken YAML"
has_line 'neither JSON nor YAML: line 2' "broken YAML names the line"
printf '{"cniVersion": "0.3.1",\n "name": "x" "type": "sriov"}' >"$T/broken.json"
v "$T/broken.json"
expect_rc 1 "broken JSON"
has_line 'invalid JSON at line 2, column 14' "broken JSON names line and column"

# ---- files it must not follow or wait for ------------------------------------------------------
ln -s "$T/good.json" "$T/link.json"
v "$T/link.json"
expect_rc 2 "symlink"
printf '%s\n' "$ERR" | grep -q 'link.json: a symlink' && ok || fail "symlink: $ERR"
mkfifo "$T/fifo"
RC=0
timeout 10 "$SRIOV" validate "$T/fifo" >/dev/null 2>"$T/err" || RC=$?
expect_rc 2 "FIFO refused without waiting for a writer (124 = it blocked)"
v "$T"
expect_rc 2 "directory"
v "$T/missing.json" "$T/good.json"
expect_rc 2 "a missing file"
has_line 'good.json: valid' "the other files are still checked"
v
expect_rc 2 "no files"

# ---- the real-world corpus: what sriov-cni + host-local accept validates ------------------------
# Configs are read where CMake says the corpus is; "@VF@" stands for a real deviceID.
if [ ! -d "$CORPUS" ]; then
	if [ "${CI:-}" = true ]; then
		fail "corpus missing at $CORPUS under CI"
	else
		echo "SKIP: no corpus at $CORPUS"
		exit 77
	fi
else
	n=0
	for f in "$CORPUS"/*.json "$CORPUS"/*.conflist; do
		n=$((n + 1))
		name=${f##*/}
		RC=0
		OUT=$(sed 's/@VF@/0000:3b:02.1/' "$f" | "$SRIOV" validate - 2>&1) || RC=$?
		case $name in
		41-*) want=1 why='ipam.subnet: invalid CIDR address: subnet/mask' ;; # the author's placeholders
		45-*) want=1 why='vlan: must be a number' ;;                           # "vlan": "28"
		42-*) want=1 why='ipam.type: "sriov" is this plugin itself' ;;          # ADD refuses it
		46-*) want=1 why='invalid JSON at line 7' ;;                           # a missing comma
		*) want=0 why='valid sriov config for network' ;;
		esac
		expect_rc "$want" "corpus $name"
		has_line "$why" "corpus $name"
	done
	[ "$n" = 52 ] && ok || fail "corpus: $n files, wanted 52"
fi

echo "validate: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
