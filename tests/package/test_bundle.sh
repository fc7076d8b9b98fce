#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_bundle.sh: the container image and the DaemonSet deliver a plugin that needs nothing from
# the node. Builds the self-contained bundle, lays out the image as packaging/Containerfile says
# (FROM scratch: nothing but the COPYs), runs the DaemonSet's init container command in it
# (chroot, the node's CNI bin dir bind-mounted where the manifest mounts it), then runs the
# copied plugin from an otherwise empty node root: VERSION, validate, and an ADD that must fail
# cleanly (a CNI error naming the deviceID) for lack of a VF. Needs root (chroot, mounts).
# usage: test_bundle.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

SRC=$2
BUILD=$4
if [ "$(id -u)" != 0 ]; then
	[ "${CI:-}" = true ] && { echo "FAIL: must run as root under CI=true"; exit 1; }
	echo "SKIP: needs root (chroot)"
	exit 77
fi
T=$(mktemp -d)
CHROOT=$(command -v chroot)
trap 'umount -R "$T/image/host/opt/cni/bin" 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

cmake --build "$BUILD" --target bundle >"$T/build.log" 2>&1 || {
	cat "$T/build.log"
	echo "FAIL: cmake --build $BUILD --target bundle"
	exit 1
}
B=$BUILD/bundle
readelf -l "$B/sriov" | grep -q 'Requesting program interpreter' &&
	fail "the launcher is not static: $(readelf -l "$B/sriov" | grep interpreter)" || ok

# The image, from the Containerfile: FROM scratch, then each "COPY SRC DST" from the context.
cf=$SRC/packaging/Containerfile
[ "$(sed -n 's/^FROM[[:space:]]*//p' "$cf")" = scratch ] && ok || fail "the Containerfile is not FROM scratch"
mkdir -p "$T/image"
sed -n 's/^COPY[[:space:]]*//p' "$cf" >"$T/copies"
[ -s "$T/copies" ] && ok || fail "the Containerfile copies nothing"
while read -r from to; do
	mkdir -p "$T/image/$to"
	cp -a "$B/$from/." "$T/image/$to/" 2>/dev/null || cp -a "$B/$from" "$T/image/$to"
done <"$T/copies"
entry=$(sed -n 's/^ENTRYPOINT[[:space:]]*\["\([^"]*\)".*/\1/p' "$cf")
[ -x "$T/image$entry" ] && ok || fail "ENTRYPOINT $entry is not in the image"

# The DaemonSet's init container: its command, with the node's CNI bin dir mounted.
ds=$SRC/packaging/sriov-daemonset.yaml
cmd=$(sed -n '/initContainers:/,/containers:/s/^ *command: *\[\(.*\)\]$/\1/p' "$ds" | tr -d '",')
mnt=$(sed -n '/initContainers:/,/^      containers:/s/^ *mountPath: *//p' "$ds")
host=$(sed -n '/hostPath:/,$s/^ *path: *//p' "$ds")
echo "daemonset: init container runs '$cmd' with node $host at $mnt"
[ -n "$cmd" ] && [ -n "$mnt" ] && [ "$host" = /opt/cni/bin ] && ok || fail "cannot read the DaemonSet"
mkdir -p "$T/node$host" "$T/image$mnt" "$T/image/proc"
# Planted: the plugin's name already a symlink to a file elsewhere; install must replace the
# link, not write through it.
printf 'victim\n' >"$T/victim"
ln -s "$T/victim" "$T/node$host/sriov"
rc=0
unshare -m sh -c "mount --bind '$T/node$host' '$T/image$mnt' && mount -t proc proc '$T/image/proc' &&
	chroot '$T/image' $cmd" || rc=$?
[ "$rc" = 0 ] && ok || fail "the init container's command failed ($rc)"
[ -z "$(ls "$T/image$mnt")" ] && ok || fail "the mount leaked into the image dir"

[ "$(cat "$T/victim")" = victim ] && [ ! -L "$T/node$host/sriov" ] && ok ||
	fail "install wrote through a symlink at $host/sriov"
# A library directory that is a symlink is refused, and nothing is written through it.
mkdir -p "$T/node2/bin" "$T/elsewhere"
ln -s "$T/elsewhere" "$T/node2/bin/$(ls "$B" | grep '\.lib$')"
rc=0
unshare -m sh -c "mount --bind '$T/node2/bin' '$T/image$mnt' && mount -t proc proc '$T/image/proc' &&
	chroot '$T/image' $cmd" 2>"$T/err2" || rc=$?
[ "$rc" = 2 ] && [ -z "$(ls "$T/elsewhere")" ] && ok ||
	fail "install into a symlinked library directory: exit $rc, $(ls "$T/elsewhere" | wc -l) files written there ($(cat "$T/err2"))"

# The node: nothing but what the init container copied.
echo "node files: $(cd "$T/node" && find . -type f | sort | tr '\n' ' ')"
[ -x "$T/node$host/sriov" ] && ok || fail "no sriov in the node's $host"
out=$(env -i CNI_COMMAND=VERSION "$CHROOT" "$T/node" "$host/sriov" </dev/null 2>&1)
case $out in
*'"supportedVersions":["0.1.0","0.2.0","0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]'*) ok ;;
*) fail "VERSION from an empty root: $out" ;;
esac
printf '{"cniVersion":"1.0.0","name":"n","type":"sriov","vlan":7}' >"$T/node/n.json"
out=$(env -i "$CHROOT" "$T/node" "$host/sriov" validate /n.json 2>&1)
case $out in
'/n.json: valid sriov config for network n '*) ok ;;
*) fail "validate from an empty root: $out" ;;
esac
rc=0
out=$(printf '{"cniVersion":"1.0.0","name":"n","type":"sriov","deviceID":"0000:00:1f.7"}' |
	env -i CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_NETNS=/var/run/netns/p CNI_IFNAME=net1 \
		CNI_PATH="$host" "$CHROOT" "$T/node" "$host/sriov" 2>"$T/add.err") || rc=$?
echo "ADD from an empty root: exit $rc: $out"
[ "$rc" = 1 ] && ok || fail "ADD without a VF: exit $rc, wanted 1 ($(cat "$T/add.err"))"
printf '%s\n' "$out" | jq -e '(.code | type == "number" and . > 0) and (.msg | test("deviceID"))' >/dev/null &&
	ok || fail "ADD without a VF: not a CNI error naming the deviceID: $out"

echo "bundle: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
