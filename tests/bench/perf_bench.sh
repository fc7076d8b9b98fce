#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# perf_bench.sh: every performance figure of sriov in one boot of the test VM, as ratios to the
# kernel-work floor (tests/bench/floor.c), and the per-step breakdown of one ADD and one DEL.
# A benchmark, not a test: it prints figures (perf-guest.sh says which). Run it as root after
# tests/setup.sh, when the machine is as quiet as you can make it; it takes 5-10 minutes on a
# quiet 2-core machine, longer on a loaded one.
# Usage: tests/bench/perf_bench.sh [--quick] [--raw] [--before SRIOV_BINARY] [build dir]
#   --quick   small sizes, to try the script itself (the figures mean nothing)
#   --raw     also print the raw strace and tracer logs of the breakdown
#   --before  also time another build of sriov (say of an older commit) in the same rounds,
#             interleaved, for ADD, DEL and the parallel makespans
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
quick=0
raw=0
before=
while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 ;;
	--raw) raw=1 ;;
	--before)
		before=$(realpath "$2")
		shift
		[ -x "$before" ] || { echo "perf_bench: $before is not an executable" >&2; exit 2; }
		;;
	-*) echo "usage: $0 [--quick] [--raw] [--before SRIOV_BINARY] [build dir]" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
B=$(cd "${1:-$SRC/build}" && pwd)
echo "perf_bench: host before: $(uptime)"
cmake --build "$B" --target sriov floor floor-libs storetool cnitime >/dev/null
W=$B/vm-perf
mkdir -p "$W"
printf 'QUICK=%s\nRAW=%s\n' "$quick" "$raw" >"$W/perf.env"

# The host's own disk, for scale: the VM keeps the store on tmpfs, where fdatasync costs nothing.
mkdir -p "$W/fsync"
set -- $("$B/tests/bench/storetool" fsync "$W/fsync" 200)
rmdir "$W/fsync"
echo "perf_bench: a lease on this host's disk ($(df -T "$W" | awk 'NR == 2 { print $2 }')):" \
	"$1 ms with fdatasync, $2 ms without (200 leases)"

pack="$B/tests/bench/cnitime:/usr/local/bin/cnitime $B/tests/bench/floor:/usr/local/bin/floor"
pack="$pack $B/tests/bench/floor-libs:/usr/local/bin/floor-libs"
pack="$pack $B/tests/bench/storetool:/usr/local/bin/storetool $W/perf.env:/testbed/perf.env"
pack="$pack $SRC/tests/bench/perf-steps.awk:/testbed/perf-steps.awk"
pack="$pack $SRC/tests/bench/perf-summary.awk:/testbed/perf-summary.awk"
[ -z "$before" ] || pack="$pack $before:/usr/local/bin/sriov-before"
[ ! -x /usr/lib/cni/host-local ] || pack="$pack /usr/lib/cni/host-local:/opt/cni/bin/host-local"
# netlink_diag lets strace name the netlink requests of the host's sockets (it reads the
# rest from their bytes); 2 GiB hold 60,000 leases on the guest's tmpfs and 500 netns.
rc=0
SRIOV_VM_PACK="$pack" SRIOV_VM_MEM=2048 \
	SRIOV_VM_MODULES="igb igbvf 8021q vfio vfio_iommu_type1 vfio-pci veth dummy netlink_diag" \
	bash "$SRC/tests/vm/run.sh" --sriov "$B/sriov" --workdir "$W" --timeout 2700 \
	--script "$SRC/tests/bench/perf-guest.sh" || rc=$?
echo "perf_bench: host after: $(uptime)"
exit "$rc"
