#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 23-catalogue.sh: the hostile-input catalogue, the part that needs a real VF (the rest is
# tests/security/catalogue.sh). Each entry plants what it needs, runs the plugin under strace
# with a time limit, checks the exit status, the CNI code and a message naming the field or
# file, undoes a successful ADD with a DEL, and then checks that nothing changed: the PF's VF
# table, the host's links (names, MACs, state), the netns and their links, and every entry
# (type, mode, owner, size, mtime, link target, content hash) of the guest's /etc, /root,
# /var and /run, the state directory /var/lib/cni/sriov and the lease store included, except
# the few paths an entry names. No planted FIFO or device may be opened for I/O, and no run
# may hang. Last, every path the plugin opened in all these runs and in a full ADD, CHECK,
# DEL, GC and STATUS must be one of the places listed below (where the catalogue plants).
# vm-timeout: 420
set -eu
. /testbed/lib.sh

command -v strace >/dev/null || die "strace is not in the guest (tests/vm/run.sh packs it)"
idx=5
pci=$(vf_pci $idx)
pf=$(pf_name)
pfpci=$(pf_pci)
net=sriov-net1
S=/var/lib/cni/sriov
L=/var/lib/cni/networks/$net
W=$(mktemp -d /tmp/catalogue.XXXXXX)
P=/tmp/cat # where planted paths outside the state live (outside the compared directories)
mkdir -p $P
: >"$W/all.trace"
conf=$(sriov_conf "$pci" '.cniVersion = "1.0.0"')
netns_add cat-pod
netns_add cat-other
NS=/var/run/netns/cat-pod
n=0
failed=0

# Everything that must not change, one line per fact.
snap()
{
	{
		find /etc /root /var /run -xdev -exec stat -c '%n|%F|%a|%u|%s|%Y|%N' {} + |
			awk -F'|' '$2 == "directory" { print $1 "|dir|" $3 "|" $4; next } { print }'
		find /etc /root /var /run -xdev -type f -exec md5sum {} + | awk '{ print $2 "|md5|" $1 }'
		vf_table | sed -n 's/^ *\(vf [0-9]\)/\1/p'
		ip -o link | sed 's/ qlen [0-9]*//'
		for ns in $(ip netns list | cut -d' ' -f1); do
			ip -n "$ns" -o link | sed "s/^/netns $ns: /; s/ qlen [0-9]*//"
		done
	} | sort
}

planted()
{
	echo "$1" >>"$W/planted"
}

fifo()
{
	mkdir -p "$(dirname "$1")"
	mkfifo -m 0600 "$1"
	planted "$1"
}

chrdev()
{
	mkdir -p "$(dirname "$1")"
	mknod -m 0600 "$1" c 1 3
	planted "$1"
}

# record <containerID> <netns> [jq]: a valid record of VF $idx owned by another attachment,
# edited by the jq filter.
record()
{
	jq -cn --arg pci "$pci" --arg pf "$pf" --arg name "$(vf_boot_name $idx)" \
		--arg mac "$(vf_boot_mac $idx)" --arg cid "$1" --arg ns "$2" --argjson vf "$idx" \
		'{version: 1, network: "other-net", containerID: $cid, ifname: "net1", netns: $ns,
		pci: $pci, pf: $pf, vf: $vf, dpdk: false, orig: {adminMac: "00:00:00:00:00:00",
		vlan: 0, qos: 0, vlanProto: 33024, minTxRate: 0, maxTxRate: 0, spoofchk: 1, trust: 0,
		linkState: 0, name: $name, mac: $mac, mtu: 1500, up: false, ifindex: 0}}' |
		jq -c "${3:-.}" >"$S/vf/$pci.json"
}

# crun <verb> <containerID> <netns> <ifname> <config>: the plugin under strace, 20 s at most.
crun()
{
	printf '%s' "$5" >"$W/in"
	: >"$W/trace"
	RC=0
	(
		export CNI_COMMAND="$1" CNI_CONTAINERID="$2" CNI_IFNAME="$4" CNI_PATH=/opt/cni/bin
		if [ -n "$3" ]; then export CNI_NETNS="$3"; else unset CNI_NETNS; fi
		exec strace -f -qq -y -o "$W/trace" -e trace=open,openat,openat2,creat,execve,execveat \
			timeout -s KILL 20 "$SRIOV" <"$W/in" >"$W/out" 2>"$W/err"
	) || RC=$?
	cat "$W/trace" >>"$W/all.trace"
}

# v <id> <verb> <want> <ERE> <setup> [config]: one entry. want: a CNI code, or 0 (success;
# a successful ADD is undone by a DEL before the comparison). Knobs, reset after each entry:
# CID, NSP (CNI_NETNS), IFN, CHG (ERE of snapshot lines that may change), POST (a check,
# prints on failure), UNDO (commands run after the comparison, to clean up).
CID=cat1 NSP=$NS IFN=net1 CHG= POST= UNDO=
v()
{
	local id=$1 verb=$2 want=$3 ere=$4 setup=$5 c=${6:-$conf} why="" code msg
	n=$((n + 1))
	: >"$W/planted"
	tar -cf "$W/cni.tar" -C /var/lib cni
	[ -z "$setup" ] || eval "$setup"
	snap >"$W/before"
	crun "$verb" "$CID" "$NSP" "$IFN" "$c"
	cp "$W/trace" "$W/trace.entry" # the undoing DEL below reads what ADD wrote in their place
	if [ "$RC" = 137 ] || [ "$RC" = 124 ] || [ "$RC" = 143 ]; then
		why="hung (killed after 20 s)"
	elif [ "$want" = 0 ]; then
		if [ "$RC" != 0 ]; then
			why="want exit 0, got $RC: $(head -c 300 "$W/out")"
		elif [ -n "$ere" ] && ! grep -Eq -- "$ere" "$W/err"; then
			why="exit 0 but the log does not name the problem /$ere/"
		elif [ "$verb" = ADD ]; then
			crun DEL "$CID" "$NSP" "$IFN" "$c"
			[ "$RC" = 0 ] || why="the DEL undoing the ADD failed: $(head -c 300 "$W/out")"
		fi
	else
		code=$(jq -r .code "$W/out" 2>/dev/null || echo none)
		msg=$(jq -r '.msg + " " + (.details // "")' "$W/out" 2>/dev/null || echo none)
		if [ "$RC" = 0 ]; then
			why="want code $want, but it succeeded: $(head -c 300 "$W/out")"
		elif [ "$code" != "$want" ]; then
			why="want code $want, got status $RC: $(head -c 300 "$W/out")"
		elif ! printf '%s' "$msg" | grep -Eq -- "$ere"; then
			why="code $want, but the message does not name the problem /$ere/: $msg"
		fi
	fi
	snap >"$W/after"
	if [ -z "$why" ]; then
		diff "$W/before" "$W/after" | grep '^[-+][^-+]' | cut -c2- >"$W/changed" || true
		if [ -n "$CHG" ]; then
			grep -Ev -- "$CHG" "$W/changed" >"$W/changed.bad" || true
		else
			cp "$W/changed" "$W/changed.bad"
		fi
		[ ! -s "$W/changed.bad" ] || why="changed: $(head -c 600 "$W/changed.bad" | tr '\n' ' ')"
	fi
	if [ -z "$why" ] && [ -s "$W/planted" ]; then
		opened=$(grep -E '^[0-9]+ +(open|openat|openat2|creat)\(' "$W/trace.entry" |
			grep -v -e O_PATH -e O_EXCL | sed -n 's/.* = [0-9][0-9]*<\(.*\)>$/\1/p' |
			grep -Fx -f "$W/planted" | sort -u || true)
		[ -z "$opened" ] || why="opened a planted FIFO or device: $opened"
	fi
	if [ -z "$why" ] && [ -n "$POST" ]; then
		why=$(eval "$POST" 2>&1 || true)
	fi
	if [ -z "$why" ]; then
		ok "$id ($verb)"
	else
		fail "$id ($verb): $why"
		sed 's/^/  stderr: /' "$W/err" | head -n 5
		failed=$((failed + 1))
	fi
	[ -z "$UNDO" ] || eval "$UNDO" || true
	rm -rf /var/lib/cni "$P"
	mkdir -p "$P"
	tar -xf "$W/cni.tar" -C /var/lib
	CID=cat1 NSP=$NS IFN=net1 CHG= POST= UNDO=
}

step "warm-up: one ADD and DEL make the state directory, the store and its index"
crun ADD cat0 "$NS" net1 "$conf"
check_eq 0 "$RC" "warm-up ADD"
crun DEL cat0 "$NS" net1 "$conf"
check_eq 0 "$RC" "warm-up DEL"
check_eq "$(vf_boot_name $idx)" "$(vf_netdev $idx)" "VF home after the warm-up"

# What a successful ADD may change: the store's cursor, the index, the reclaimed record.
ADDCHG="^$L/last_reserved_ip\.0\||^$S/ipam/"

step "deviceID and CNI_NETNS"
v vm/deviceid-pf ADD 7 'deviceID' '' "$(sriov_conf "$pfpci" '.cniVersion = "1.0.0"')"
v vm/deviceid-absent ADD 7 'deviceID' '' "$(sriov_conf 0000:7f:1f.7 '.cniVersion = "1.0.0"')"
NSP=$P/fifo v vm/netns-fifo ADD 4 'CNI_NETNS' "fifo $P/fifo"
NSP=$P/null v vm/netns-char-device ADD 4 'CNI_NETNS' "chrdev $P/null"
NSP=$P/file v vm/netns-regular-file ADD 4 'CNI_NETNS' "echo x >$P/file"
NSP=$P v vm/netns-directory ADD 4 'CNI_NETNS' ''
NSP=$P/to-fifo v vm/netns-symlink-to-fifo ADD 4 'CNI_NETNS' "fifo $P/fifo; ln -s $P/fifo $P/to-fifo; planted $P/to-fifo"
NSP=/proc/self/ns/mnt v vm/netns-mount-namespace ADD 4 'CNI_NETNS' ''
NSP=/proc/1/ns/net v vm/netns-host ADD 4 'CNI_NETNS' ''
NSP=$P/missing v vm/netns-missing ADD 4 'CNI_NETNS' ''
IFN=lo v vm/ifname-exists-in-pod ADD 999 'CNI_IFNAME' ''

step "ipam.resolvConf (read after the VF moved: ADD rolls back)"
v vm/resolv-fifo ADD 7 'resolvConf' "fifo $P/resolv" \
	"$(sriov_conf "$pci" ".cniVersion = \"1.0.0\" | .ipam.resolvConf = \"$P/resolv\"")"
v vm/resolv-dev-zero ADD 7 'resolvConf' '' \
	"$(sriov_conf "$pci" '.cniVersion = "1.0.0" | .ipam.resolvConf = "/dev/zero"')"

step "locks, records and quarantine under $S"
v vm/vf-lock-fifo ADD 5 'lock' "rm $S/vf/$pci.lock; fifo $S/vf/$pci.lock"
v vm/vf-lock-char-device ADD 5 'lock' "rm $S/vf/$pci.lock; chrdev $S/vf/$pci.lock"
v vm/vf-lock-directory ADD 5 'lock' "rm $S/vf/$pci.lock; mkdir $S/vf/$pci.lock"
v vm/pf-lock-fifo ADD 5 'lock' "rm $S/pf/$pfpci.lock; fifo $S/pf/$pfpci.lock"
QCHG="$ADDCHG|^$S/vf/$pci\.json\||^$S/quarantine(/vf-$pci\.[0-9]+\.[0-9]+\.json)?\|"
QPOST='ls $S/quarantine | grep -q "^vf-$pci\." || echo "nothing in quarantine/"'
CHG=$QCHG POST=$QPOST v vm/record-fifo ADD 0 'corrupt' "fifo $S/vf/$pci.json"
CHG=$QCHG POST=$QPOST v vm/record-char-device ADD 0 'corrupt' "chrdev $S/vf/$pci.json"
CHG=$QCHG POST=$QPOST v vm/record-symlink-passwd ADD 0 'corrupt' "ln -s /etc/passwd $S/vf/$pci.json"
CHG=$QCHG POST=$QPOST v vm/record-wrong-pf ADD 0 'corrupt' \
	"record other1 $NS '.pf = \"../x\"'"
v vm/record-live-owner ADD 999 'in use' "record other1 /var/run/netns/cat-other"
CHG="$ADDCHG|^$S/vf/$pci\.json\|" v vm/record-owner-netns-fifo ADD 0 'reclaiming' \
	"fifo $P/ns; record other2 $P/ns"
v vm/quarantine-symlink-etc ADD 5 'quarantine' "echo x >$S/vf/$pci.json; ln -s /etc $S/quarantine"

step "sriov-cni's files under $S (left by sriov-cni before a switch, or planted)"
v vm/sriovcni-lock-fifo ADD 5 'lock' "rm -f $S/pci/vf_lock/$pci.lock; fifo $S/pci/vf_lock/$pci.lock"
v vm/sriovcni-lock-char-device ADD 5 'lock' \
	"rm -f $S/pci/vf_lock/$pci.lock; chrdev $S/pci/vf_lock/$pci.lock"
# An allocation record that is no regular file holds nothing; ADD writes its own in its place.
CHG="$ADDCHG|^$S/pci/$pci\|" v vm/sriovcni-alloc-fifo ADD 0 '' "fifo $S/pci/$pci"
CHG="$ADDCHG|^$S/pci/$pci\|" v vm/sriovcni-alloc-char-device ADD 0 '' "chrdev $S/pci/$pci"
# A cache that does not validate is moved aside; DEL holds nothing and succeeds.
CCHG="^$S/ipam/|^$S/cat1-net1\||^$S/quarantine(/cache\.[0-9]+\.[0-9]+\.cat1-net1)?\|"
CPOST='ls $S/quarantine | grep -q "^cache\..*\.cat1-net1$" || echo "nothing in quarantine/"'
CHG=$CCHG POST=$CPOST v vm/sriovcni-cache-fifo DEL 0 'cache' "fifo $S/cat1-net1"
CHG=$CCHG POST=$CPOST v vm/sriovcni-cache-symlink-shadow DEL 0 'cache' \
	"ln -s /etc/shadow $S/cat1-net1"
CHG=$CCHG POST=$CPOST v vm/sriovcni-cache-traversal DEL 0 'cache' \
	"printf '{\"deviceID\":\"../../etc\",\"OrigVfState\":{\"HostIFName\":\"../x\"}}' >$S/cat1-net1"

step "the lease store $L and its index"
v vm/store-lock-fifo ADD 5 'lock' "rm $L/lock; fifo $L/lock"
v vm/store-lock-char-device ADD 5 'lock' "rm $L/lock; chrdev $L/lock"
CHG=$ADDCHG POST='[ "$(cat $L/last_reserved_ip.0)" = 10.56.217.102 ] || echo "took $(cat $L/last_reserved_ip.0), want 10.56.217.102"' \
	v vm/lease-fifo-skipped ADD 0 '' "fifo $L/10.56.217.101"
CHG="^$S/ipam/" v vm/last-reserved-directory ADD 5 'last_reserved_ip' "rm -f $L/last_reserved_ip.0; mkdir $L/last_reserved_ip.0"
CHG=$ADDCHG v vm/index-owner-fifo ADD 0 '' 'd=$(ls -d $S/ipam/$net/*.*); fifo "$d/cat1:net1"'
CHG=$ADDCHG v vm/index-bulk-fifo ADD 0 '' 'd=$(ls -d $S/ipam/$net/*.*); rm -f "$d/bulk"; fifo "$d/bulk"'

step "DEL of an attachment that holds the VF"
# The record is ours, so a DEL that cannot take the lock fails (a retry can succeed), and
# leaves everything as it was.
UNDO="rm $S/vf/$pci.lock; : >$S/vf/$pci.lock; crun DEL cat1 $NS net1 '$conf'" \
	v vm/del-lock-fifo DEL 5 'lock' \
	"crun ADD cat1 $NS net1 '$conf'; rm $S/vf/$pci.lock; fifo $S/vf/$pci.lock"

step "every path the plugin opens is a known place"
lc=$(sriov_conf "$pci" '.cniVersion = "1.1.0" | .logFile = "/var/log/sriov-catalogue.log" | .logLevel = "debug"')
crun ADD cat9 "$NS" net1 "$lc"
check_eq 0 "$RC" "lifecycle ADD"
res=$(cat "$W/out")
crun CHECK cat9 "$NS" net1 "$(printf '%s' "$lc" | jq -c --argjson r "$res" '.prevResult = $r')"
check_eq 0 "$RC" "lifecycle CHECK"
crun STATUS '' '' '' "$lc"
check_eq 0 "$RC" "lifecycle STATUS"
crun GC '' '' '' "$(printf '%s' "$lc" | jq -c '.["cni.dev/valid-attachments"] = [{containerID: "cat9", ifname: "net1"}]')"
check_eq 0 "$RC" "lifecycle GC"
crun DEL cat9 "$NS" net1 "$lc"
check_eq 0 "$RC" "lifecycle DEL"
rm -f /var/log/sriov-catalogue.log

HEX='[0-9a-f]'
PCIRE="$HEX{4,8}:$HEX{2}:$HEX{2}\.[0-7]"
cat >"$W/places" <<EOF
/etc/ld\.so\.(cache|preload)
/(usr/)?lib(64|x32)?(/.*)?
/(usr/)?(local/)?s?bin/(timeout|sriov|strace)
/dev/null
/opt/cni/bin/sriov
/
/etc/sriov/log-dirs
/var/log(/[^/]+)?
/proc/self/fd/[0-9]+
/proc/(thread-self|self)/ns/net
/proc/sys/kernel/random/boot_id
/proc/sys/net/ipv[46]/conf/[^/]+/[a-z_]+
/sys/bus/pci/devices/$PCIRE(/.*)?
/var/lib/cni
$S(/(vf|pf|quarantine))?
$S/(vf|pf)/\.?$PCIRE\.(json|lock)(\.[0-9]+\.tmp)?
$S/\.?[A-Za-z0-9][A-Za-z0-9_.-]*-[^/.][^/]*(\.[0-9]+\.tmp)?
$S/pci(/vf_lock)?
$S/pci/\.?$PCIRE(\.[0-9]+\.tmp)?
$S/pci/vf_lock/$PCIRE\.lock
$S/ipam(/[A-Za-z0-9][A-Za-z0-9_.-]*(/[0-9]+\.[0-9]+(/[^/]+)?)?)?
/var/lib/cni/networks(/[A-Za-z0-9][A-Za-z0-9_.-]*(/[^/]+)?)?
(/var)?/run/netns/[^/]+
$P(/.*)?
/dev/zero
/proc/(self|1)/ns/(mnt|net)
EOF
# The places, and what plants there: the loader, the binaries and busybox timeout's /dev/null
# (not the plugin's; libnl is linked statically, without libnl-route-3's classid constructor
# that read /etc/libnl/classid), the log (logFile, log-dirs: tests/security), /proc and /sys
# (the kernel's), the state directory
# (vm/vf-lock-*, vm/pf-lock-*, vm/record-*, vm/quarantine-*, vm/index-*, state/*, index/*;
# sriov-cni's caches <containerID>-<ifname>, pci/<pci> and pci/vf_lock/: vm/sriovcni-*),
# the store (vm/store-*, vm/lease-*, vm/last-reserved-*, store/*), CNI_NETNS (vm/netns-*),
# and the tenant-named files of this case ($P, /dev/zero, other namespaces).
awk '/^[0-9]+ +(open|openat|openat2|creat|execve)\(/ {
	l = $0; sub(/^[0-9]+ +/, "", l)
	d = ""
	if (l ~ /^openat2?\(/) { d = l; sub(/^openat2?\([^<"]*</, "", d); sub(/>, ".*/, "", d) }
	q = l; sub(/^[^"]*"/, "", q); nm = q; sub(/".*/, "", nm)
	if (nm ~ /^\//) p = nm; else if (d != "" && nm != "") p = d "/" nm; else p = d
	gsub(/\/\/+/, "/", p)
	sub(/\/\.$/, "", p)
	if (p == "") p = "/"
	print p
}' "$W/all.trace" | sort -u >"$W/paths"
echo "paths opened ($(wc -l <"$W/paths")):"
sed 's/^/  /' "$W/paths"
unknown=$(grep -Evx -f "$W/places" "$W/paths" || true)
check_eq "" "$unknown" "every opened path is a listed place"

step "summary"
echo "catalogue (VM part): $n entries, $failed failed"
check_eq 0 "$failed" "catalogue entries"
