#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_gc_list.sh: GC through the built binary with a valid-attachments list of 20,000
# attachments (about 1 MiB of config) over 20,000 leases written as the Go host-local writes
# them: exactly the listed owners keep their leases. The list mixes what a list may hold:
# keys in other cases, \u escapes, other members inside an element, another ifname, and an
# earlier empty list under the same key (the last one counts, as in Go). Correctness only;
# tests/bench/gc_bench.sh prints the time and memory.
# usage: test_gc_list.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

SRIOV=$1
TOOL=${4:-}/tests/bench/storetool
if [ ! -x "$TOOL" ]; then
	echo "storetool is not built ($TOOL)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
# The plugin takes a dataDir below /run or /var/lib/cni only: a scratch directory in /run.
if ! T=$(mktemp -d /run/sriov-gc-list.XXXXXX 2>/dev/null); then
	echo "cannot make a directory in /run (needs root)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
trap 'rm -rf "$T"' EXIT
N=24000
. "$(dirname "$0")/../checks.sh"

mkdir -p "$T/data" "$T/state"
"$TOOL" fill "$T/data/gcl" "$N" 10.200 >/dev/null || exit 1
echo keep >"$T/data/gcl/notalease"

# One element a line in $T/list, the owners that must keep their leases in $T/want.
awk -v n="$N" -v want="$T/want" 'BEGIN {
	for (i = 0; i < n; i++) {
		m = i % 6
		if (m == 0)
			e = sprintf("{\"containerID\":\"c%d\",\"ifname\":\"eth0\"}", i)
		else if (m == 1)
			e = sprintf("{\"containerID\":\"c%d\",\"ifname\":\"eth1\"}", i)
		else if (m == 2)
			continue
		else if (m == 3)
			e = sprintf("{\"ContainerID\":\"c%d\",\"IFNAME\":\"eth0\"}", i)
		else if (m == 4)
			e = sprintf("{\"containerID\":\"c\\u003%s%s\",\"ifname\":\"eth\\u0030\"}",
				    substr(i, 1, 1), substr(i, 2))
		else
			e = sprintf("{ \"x\" : [ \"]}\" , {\"y\":\"\\\"[\"} ] ,\n \"containerID\" : \"c%d\" , \"ifname\":\"eth0\" }", i)
		printf "%s%s", (first++ ? "," : ""), e
		if (m != 1)
			print "c" i >want
	}
}' >"$T/list"
{
	printf '{"cniVersion":"1.1.0","name":"gcl","type":"sriov",'
	printf '"cni.dev/valid-attachments":[],'
	printf '"ipam":{"type":"host-local","subnet":"10.200.0.0/16","dataDir":"%s"},' "$T/data"
	printf '"cni.dev/valid-attachments":['
	cat "$T/list"
	printf ']}'
} >"$T/gc.json"
size=$(wc -c <"$T/gc.json")
[ "$size" -gt 900000 ] && [ "$size" -le 1048576 ] || fail "the config is $size bytes, not 0.9-1 MiB"
sort "$T/want" >"$T/want.sorted"

# gc [cat]: run GC on the config (from a file, or through a pipe); RC and OUT.
gc()
{
	RC=0
	if [ "${1:-}" = cat ]; then
		OUT=$(cat "$T/gc.json" | env CNI_COMMAND=GC CNI_PATH=/nonexistent \
			SRIOV_STATE_DIR="$T/state" "$SRIOV" 2>"$T/err") || RC=$?
	else
		OUT=$(env CNI_COMMAND=GC CNI_PATH=/nonexistent SRIOV_STATE_DIR="$T/state" \
			"$SRIOV" <"$T/gc.json" 2>"$T/err") || RC=$?
	fi
}

# The owner of every lease left (first line of each file named as an IP), sorted.
owners()
{
	find "$T/data/gcl" -maxdepth 1 -type f -name '10.*' -exec head -q -n 1 {} + |
		tr -d '\r' | sort
}

for how in file cat; do
	gc $how
	[ "$RC" = 0 ] || fail "GC ($how) exited $RC: $OUT $(cat "$T/err")"
	[ -z "$OUT" ] || fail "GC ($how) printed: $OUT"
	owners >"$T/have"
	if ! cmp -s "$T/have" "$T/want.sorted"; then
		fail "GC ($how): $(wc -l <"$T/have") leases left, $(wc -l <"$T/want.sorted") wanted;" \
			"first differences:"
		diff "$T/want.sorted" "$T/have" | head -n 5
	fi
	[ -f "$T/data/gcl/notalease" ] || fail "GC ($how) removed a file that is no lease"
done

echo "gc list: $size-byte config, $(wc -l <"$T/want.sorted") of $N leases kept, $failed failed"
[ "$failed" = 0 ]
