#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# addel_bench.sh: ADD/DEL cost of sriov on a real (emulated) VF, next to a bare exec of the
# same binary and the Go host-local. A benchmark, not a test: it prints figures.
# Usage: tests/bench/addel_bench.sh [build dir]   (root; after tests/setup.sh)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$SRC/build}
cmake --build "$B" --target sriov cnitime >/dev/null
pack="$B/tests/bench/cnitime:/usr/local/bin/cnitime"
[ -x /usr/lib/cni/host-local ] && pack="$pack /usr/lib/cni/host-local:/opt/cni/bin/host-local"
SRIOV_VM_PACK="$pack" exec bash "$SRC/tests/vm/run.sh" --sriov "$B/sriov" \
	--workdir "$B/vm-bench" --script "$SRC/tests/bench/addel-guest.sh"
