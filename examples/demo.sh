#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# demo.sh: build the sriov plugin, boot the emulated SR-IOV NIC in QEMU and play a two-pod
# scenario in it live (examples/demo-guest.sh): ADD a VF to each pod with host-local IPAM, ping
# between the pods, DEL both. Needs root and tests/setup.sh. Exit status 0 only if every step
# worked. Extra arguments go to tests/vm/run.sh (e.g. --timeout 600).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${SRIOV_DEMO_BUILD:-$SRC/build/demo}

echo "demo: building sriov in $BUILD"
mkdir -p "$BUILD"
cmake -S "$SRC" -B "$BUILD" -DSRIOV_VM_TESTS=OFF >"$BUILD/configure.log" 2>&1 || {
	cat "$BUILD/configure.log"
	echo "demo: cmake configure failed" >&2
	exit 1
}
cmake --build "$BUILD" --target sriov -j "$(nproc 2>/dev/null || echo 2)"
echo "demo: booting the VM (QEMU, no KVM: about 15 s to the first output)"
exec bash "$SRC/tests/vm/run.sh" --sriov "$BUILD/sriov" --workdir "$BUILD/vm" \
	--script "$SRC/examples/demo-guest.sh" "$@"
