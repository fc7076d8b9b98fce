#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh: boot the emulated igb (82576) SR-IOV NIC in QEMU and run the end-to-end cases in it.
#
# One boot runs every case. The guest /init (init.sh) loads the modules, creates 7 VFs, then runs
# each case script as root with a per-case timeout and prints result markers on the serial
# console. report.awk turns the console log into PASS/FAIL lines and the final
# "vm: N passed, N failed" line. Exit status: 0 all passed, 1 failure, 77 skipped (not root, CI
# is not "true").
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$(cd "$HERE/../.." && pwd)
CACHE=${SRIOV_CACHE:-/var/cache/sriov-testbed}

usage()
{
	cat <<EOF
usage: $0 [options]
  --sriov PATH      the sriov binary to test (default: \$SRIOV_BIN or $SRC/build/sriov)
  --cases LIST      which cases to run: names, globs or paths, space or comma separated
                    (default: every $HERE/cases/*.sh; e.g. --cases '00-*,01-version')
  --script FILE     run only FILE in the guest and stream its output live (demo mode)
  --pack SRC:DST    also put host file SRC at DST in the guest (repeatable; shared libraries
                    of ELF executables come along). \$SRIOV_VM_PACK adds more, space separated.
  --workdir DIR     where the initramfs and console log go (default: $SRC/build-vm)
  --timeout SEC     overall limit; QEMU is killed after it (default: 240 + sum of case
                    limits, at most 1500)
  --case-timeout S  default per-case limit in seconds (default 120; a case can say
                    "# vm-timeout: S" in its first lines)
  -v, --verbose     stream every case's output live, not only the results
  -h, --help
Environment: SRIOV_VM_PACK (more --pack items), SRIOV_VM_NUMVFS (VFs to create, default 7),
SRIOV_VM_MEM (guest memory in MiB, default 1024; tests/bench/perf_bench.sh asks for more).
EOF
}

die()
{
	echo "vm: error: $*" >&2
	exit 1
}

SRIOV=${SRIOV_BIN:-$SRC/build/sriov}
CASES=""
SCRIPT=""
PACK=${SRIOV_VM_PACK:-}
WORK=$SRC/build-vm
TIMEOUT=""
CASE_TIMEOUT=120
VERBOSE=0
while [ $# -gt 0 ]; do
	case $1 in
	--sriov) SRIOV=$2; shift ;;
	--cases) CASES="$CASES $2"; shift ;;
	--script) SCRIPT=$2; shift ;;
	--pack) PACK="$PACK $2"; shift ;;
	--workdir) WORK=$2; shift ;;
	--timeout) TIMEOUT=$2; shift ;;
	--case-timeout) CASE_TIMEOUT=$2; shift ;;
	-v | --verbose) VERBOSE=1 ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument '$1'" ;;
	esac
	shift
done

# Not root is the only reason to skip, and never under CI.
if [ "$(id -u)" != 0 ]; then
	if [ "${CI:-}" = true ]; then
		die "must run as root (CI=true, so this is a failure, not a skip)"
	fi
	echo "vm: SKIP: the VM tests must run as root (run as root, after tests/setup.sh)"
	exit 77
fi

# ---- prerequisites: everything tests/setup.sh installs --------------------------------------
QEMU=$(command -v qemu-system-x86_64 || true)
[ -n "$QEMU" ] || die "qemu-system-x86_64 not found; run tests/setup.sh"
"$QEMU" -device help 2>/dev/null | grep -q '"igb"' ||
	die "$QEMU has no igb device (need QEMU >= 8); run tests/setup.sh"
KROOT=$CACHE/kernel
VMLINUZ=$(ls "$KROOT"/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$VMLINUZ" ] && [ -f "$VMLINUZ" ] || die "no guest kernel in $KROOT/boot; run tests/setup.sh"
KVER=${VMLINUZ##*/vmlinuz-}
KMODS=$KROOT/lib/modules/$KVER
[ -d "$KMODS" ] || die "no modules for $KVER in $KMODS; run tests/setup.sh"
BUSYBOX=/bin/busybox
[ -x "$BUSYBOX" ] && ! ldd "$BUSYBOX" >/dev/null 2>&1 ||
	die "$BUSYBOX is missing or not static (package busybox-static); run tests/setup.sh"
for tool in cpio jq modinfo depmod ldd timeout; do
	command -v "$tool" >/dev/null || die "'$tool' not found; run tests/setup.sh"
done
[ -x /usr/sbin/ip ] || die "/usr/sbin/ip (iproute2) not found; run tests/setup.sh"
[ -x /usr/bin/strace ] || die "/usr/bin/strace not found; run tests/setup.sh"
[ -f "$SRIOV" ] && [ -x "$SRIOV" ] || die "sriov binary '$SRIOV' not found or not executable (--sriov)"
SRIOV=$(cd "$(dirname "$SRIOV")" && pwd)/$(basename "$SRIOV")

# ---- which cases -----------------------------------------------------------------------------
case_list=()
if [ -n "$SCRIPT" ]; then
	[ -f "$SCRIPT" ] || die "script '$SCRIPT' not found"
	[ -z "$CASES" ] || die "--script and --cases exclude each other"
	case_list=("$SCRIPT")
elif [ -z "$CASES" ]; then
	for f in "$HERE"/cases/*.sh; do
		[ -f "$f" ] && case_list+=("$f")
	done
else
	for pat in ${CASES//,/ }; do
		n=${#case_list[@]}
		if [ -f "$pat" ]; then
			case_list+=("$pat")
			continue
		fi
		for f in "$HERE"/cases/$pat "$HERE"/cases/$pat.sh "$HERE"/cases/$pat*.sh; do
			[ -f "$f" ] || continue
			case " ${case_list[*]} " in *" $f "*) ;; *) case_list+=("$f") ;; esac
		done
		[ ${#case_list[@]} -gt "$n" ] || die "no case matches '$pat' in $HERE/cases"
	done
fi
[ ${#case_list[@]} -gt 0 ] || die "no cases to run"

# ---- initramfs -------------------------------------------------------------------------------
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
ROOT=$WORK/initramfs
rm -rf "$ROOT"
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,lib,lib64,etc,proc,sys,dev,run,tmp}
mkdir -p "$ROOT"/{root,opt/cni/bin,var/lib/cni,testbed/cases,lib/modules}
ln -s ../run "$ROOT/var/run"

# copy_file SRC DST: copy SRC (following links) to DST inside the initramfs.
copy_file()
{
	mkdir -p "$ROOT/$(dirname "$2")"
	cp -L "$1" "$ROOT/$2"
}

# copy_libs FILE: copy the shared libraries FILE needs (and the dynamic loader), same paths.
copy_libs()
{
	local lib
	ldd "$1" >/dev/null 2>&1 || return 0 # static, or not an executable
	for lib in $(ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
		[ -e "$ROOT$lib" ] || copy_file "$lib" "$lib"
	done
}

# The busybox applets, except those we replace with real tools (ip above all: the applet
# lacks VF and netns support).
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	case $applet in ip | jq | busybox | ipneigh | modinfo | depmod) continue ;; esac
	ln -sf busybox "$ROOT/bin/$applet"
done

for tool in /usr/sbin/ip /usr/bin/jq /usr/bin/strace; do
	copy_file "$tool" "$tool"
	copy_libs "$tool"
done
copy_file "$SRIOV" /usr/local/bin/sriov
copy_libs "$SRIOV"
ln -s /usr/local/bin/sriov "$ROOT/opt/cni/bin/sriov"

# Software some cases need, named in their first lines ("# vm-needs: containerd cnitool"): packed
# only when a selected case (or --script) asks for it, so that other runs boot a small
# initramfs. Every bundle comes from tests/setup.sh; a missing one is an error, never a skip.
needs=""
for f in "${case_list[@]}"; do
	needs="$needs $(sed -n '1,20s/^#[[:space:]]*vm-needs:\(.*\)$/\1/p' "$f")"
done
# need_file FILE: FILE exists, or stop with the setup hint.
need_file()
{
	[ -e "$1" ] || die "$1 not found (needed by a case's vm-needs); run tests/setup.sh"
}
# pack_tool SRC DST: an executable and its libraries.
pack_tool()
{
	need_file "$1"
	copy_file "$1" "$2"
	copy_libs "$1"
}
packed_needs=" "
EXTRA_MODULES=""
for need in $needs; do
	case $packed_needs in *" $need "*) continue ;; esac
	packed_needs="$packed_needs$need "
	case $need in
	containerd)
		# Debian's containerd 1.6 and runc, unpacked by setup.sh (never installed on the host).
		for t in usr/bin/containerd usr/bin/containerd-shim-runc-v2 usr/bin/ctr usr/sbin/runc; do
			pack_tool "$CACHE/containerd/$t" "/$t"
		done
		# A busybox root file system for "ctr run --rootfs": no image, no registry.
		mkdir -p "$ROOT/testbed/rootfs"/{bin,dev,etc,proc,sys,tmp,root}
		cp "$BUSYBOX" "$ROOT/testbed/rootfs/bin/busybox"
		for applet in sh sleep ip ping cat ls hostname; do
			ln -sf busybox "$ROOT/testbed/rootfs/bin/$applet"
		done
		printf 'root:x:0:0:root:/root:/bin/sh\n' >"$ROOT/testbed/rootfs/etc/passwd"
		printf 'root:x:0:\n' >"$ROOT/testbed/rootfs/etc/group"
		mkdir -p "$ROOT/etc/containerd"
		cp "$HERE/containerd.toml" "$ROOT/etc/containerd/config.toml"
		# containerd's default snapshotter; "ctr run --rootfs" needs none, but containerd
		# should start as it would on a node.
		EXTRA_MODULES="$EXTRA_MODULES overlay"
		;;
	cnitool)
		# cnitool built by setup.sh from Debian's libcni, and Debian's tuning plugin to chain.
		pack_tool "$CACHE/cnitool/cnitool" /usr/local/bin/cnitool
		pack_tool /usr/lib/cni/tuning /opt/cni/bin/tuning
		;;
	iperf3)
		pack_tool /usr/bin/iperf3 /usr/bin/iperf3
		;;
	*) die "unknown vm-needs '$need' in a case (known: containerd cnitool iperf3)" ;;
	esac
done
# The examples, so that cases and the demo use the files users get.
mkdir -p "$ROOT/testbed/examples"
cp -a "$SRC/examples/." "$ROOT/testbed/examples/"

for item in $PACK; do
	case $item in *:*) ;; *) die "--pack wants SRC:DST, got '$item'" ;; esac
	from=${item%%:*}
	to=${item#*:}
	[ -e "$from" ] || die "--pack: '$from' not found"
	case $to in /*) ;; *) die "--pack: destination '$to' must be absolute" ;; esac
	if [ -d "$from" ]; then
		mkdir -p "$ROOT/$to"
		cp -a "$from/." "$ROOT/$to/"
	else
		copy_file "$from" "$to"
		[ -x "$from" ] && copy_libs "$from"
	fi
done

# Kernel modules: the requested ones plus everything they depend on, in load order.
# modinfo reads the dependencies straight from the .ko files, so the unpacked (never
# installed) kernel needs no modules.dep. Compressed modules are unpacked here: busybox insmod
# cannot read them.
VM_MODULES=${SRIOV_VM_MODULES:-igb igbvf 8021q vfio vfio_iommu_type1 vfio-pci veth dummy}
declare -A modpath=() modstate=()
while IFS= read -r f; do
	m=${f##*/}
	m=${m%%.ko*}
	modpath[${m//-/_}]=$f
done < <(find "$KMODS/kernel" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst' -o -name '*.ko.gz')
declare -A builtin=()
while IFS= read -r f; do
	m=${f##*/}
	m=${m%.ko}
	builtin[${m//-/_}]=1
done <"$KMODS/modules.builtin"
load_order=()
add_module()
{
	local m=${1//-/_} f dep
	[ -z "${builtin[$m]:-}" ] || return 0
	case ${modstate[$m]:-} in done) return 0 ;; busy) die "module dependency loop at $m" ;; esac
	f=${modpath[$m]:-}
	[ -n "$f" ] || return 1
	modstate[$m]=busy
	for dep in $(modinfo -F depends "$f" | tr ',' ' ') \
		$(modinfo -F softdep "$f" | sed -n 's/.*pre:\([^:]*\)\( post:.*\)\{0,1\}$/\1/p'); do
		add_module "$dep" || die "module $dep (needed by $m) not found in $KMODS"
	done
	modstate[$m]=done
	load_order+=("$f")
	for dep in $(modinfo -F softdep "$f" | sed -n 's/.*post:\(.*\)$/\1/p'); do
		add_module "$dep" || true # e.g. vfio's post: vfio_iommu_spapr_tce exists only on ppc
	done
}
for m in $VM_MODULES $EXTRA_MODULES; do
	add_module "$m" || die "module $m not found in $KMODS"
done
# Options for insmod: no dummy0 in the host netns (cases make their own dummies).
declare -A modparams=([dummy]="numdummies=0")
mdir=lib/modules/$KVER
mkdir -p "$ROOT/$mdir"
: >"$ROOT/$mdir/load.order"
for f in "${load_order[@]}"; do
	rel=${f#"$KMODS"/}
	rel=${rel%.xz}
	rel=${rel%.zst}
	rel=${rel%.gz}
	mkdir -p "$ROOT/$mdir/$(dirname "$rel")"
	case $f in
	*.xz) xz -dc "$f" >"$ROOT/$mdir/$rel" ;;
	*.zst) zstd -qdc "$f" >"$ROOT/$mdir/$rel" ;;
	*.gz) gzip -dc "$f" >"$ROOT/$mdir/$rel" ;;
	*) cp "$f" "$ROOT/$mdir/$rel" ;;
	esac
	m=${rel##*/}
	m=${m%.ko}
	echo "$rel ${modparams[${m//-/_}]:-}" >>"$ROOT/$mdir/load.order"
done
for f in modules.builtin modules.builtin.modinfo modules.order; do
	[ ! -f "$KMODS/$f" ] || cp "$KMODS/$f" "$ROOT/$mdir/"
done
depmod -b "$ROOT" "$KVER" # so that modprobe works in the guest too

# Test scripts, and the list the guest runs: "<name> <timeout> <path>".
cp "$HERE/init.sh" "$ROOT/init"
cp "$HERE/lib.sh" "$ROOT/testbed/lib.sh"
chmod 755 "$ROOT/init"
NONCE=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
: >"$ROOT/testbed/cases.list"
total_case_time=0
for f in "${case_list[@]}"; do
	name=$(basename "$f" .sh)
	t=$(sed -n '1,20s/^#[[:space:]]*vm-timeout:[[:space:]]*\([0-9][0-9]*\).*/\1/p' "$f" | head -n 1)
	t=${t:-$CASE_TIMEOUT}
	total_case_time=$((total_case_time + t))
	cp "$f" "$ROOT/testbed/cases/$name.sh"
	echo "$name $t /testbed/cases/$name.sh" >>"$ROOT/testbed/cases.list"
done
cat >"$ROOT/testbed/config" <<EOF
TB_NONCE=$NONCE
TB_NUMVFS=${SRIOV_VM_NUMVFS:-7}
EOF
cat >"$ROOT/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
printf 'root:x:0:\nnogroup:x:65534:\n' >"$ROOT/etc/group"
printf '127.0.0.1 localhost\n' >"$ROOT/etc/hosts"
echo testbed >"$ROOT/etc/hostname"

# The loader's cache, as every Debian node has one: without it ld.so probes a dozen
# hwcap subdirectories for each library on every exec.
printf '/lib/x86_64-linux-gnu\n/usr/lib/x86_64-linux-gnu\n' >"$ROOT/etc/ld.so.conf"
/usr/sbin/ldconfig -r "$ROOT" || die "ldconfig -r $ROOT failed"

INITRD=$WORK/initramfs.cpio
(cd "$ROOT" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$INITRD"
echo "vm: initramfs $(du -h "$INITRD" | cut -f1), kernel $KVER, ${#load_order[@]} modules," \
	"${#case_list[@]} case(s), needs:${packed_needs% }, sriov=$SRIOV"

# ---- boot ------------------------------------------------------------------------------------
if [ -z "$TIMEOUT" ]; then
	TIMEOUT=$((240 + total_case_time))
	[ "$TIMEOUT" -le 1500 ] || TIMEOUT=1500 # under the 1800 s ctest limit (CMakeLists.txt)
fi
LOG=$WORK/console.log
: >"$LOG"
mode=progress
[ -n "$SCRIPT" ] && mode=script
[ "$VERBOSE" = 1 ] && mode=verbose

qemu_pid=""
tail_pid=""
cleanup()
{
	[ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
	[ -z "$tail_pid" ] || kill "$tail_pid" 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo "vm: interrupted" >&2; exit 1' INT TERM HUP

# No KVM here: TCG. The igb PF sits behind a PCIe root port; the vIOMMU gives vfio-pci IOMMU
# groups. panic=-1 with -no-reboot makes a guest panic end QEMU at once instead of hanging.
# no_timer_check: on a loaded host the TCG guest's IO-APIC timer check can miss its ticks and
# panic the boot ("timer doesn't work through Interrupt-remapped IO-APIC"); the timer works.
# pdeathsig: if this script is killed outright (SIGKILL from a CI runner), timeout and QEMU
# die with it rather than running on.
pdeath=""
setpriv --help 2>/dev/null | grep -q pdeathsig && pdeath="setpriv --pdeathsig KILL"
start=$(date +%s)
$pdeath timeout -k 10 "$TIMEOUT" $pdeath "$QEMU" -accel tcg -M q35,kernel-irqchip=split -smp 2 -m "${SRIOV_VM_MEM:-1024}" \
	-nodefaults -display none -monitor none -serial stdio -no-reboot \
	-device intel-iommu,intremap=on,caching-mode=on \
	-device pcie-root-port,id=p0,slot=1 \
	-netdev hubport,id=n0,hubid=0 -device igb,bus=p0,netdev=n0 \
	-kernel "$VMLINUZ" -initrd "$INITRD" \
	-append "console=ttyS0 intel_iommu=on loglevel=4 panic=-1 quiet no_timer_check" \
	</dev/null >"$LOG" 2>"$WORK/qemu.stderr" &
qemu_pid=$!

# Live view while the guest runs; the verdict below reads the whole log again.
tail -n +1 -f --pid="$qemu_pid" "$LOG" |
	awk -v nonce="$NONCE" -v mode="$mode" -f "$HERE/report.awk" &
tail_pid=$!

qemu_rc=0
wait "$qemu_pid" || qemu_rc=$?
qemu_pid=""
wait "$tail_pid" || true
tail_pid=""
elapsed=$(($(date +%s) - start))

note=""
if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
	note="overall timeout: QEMU killed after ${TIMEOUT}s"
elif [ "$qemu_rc" != 0 ]; then
	note="QEMU exited with status $qemu_rc: $(head -c 2000 "$WORK/qemu.stderr")"
fi

rc=0
streamed=0
[ "$mode" = progress ] || streamed=1
awk -v nonce="$NONCE" -v mode=final -v streamed="$streamed" -v note="$note" -v elapsed="$elapsed" -v logfile="$LOG" \
	-v cases="$(cut -d' ' -f1 "$ROOT/testbed/cases.list" | tr '\n' ' ')" \
	-f "$HERE/report.awk" "$LOG" || rc=$?
exit "$rc"
