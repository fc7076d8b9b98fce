#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run.sh: build the libFuzzer harnesses (clang, -DSRIOV_FUZZ=ON: ASan + UBSan) and run each
# for a fixed time over a scratch copy of its checked-in corpus (plus examples/ for the
# config parsers). A crash, leak, sanitizer report or timeout fails the run; the input is
# kept as <artifacts>/<harness>-crash-* and belongs in tests/fuzz/corpus/<name>/ afterwards,
# where the replay test (fuzz/fuzz_<name>) runs it in every build.
# Usage: run.sh <build dir configured with -DSRIOV_FUZZ=ON> [seconds per harness] [jobs]
set -u
B=${1:?usage: run.sh <fuzz build dir> [seconds] [jobs]}
SECS=${2:-30}
JOBS=${3:-2}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HARNESSES=$(cd "$SRC/tests/fuzz" && ls fuzz_*.c | sed 's/\.c$//')

# shellcheck disable=SC2086
cmake --build "$B" -j "$JOBS" --target $HARNESSES || exit 1
ART=$B/fuzz-artifacts
mkdir -p "$ART"
W=$(mktemp -d /tmp/sriov-fuzz.XXXXXX)
trap 'rm -rf "$W"' EXIT
failed=0
for h in $HARNESSES; do
	name=${h#fuzz_}
	bin=$(find "$B/tests/fuzz" -maxdepth 1 -name "$h" -type f | head -n 1)
	[ -x "$bin" ] || { echo "FAIL: $h was not built"; failed=$((failed + 1)); continue; }
	mkdir -p "$W/$name"
	[ -d "$SRC/tests/fuzz/corpus/$name" ] && cp "$SRC/tests/fuzz/corpus/$name"/* "$W/$name/"
	extra=
	case $name in *conf) extra=$SRC/examples ;; esac
	# shellcheck disable=SC2086
	if "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$ART/$h-" "$W/$name" $extra \
		>"$W/$h.log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$W/$h.log")
		echo "ok: $h: ${runs:-?} inputs in ${SECS}s, corpus $(ls "$W/$name" | wc -l) files"
	else
		failed=$((failed + 1))
		echo "FAIL: $h; the input is in $ART:"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$W/$h.log" | head -n 20
		tail -n 30 "$W/$h.log"
	fi
done
total=$(echo "$HARNESSES" | wc -w)
echo "fuzz: $((total - failed)) passed, $failed failed"
[ "$failed" = 0 ]
