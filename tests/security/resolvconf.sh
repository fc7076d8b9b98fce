#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# resolvconf.sh: ipam.resolvConf comes from a tenant; the result goes into the pod's
# annotations. The embedded host-local (through hostlocal_shim, an ADD per case) may read
# only a regular file of at most 64 KiB that every user may read, must never block on a FIFO
# or spin on a device, and must answer every other case with one and the same code-7 error
# that tells nothing about the file. No lease may be taken when it refuses.
# Usage: resolvconf.sh <hostlocal_shim>
set -u
SHIM=${1:?usage: resolvconf.sh <hostlocal_shim>}
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/sec-resolv.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 0755 "$T"
mkdir -m 0755 "$T/pub"
mkdir -m 0700 "$T/private"
printf 'nameserver 10.9.9.9\nsearch secret.example\n' >"$T/pub/root-only"
chmod 0600 "$T/pub/root-only"
printf 'nameserver 10.1.1.1\nsearch ok.example\n' >"$T/pub/ok"
chmod 0644 "$T/pub/ok"
printf 'nameserver 10.9.9.9\n' >"$T/private/in-closed-dir"
chmod 0644 "$T/private/in-closed-dir"
mkfifo -m 0644 "$T/pub/fifo"
head -c 70000 /dev/zero | tr '\0' '#' >"$T/pub/big"
chmod 0644 "$T/pub/big"
ln -s "$T/pub/fifo" "$T/pub/to-fifo"
ln -s "$T/pub/root-only" "$T/pub/to-root-only"
ln -s /dev/zero "$T/pub/to-zero"
ln -s "$T/pub/ok" "$T/pub/to-ok"
MSG=

# add <file>: one ADD with resolvConf=<file>, 20 s at most, a fresh store each time.
add()
{
	rm -rf "$T/data"
	printf '{"cniVersion":"1.0.0","name":"net","ipam":{"type":"host-local","subnet":"10.0.0.0/24","dataDir":"%s/data","resolvConf":"%s"}}' \
		"$T" "$1" >"$T/in"
	env -i CNI_COMMAND=ADD CNI_CONTAINERID=c1 CNI_IFNAME=eth0 CNI_NETNS=/x CNI_PATH=/x \
		SRIOV_IPAM_DATA_ROOT="$T" timeout -s KILL 20 "$SHIM" <"$T/in" >"$T/out" 2>"$T/err"
	RC=$?
}

refused()
{
	add "$2"
	msg=$(sed -n 's/.*"msg": *"\([^"]*\)".*/\1/p' "$T/out")
	if [ "$RC" = 137 ]; then
		bad "$1: hung"
	elif [ "$RC" = 0 ] || ! grep -q '"code": *7' "$T/out" || ! echo "$msg" | grep -q resolvConf; then
		bad "$1: want a code 7 naming resolvConf, got status $RC: $(head -c 300 "$T/out")"
	elif grep -q '10\.9\.9\.9\|secret' "$T/out"; then
		bad "$1: the file's content is in the output"
	elif [ -n "$MSG" ] && [ "$msg" != "$MSG" ]; then
		bad "$1: the message differs from the other refusals: \"$msg\" vs \"$MSG\""
	elif [ -e "$T/data/net" ] && [ -n "$(ls "$T/data/net" | grep -v lock)" ]; then
		bad "$1: a lease was taken"
	else
		MSG=$msg
		ok "$1"
	fi
}

refused 'missing file' "$T/pub/missing"
refused 'FIFO' "$T/pub/fifo"
refused '/dev/zero' /dev/zero
refused 'character device /dev/null' /dev/null
refused 'directory' "$T/pub"
refused 'file only root may read' "$T/pub/root-only"
refused 'readable file in a directory others cannot enter' "$T/private/in-closed-dir"
refused 'larger than 64 KiB' "$T/pub/big"
refused 'symlink to a FIFO' "$T/pub/to-fifo"
refused 'symlink to a file only root may read' "$T/pub/to-root-only"
refused 'symlink to /dev/zero' "$T/pub/to-zero"

for f in "$T/pub/ok" "$T/pub/to-ok"; do
	add "$f"
	if [ "$RC" = 0 ] && grep -q '10\.1\.1\.1' "$T/out" && grep -q 'ok\.example' "$T/out"; then
		ok "world-readable file is used: $(basename "$f")"
	else
		bad "world-readable file $(basename "$f"): status $RC: $(head -c 300 "$T/out")"
	fi
done

sec_done
