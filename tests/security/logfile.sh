#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# logfile.sh: logFile comes from a tenant and sriov runs as root. Each case plants something
# where the log would go, runs a DEL (no VF needed), and checks that nothing outside the
# allowed place was created or changed, that the run did not hang or fail because of
# logFile, and that no log line can be forged. Cases that resolve paths run twice: with
# openat2 and, under a seccomp filter, with the O_NOFOLLOW walk used on kernels without it.
# Usage: logfile.sh <sriov> <no_openat2>
set -u
SRIOV=${1:?usage: logfile.sh <sriov> <no_openat2>}
NOAT2=${2:?usage: logfile.sh <sriov> <no_openat2>}
. "$(dirname "$0")/lib.sh"
sec_enter_namespaces "$@"

T=$(mktemp -d /tmp/sec-logfile.XXXXXX)
mount -t tmpfs sec-tmp "$T" || sec_skip "cannot mount a tmpfs"
LOOP=
trap '[ -n "$LOOP" ] && losetup -d "$LOOP"; umount -R "$T" 2>/dev/null; rmdir "$T"' EXIT
n=0

# A fresh scratch root in $R for the next case.
new_root()
{
	n=$((n + 1))
	R=$T/root$n
	sec_root "$R" "$SRIOV" "$NOAT2"
}

# del <label> <how: at2|walk> <config>: run DEL in $R with <config> on stdin.
del()
{
	printf '%s' "$3" >"$T/in"
	prog=/bin/sriov
	[ "$2" = walk ] && prog="/bin/no_openat2 /bin/sriov"
	sec_run "$R" "$T/in" "$prog" CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_IFNAME=net1 \
		CNI_PATH=/bin
}

conf()
{
	printf '{"cniVersion":"1.0.0","name":"n","type":"sriov","logLevel":"debug","logFile":"%s"%s}' \
		"$1" "${2:-}"
}

# expect_refused <label>: DEL succeeded, stderr has the one logFile warning, and the scratch
# root is exactly as before ($T/before).
expect_refused()
{
	sec_snapshot "$R" >"$T/after"
	if [ "$SEC_RC" != 0 ]; then
		bad "$1: DEL failed (status $SEC_RC): $(head -c 300 "$T/out")"
	elif [ "$(grep -c 'logFile .*logging to stderr' "$T/err")" != 1 ]; then
		bad "$1: no single logFile warning on stderr: $(head -c 300 "$T/err")"
	elif ! diff "$T/before" "$T/after" >"$T/diff"; then
		bad "$1: files changed: $(tr '\n' ' ' <"$T/diff" | head -c 400)"
	else
		ok "$1"
	fi
}

# refused_case <label> <logFile> [setup command run with $R set]
refused_case()
{
	for how in at2 walk; do
		new_root
		[ -n "${3:-}" ] && eval "$3"
		sec_snapshot "$R" >"$T/before"
		del "$1" "$how" "$(conf "$2")"
		expect_refused "$1 ($how)"
	done
}

# 1. The attack from the report: the key must land nowhere, no directory may appear.
for how in at2 walk; do
	new_root
	sec_snapshot "$R" >"$T/before"
	del attack "$how" "$(conf /root/.ssh/authorized_keys \
		',"ipam":{"type":"host-local","subnet":"x\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostileKeyOfTheAttacker attacker\n#"}')"
	sec_snapshot "$R" >"$T/after"
	if [ -e "$R/root/.ssh" ] || grep -rqs HostileKey "$R/root" "$R/etc" "$R/var" "$R/tmp"; then
		bad "attack ($how): the key was written: $(ls -la "$R/root/.ssh" 2>&1 | tr '\n' ' ')"
	elif grep -q '^ssh-ed25519' "$T/err" "$T/out"; then
		bad "attack ($how): a line of the output starts with the key"
	elif [ "$(grep -c 'logFile .*logging to stderr' "$T/err")" != 1 ]; then
		bad "attack ($how): no single logFile warning: $(head -c 300 "$T/err")"
	elif ! diff "$T/before" "$T/after" >/dev/null; then
		bad "attack ($how): files changed"
	else
		ok "attack ($how)"
	fi
done

# 2. Paths that are refused outright, before anything is opened.
refused_case 'dot-dot' /var/log/../x
refused_case 'relative path' var/log/x.log
refused_case 'outside /var/log' /tmp/sriov.log
refused_case 'missing parent not created' /var/log/a/b.log
refused_case '/var/log itself' /var/log

# 3. Things planted where the log would go.
refused_case 'directory' /var/log/dir 'mkdir "$R/var/log/dir"'
refused_case 'FIFO (must not hang)' /var/log/fifo 'mkfifo "$R/var/log/fifo"'
refused_case 'character device' /var/log/null 'mknod -m 666 "$R/var/log/null" c 1 3'
refused_case 'file of another user' /var/log/user.log \
	'echo keep >"$R/var/log/user.log"; chown 1000 "$R/var/log/user.log"'
refused_case 'hard link to a root file' /var/log/hl.log \
	'echo secret >"$R/etc/shadow"; ln "$R/etc/shadow" "$R/var/log/hl.log"'

# A block device: a loop device over a scratch image, which must stay all zeros.
dd if=/dev/zero of="$T/disk.img" bs=1024 count=64 2>/dev/null
LOOP=$(losetup -f --show "$T/disk.img" 2>/dev/null) || LOOP=
if [ -z "$LOOP" ]; then
	bad "block device: no loop device available"
else
	maj=$(stat -c '%t' "$LOOP")
	min=$(stat -c '%T' "$LOOP")
	refused_case 'block device' /var/log/blk \
		"mknod \"\$R/var/log/blk\" b $((0x$maj)) $((0x$min))"
	if cmp -s "$T/disk.img" /dev/zero 2>/dev/null || [ "$(tr -d '\0' <"$T/disk.img" | wc -c)" = 0 ]; then
		ok "block device: its blocks are untouched"
	else
		bad "block device: its blocks were written"
	fi
fi

# 4. A symlink in each component of the path.
refused_case 'symlink /var' /var/log/x.log \
	'mv "$R/var" "$R/alt"; ln -s /alt "$R/var"'
refused_case 'symlink /var/log' /var/log/x.log \
	'mkdir -p "$R/alt"; rmdir "$R/var/log"; ln -s /alt "$R/var/log"'
refused_case 'symlink /var/log/sriov' /var/log/sriov/x.log \
	'mkdir -p "$R/alt"; ln -s /alt "$R/var/log/sriov"'
refused_case 'symlink as the file' /var/log/x.log \
	'echo keep >"$R/etc/target"; ln -s /etc/target "$R/var/log/x.log"'
refused_case 'symlink below an allowed directory' /srv/logs/sub/x.log \
	'mkdir -p "$R/etc/sriov" "$R/srv/logs" "$R/alt"; echo /srv/logs >"$R/etc/sriov/log-dirs";
	 ln -s /alt "$R/srv/logs/sub"'

# 5. The administrator's list: honoured when root's alone, ignored otherwise.
refused_case 'list replaces /var/log' /var/log/x.log \
	'mkdir -p "$R/etc/sriov" "$R/srv/logs"; echo /srv/logs >"$R/etc/sriov/log-dirs"'
refused_case 'list writable by others is ignored' /srv/logs/x.log \
	'mkdir -p "$R/etc/sriov" "$R/srv/logs"; echo /srv/logs >"$R/etc/sriov/log-dirs";
	 chmod 0666 "$R/etc/sriov/log-dirs"'
refused_case 'list owned by another user is ignored' /srv/logs/x.log \
	'mkdir -p "$R/etc/sriov" "$R/srv/logs"; echo /srv/logs >"$R/etc/sriov/log-dirs";
	 chown 1000 "$R/etc/sriov/log-dirs"'
refused_case 'list "/" is never allowed' /etc/x.log \
	'mkdir -p "$R/etc/sriov"; echo / >"$R/etc/sriov/log-dirs"'

# 6. What is allowed: created 0600, only /var/log/sriov as a new parent, lines escaped.
# accepted <label> <how> <logFile> <file in $R> <mode> [config extra]
accepted()
{
	del "$1" "$2" "$(conf "$3" "${6:-}")"
	f=$R$4
	if [ "$SEC_RC" != 0 ]; then
		bad "$1 ($2): DEL failed (status $SEC_RC): $(head -c 300 "$T/out")"
	elif grep -q 'logFile' "$T/err"; then
		bad "$1 ($2): logFile refused: $(head -c 300 "$T/err")"
	elif [ ! -f "$f" ] || [ "$(stat -c '%a %u' "$f")" != "$5 0" ]; then
		bad "$1 ($2): $4 is $(stat -c '%F %a %u' "$f" 2>&1), want a regular file $5 of root"
	elif ! grep -q '\[debug\] DEL container c1' "$f"; then
		bad "$1 ($2): no log line in $4: $(head -c 300 "$f")"
	else
		ok "$1 ($2)"
	fi
}

for how in at2 walk; do
	new_root
	accepted 'new file in /var/log' "$how" /var/log/new.log /var/log/new.log 600
	new_root
	accepted 'creates /var/log/sriov' "$how" /var/log/sriov/sriov.log /var/log/sriov/sriov.log 600
	if [ "$(stat -c '%F %a' "$R/var/log/sriov")" = "directory 700" ]; then
		ok "/var/log/sriov is a directory 0700 ($how)"
	else
		bad "/var/log/sriov is $(stat -c '%F %a' "$R/var/log/sriov") ($how)"
	fi
	new_root
	echo 'earlier line' >"$R/var/log/multus.log"
	chmod 0644 "$R/var/log/multus.log"
	accepted 'appends to an existing root file' "$how" /var/log/multus.log /var/log/multus.log 644
	new_root
	mkdir -p "$R/etc/sriov" "$R/srv/logs"
	printf '# node log directories\n\n  /srv/logs/  \n' >"$R/etc/sriov/log-dirs"
	accepted 'directory from the list' "$how" /srv/logs/a.log /srv/logs/a.log 600
done

# 7. Escaping: a value with a newline and an escape character stays on its line.
new_root
del escaping at2 "$(conf /var/log/esc.log \
	',"ipam":{"type":"host-local","subnet":"x\nforged line\u001b[2J"}')"
f=$R/var/log/esc.log
if [ ! -f "$f" ]; then
	bad "escaping: no log file"
elif grep -qv '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z \[[a-z]*\] ' "$f" ||
	grep -q "$(printf '\033')" "$f"; then
	bad "escaping: a line does not start with the timestamp, or ESC got through: $(od -c "$f" | head -8)"
elif ! grep -q 'forged line' "$f"; then
	bad "escaping: the error line is missing: $(cat "$f")"
else
	ok "escaping"
fi

# 8. The attack once more on this machine's real paths (in the private mount namespace,
# /root and /var/log are fresh tmpfs mounts, so the host's own are never at stake).
mkdir -p "$T/state"
mount -t tmpfs -o mode=0700 sec-root-home /root && mount -t tmpfs sec-var-log /var/log || {
	bad "real paths: cannot mount tmpfs over /root and /var/log"
	sec_done
	exit
}
printf '%s' "$(conf /root/.ssh/authorized_keys \
	',"ipam":{"type":"host-local","subnet":"x\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostileKeyOfTheAttacker attacker\n#"}')" >"$T/in"
env -i PATH=/usr/bin:/bin CNI_COMMAND=DEL CNI_CONTAINERID=c1 CNI_IFNAME=net1 CNI_PATH=/bin \
	SRIOV_STATE_DIR="$T/state" timeout -s KILL 20 "$SRIOV" <"$T/in" >"$T/out" 2>"$T/err"
if [ -e /root/.ssh ] || [ -n "$(ls -A /var/log)" ]; then
	bad "real paths: something was created: $(ls -la /root /var/log | tr '\n' ' ')"
elif grep -q '^ssh-ed25519' "$T/err"; then
	bad "real paths: a stderr line starts with the key"
else
	ok "real paths: /root/.ssh not created, nothing in /var/log"
fi

sec_done
