#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_stdin.sh: the config on stdin through the built binary at the size limit: 1 MiB
# (1,048,576 bytes) is read whole and parsed, one byte more is refused as too large (CNI code
# 6), whatever size pieces the runtime writes it in. CHECK without deviceID stops at the
# config's own checks, so nothing on the machine is looked at.
# usage: test_stdin.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

SRIOV=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

# config SIZE: a valid config without deviceID, padded with blanks to SIZE bytes.
config()
{
	body='{"cniVersion":"1.0.0","name":"n","type":"sriov"}'
	head -c $(($1 - ${#body})) /dev/zero | tr '\0' ' '
	printf '%s' "$body"
}

# run FILE [PIPE]: the plugin's stdout for CHECK with FILE on stdin, through a pipe written
# in 4 KiB pieces when PIPE is given, else from the file itself.
run()
{
	if [ -n "${2:-}" ]; then
		dd if="$1" bs=4096 status=none | CNI_COMMAND=CHECK CNI_CONTAINERID=c \
			CNI_NETNS=/var/run/netns/c CNI_IFNAME=net1 "$SRIOV" 2>/dev/null
	else
		CNI_COMMAND=CHECK CNI_CONTAINERID=c CNI_NETNS=/var/run/netns/c CNI_IFNAME=net1 \
			"$SRIOV" <"$1" 2>/dev/null
	fi
}

for size in 65535 65536 65537 131072 1048575 1048576 1048577 1100000; do
	config $size >"$T/c.json"
	[ "$(wc -c <"$T/c.json")" -eq $size ] || fail "the test config is not $size bytes"
	for how in "" pipe; do
		out=$(run "$T/c.json" $how)
		if [ $size -le 1048576 ]; then
			case $out in
			*'"code":7'*deviceID*) ;;
			*) fail "$size bytes${how:+ through a pipe}: want the deviceID error, got: $out" ;;
			esac
		else
			case $out in
			*'"code":6'*'larger than 1048576 bytes'*) ;;
			*) fail "$size bytes${how:+ through a pipe}: want code 6, too large; got: $out" ;;
			esac
		fi
	done
done

[ $failed -eq 0 ] || exit 1
echo "test_stdin: all sizes read as expected"
