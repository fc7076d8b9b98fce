#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# format.sh: check the C sources against .clang-format, or rewrite them.
#   tests/format.sh              print a diff per badly formatted file; exit 1 if there is one
#   tests/format.sh --fix        rewrite the files in place
#   tests/format.sh --advisory   as the check, but exit 77 (reported as skipped) instead of 1
# Files: every *.c and *.h git knows or would add (tracked, or untracked and not ignored).
set -eu

cd "$(dirname "$0")/.."
CLANG_FORMAT=${CLANG_FORMAT:-clang-format}
mode=check
case ${1:-} in
'') ;;
--fix) mode=fix ;;
--advisory) mode=advisory ;;
*)
	echo "usage: $0 [--fix | --advisory]" >&2
	exit 2
	;;
esac

command -v "$CLANG_FORMAT" >/dev/null || {
	echo "format: $CLANG_FORMAT not found (package clang-format; run tests/setup.sh)" >&2
	exit 1
}
[ -f .clang-format ] || {
	echo "format: no .clang-format at $(pwd)" >&2
	exit 1
}

list=$(mktemp)
out=$(mktemp)
trap 'rm -f "$list" "$out"' EXIT
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git ls-files --cached --others --exclude-standard -- '*.c' '*.h' >"$list"
else
	find cmd lib ipam include tests -name '*.[ch]' 2>/dev/null | sort >"$list"
fi

total=0
bad=0
while IFS= read -r f; do
	[ -f "$f" ] || continue # deleted but still in the index
	total=$((total + 1))
	if [ "$mode" = fix ]; then
		"$CLANG_FORMAT" -i --style=file "$f"
		continue
	fi
	if ! "$CLANG_FORMAT" --style=file --assume-filename="$f" <"$f" | diff -u "$f" - >"$out"; then
		bad=$((bad + 1))
		echo "format: $f is not formatted (tests/format.sh --fix):"
		sed -e 's/^/  /' -e '200q' "$out"
	fi
done <"$list"

if [ "$mode" = fix ]; then
	echo "format: ran $CLANG_FORMAT -i on $total file(s)"
	exit 0
fi
if [ "$bad" -gt 0 ]; then
	echo "format: $bad of $total file(s) need formatting"
	[ "$mode" = advisory ] && exit 77
	exit 1
fi
echo "format: all $total file(s) are formatted"
