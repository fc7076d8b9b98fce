#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# test_deb.sh: cpack builds a .deb that installs /opt/cni/bin/sriov and the man page sriov(8),
# depends on the Debian packages of the libraries the binary links, and whose binary runs.
# usage: test_deb.sh SRIOV SOURCE_DIR CORPUS_DIR BUILD_DIR
set -u

BUILD=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/../checks.sh"

cpack -G DEB -B "$T/out" --config "$BUILD/CPackConfig.cmake" >"$T/cpack.log" 2>&1 || {
	cat "$T/cpack.log"
	echo "FAIL: cpack"
	exit 1
}
deb=$(ls "$T"/out/sriov_*.deb)
echo "package: $deb"
dpkg-deb -c "$deb" | tee "$T/contents"
dpkg-deb -f "$deb" | tee "$T/control"
version=$(sed -n 's/^project(sriov VERSION \([0-9.]*\) .*/\1/p' "$2/CMakeLists.txt")

grep -Eq '^-rwxr-xr-x root/root +[0-9]+ .* \./opt/cni/bin/sriov$' "$T/contents" && ok ||
	fail "no executable ./opt/cni/bin/sriov owned by root"
grep -Eq '^-rw-r--r-- root/root +[0-9]+ .* \./usr/share/man/man8/sriov\.8\.gz$' "$T/contents" && ok ||
	fail "no ./usr/share/man/man8/sriov.8.gz"
n=$(grep -c '^-' "$T/contents")
[ "$n" = 2 ] && ok || fail "$n files in the package, wanted exactly the binary and the man page"
grep -qx "Package: sriov" "$T/control" && ok || fail "package name"
grep -qx "Version: $version" "$T/control" && ok || fail "version $version"
grep -qx "Architecture: $(dpkg --print-architecture)" "$T/control" && ok || fail "architecture"
# Depends: one package per shared library the binary needs (dpkg-shlibdeps).
for lib in $(readelf -d "$1" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
	pkg=$(dpkg -S "$(ldconfig -p | awk -v l="$lib" '$1 == l { print $NF; exit }')" 2>/dev/null | cut -d: -f1 | head -n 1)
	grep -q "^Depends:.*\b${pkg%%:*}\b" "$T/control" && ok || fail "Depends lacks $pkg (for $lib)"
done

dpkg-deb -x "$deb" "$T/root"
out=$("$T/root/opt/cni/bin/sriov" --version)
[ "$out" = "sriov $version" ] && ok || fail "the packaged binary says '$out'"
zcat "$T/root/usr/share/man/man8/sriov.8.gz" >"$T/sriov.8"
grep -q "^\.TH SRIOV 8 .*\"sriov $version\"" "$T/sriov.8" && ok || fail "the man page's title lacks the version"
grep -q '@[A-Z_]*@' "$T/sriov.8" && fail "an unfilled @VARIABLE@ in the man page" || ok

echo "deb: $((checks - failed)) passed, $failed failed"
[ "$failed" = 0 ]
