#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# gc_bench.sh: GC as the runtime runs it, the whole sriov binary, on <leases> leases written
# as the Go host-local writes them (tests/bench/storetool.c) in a tmpfs dataDir, with a
# valid-attachments list as long as <gc bytes> of config hold (c0, c1, ... on eth0; the
# other leases go). Prints wall time, CPU time and peak RSS of:
#   - GC that deletes every lease not listed, against the floors: reading every lease file
#     once (storetool readall) and unlinking as many files with rm;
#   - GC again on what is left: nothing to delete;
#   - the same GC on a full store that our index covers (a DEL built it): no lease is read;
#   - GC with an empty list; VERSION; DEL of a container with no VF recorded (IPAM DEL on the
#     same store): the runs around it.
# Not a test: the figures depend on the machine. Needs root (the plugin takes a dataDir below
# /run or /var/lib/cni only) and /usr/bin/time. Usage:
#   gc_bench.sh <build dir> [leases (60000)] [gc bytes (1048576)]
set -eu

B=${1:?usage: gc_bench.sh <build dir> [leases] [gc bytes]}
LEASES=${2:-60000}
GC_BYTES=${3:-1048576}
SRIOV=$B/sriov
TOOL=$B/tests/bench/storetool
for x in "$SRIOV" "$TOOL" /usr/bin/time; do
	[ -x "$x" ] || { echo "$x missing (build sriov and storetool; tests/setup.sh installs time)" >&2; exit 1; }
done

T=$(mktemp -d /run/sriov-gc-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
STORE=$T/data/bench
printf '{"cniVersion":"1.1.0","name":"bench","type":"sriov","ipam":{"type":"host-local","dataDir":"%s","subnet":"10.200.0.0/16"}}' \
	"$T/data" >"$T/conf.json"
"$TOOL" gclist "$T/conf.json" "$GC_BYTES" >"$T/gc.json" 2>"$T/gc.count"
read -r keep gcsize <"$T/gc.count"
sed 's/}$/,"cni.dev\/valid-attachments":[]}/' "$T/conf.json" >"$T/empty.json"
fill() { rm -rf "$T/data" "$T/state"; mkdir -p "$T/data" "$T/state"; "$TOOL" fill "$STORE" "$1" 10.200 >/dev/null; }
leases() { find "$STORE" -maxdepth 1 -name '10.*' | wc -l; }
mib() { awk -v k="$1" 'BEGIN { printf "%.2f", k / 1024 }'; }

# run LABEL COMMAND CONFIG: the whole binary once; prints wall, CPU, peak RSS, leases after.
run()
{
	label=$1 cmd=$2 conf=$3
	env CNI_COMMAND="$cmd" CNI_PATH=/nonexistent CNI_CONTAINERID=bench-del CNI_IFNAME=net1 \
		CNI_NETNS=/nonexistent SRIOV_STATE_DIR="$T/state" \
		/usr/bin/time -o "$T/time" -f '%e %U %S %M' "$SRIOV" <"$conf" >"$T/out" 2>"$T/err" ||
		{ echo "$label: exit $?: $(cat "$T/out" "$T/err")"; }
	set -- $(tail -n 1 "$T/time")
	echo "$label: $1 s wall, $(awk -v u="$2" -v s="$3" 'BEGIN { printf "%.2f", u + s }') s CPU" \
		"($2 user, $3 sys), peak RSS $(mib "$4") MiB; leases now $(leases)"
	echo "$4" >>"$T/rss"
}
: >"$T/rss"

echo "== GC, the whole binary: $LEASES leases in $STORE (tmpfs);" \
	"a list of $keep attachments in a $gcsize-byte config"
fill "$LEASES"
set -- $("$TOOL" readall "$STORE")
echo "floor: reading every lease file once ($1 files): $2 ms"
run "GC deleting $((LEASES - keep)) leases" GC "$T/gc.json"
run "GC again, nothing to delete ($keep leases)" GC "$T/gc.json"
fill "$LEASES"
start=$(date +%s.%N)
(cd "$STORE" && find . -maxdepth 1 -name '10.*' | head -n $((LEASES - keep)) | xargs rm -f)
echo "floor: rm of $((LEASES - keep)) lease files: $(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }') s wall"
fill "$LEASES"
run "DEL, no VF recorded ($LEASES leases; builds our index)" DEL "$T/conf.json"
run "GC deleting $((LEASES - keep)) leases, our index covering the store" GC "$T/gc.json"
run "VERSION" VERSION "$T/conf.json"
run "GC with an empty list" GC "$T/empty.json"
echo "peak RSS over every run above: $(mib "$(sort -n "$T/rss" | tail -n 1)") MiB"
