#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh: the test command. Builds three times and runs every test through one ctest run, whose
# summary ends the output:
#   build/ci        gcc, -DSRIOV_WERROR=ON: all labels (unit, netns, vm)
#   build/ci-asan   clang, ASan+UBSan, -DSRIOV_WERROR=ON: unit and netns
#   build/ci-fuzz   clang, -DSRIOV_FUZZ=ON: each libFuzzer harness for 30 s (about 5 min)
# plus the format check (reported as skipped while files are unformatted) and the unit tests
# under valgrind. Exit status: 0 when everything passed. Run as root (netns and vm tests need
# it); with CI=true nothing may skip. SRIOV_CI_DIR moves the build directories (default build/).
set -eu

SRC=$(cd "$(dirname "$0")/.." && pwd)
OUT=${SRIOV_CI_DIR:-$SRC/build}
JOBS=$(nproc 2>/dev/null || echo 2)
cd "$SRC"

say()
{
	printf '\n==== %s\n' "$*"
}

start=$(date +%s)
say "configure + build: gcc, warnings are errors ($OUT/ci)"
cmake -S . -B "$OUT/ci" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSRIOV_WERROR=ON -DSRIOV_VM_TESTS=ON
cmake --build "$OUT/ci" -j "$JOBS" || {
	echo "run.sh: the gcc -Werror build in $OUT/ci failed; no tests were run" >&2
	exit 1
}

say "configure: clang, ASan+UBSan ($OUT/ci-asan; built by the sanitize/build test)"
cmake -S . -B "$OUT/ci-asan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DSRIOV_SANITIZE=ON -DSRIOV_WERROR=ON -DSRIOV_VM_TESTS=OFF

say "configure: clang, libFuzzer + ASan+UBSan ($OUT/ci-fuzz; built and run by the fuzz/run test)"
cmake -S . -B "$OUT/ci-fuzz" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	-DSRIOV_FUZZ=ON -DSRIOV_WERROR=ON -DSRIOV_VM_TESTS=OFF

# One ctest run over both builds and the checks, so that its summary counts everything. ctest
# reads CTestTestfile.cmake files; subdirs() accepts absolute paths.
all=$OUT/ci-all
mkdir -p "$all"
cat >"$all/CTestTestfile.cmake" <<CTEST
# Written by tests/run.sh.
add_test([=[format]=] "sh" "$SRC/tests/format.sh")
set_tests_properties([=[format]=] PROPERTIES LABELS "format" SKIP_RETURN_CODE 77 TIMEOUT 300)
add_test([=[sanitize/build]=] "cmake" "--build" "$OUT/ci-asan" "-j" "$JOBS")
set_tests_properties([=[sanitize/build]=] PROPERTIES LABELS "sanitize" FIXTURES_SETUP "asan" TIMEOUT 1200)
add_test([=[sanitize/unit+netns]=] "ctest" "--test-dir" "$OUT/ci-asan" "-L" "^(unit|netns)\$" "--output-on-failure")
set_tests_properties([=[sanitize/unit+netns]=] PROPERTIES LABELS "sanitize" FIXTURES_REQUIRED "asan" RUN_SERIAL TRUE TIMEOUT 1200)
add_test([=[fuzz/run]=] "sh" "$SRC/tests/fuzz/run.sh" "$OUT/ci-fuzz" "30" "$JOBS")
set_tests_properties([=[fuzz/run]=] PROPERTIES LABELS "fuzz" RUN_SERIAL TRUE TIMEOUT 1200)
add_test([=[valgrind/unit]=] "sh" "$SRC/tests/valgrind.sh" "$OUT/ci" "unit")
set_tests_properties([=[valgrind/unit]=] PROPERTIES LABELS "valgrind" TIMEOUT 1200)
subdirs("$OUT/ci")
CTEST

say "ctest: format, sanitize, fuzz, valgrind, and $OUT/ci (unit, netns, vm)"
echo "(setup and builds took $(($(date +%s) - start))s)"
log=$all/ctest.out
set +e
ctest --test-dir "$all" --output-on-failure 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
# ctest prints its totals before the timing and failure lists: repeat them as the last line.
grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true
exit "$rc"
