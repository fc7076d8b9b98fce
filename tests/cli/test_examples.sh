#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_examples.sh: the files users apply never rot. Every CNI config embedded in examples/
# (JSON files, conflists, NetworkAttachmentDefinitions) and in the README's JSON blocks is
# checked with "sriov validate" and must be valid; the count of configs validated must match
# the count found here independently, so that no config is passed over. The manifests must be
# YAML, name only NADs and resources defined here, and the boot-time files must verify.
# usage: test_examples.sh SRIOV SOURCE_DIR [CORPUS_DIR BUILD_DIR]
set -u

SRIOV=$1
SRC=$2
EX=$SRC/examples
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

# validate FILE WANT: sriov validate FILE exits 0 and reports WANT valid sriov configs.
validate()
{
	rc=0
	out=$("$SRIOV" validate "$1" 2>&1) || rc=$?
	n=$(printf '%s\n' "$out" | grep -c ': valid sriov config for network ')
	if [ "$rc" = 0 ] && [ "$n" = "$2" ]; then
		ok
	else
		fail "$1: exit $rc, $n valid configs (wanted 0 and $2):"
		printf '%s\n' "$out" | sed 's/^/  /'
	fi
	total=$((total + n))
}

total=0
for f in "$EX"/*.json "$EX"/*.conflist; do
	[ -f "$f" ] || continue
	# A conflist has one sriov entry in these examples; a config file is one config.
	validate "$f" 1
done

# YAML: NetworkAttachmentDefinitions counted by their "kind:" lines, each must validate; the
# other manifests must still be YAML that the same parser reads.
nads=0
for f in "$EX"/*.yaml; do
	want=$(grep -c '^kind: NetworkAttachmentDefinition$' "$f")
	nads=$((nads + want))
	if [ "$want" -gt 0 ]; then
		validate "$f" "$want"
	else
		out=$("$SRIOV" validate "$f" 2>&1)
		case $out in
		*"no CNI config (JSON) and no NetworkAttachmentDefinition (YAML) found"*) ok ;;
		*) fail "$f is not YAML: $out" ;;
		esac
	fi
done
[ "$nads" -ge 6 ] && ok || fail "only $nads NetworkAttachmentDefinitions found in examples/"
for f in "$SRC"/packaging/*.yaml; do
	out=$("$SRIOV" validate "$f" 2>&1)
	case $out in
	*"no CNI config (JSON) and no NetworkAttachmentDefinition (YAML) found"*) ok ;;
	*) fail "$f is not YAML: $out" ;;
	esac
done

# The README's JSON blocks: each is a config to validate.
awk -v dir="$T" '/^```json$/ { n++; f = dir "/readme-" n ".json"; next }
	/^```$/ { f = ""; next } f { print > f }' "$SRC/README.md"
blocks=$(ls "$T"/readme-*.json 2>/dev/null | wc -l)
[ "$blocks" -ge 1 ] && ok || fail "no JSON block in README.md"
for f in "$T"/readme-*.json; do
	[ -f "$f" ] && validate "$f" 1
done
echo "examples: $total configs validated ($nads NetworkAttachmentDefinitions, $blocks README blocks)"

# Pods and deployments name networks and resources that these files define.
for net in $(grep -h 'k8s.v1.cni.cncf.io/networks:' "$EX"/*.yaml | sed 's/.*networks: *//; s/,/ /g'); do
	if grep -q "^  name: $net$" "$EX"/*-nad.yaml "$EX"/nad-*.yaml; then ok; else fail "network $net is used but not defined in examples/"; fi
done
pool=$(sed -n '/config.json: |/,$p' "$EX/sriovdp-configmap.yaml" | tail -n +2 | jq -r '.resourceList[].resourceName')
for res in $(grep -h -o 'intel\.com/[a-z_]*' "$EX"/*.yaml | sort -u); do
	if printf '%s\n' "$pool" | grep -qx "${res#intel.com/}"; then ok; else fail "resource $res is not in sriovdp-config"; fi
done

# VF creation at boot: the systemd unit verifies cleanly; the udev rule writes sriov_numvfs.
cp "$EX/vf-boot/sriov-vfs@.service" "$T/"
out=$(systemd-analyze verify "$T/sriov-vfs@ens1f0.service" 2>&1)
rc=$?
if [ "$rc" = 0 ] && [ -z "$out" ]; then ok; else fail "sriov-vfs@.service does not verify: $out"; fi
grep -q '^ACTION=="add", SUBSYSTEM=="net", .*ATTR{device/sriov_numvfs}="[0-9]*"$' "$EX/vf-boot/10-sriov.rules" &&
	ok || fail "10-sriov.rules does not set sriov_numvfs"

echo "examples: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
