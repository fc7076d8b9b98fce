#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# addel_bench.sh: ADD/DEL cost of sriov on a real (emulated) VF, next to a bare exec of the
# same binary and the Go host-local. A benchmark, not a test: it prints figures.
# Usage: tests/bench/addel_bench.sh [--before SRIOV_BINARY] [build dir]   (root; after
# tests/setup.sh). With --before (say a build of main) both binaries are timed in the same VM
# boot, round by round in alternating turns, so that their figures compare.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
before=
if [ "${1:-}" = --before ]; then
	before=$(realpath "$2")
	shift 2
	[ -x "$before" ] || { echo "addel_bench: $before is not an executable" >&2; exit 2; }
fi
B=${1:-$SRC/build}
cmake --build "$B" --target sriov cnitime >/dev/null
pack="$B/tests/bench/cnitime:/usr/local/bin/cnitime"
[ -n "$before" ] && pack="$pack $before:/usr/local/bin/sriov-before"
[ -x /usr/lib/cni/host-local ] && pack="$pack /usr/lib/cni/host-local:/opt/cni/bin/host-local"
SRIOV_VM_PACK="$pack" exec bash "$SRC/tests/vm/run.sh" --sriov "$B/sriov" \
	--workdir "$B/vm-bench" --script "$SRC/tests/bench/addel-guest.sh"
