#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# datadir.sh: host-local's dataDir comes from a tenant. The real binary (GC, DEL, STATUS: no
# VF needed) and the embedded host-local behind hostlocal_shim (ADD) run as root, chrooted
# into a scratch root, against a dataDir outside /var/lib/cni and /run, symlinks planted
# below those roots, and stores holding things that are not leases. Nothing outside the
# store may be created, changed or deleted; inside it only leases in host-local's format.
# Usage: datadir.sh <sriov> <no_openat2> <hostlocal_shim>
set -u
SRIOV=${1:?usage: datadir.sh <sriov> <no_openat2> <hostlocal_shim>}
NOAT2=${2:?usage: datadir.sh <sriov> <no_openat2> <hostlocal_shim>}
SHIM=${3:?usage: datadir.sh <sriov> <no_openat2> <hostlocal_shim>}
. "$(dirname "$0")/lib.sh"
sec_enter_namespaces "$@"

T=$(mktemp -d /tmp/sec-datadir.XXXXXX)
mount -t tmpfs sec-tmp "$T" || sec_skip "cannot mount a tmpfs"
trap 'umount -R "$T" 2>/dev/null; rmdir "$T"' EXIT
n=0
CR=$(printf '\r')

new_root()
{
	n=$((n + 1))
	R=$T/root$n
	sec_root "$R" "$SRIOV" "$NOAT2" "$SHIM"
	ln -s /run "$R/var/run"
}

# conf <name> <dataDir> [more ipam members]
conf()
{
	printf '{"cniVersion":"1.1.0","name":"%s","type":"sriov","ipam":{"type":"host-local","subnet":"10.0.0.0/24","dataDir":"%s"%s},"cni.dev/valid-attachments":[{"containerID":"c1","ifname":"eth0"}]}' \
		"$1" "$2" "${3:-}"
}

# run <verb> <config> [prog]: the plugin (or the shim for ADD) in $R.
run()
{
	printf '%s' "$2" >"$T/in"
	prog=${3:-/bin/sriov}
	[ "$1" = ADD ] && prog=/bin/hostlocal_shim
	sec_run "$R" "$T/in" "$prog" CNI_COMMAND="$1" CNI_CONTAINERID=c1 CNI_IFNAME=eth0 \
		CNI_NETNS=/proc/self/ns/net CNI_PATH=/bin
}

# unchanged <label>: the scratch root is as in $T/before.
unchanged()
{
	sec_snapshot "$R" >"$T/after"
	if diff "$T/before" "$T/after" >"$T/diff"; then
		ok "$1"
	else
		bad "$1: files changed: $(tr '\n' ' ' <"$T/diff" | head -c 600)"
	fi
}

# refused <label> <verb> <config> [setup]: a code 7 (STATUS: 50) naming ipam.dataDir, and
# nothing touched.
refused()
{
	for how in at2 walk; do
		new_root
		[ -n "${4:-}" ] && eval "$4"
		sec_snapshot "$R" >"$T/before"
		prog=
		[ "$how" = walk ] && prog="/bin/no_openat2 /bin/sriov"
		[ "$how" = walk ] && [ "$2" = ADD ] && prog="/bin/no_openat2 /bin/hostlocal_shim"
		run "$2" "$3" "$prog"
		# STATUS reports every failure as code 50 (plugin not available), as the spec says.
		# DEL holds no VF record here, so a retry could not help: it logs the refusal
		# and succeeds (docs/ARCHITECTURE.md, "One DEL").
		code=7
		[ "$2" = STATUS ] && code=50
		if [ "$2" = DEL ]; then
			if [ "$SEC_RC" != 0 ] || ! grep -q 'dataDir' "$T/err"; then
				bad "$1 ($how): want success with the refusal naming dataDir logged, got status $SEC_RC: $(head -c 300 "$T/out" "$T/err")"
			else
				unchanged "$1 ($how)"
			fi
			continue
		fi
		if [ "$SEC_RC" = 0 ] || ! grep -q "\"code\": *$code[,}]" "$T/out" ||
			! grep -q 'dataDir' "$T/out"; then
			bad "$1 ($how): want a code $code naming dataDir, got status $SEC_RC: $(head -c 300 "$T/out")"
		else
			unchanged "$1 ($how)"
		fi
	done
}

lease()
{
	printf '%s' "$2" >"$1"
}

# 1. The report's case: GC of network "etc" in dataDir "/" would delete /etc's address files.
refused 'GC name etc, dataDir /' GC "$(conf etc /)" \
	'lease "$R/etc/10.0.0.1" "ctr1"; lease "$R/etc/10.0.0.2" "c9${CR}
eth0"; echo "127.0.0.1 localhost" >"$R/etc/hosts"'
refused 'DEL dataDir /etc/cni' DEL "$(conf net /etc/cni)"
refused 'STATUS dataDir /tmp/x' STATUS "$(conf net /tmp/x)"
refused 'ADD dataDir /root' ADD "$(conf net /root)"
refused 'ADD dataDir /run itself' ADD "$(conf net /run)"
refused 'ADD dataDir /var/lib/cnix' ADD "$(conf net /var/lib/cnix/a)"
refused 'ADD dataDir climbing out' ADD "$(conf net /var/lib/cni/../../../etc)"

# 2. A symlink planted below /run (by anyone who can write there) is never followed.
SYMLINK='mkdir -p "$R/etc/x/net"; lease "$R/etc/x/net/10.0.0.9" "c9${CR}
eth0"; mkdir -p "$R/run/user"; ln -s /etc "$R/run/user/tenant"'
for verb in GC DEL STATUS ADD; do
	refused "symlink below /run ($verb)" "$verb" "$(conf net /run/user/tenant/x)" "$SYMLINK"
done
refused 'symlink as the network directory (ADD)' ADD "$(conf net /run/orch)" \
	'mkdir -p "$R/run/orch"; ln -s /etc "$R/run/orch/net"'
refused 'symlink as the network directory (GC)' GC "$(conf net /run/orch)" \
	'mkdir -p "$R/run/orch"; ln -s /etc "$R/run/orch/net"; lease "$R/etc/10.0.0.3" "c9"'

# 3. DEL, GC and STATUS create nothing; only ADD makes the store, below the root.
for verb in DEL GC STATUS; do
	new_root
	sec_snapshot "$R" >"$T/before"
	run "$verb" "$(conf net /run/new/deep)"
	if [ "$SEC_RC" != 0 ]; then
		bad "$verb on a missing store: status $SEC_RC: $(head -c 300 "$T/out")"
	else
		unchanged "$verb creates no store"
	fi
done
for how in at2 walk; do
	new_root
	prog=
	[ "$how" = walk ] && prog="/bin/no_openat2 /bin/hostlocal_shim"
	run ADD "$(conf net /var/run/orch/ipam)" "$prog"
	f=$R/run/orch/ipam/net/10.0.0.2
	if [ "$SEC_RC" != 0 ]; then
		bad "ADD below /var/run ($how): status $SEC_RC: $(head -c 300 "$T/out")"
	elif [ "$(cat "$f" 2>/dev/null)" != "c1${CR}
eth0" ] || [ "$(stat -c %a "$R/run/orch")" != 755 ]; then
		bad "ADD below /var/run ($how): no lease at /run/orch/ipam/net/10.0.0.2"
	else
		ok "ADD below /var/run creates the store in /run ($how)"
	fi
done

# 4. GC and DEL delete only regular files named and written as leases.
STORE='d=$R/var/lib/cni/networks/net; mkdir -p "$d" "$d/10.0.0.9";
lease "$d/10.0.0.5" "c9${CR}
eth0"; lease "$d/10.0.0.6" "not an owner!"; lease "$d/FD00::7" "c9${CR}
eth0"; lease "$d/010.0.0.1" "c9"; mkfifo "$d/10.0.0.8"; echo x >"$R/etc/passwd";
ln -s /etc/passwd "$d/10.0.0.10"; lease "$d/notes" "c9${CR}
eth0"; lease "$d/last_reserved_ip.0" "10.0.0.5"; : >"$d/lock"; lease "$d/10.0.0.11" "c1${CR}
eth0"; lease "$d/10.0.0.12" "c9"; lease "$d/notes1" "c1${CR}
eth0"'
for how in at2 walk; do
	new_root
	eval "$STORE"
	prog=
	[ "$how" = walk ] && prog="/bin/no_openat2 /bin/sriov"
	run GC "$(conf net /var/lib/cni/networks)" "$prog"
	left=$(cd "$d" && ls -A | sort | tr '\n' ' ')
	want='010.0.0.1 10.0.0.10 10.0.0.11 10.0.0.6 10.0.0.8 10.0.0.9 FD00::7 last_reserved_ip.0 lock notes notes1 '
	if [ "$SEC_RC" != 0 ]; then
		bad "GC of a mixed store ($how): status $SEC_RC: $(head -c 300 "$T/out")"
	elif [ "$left" != "$want" ]; then
		bad "GC of a mixed store ($how): left [$left], want [$want]"
	elif [ "$(cat "$R/etc/passwd")" != x ]; then
		bad "GC of a mixed store ($how): the symlink's target changed"
	else
		ok "GC removes only stale leases ($how)"
	fi
	run DEL "$(conf net /var/lib/cni/networks)" "$prog"
	left=$(cd "$d" && ls -A | sort | tr '\n' ' ')
	want='010.0.0.1 10.0.0.10 10.0.0.6 10.0.0.8 10.0.0.9 FD00::7 last_reserved_ip.0 lock notes notes1 '
	if [ "$SEC_RC" != 0 ] || [ "$left" != "$want" ]; then
		bad "DEL c1/eth0 ($how): status $SEC_RC, left [$left], want [$want]"
	else
		ok "DEL removes only the owner's lease, not another file with its text ($how)"
	fi
done

# 5. A FIFO as the store's lock must not hang anything.
for verb in DEL GC; do
	new_root
	mkdir -p "$R/var/lib/cni/networks/net"
	mkfifo "$R/var/lib/cni/networks/net/lock"
	sec_snapshot "$R" >"$T/before"
	run "$verb" "$(conf net /var/lib/cni/networks)"
	if [ "$SEC_RC" = 137 ]; then
		bad "FIFO as lock ($verb): hung"
	elif ! grep -q 'lock' "$T/out" "$T/err"; then
		bad "FIFO as lock ($verb): status $SEC_RC without naming the lock: $(head -c 300 "$T/out")"
	else
		unchanged "FIFO as lock ($verb): refused without hanging"
	fi
done

sec_done
