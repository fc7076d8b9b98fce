#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# store_bench.sh: the lease store at scale, host-side, in a tmpfs dataDir: <leases> leases
# written as the Go host-local writes them (tests/bench/storetool.c), then
#   - the floor: reading every lease file once (storetool readall, median of 3);
#   - the first ADD with no index of ours yet, as a process (hostlocal_shim), against that
#     floor, and its peak RSS;
#   - steady-state ADD/DEL with the index, against ADD/DEL on an empty store;
#   - GC with a valid-attachments list as long as a <gc bytes> config holds (in-process
#     ipam_gc(), wall and CPU time, peak RSS of the whole process), and which leases survive.
# Not a test: the figures depend on the machine. Usage:
#   store_bench.sh <build dir> [leases (60000)] [gc bytes (1048576)] [reps (15)]
set -eu

B=${1:?usage: store_bench.sh <build dir> [leases] [gc bytes] [reps]}
LEASES=${2:-60000}
GC_BYTES=${3:-1048576}
REPS=${4:-15}
SHIM=$B/tests/ipam/hostlocal_shim
HELP=$B/tests/bench/ipam_bench
TOOL=$B/tests/bench/storetool
for x in "$SHIM" "$HELP" "$TOOL"; do
	[ -x "$x" ] || { echo "$x missing: build hostlocal_shim, ipam_bench and storetool" >&2; exit 1; }
done

# tmpfs (/run, else /dev/shm), so the figures are CPU and system calls, not the disk.
base=/run
[ "$(stat -f -c %T /run)" = tmpfs ] || base=/dev/shm
T=$(mktemp -d $base/sriov-store-bench.XXXXXX)
export SRIOV_IPAM_DATA_ROOT=$T
trap 'rm -rf "$T"' EXIT INT TERM
STORE=$T/data/bench
printf '{"cniVersion":"1.1.0","name":"bench","ipam":{"type":"host-local","dataDir":"%s","subnet":"10.200.0.0/16"}}' \
	"$T/data" >"$T/conf.json"

median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.1f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
maxof() { sort -n | tail -n 1; }
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }
RSS=$T/rss
: >"$RSS"

fill() { rm -rf "$T/data" "$T/state"; mkdir -p "$T/data"; "$TOOL" fill "$STORE" "$1" 10.200; }

echo "== $LEASES leases in $STORE (tmpfs)"
fill "$LEASES"
for i in 1 2 3; do "$TOOL" readall "$STORE"; done >"$T/readall"
floor=$(awk '{ print $2 }' "$T/readall" | median)
echo "floor: reading every lease file once ($(head -n 1 "$T/readall" | cut -d' ' -f1) files), median of 3: $floor ms"

: >"$T/first"
for i in 1 2 3; do
	rm -rf "$T/state"
	set -- $("$HELP" run "$SHIM" "$T/conf.json" ADD "first$i" "$T/state")
	echo "$1" >>"$T/first"
	echo "$2" >>"$RSS"
	echo "   first ADD #$i: $(ms "$1") ms, peak RSS $(mib "$2") MiB"
	set -- $("$HELP" run "$SHIM" "$T/conf.json" DEL "first$i" "$T/state")
	echo "$2" >>"$RSS"
done
first=$(ms "$(median <"$T/first")")
echo "first ADD (no index yet), median of 3: $first ms = $(ratio "$first" "$floor") x the floor"

set -- $("$HELP" exec "$SHIM" "$T/conf.json" "$REPS" "$T/state")
add60=$1 del60=$2
set -- $("$HELP" run "$SHIM" "$T/conf.json" ADD steady "$T/state")
echo "$2" >>"$RSS"
set -- $("$HELP" run "$SHIM" "$T/conf.json" DEL steady "$T/state")
echo "$2" >>"$RSS"
set -- $("$HELP" exec "$SHIM" "$T/conf.json" "$REPS" "$T/state")
add60=$2 del60=$3
fill 0
set -- $("$HELP" exec "$SHIM" "$T/conf.json" "$REPS" "$T/state")
add0=$2 del0=$3
echo "steady state, median of $REPS: ADD $(ms "$add60") ms with $LEASES leases vs $(ms "$add0") ms empty" \
	"= $(ratio "$add60" "$add0") x; DEL $(ms "$del60") vs $(ms "$del0") ms = $(ratio "$del60" "$del0") x"

echo "== GC: $LEASES leases, a valid-attachments list of at most $GC_BYTES bytes"
printf '{"cniVersion":"1.1.0","name":"bench","ipam":{"type":"host-local","dataDir":"%s","subnet":"10.200.0.0/16"}}' \
	"$T/data" | "$TOOL" gclist /dev/stdin "$GC_BYTES" >"$T/gc.json" 2>"$T/gc.count"
read -r keep gcsize <"$T/gc.count"
echo "   the list: $keep attachments (c0..c$((keep - 1)) on eth0) in a $gcsize-byte config"
for mode in index scan; do
	fill "$LEASES"
	state=$T/state
	if [ $mode = index ]; then
		# the index built by a first call, as on a node that has been running
		"$HELP" run "$SHIM" "$T/conf.json" ADD warm "$T/state" >/dev/null
		"$HELP" run "$SHIM" "$T/conf.json" DEL warm "$T/state" >/dev/null
		set -- $("$HELP" gc "$T/conf.json" "$keep" "$T/state")
	else
		set -- $("$HELP" gc "$T/conf.json" "$keep")
	fi
	echo "$3" >>"$RSS"
	after=$(ls "$STORE" | grep -c '^10\.' || true)
	echo "GC ($mode): $(ms "$1") ms wall, $(ms "$2") ms CPU, peak RSS $(mib "$3") MiB;" \
		"leases $LEASES -> $after (the list keeps $keep)"
	[ "$after" = "$keep" ] || echo "   WARNING: GC kept $after leases, the list names $keep"
done
echo "peak RSS over every run above: $(mib "$(maxof <"$RSS")") MiB"
