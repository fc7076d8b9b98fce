# SPDX-License-Identifier: Apache-2.0
# lib.sh: helpers for the hostile-file tests. Each test runs the real sriov binary as root in a
# private mount and network namespace, inside a scratch root on a tmpfs (a chroot holding the
# binary and its libraries), so that the planted files, devices and symlinks are the only
# ones it can reach and nothing of the host (/etc, /root, /var/log) is ever at stake.

SEC_CHROOT=$(PATH=$PATH:/usr/sbin:/sbin command -v chroot)
SEC_TIMEOUT=$(command -v timeout)
sec_fail=0
sec_pass=0

sec_skip()
{
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}

# Re-run the calling script in a private mount + network namespace (once).
sec_enter_namespaces()
{
	[ "$(id -u)" = 0 ] || sec_skip "requires root"
	if [ -z "${SEC_IN_NS:-}" ]; then
		command -v unshare >/dev/null || sec_skip "unshare not found"
		[ -n "$SEC_CHROOT" ] && [ -n "$SEC_TIMEOUT" ] || sec_skip "chroot or timeout not found"
		SEC_IN_NS=1 exec unshare --mount --net --propagation private sh "$0" "$@"
	fi
}

ok()
{
	sec_pass=$((sec_pass + 1))
	echo "ok: $*"
}

bad()
{
	sec_fail=$((sec_fail + 1))
	echo "FAIL: $*" >&2
}

# sec_root <dir> <program>...: a scratch root at <dir> (a fresh tmpfs) with the programs, the
# libraries they load, /proc, and empty /etc /root /run /tmp /var/log /var/lib/cni.
sec_root()
{
	r=$1
	shift
	mkdir -p "$r"
	mount -t tmpfs -o mode=0755 sec-root "$r"
	mkdir -p "$r/bin" "$r/proc" "$r/state" "$r/etc" "$r/root" "$r/run" "$r/tmp" "$r/var/log" \
		"$r/var/lib/cni" "$r/dev"
	chmod 0700 "$r/root"
	chmod 1777 "$r/tmp"
	for p in "$@"; do
		cp "$p" "$r/bin/"
		ldd "$p" | sed -n 's#.*=> \(/[^ ]*\) .*#\1#p; s#^[[:space:]]*\(/[^ ]*\) (.*#\1#p' |
			while read -r lib; do
				mkdir -p "$r$(dirname "$lib")"
				[ -e "$r$lib" ] || cp -L "$lib" "$r$lib"
			done
	done
	mount -t proc proc "$r/proc"
	# ASan wants /dev/null; nothing else of /dev is needed.
	mknod -m 666 "$r/dev/null" c 1 3
}

# sec_run <root> <stdin-file> <program in the root> [VAR=value...]: run it chrooted in <root>
# with only the given environment (state in /state) and a 20 s limit. Output in $T/out, $T/err, status $SEC_RC.
sec_run()
{
	r=$1 in=$2 prog=$3
	shift 3
	env -i PATH=/bin SRIOV_STATE_DIR=/state "$@" "$SEC_TIMEOUT" -s KILL 20 "$SEC_CHROOT" "$r" \
		$prog <"$in" >"$T/out" 2>"$T/err"
	SEC_RC=$?
}

# Everything in a scratch root except /proc and the plugin's state directory /state: type, mode,
# owner, size and a content hash per entry, to compare before and after a run.
sec_snapshot()
{
	(cd "$1" && find . -xdev -path ./state -prune -o -path ./proc -prune -o \
		-printf '%p %y %m %u %s %l\n' | sort
	cd "$1" && find . -xdev -path ./state -prune -o -type f -print0 |
		xargs -0r md5sum | sort -k2)
}

sec_done()
{
	echo "$sec_pass passed, $sec_fail failed"
	[ "$sec_fail" = 0 ]
}
