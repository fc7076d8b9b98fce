#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# ipam_bench.sh: ADD+DEL cost with 0, 10,000 and 60,000 existing leases in a /16, for the Go
# host-local and for ours (as a process through hostlocal_shim, with and without the index,
# and as a library call), side by side. Not a test: the figures depend on the machine.
# Usage: ipam_bench.sh <build dir> [host-local binary] [reps]
set -eu

B=${1:?usage: ipam_bench.sh <build dir> [host-local] [reps]}
GO=${2:-/usr/lib/cni/host-local}
REPS=${3:-15}
SHIM=$B/tests/ipam/hostlocal_shim
HELP=$B/tests/bench/ipam_bench
[ -x "$SHIM" ] && [ -x "$HELP" ] || { echo "build hostlocal_shim and ipam_bench first" >&2; exit 1; }
[ -x "$GO" ] || { echo "$GO not found" >&2; exit 1; }

T=$(mktemp -d /var/tmp/ipam-bench.XXXXXX)
# Our store may only be below /var/lib/cni or /run; the helpers take a scratch root instead.
export SRIOV_IPAM_DATA_ROOT=$T
trap 'rm -rf "$T"' EXIT INT TERM

conf() { # conf <dataDir>
	printf '{"cniVersion":"1.0.0","name":"bench","ipam":{"type":"host-local","dataDir":"%s","subnet":"10.200.0.0/16"}}' "$1" >"$T/conf.json"
}

# Go host-local is slow at 60,000 leases (it reads every lease per ADD and per DEL): fewer reps.
go_reps() { if [ "$1" -ge 60000 ]; then echo 5; elif [ "$1" -ge 10000 ]; then echo 7; else echo "$REPS"; fi; }

printf '%-8s %-28s %12s %12s %12s\n' leases implementation "first ADD" "ADD (median)" "DEL (median)"
for n in 0 10000 60000; do
	for impl in go ours-exec-index ours-exec-scan ours-lib-index; do
		rm -rf "$T/data" "$T/state"
		"$HELP" fill "$T/data" bench "$n"
		conf "$T/data"
		case $impl in
		go) out=$("$HELP" exec "$GO" "$T/conf.json" "$(go_reps "$n")") ;;
		ours-exec-index) out=$("$HELP" exec "$SHIM" "$T/conf.json" "$REPS" "$T/state") ;;
		ours-exec-scan)
			[ "$n" -ge 60000 ] && r=5 || r=$REPS
			out=$("$HELP" exec "$SHIM" "$T/conf.json" "$r")
			;;
		ours-lib-index) out=$("$HELP" lib "$T/conf.json" "$((REPS * 10))" "$T/state") ;;
		esac
		set -- $out
		printf '%-8s %-28s %10s us %10s us %10s us\n' "$n" "$impl" "$1" "$2" "$3"
	done
done
