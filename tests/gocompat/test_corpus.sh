#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_corpus.sh: the cache sriov's ADD writes for every real-world config of the corpus and
# every example (three snapshots each: a netdev VF, a DPDK VF, one with a pinned admin MAC)
# reads back into sriov-cni v2.10's NetConf and is byte for byte what its MarshalJSON writes.
#	test_corpus.sh CACHEGEN CACHECHECK SRCDIR CORPUSDIR
set -eu

gen=$1 check=$2 src=$3 corpus=$4
if [ ! -x "$check" ]; then
	echo "cachecheck not built: go (package golang-go) was not found at configure time"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set -- "$src"/examples/*.json
if [ -d "$corpus" ]; then
	set -- "$@" "$corpus"/*.json
elif [ "${CI:-}" = true ]; then
	echo "corpus $corpus missing"
	exit 1
fi
"$gen" "$out" "$@"
n=0
bad=0
for f in "$out"/*; do
	n=$((n + 1))
	"$check" "$f" >/dev/null || { "$check" "$f" || true; bad=$((bad + 1)); }
done
echo "gocompat: $n caches, $bad not as sriov-cni v2.10 reads and writes them"
[ "$n" -gt 0 ] && [ "$bad" = 0 ]
