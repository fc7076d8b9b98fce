#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# valgrind.sh BUILD_DIR [LABEL]: run every ctest test of LABEL (default unit) in BUILD_DIR that is
# a program built there under valgrind --leak-check=full; fails on any memory error or leak.
# For a plain (not sanitized) build: ASan and valgrind do not mix.
set -eu

build=${1:?usage: $0 BUILD_DIR [LABEL]}
label=${2:-unit}
command -v valgrind >/dev/null || {
	echo "valgrind: not installed (run tests/setup.sh)" >&2
	exit 1
}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
build=$(cd "$build" && pwd)
# One line per test: name, working directory, command (shell-quoted). Only programs built in
# BUILD_DIR: for a test that is a shell script valgrind would check the shell.
ctest --test-dir "$build" -L "$label" --show-only=json-v1 |
	jq -r --arg b "$build/" '.tests[] | select(.command[0] // "" | startswith($b)) |
	[.name, ((.properties // [])[] | select(.name == "WORKING_DIRECTORY") | .value) // ".",
	 (.command | @sh)] | @tsv' >"$list"
total=0
failed=0
while IFS="$(printf '\t')" read -r name dir cmd; do
	total=$((total + 1))
	rc=0
	(cd "$dir" && eval "exec valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99 $cmd") >/dev/null 2>"$list.err" || rc=$?
	case $rc in
	0) echo "valgrind: ok   $name" ;;
	77) echo "valgrind: skip $name" ;;
	*)
		failed=$((failed + 1))
		echo "valgrind: FAIL $name (exit $rc)"
		sed 's/^/  /' "$list.err"
		;;
	esac
done <"$list"
rm -f "$list.err"
echo "valgrind: $total test(s), $failed failed"
[ "$failed" = 0 ]
