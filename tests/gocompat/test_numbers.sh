#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_numbers.sh: numbers as gojson_print() writes them (the sriov-cni cache, the VF records)
# against Go's encoding/json on the values numgen.go generates: every line must be the same.
# usage: test_numbers.sh NUMPRINT NUMGEN_SOURCE
set -u
NUMPRINT=$1
GEN=$2
if ! command -v go >/dev/null; then
	echo "go not found (package golang-go; tests/setup.sh installs it)"
	[ "${CI:-}" = true ] && exit 1
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
GO111MODULE=off GOFLAGS= GOCACHE=$T/cache GOPATH=$T/gopath go run "$GEN" >"$T/go.txt" || exit 1
"$NUMPRINT" <"$T/go.txt" >"$T/c.txt" || { echo "numprint failed"; exit 1; }
total=$(wc -l <"$T/go.txt")
[ "$total" -gt 100000 ] || { echo "only $total values generated"; exit 1; }
if ! cmp -s "$T/go.txt" "$T/c.txt"; then
	echo "values printed unlike Go (bits, Go, ours):"
	paste -d' ' "$T/go.txt" "$T/c.txt" | awk '($2 "") != ($4 "") { print $1, $2, $4 }' | head -20
	echo "$(paste -d' ' "$T/go.txt" "$T/c.txt" | awk '($2 "") != ($4 "")' | wc -l) of $total differ"
	exit 1
fi
echo "test_numbers: $total values printed as Go prints them"
