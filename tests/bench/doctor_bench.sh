#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# doctor_bench.sh: how long "sriov doctor --json" takes on the test VM's 7 VFs, with pods on
# six of them, before and after 300 more network namespaces with links appear (doctor must not
# look into namespaces its records do not name). A benchmark, not a test: it prints figures.
# Usage: tests/bench/doctor_bench.sh [build dir]   (root; after tests/setup.sh)
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
B=${1:-$SRC/build}
cmake --build "$B" --target sriov >/dev/null
exec bash "$SRC/tests/vm/run.sh" --sriov "$B/sriov" --workdir "$B/vm-bench" \
	--script "$SRC/tests/bench/doctor-guest.sh"
