#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# bundle.sh: assemble the self-contained sriov (run by "cmake --build BUILD --target bundle").
#   bundle.sh SRIOV LAUNCHER OUTDIR LIBDIR
# OUTDIR/sriov is LAUNCHER (static); OUTDIR/LIBDIR holds SRIOV, the dynamic loader and every
# shared library SRIOV needs (from ldd), so that OUTDIR runs on a node that has none of them:
# what the container image (packaging/Containerfile) ships and "sriov install" copies.
set -eu

sriov=$1
launcher=$2
out=$3
libdir=$4

rm -rf "$out"
mkdir -p "$out/$libdir"
cp "$sriov" "$out/$libdir/sriov"
strip --strip-unneeded "$out/$libdir/sriov"
ldd "$sriov" | while read -r a b c rest; do
	case $a in
	linux-vdso.so.* | linux-gate.so.*) continue ;;
	/*) lib=$a ;; # the loader: "/lib64/ld-linux-x86-64.so.2 (0x...)"
	*)
		[ "$b" = "=>" ] && [ -n "$c" ] && [ "${c#/}" != "$c" ] || {
			echo "bundle.sh: ldd cannot resolve $a" >&2
			exit 1
		}
		lib=$c
		;;
	esac
	cp -L "$lib" "$out/$libdir/$(basename "$lib")"
done
cp "$launcher" "$out/sriov"
strip "$out/sriov"
chmod 755 "$out/sriov" "$out/$libdir/sriov" "$out/$libdir"/ld-linux*
chmod 644 $(ls "$out/$libdir"/*.so* | grep -v '/ld-linux')
echo "bundle: $out/sriov + $out/$libdir/: $(ls "$out/$libdir" | tr '\n' ' ')"
