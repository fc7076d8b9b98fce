#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# setup.sh: install every build and test dependency on a Debian 12 machine (run as root).
# Idempotent: a second run only checks what is already there. Downloads are cached in
# $SRIOV_CACHE (default /var/cache/sriov-testbed).
set -eu

CACHE=${SRIOV_CACHE:-/var/cache/sriov-testbed}
BACKPORTS=/etc/apt/sources.list.d/sriov-bookworm-backports.sources
SOURCES=/etc/apt/sources.list.d/sriov-bookworm-src.sources

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

# Debian's source packages that the tests build from (cnitool, from libcni's source).
if [ ! -f "$SOURCES" ]; then
	say "adding bookworm deb-src to apt sources"
	cat >"$SOURCES" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	need_update=1
fi

PKGS="build-essential cmake pkg-config clang clang-format valgrind libclang-rt-14-dev
libcjson-dev libnl-3-dev libnl-route-3-dev libmnl-dev libcmocka-dev libyaml-dev
busybox-static iproute2 jq cpio kmod containernetworking-plugins xz-utils zstd util-linux git
golang-go golang-github-appc-cni-dev dpkg-dev libseccomp2 iperf3 systemd groff-base strace procps time"

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

# Debian's Go builds the sriov-cni cache checker (tests/gocompat/cachecheck.go).
if ! dpkg-query -W -f='${Status}' golang-go 2>/dev/null | grep -q "ok installed"; then
	say "installing golang-go"
	[ -n "$missing" ] || [ "$qemu_ok" = 0 ] || [ "$need_update" = 1 ] || apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends golang-go >/dev/null
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

# containerd 1.6 and runc for the VM's container-runtime case: unpacked, not installed, so that
# no daemon starts on the host.
if [ ! -f "$CACHE/containerd/.done" ]; then
	say "downloading containerd and runc"
	(cd "$CACHE/debs" && apt-get download -q containerd runc >/dev/null 2>&1)
	rm -rf "$CACHE/containerd"
	mkdir -p "$CACHE/containerd"
	for p in containerd runc; do
		dpkg -x "$(ls "$CACHE/debs/${p}"_*.deb | sort -V | tail -n 1)" "$CACHE/containerd"
	done
	touch "$CACHE/containerd/.done"
fi

# cnitool: Debian ships libcni (golang-github-appc-cni-dev) but not the cnitool command, whose
# main package is in the same source package. Built in GOPATH mode against the -dev's libcni.
if [ ! -x "$CACHE/cnitool/cnitool" ]; then
	say "building cnitool from Debian's libcni source"
	rm -rf "$CACHE/cnitool"
	mkdir -p "$CACHE/cnitool/src"
	(cd "$CACHE/cnitool/src" && apt-get source -q golang-github-appc-cni >/dev/null 2>&1)
	gp=$CACHE/cnitool/gopath/src/github.com/containernetworking/cni
	mkdir -p "$gp"
	cp -r "$CACHE"/cnitool/src/golang-github-appc-cni-*/cnitool "$gp/"
	GO111MODULE=off GOFLAGS= CGO_ENABLED=0 GOPATH="$CACHE/cnitool/gopath:/usr/share/gocode" \
		GOCACHE="$CACHE/cnitool/gocache" \
		go build -o "$CACHE/cnitool/cnitool.new" github.com/containernetworking/cni/cnitool
	rm -rf "$CACHE/cnitool/gocache"
	mv "$CACHE/cnitool/cnitool.new" "$CACHE/cnitool/cnitool"
fi

say "guest kernel: $(ls "$CACHE"/kernel/boot/vmlinuz-* | head -n 1)"
say "qemu: $(qemu-system-x86_64 --version | head -n 1)"
say "done"
