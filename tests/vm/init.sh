#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# init.sh: /init of the test VM (busybox sh). Sets up the machine, creates the VFs, runs each case
# from /testbed/cases.list with a time limit, resets the testbed between cases, prints the result
# markers that report.awk reads, and powers off. It must always reach the power-off: no set -e.

export PATH=/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root
umask 022
ip()
{
	/usr/sbin/ip "$@" # not the busybox applet, which this sh would prefer
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/null >/dev/console 2>&1
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t tmpfs -o mode=0755 tmpfs /run # /var/run links here
mount -t tmpfs tmpfs /tmp
# "ip netns add" bind-mounts netns files under /run/netns and "ip netns exec" makes / a slave
# mount in its own namespace: both want shared propagation, which systemd would normally set.
mount --make-rshared /
# The unified cgroup hierarchy, where systemd would mount it: runc puts containers there.
mkdir -p /sys/fs/cgroup
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mkdir -p /run/netns /run/testbed /var/lib/cni
hostname testbed
ip link set lo up

. /testbed/config

mark()
{
	echo "@@SRIOV-VM $TB_NONCE $*"
}

uptime_s()
{
	cut -d' ' -f1 /proc/uptime
}

power_off()
{
	sync
	poweroff -f
	echo o >/proc/sysrq-trigger # not reached when poweroff works
	sleep 10
}

setup_err=""
setup_fail()
{
	echo "testbed: $*"
	setup_err="$setup_err $*;"
}

# Modules, in the dependency order run.sh computed: "<path> [options]" per line.
kver=$(uname -r)
while read -r rel params; do
	insmod "/lib/modules/$kver/$rel" $params || setup_fail "insmod $rel failed"
done <"/lib/modules/$kver/load.order"

# The PF: the netdev whose PCI device can have VFs. igb probes it asynchronously.
pf=""
i=0
while [ -z "$pf" ] && [ $i -lt 300 ]; do
	for d in /sys/class/net/*; do
		[ -e "$d/device/sriov_totalvfs" ] && pf=${d##*/} && break
	done
	[ -n "$pf" ] || { sleep 0.1; i=$((i + 1)); }
done
vfs_ok=0
if [ -z "$pf" ]; then
	setup_fail "no SR-IOV capable netdev (igb PF) appeared"
else
	ip link set "$pf" up || setup_fail "cannot set $pf up"
	echo "$TB_NUMVFS" >"/sys/class/net/$pf/device/sriov_numvfs" ||
		setup_fail "cannot write $TB_NUMVFS to $pf sriov_numvfs"
	# Wait until every VF has a netdev (igbvf probes them one by one).
	i=0
	while [ $i -lt 600 ]; do
		n=0
		for v in "/sys/class/net/$pf/device"/virtfn*; do
			[ -d "$v/net" ] && [ -n "$(ls "$v/net" 2>/dev/null)" ] && n=$((n + 1))
		done
		[ "$n" -ge "$TB_NUMVFS" ] && vfs_ok=1 && break
		sleep 0.1
		i=$((i + 1))
	done
	[ "$vfs_ok" = 1 ] || setup_fail "only $n of $TB_NUMVFS VF netdevs appeared within 60s"
fi

# Remember the boot-time layout, "<index> <pci> <netdev> <mac>" per VF: tb_reset (lib.sh)
# restores it after every case.
echo "$pf" >/run/testbed/pf
: >/run/testbed/vfs
for v in "/sys/class/net/$pf/device"/virtfn*; do
	[ -e "$v" ] || continue
	idx=${v##*virtfn}
	pci=$(basename "$(readlink -f "$v")")
	name=$(ls "$v/net" 2>/dev/null | head -n 1)
	echo "$idx $pci ${name:--} $(cat "$v/net/$name/address" 2>/dev/null)" >>/run/testbed/vfs
done
sort -n /run/testbed/vfs -o /run/testbed/vfs
dmesg >/run/testbed/boot.dmesg
dmesg -c >/dev/null
dmesg -n 3 # keep the kernel's info chatter off the console while cases print

mark READY "$(uptime_s)" "pf=$pf vfs=$(wc -l </run/testbed/vfs) kernel=$kver"
[ -z "$setup_err" ] || mark SETUP-FAIL "$setup_err"

while read -r name limit path; do
	mark BEGIN "$name" "$limit"
	t0=$(date +%s)
	rm -f /run/testbed/timed-out
	mkdir -p "/tmp/cases/$name"
	# Own session and process group, so that the time limit and the clean-up reach whatever
	# the case started.
	(cd "/tmp/cases/$name" && TB_CASE=$name exec setsid sh "$path") &
	pid=$!
	(
		sleep "$limit"
		touch /run/testbed/timed-out
		echo "testbed: $name exceeded its ${limit}s limit; killing it"
		kill -TERM -"$pid" 2>/dev/null
		sleep 5
		kill -KILL -"$pid" 2>/dev/null
	) &
	watchdog=$!
	wait "$pid"
	rc=$?
	kill "$watchdog" 2>/dev/null
	wait "$watchdog" 2>/dev/null
	kill -KILL -"$pid" 2>/dev/null # leftovers (e.g. a ping in the background)
	secs=$(($(date +%s) - t0))
	if [ -e /run/testbed/timed-out ]; then
		st=TIMEOUT
	elif [ "$rc" = 0 ]; then
		st=PASS
	elif [ "$rc" = 77 ]; then
		st=SKIP
	else
		st=FAIL
	fi
	if [ "$st" != PASS ] && [ "$st" != SKIP ]; then
		echo "---- kernel messages during $name ----"
		dmesg -c
		echo "---- testbed state after $name ----"
		ip -d link show "$pf" 2>&1 | sed -n '/vf [0-9]/p'
		for v in "/sys/class/net/$pf/device"/virtfn*; do
			echo "${v##*/}: net=$(ls "$v/net" 2>/dev/null | tr '\n' ' ')driver=$(basename "$(readlink "$v/driver")" 2>/dev/null)"
		done
		ls /run/netns
	else
		dmesg -c >/dev/null
	fi
	if ! TB_LIB_NOTRAP=1 sh -c '. /testbed/lib.sh && tb_reset' >/run/testbed/reset.out 2>&1; then
		sed 's/^/testbed reset: /' /run/testbed/reset.out
		mark RESET-FAIL "$name" "$(tail -n 1 /run/testbed/reset.out)"
	fi
	mark END "$name" "$st" "$rc" "$secs"
done </testbed/cases.list

mark DONE "$(uptime_s)"
power_off
