#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# setup.sh: install every build and test dependency on a Debian 12 machine (run as root).
# Idempotent: a second run only checks what is already there. Downloads are cached in
# $SRIOV_CACHE (default /var/cache/sriov-testbed).
set -eu

CACHE=${SRIOV_CACHE:-/var/cache/sriov-testbed}
BACKPORTS=/etc/apt/sources.list.d/sriov-bookworm-backports.sources

if [ "$(id -u)" != 0 ]; then
	echo "setup.sh: must run as root" >&2
	exit 1
fi

say() { printf '[setup] %s\n' "$*"; }

need_update=0
if [ ! -f "$BACKPORTS" ]; then
	say "adding bookworm-backports to apt sources"
	cat >"$BACKPORTS" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	need_update=1
fi

PKGS="build-essential cmake pkg-config clang clang-format valgrind libclang-rt-14-dev
libcjson-dev libnl-3-dev libnl-route-3-dev libmnl-dev libcmocka-dev
busybox-static iproute2 jq cpio kmod containernetworking-plugins xz-utils zstd util-linux git strace"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
qemu_ok=0
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
	major=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ "${major:-0}" -ge 8 ] && qemu_ok=1
fi

if [ -n "$missing" ] || [ "$qemu_ok" = 0 ] || [ "$need_update" = 1 ]; then
	say "apt-get update"
	apt-get update -q >/dev/null
fi
if [ -n "$missing" ]; then
	say "installing:$missing"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ "$qemu_ok" = 0 ]; then
	say "installing qemu-system-x86 from bookworm-backports"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-t bookworm-backports qemu-system-x86 >/dev/null
fi

# The guest kernel: Debian's own, unpacked (not installed) so that the host stays untouched.
mkdir -p "$CACHE/debs"
if [ ! -f "$CACHE/kernel/.done" ]; then
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -n 1)
	[ -n "$pkg" ] || { echo "setup.sh: cannot resolve linux-image-amd64" >&2; exit 1; }
	say "downloading guest kernel $pkg"
	(cd "$CACHE/debs" && ls "$pkg"_*.deb >/dev/null 2>&1 || apt-get download -q "$pkg" >/dev/null)
	rm -rf "$CACHE/kernel"
	mkdir -p "$CACHE/kernel"
	dpkg -x "$CACHE/debs/$pkg"_*.deb "$CACHE/kernel"
	touch "$CACHE/kernel/.done"
fi
say "guest kernel: $(ls "$CACHE"/kernel/boot/vmlinuz-* | head -n 1)"
say "qemu: $(qemu-system-x86_64 --version | head -n 1)"
say "done"
