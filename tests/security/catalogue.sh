#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# catalogue.sh: the hostile-input catalogue, the part that needs no VF (the part that does is
# tests/vm/cases/23-catalogue.sh). Each entry runs the real binary (or, for ADD's IPAM step,
# the embedded host-local behind hostlocal_shim) as root, chrooted into a fresh scratch root,
# in a private mount + network namespace, under strace, with a time limit. After each entry:
#   - the exit status and, for a failure, a CNI error on stdout with the expected code and a
#     message naming the field or file; for a DEL that holds nothing (exit 0), the problem
#     named in the log on stderr;
#   - nothing changed anywhere in the scratch root (/etc, /root, /var, /run, the state
#     directory /var/lib/cni/sriov and the lease store /var/lib/cni/networks included): type,
#     mode, owner, size, mtime, link target and content hash of every entry, the blocks of a
#     loop device planted as a block device, and the links of the network namespace; an entry
#     lists the few paths it may change (a corrupt record moved to quarantine/, the lease
#     index, a store file that ADD rewrites), each checked by the entry itself;
#   - no planted FIFO or device node was opened for reading or writing (strace: any open,
#     openat or openat2 without O_PATH whose result is a planted file), nothing was executed
#     but the plugin, no run hung (a timeout is a failure), and no output holds the secret
#     planted in root-only files.
#
# Every path the plugin opens (found with strace -f on ADD, DEL, CHECK, GC and STATUS; the VM
# case checks that this list is complete for a real VF) and where this catalogue plants:
#   stdin                                     json/*, size/*
#   CNI_* values                              env/*
#   /etc/sriov/log-dirs, logFile              log/*
#   ipam.resolvConf                           store/resolv-* (and tests/security/resolvconf.sh)
#   ipam.dataDir and its components           store/datadir-* (and tests/security/datadir.sh)
#   <dataDir>/<network>/ lock, leases, last_reserved_ip.N, temp files    store/*
#   <state>/vf/ (the directory), vf/<pci>.json, vf/.<pci>.json.<pid>.tmp, vf/<pci>.lock,
#   quarantine/                               state/*
#   <state>/ipam/<network>/<dev>.<ino>/ stamp, bulk, <containerID>:<ifname>, disabled
#                                             index/*
#   CNI_PATH/<ipam.type> (stat, exec)         env/cni-path-*, conf/ipam-type-*
#   CNI_NETNS, the netns of a record, pf/<pci>.lock, sysfs: the VM case
#   /proc/self/fd/N, /proc/thread-self/ns/net, /proc/sys/..., /proc/sys/kernel/random/boot_id,
#   /sys/bus/pci/devices/...: the kernel's, not plantable; the dynamic loader's files
#   (/etc/ld.so.cache, libraries): not the plugin's.
# Usage: catalogue.sh <sriov> <hostlocal_shim>; CATALOGUE_ONLY=<ERE of ids> runs some entries,
# CATALOGUE_KEEP=<dir> keeps each entry's strace output there.
set -u
SRIOV=${1:?usage: catalogue.sh <sriov> <hostlocal_shim>}
SHIM=${2:?usage: catalogue.sh <sriov> <hostlocal_shim>}
. "$(dirname "$0")/lib.sh"
sec_enter_namespaces "$@"

STRACE=$(command -v strace) || sec_skip "strace not found (tests/setup.sh installs it)"
command -v jq >/dev/null || sec_skip "jq not found"
T=$(mktemp -d /tmp/sec-catalogue.XXXXXX)
mount -t tmpfs sec-tmp "$T" || sec_skip "cannot mount a tmpfs"
LOOP=
trap '[ -n "$LOOP" ] && losetup -d "$LOOP"; umount -R "$T" 2>/dev/null; rmdir "$T"' EXIT
CR=$(printf '\r')
SECRET=TOPSECRET-$$-catalogue
PCI=0000:00:1f.0
n=0

# The template every entry's root is copied from: the binaries, /proc, and a node's layout with
# the plugin's own directories already there (so that making them is not a change).
TPL=$T/tpl
sec_root "$TPL" "$SRIOV" "$SHIM"
umount "$TPL/proc"
mkdir -p "$TPL/var/lib/cni/networks" "$TPL/run/netns" "$TPL/opt/cni/bin" \
	"$TPL/etc/cni/net.d"
mkdir -m 0700 -p "$TPL/var/lib/cni/sriov/vf"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TPL/etc/passwd"
printf 'root:%s:19000:0:99999:7:::\n' "$SECRET" >"$TPL/etc/shadow"
chmod 0600 "$TPL/etc/shadow"
printf '%s\n' "$SECRET" >"$TPL/root/secret"
chmod 0600 "$TPL/root/secret"
printf 'nameserver 10.1.1.1\n' >"$TPL/etc/resolv.conf"
printf '127.0.0.1 localhost\n' >"$TPL/etc/hosts"
echo 'earlier line' >"$TPL/var/log/messages"

# A loop device over a scratch image: planted as a block device, its blocks must stay zero.
dd if=/dev/zero of="$T/disk.img" bs=1024 count=64 2>/dev/null
LOOP=$(losetup -f --show "$T/disk.img" 2>/dev/null) || LOOP=
[ -n "$LOOP" ] || bad "no loop device: block-device entries cannot run"
BLK_MAJ=$((0x$(stat -c '%t' "${LOOP:-/dev/null}")))
BLK_MIN=$((0x$(stat -c '%T' "${LOOP:-/dev/null}")))

# ---- planting helpers (run by an entry's setup with $R set) -----------------------------------

planted()
{
	echo "$R$1" >>"$T/planted"
}

fifo()
{
	mkdir -p "$R$(dirname "$1")"
	mkfifo -m 0600 "$R$1"
	planted "$1"
}

chrdev()
{
	mkdir -p "$R$(dirname "$1")"
	mknod -m 0600 "$R$1" c 1 3 # /dev/null's numbers: opening it has no visible effect
	planted "$1"
}

blkdev()
{
	mkdir -p "$R$(dirname "$1")"
	mknod -m 0600 "$R$1" b "$BLK_MAJ" "$BLK_MIN"
	planted "$1"
}

symlink()
{
	mkdir -p "$R$(dirname "$2")"
	ln -s "$1" "$R$2"
}

dir()
{
	mkdir -p "$R$1"
}

file()
{
	mkdir -p "$R$(dirname "$1")"
	printf '%s' "$2" >"$R$1"
	chmod "${3:-0600}" "$R$1"
}

# A valid VF record of this attachment (network net, c1, net1) for VF $PCI, edited by a jq
# filter.
record()
{
	jq -cn --arg pci "$PCI" '{version: 1, network: "net", containerID: "c1", ifname: "net1",
		netns: "/run/netns/pod", pci: $pci, pf: "eth9", vf: 3, dpdk: false,
		orig: {adminMac: "00:00:00:00:00:00", vlan: 0, qos: 0, vlanProto: 33024, minTxRate: 0,
		maxTxRate: 0, spoofchk: 1, trust: 0, linkState: 0, name: "ens1f0v3",
		mac: "02:00:00:00:00:03", mtu: 1500, up: false, ifindex: 7}}' | jq -c "${2:-.}" \
		>"$R/var/lib/cni/sriov/vf/$1.json"
	chmod 0600 "$R/var/lib/cni/sriov/vf/$1.json"
}

# A lease store for network net with one lease of c1/net1 (10.0.0.5) and one of c9/eth0.
STORE=/var/lib/cni/networks/net
store()
{
	mkdir -p "$R$STORE"
	: >"$R$STORE/lock"
	file "$STORE/10.0.0.5" "c1${CR}
net1"
	file "$STORE/10.0.0.6" "c9${CR}
eth0"
	file "$STORE/last_reserved_ip.0" 10.0.0.6
}

# ---- configs ---------------------------------------------------------------------------------

# cf [members]: a sriov config for VF $PCI (members are appended, so they win over the base).
cf()
{
	printf '{"cniVersion":"1.1.0","name":"net","type":"sriov","deviceID":"%s"%s}' "$PCI" "${1:+,$1}"
}

# ci [ipam members] [config members]: the same with the embedded host-local.
ci()
{
	cf "\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.0.0.0/24\"${1:+,$1}}${2:+,$2}"
}

# The lease index is a cache the plugin rebuilds whenever it likes: entries that reach the store
# may change it.
ICHG='^\./var/lib/cni/sriov/ipam(/|$)'
VALID='"cni.dev/valid-attachments":[{"containerID":"c1","ifname":"net1"}]'

# ---- one entry -------------------------------------------------------------------------------
# e <id> <verb> <want> <ERE> <setup> <stdin> [VAR=value...]
#   want: a CNI code (the run fails, stdout holds that code and a msg matching ERE), or
#         0 (the run succeeds; a non-empty ERE must match its stderr: the problem is logged).
#   stdin: text, or @name for the file $T/input/name.
# Knobs, reset after each entry: CHG (ERE of root paths the entry may change), POST (a shell
# check run after the run, with $R set; it fails the entry by printing something), PROG=shim
# (run hostlocal_shim instead of sriov), NOENV (variables left out of the environment).
CHG=
POST=
PROG=
NOENV=
results=$T/results
: >"$results"

snapshot()
{
	(
		cd "$R" || exit 1
		find . -xdev -path ./proc -prune -o -type d -printf '%p d %m %u\n' -o \
			-printf '%p %y %m %u %s %l %T@\n'
		find . -xdev -path ./proc -prune -o -type f -print0 | xargs -0r md5sum |
			awk '{ print $2, "md5", $1 }'
	) | sort
	[ -z "$LOOP" ] || echo "loop-device-blocks $(md5sum <"$T/disk.img")"
	ip -o link | sed 's/ qlen.*//'
	ls -A /run/netns 2>/dev/null
}

e()
{
	id=$1 verb=$2 want=$3 ere=$4 setup=$5 input=$6
	shift 6
	if [ -n "${CATALOGUE_ONLY:-}" ] && ! echo "$id" | grep -Eq -- "$CATALOGUE_ONLY"; then
		CHG= POST= PROG= NOENV=
		return
	fi
	n=$((n + 1))
	R=$T/r$n
	cp -a "$TPL" "$R"
	mount -t proc proc "$R/proc"
	: >"$T/planted"
	if [ -n "$setup" ]; then
		eval "$setup" || bad "$id: setup failed"
	fi
	case $input in
	@*) cp "$T/input/${input#@}" "$T/in" ;;
	*) printf '%s' "$input" >"$T/in" ;;
	esac
	prog=/bin/sriov
	[ "$PROG" = shim ] && prog=/bin/hostlocal_shim
	snapshot >"$T/before"
	set -- CNI_COMMAND="$verb" CNI_CONTAINERID=c1 CNI_IFNAME=net1 CNI_NETNS=/run/netns/pod \
		CNI_PATH=/opt/cni/bin "$@"
	for kv; do
		shift
		case " $NOENV " in *" ${kv%%=*} "*) continue ;; esac
		set -- "$@" "$kv"
	done
	start=$(date +%s%N)
	# LeakSanitizer (in the sanitizer build) stops the world with ptrace, which strace holds.
	env -i PATH=/bin ASAN_OPTIONS=detect_leaks=0 "$@" "$STRACE" -f -qq -y -o "$T/trace" \
		-e trace=open,openat,openat2,creat,execve,execveat \
		"$SEC_TIMEOUT" -s KILL 10 "$SEC_CHROOT" "$R" $prog <"$T/in" >"$T/out" 2>"$T/err"
	rc=$?
	ms=$((($(date +%s%N) - start) / 1000000))
	snapshot >"$T/after"
	why=
	if [ "$rc" = 137 ] || [ "$rc" = 124 ]; then
		why="hung (killed after 10 s)"
	elif [ "$want" = 0 ]; then
		if [ "$rc" != 0 ]; then
			why="want exit 0, got $rc: $(head -c 300 "$T/out") $(tail -c 300 "$T/err")"
		elif [ -n "$ere" ] && ! grep -Eq -- "$ere" "$T/err"; then
			why="exit 0 but the log does not name the problem /$ere/: $(head -c 300 "$T/err")"
		fi
	else
		code=$(jq -r '.code' "$T/out" 2>/dev/null)
		msg=$(jq -r '.msg + " " + (.details // "")' "$T/out" 2>/dev/null)
		if [ "$rc" = 0 ]; then
			why="want code $want, but it succeeded: $(head -c 300 "$T/out")"
		elif [ "$code" != "$want" ]; then
			why="want code $want, got status $rc: $(head -c 300 "$T/out") $(head -c 200 "$T/err")"
		elif ! printf '%s' "$msg" | grep -Eq -- "$ere"; then
			why="code $want, but the message does not name the problem /$ere/: $msg"
		fi
	fi
	if [ -z "$why" ] && grep -q "$SECRET" "$T/out" "$T/err"; then
		why="the secret of a root-only file is in the output"
	fi
	if [ -z "$why" ]; then
		diff "$T/before" "$T/after" | sed -n 's/^[<>] \(\.[^ ]*\) .*/\1/p' | sort -u >"$T/changed"
		diff "$T/before" "$T/after" | grep '^[<>] ' | grep -v '^[<>] \./' >>"$T/changed"
		if [ -n "$CHG" ]; then
			grep -Ev -- "$CHG" "$T/changed" >"$T/changed.bad"
		else
			cp "$T/changed" "$T/changed.bad"
		fi
		[ -s "$T/changed.bad" ] && why="changed: $(tr '\n' ' ' <"$T/changed.bad" | head -c 500)"
	fi
	if [ -z "$why" ] && [ -s "$T/planted" ]; then
		# Opened for I/O: an open without O_PATH that returned an fd on a planted file (an
		# O_CREAT|O_EXCL open made a new file after the planted one was removed).
		opened=$(grep -E '^[0-9]+ +(open|openat|openat2|creat)\(' "$T/trace" |
			grep -v -e O_PATH -e O_EXCL |
			sed -n 's/.* = [0-9][0-9]*<\(.*\)>$/\1/p' | grep -Fxf "$T/planted" | sort -u)
		[ -n "$opened" ] && why="opened a planted FIFO or device: $(echo $opened)"
	fi
	if [ -z "$why" ]; then
		# Nothing runs but timeout, chroot and the program itself.
		ran=$(grep -E '^[0-9]+ +execve(at)?\(' "$T/trace" | grep -v ' = -1 ' |
			sed -n 's/^[0-9]* *execve[at]*([^"]*"\([^"]*\)".*/\1/p' |
			grep -Evx "$SEC_TIMEOUT|$SEC_CHROOT|/usr/sbin/chroot|/usr/bin/timeout|$prog")
		[ -n "$ran" ] && why="executed $(echo $ran)"
	fi
	if [ -z "$why" ] && [ -n "$POST" ]; then
		post=$(eval "$POST" 2>&1)
		[ -n "$post" ] && why="$post"
	fi
	if [ -z "$why" ]; then
		ok "$id ($verb, ${ms} ms)"
		echo "${id%%/*} ok" >>"$results"
	else
		bad "$id ($verb): $why"
		echo "${id%%/*} fail" >>"$results"
	fi
	umount "$R/proc"
	[ -n "${CATALOGUE_KEEP:-}" ] && cp "$T/trace" "$CATALOGUE_KEEP/$n.trace"
	rm -rf "$R"
	CHG= POST= PROG= NOENV=
}

# ---- large and odd inputs --------------------------------------------------------------------
mkdir -p "$T/input"
spaces()
{
	head -c "$1" /dev/zero | tr '\0' ' '
}
{ cf; spaces 1048577; } >"$T/input/padded"
{ printf '{"cniVersion":"1.1.0","name":"net","x":"'; head -c 1200000 /dev/zero | tr '\0' A; printf '"}'; } >"$T/input/big-string"
head -c 2000000 /dev/urandom >"$T/input/random"
{ printf '{"cniVersion":"1.1.0","name":"net","type":"sriov","x":'; head -c 300000 /dev/zero | tr '\0' '['; } >"$T/input/deep"
{ printf '{"cniVersion":"1.1.0","name":"net","type":"sriov","x":'; i=0
	while [ $i -lt 129 ]; do printf '{"a":'; i=$((i + 1)); done; printf '1'
	i=0; while [ $i -lt 129 ]; do printf '}'; i=$((i + 1)); done; printf '}'; } >"$T/input/deep129"
{ printf '{"cniVersion":"1.1.0","name":"net","type":"sriov"'; i=0
	while [ $i -lt 20000 ]; do printf ',"vlan":%d' $((i % 4000)); i=$((i + 1)); done
	printf ',"deviceID":"%s","vlan":"x"}' "$PCI"; } >"$T/input/dup-vlan"
{ printf '{"cniVersion":"1.1.0","name":"net","type":"sriov","logFile":"/var/log/'; head -c 1000000 /dev/zero | tr '\0' a; printf '"}'; } >"$T/input/long-logfile"
{ printf '%s' "$(ci)" | sed 's/}$//'; printf ',"cni.dev/valid-attachments":['; i=0
	while [ $i -lt 25000 ]; do printf '{"containerID":"c%d","ifname":"eth0"},' $i; i=$((i + 1)); done
	printf '{"containerID":"c1","ifname":"net1"}]}'; } >"$T/input/many-valid"
printf '\357\273\277%s' "$(cf)" >"$T/input/bom"
printf '{"cniVersion":"1.1.0","name":"n\377t","type":"sriov"}' >"$T/input/utf8-name"
printf '{"cniVersion":"1.1.0","name":"net","type":"sriov","x":"\300\257"}' >"$T/input/utf8-overlong"
LONG=$(head -c 100000 /dev/zero | tr '\0' a)

# ==== env/: the CNI_* variables ===============================================================
NOENV=CNI_COMMAND e env/command-missing DEL 4 'CNI_COMMAND' '' "$(cf)"
e env/command-newline "DEL
" 4 'CNI_COMMAND' '' "$(cf)"
e env/command-lowercase del 4 'CNI_COMMAND' '' "$(cf)"
e env/command-100k "$LONG" 4 'CNI_COMMAND' '' "$(cf)"
e env/containerid-traversal DEL 4 'containerID' '' "$(cf)" 'CNI_CONTAINERID=../../etc/cron.d/x'
e env/containerid-newline ADD 4 'containerID' '' "$(cf)" "CNI_CONTAINERID=c1
IgnoreUnknown"
e env/containerid-100k DEL 4 'containerID' '' "$(cf)" "CNI_CONTAINERID=$LONG"
NOENV=CNI_CONTAINERID e env/containerid-missing DEL 4 'CNI_CONTAINERID' '' "$(cf)"
e env/ifname-traversal DEL 4 'CNI_IFNAME' '' "$(cf)" 'CNI_IFNAME=../x'
e env/ifname-16-bytes ADD 4 'CNI_IFNAME' '' "$(cf)" 'CNI_IFNAME=abcdefghijklmnop'
e env/ifname-dot CHECK 4 'CNI_IFNAME' '' "$(cf)" 'CNI_IFNAME=.'
e env/ifname-space DEL 4 'CNI_IFNAME' '' "$(cf)" 'CNI_IFNAME=a b'
e env/ifname-high-bytes DEL 0 '' '' "$(cf)" "CNI_IFNAME=$(printf 'n\377\376')"
NOENV=CNI_NETNS e env/netns-missing-add ADD 4 'CNI_NETNS' '' "$(cf)"
e env/netns-fifo-del DEL 0 '' 'fifo /run/netns/pod' "$(cf)"
e env/netns-device-del DEL 0 '' 'chrdev /run/netns/pod' "$(cf)"
e env/args-bad-pair ADD 4 'CNI_ARGS' '' "$(cf)" 'CNI_ARGS=a=b=c'
e env/args-unknown ADD 4 'CNI_ARGS: unknown' '' "$(cf)" 'CNI_ARGS=K8S_POD_NAME=x'
e env/args-ignoreunknown-bad ADD 4 'IgnoreUnknown' '' "$(cf)" 'CNI_ARGS=IgnoreUnknown=maybe'
e env/args-mac-multicast ADD 7 'CNI_ARGS MAC' '' "$(cf)" 'CNI_ARGS=IgnoreUnknown=1;MAC=01:00:5e:00:00:01'
e env/args-100k DEL 0 '' '' "$(cf)" "CNI_ARGS=IgnoreUnknown=1;X=$LONG"
PROG=shim e env/args-ip-garbage ADD 4 'IP' '' "$(ci)" 'CNI_ARGS=IgnoreUnknown=1;IP=10.0.0.300'
PROG=shim e env/args-ip-gateway ADD 999 'gateway' 'store' "$(ci)" 'CNI_ARGS=IgnoreUnknown=1;IP=10.0.0.1'
# A relative CNI_PATH entry is a directory relative to wherever the runtime runs us: never
# searched, like an empty one.
e env/cni-path-relative DEL 0 'failed to find plugin' \
	'file /opt/cni/bin/evil "#!/bin/sriov" 0755' "$(cf '"ipam":{"type":"evil"}')" \
	'CNI_PATH=opt/cni/bin'
e env/cni-path-100k STATUS 0 '' '' "$(cf)" "CNI_PATH=/$LONG"

# ==== json/ and size/: how stdin is read ========================================================
e json/empty ADD 6 'unmarshall' '' ''
e json/not-object ADD 6 'not a JSON object' '' '[1,2]'
e json/truncated ADD 6 'unmarshall' '' '{"cniVersion":"1.1.0","name":'
e json/trailing-data ADD 6 'unmarshall' '' "$(cf) {}"
e json/bom ADD 6 'unmarshall' '' @bom
e json/nul-in-name ADD 6 'unmarshall' '' '{"cniVersion":"1.1.0","name":"n\u0000/../x","type":"sriov"}'
e json/nul-in-key ADD 6 'unmarshall' '' "$(cf '"vl\u0000an":5')"
e json/utf8-invalid-name ADD 6 'unmarshall' '' @utf8-name
e json/utf8-overlong ADD 6 'unmarshall' '' @utf8-overlong
e json/surrogate-unpaired ADD 6 'unmarshall' '' "$(cf '"x":"\ud800"')"
e json/control-char ADD 6 'unmarshall' '' "$(printf '{"cniVersion":"1.1.0","name":"n\001t"}')"
e json/deep-300k ADD 6 'unmarshall' '' @deep
e json/deep-129 ADD 6 'unmarshall' '' @deep129
e json/dup-name-last-wins ADD 7 'name' '' '{"cniVersion":"1.1.0","name":"net","type":"sriov","name":"../x"}'
e json/dup-vlan-20000 ADD 6 'vlan' '' @dup-vlan
e json/number-64-digits ADD 6 'vlan|number' '' "$(cf '"vlan":1000000000000000000000000000000000000000000000000000000000000001')"
e size/padded-1mib DEL 0 'larger than' '' @padded
e size/string-1mib ADD 6 'larger than' '' @big-string
e size/random-2mib DEL 0 'unmarshall|larger than' '' @random
e size/logfile-1mib DEL 0 'logFile' '' @long-logfile
CHG=$ICHG e size/valid-attachments-25000 GC 0 '' 'store' @many-valid

# ==== conf/: every config field ==============================================================
e conf/version-newline ADD 1 'config is "1\.0\.0\\n"' '' '{"cniVersion":"1.0.0\n","name":"net","type":"sriov"}'
e conf/version-number ADD 6 'cniVersion' '' '{"cniVersion":1.0,"name":"net","type":"sriov"}'
e conf/version-100k ADD 1 'incompatible' '' "{\"cniVersion\":\"$LONG\",\"name\":\"net\"}"
e conf/version-gc-old GC 1 'GC' '' "$(cf '"cniVersion":"1.0.0"')"
e conf/name-traversal ADD 7 'name' '' "$(cf '"name":"../../etc"')"
e conf/name-missing ADD 7 'name' '' '{"cniVersion":"1.1.0","type":"sriov","deviceID":"0000:00:1f.0"}'
e conf/name-object DEL 0 'name' '' "$(cf '"name":{"a":1}')"
e conf/deviceid-traversal ADD 7 'deviceID' '' "$(cf '"deviceID":"../../../etc/passwd"')"
e conf/deviceid-function-8 ADD 7 'deviceID' '' "$(cf '"deviceID":"0000:00:1f.8"')"
e conf/deviceid-newline ADD 7 'deviceID' '' "$(cf '"deviceID":"0000:00:1f.0\n"')"
e conf/deviceid-number ADD 6 'deviceID' '' "$(cf '"deviceID":5')"
e conf/deviceid-absent-sysfs ADD 7 'deviceID' '' "$(cf)"
e conf/runtimeconfig-deviceid ADD 7 'deviceID' '' \
	'{"cniVersion":"1.1.0","name":"net","type":"sriov","runtimeConfig":{"deviceID":"../x"}}'
e conf/vlan-fraction ADD 6 'vlan' '' "$(cf '"vlan":5.0')"
e conf/vlan-1e400 ADD 6 'vlan' '' "$(cf '"vlan":1e400')"
e conf/vlan-huge ADD 6 'vlan' '' "$(cf '"vlan":99999999999999999999')"
e conf/vlan-4095 ADD 7 'vlan' '' "$(cf '"vlan":4095')"
e conf/vlan-negative ADD 7 'vlan' '' "$(cf '"vlan":-1')"
e conf/vlanqos-8 ADD 7 'vlanQoS' '' "$(cf '"vlan":5,"vlanQoS":8')"
e conf/vlanproto-bad ADD 7 'vlanProto' '' "$(cf '"vlan":5,"vlanProto":"802.1x"')"
e conf/mac-multicast ADD 7 'mac' '' "$(cf '"mac":"01:00:00:00:00:01"')"
e conf/mac-zero ADD 7 'mac' '' "$(cf '"mac":"00:00:00:00:00:00"')"
e conf/mac-garbage ADD 7 'mac' '' "$(cf '"mac":"zz:zz:zz:zz:zz:zz"')"
e conf/runtimeconfig-mac ADD 7 'runtimeConfig.mac' '' "$(cf '"runtimeConfig":{"mac":"1"}')"
e conf/runtimeconfig-string ADD 6 'runtimeConfig' '' "$(cf '"runtimeConfig":"x"')"
e conf/spoofchk-maybe ADD 7 'spoofchk' '' "$(cf '"spoofchk":"maybe"')"
e conf/trust-uppercase ADD 7 'trust' '' "$(cf '"trust":"ON"')"
e conf/link-state-up ADD 7 'link_state' '' "$(cf '"link_state":"up"')"
e conf/rate-negative ADD 7 'max_tx_rate' '' "$(cf '"max_tx_rate":-5')"
e conf/rate-2pow32 ADD 7 'min_tx_rate' '' "$(cf '"min_tx_rate":4294967296')"
e conf/rate-min-above-max ADD 7 'min_tx_rate' '' "$(cf '"min_tx_rate":10,"max_tx_rate":5')"
e conf/loglevel-bad ADD 7 'logLevel' '' "$(cf '"logLevel":"verbose"')"
e conf/ipam-string ADD 6 'ipam' '' "$(cf '"ipam":"host-local"')"
e conf/ipam-type-path ADD 7 'ipam.type|plugin name' '' "$(cf '"ipam":{"type":"../../bin/sh"}')"
e conf/ipam-type-self ADD 7 'ipam.type' '' "$(cf '"ipam":{"type":"sriov"}')"
e conf/ipam-type-path-del DEL 0 'ipam.type|plugin name' '' "$(cf '"ipam":{"type":"../../bin/sh"}')"
e conf/datadir-etc ADD 7 'dataDir' '' "$(ci '"dataDir":"/etc"')"
e conf/prevresult-string CHECK 6 'prevResult' '' "$(cf '"prevResult":"x"')"
e conf/prevresult-missing CHECK 7 'prevResult' '' "$(cf)"
e conf/valid-attachments-string GC 6 'valid-attachments' '' "$(cf '"cni.dev/valid-attachments":"x"')"
PROG=shim e conf/ipam-subnet-newline ADD 7 'subnet|CIDR' '' "$(ci '"subnet":"x\nssh-ed25519 AAAA"')"
PROG=shim e conf/ipam-range-backwards ADD 7 'range|Range' '' \
	"$(cf '"ipam":{"type":"host-local","ranges":[[{"subnet":"10.0.0.0/24","rangeStart":"10.0.0.200","rangeEnd":"10.0.0.100"}]]}')"

# ==== log/: files the log opens ==============================================================
CHG='^\./var/log/x\.log$' e log/dirs-file-fifo DEL 0 'log-dirs' 'fifo /etc/sriov/log-dirs' "$(cf '"logFile":"/var/log/x.log"')"
CHG='^\./var/log/x\.log$' e log/dirs-file-device DEL 0 'log-dirs' 'blkdev /etc/sriov/log-dirs' "$(cf '"logFile":"/var/log/x.log"')"
CHG='^\./var/log/x\.log$' e log/dirs-file-directory DEL 0 '' 'dir /etc/sriov/log-dirs' "$(cf '"logFile":"/var/log/x.log"')"
# glibc's strftime() reads /etc/localtime (tzset), blocking: a FIFO there must not hang a log line.
e log/localtime-fifo DEL 0 '' 'fifo /etc/localtime' "$(cf '"logLevel":"debug"')"
e log/logfile-fifo DEL 0 'logFile' 'fifo /var/log/sriov.log' "$(cf '"logFile":"/var/log/sriov.log"')"
e log/logfile-block-device DEL 0 'logFile' 'blkdev /var/log/sriov.log' "$(cf '"logFile":"/var/log/sriov.log"')"
e log/logfile-symlink-shadow DEL 0 'logFile' 'symlink /etc/shadow /var/log/sriov.log' \
	"$(cf '"logFile":"/var/log/sriov.log","logLevel":"debug"')"

# ==== state/: the VF records, locks and quarantine ==============================================
QCHG='^\./var/lib/cni/sriov/(vf/0000:00:1f\.0\.(json|lock)|quarantine(/vf-0000:00:1f\.0\.[0-9]+\.[0-9]+\.json)?)$'
QPOST='[ -e "$R/var/lib/cni/sriov/vf/$PCI.json" ] && echo "record not moved";
	ls "$R/var/lib/cni/sriov/quarantine" | grep -q "^vf-$PCI\." || echo "nothing in quarantine/"'
CHG=$QCHG POST=$QPOST e state/record-garbage DEL 0 'corrupt' \
	'file /var/lib/cni/sriov/vf/$PCI.json "{\"garbage"' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-fifo DEL 0 'corrupt' 'fifo /var/lib/cni/sriov/vf/$PCI.json' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-device DEL 0 'corrupt' 'chrdev /var/lib/cni/sriov/vf/$PCI.json' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-directory DEL 0 'corrupt' 'dir /var/lib/cni/sriov/vf/$PCI.json' "$(cf)"
CHG=$QCHG POST="$QPOST"'; grep -q "^root:" "$R/etc/passwd" || echo "/etc/passwd changed"' \
	e state/record-symlink-passwd DEL 0 'corrupt' \
	'symlink /etc/passwd /var/lib/cni/sriov/vf/$PCI.json' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-traversal-netns DEL 0 'corrupt' \
	'record $PCI ".netns = \"/run/netns/../../etc/shadow\""' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-other-pci DEL 0 'corrupt' \
	'record $PCI ".pci = \"0000:00:1f.1\""' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-vf-1e400 DEL 0 'corrupt' \
	'record $PCI; sed -i "s/\"vf\":3/\"vf\":1e400/" "$R/var/lib/cni/sriov/vf/$PCI.json"' "$(cf)"
CHG=$QCHG POST=$QPOST e state/record-16k DEL 0 'corrupt' \
	'file /var/lib/cni/sriov/vf/$PCI.json "$(spaces 16384)"' "$(cf)"
e state/records-ignored-by-gc GC 0 '' \
	'record $PCI ".containerID = \"../x\""; fifo /var/lib/cni/sriov/vf/0000:00:1f.2.json;
	 dir /var/lib/cni/sriov/vf/0000:00:1f.3.json' "$(cf)"
e state/lock-fifo DEL 5 'lock' 'record $PCI; fifo /var/lib/cni/sriov/vf/$PCI.lock' "$(cf)"
# The record is ours but its lock cannot be taken: DEL fails (a retry can succeed) and keeps the
# lease, since the VF may still be in the pod with that address.
e state/lock-fifo-keeps-lease DEL 5 'lock' 'store; record $PCI; fifo /var/lib/cni/sriov/vf/$PCI.lock' "$(ci)"
e state/lock-device DEL 5 'lock' 'record $PCI; blkdev /var/lib/cni/sriov/vf/$PCI.lock' "$(cf)"
e state/lock-directory DEL 5 'lock' 'record $PCI; dir /var/lib/cni/sriov/vf/$PCI.lock' "$(cf)"
e state/lock-symlink DEL 5 'lock' \
	'record $PCI; symlink /etc/shadow /var/lib/cni/sriov/vf/$PCI.lock' "$(cf)"
CHG='^\./var/lib/cni/sriov/vf/0000:00:1f\.0\.lock$' e state/quarantine-symlink-etc DEL 5 'quarantine' \
	'file /var/lib/cni/sriov/vf/$PCI.json x; symlink /etc /var/lib/cni/sriov/quarantine' "$(cf)"
CHG='^\./var/lib/cni/sriov/vf/0000:00:1f\.0\.lock$' e state/quarantine-file DEL 5 'quarantine' \
	'file /var/lib/cni/sriov/vf/$PCI.json x; file /var/lib/cni/sriov/quarantine x' "$(cf)"
e state/vf-dir-symlink DEL 5 'vf' \
	'rmdir "$R/var/lib/cni/sriov/vf"; symlink /etc /var/lib/cni/sriov/vf' "$(cf)"
CHG='^\./var/lib/cni/sriov/vf/\.0000:00:1f\.0\.json\.999999\.tmp$' \
	POST='[ -p "$R/var/lib/cni/sriov/vf/.0000:00:1f.0.json.1.tmp" ] || echo "a live writer'"'"'s temp file went"' \
	e state/stale-temp-files GC 0 '' \
	'fifo /var/lib/cni/sriov/vf/.$PCI.json.1.tmp; file /var/lib/cni/sriov/vf/.$PCI.json.999999.tmp x;
	 dir /var/lib/cni/sriov/vf/.$PCI.json.999998.tmp' "$(cf)"

# ==== store/: the lease store (DEL, GC, STATUS, CHECK; ADD through hostlocal_shim) ==============
e store/lock-directory GC 5 'lock' 'store; rm "$R$STORE/lock"; dir $STORE/lock' "$(ci '' "$VALID")"
e store/lock-device GC 5 'lock' 'store; rm "$R$STORE/lock"; blkdev $STORE/lock' "$(ci '' "$VALID")"
e store/lock-symlink STATUS 50 'lock' 'store; rm "$R$STORE/lock"; symlink /etc/shadow $STORE/lock' "$(ci)"
e store/lock-fifo-del DEL 0 'lock' 'store; rm "$R$STORE/lock"; fifo $STORE/lock' "$(ci)"
CHG="$ICHG|^\./var/lib/cni/networks/net/10\.0\.0\.5\$" POST='[ -e "$R$STORE/10.0.0.5" ] && echo "lease kept"' \
	e store/leases-fifo-device-symlink DEL 0 '' \
	'store; fifo $STORE/10.0.0.7; blkdev $STORE/10.0.0.8; chrdev $STORE/10.0.0.9;
	 file /etc/victim "c1${CR}
net1" 0644; symlink /etc/victim $STORE/10.0.0.10; dir $STORE/10.0.0.11' "$(ci)"
CHG="$ICHG|^\./var/lib/cni/networks/net/10\.0\.0\.6\$" e store/gc-keeps-non-leases GC 0 '' \
	'store; fifo $STORE/10.0.0.7; blkdev $STORE/10.0.0.8; file $STORE/010.0.0.9 "c2";
	 file $STORE/notes "c2${CR}
eth0"; symlink /etc/shadow $STORE/10.0.0.10' "$(ci '' "$VALID")"
PROG=shim CHG=$ICHG e store/check-lease-fifo CHECK 999 'Failed to find address' \
	'store; rm "$R$STORE/10.0.0.5"; fifo $STORE/10.0.0.5' \
	"$(ci '' '"prevResult":{"cniVersion":"1.1.0","ips":[{"address":"10.0.0.5/24"}]}')"
# Go reads a whole lease and keeps one whose content is longer than an owner; so do we.
CHG="$ICHG|^\./var/lib/cni/networks/net/10\.0\.0\.5\$" e store/lease-long-content DEL 0 '' \
	'store; file $STORE/10.0.0.7 "c1${CR}
net1$(spaces 1048576)x"' "$(ci)"
PROG=shim e store/datadir-symlink-run ADD 7 'dataDir' 'symlink /etc /run/tenant' "$(ci '"dataDir":"/run/tenant/x"')"
e store/datadir-climb GC 7 'dataDir' '' "$(ci '"dataDir":"/var/lib/cni/../../../etc"' "$VALID")"
SHIMENV='SRIOV_IPAM_STATE_DIR=/var/lib/cni/sriov'
PROG=shim CHG="^\./var/lib/cni/networks/net/(last_reserved_ip\.0|10\.0\.0\.[0-9]+)\$|$ICHG" \
	POST='[ -f "$R$STORE/last_reserved_ip.0" ] || echo "last_reserved_ip.0 not rewritten"' \
	e store/last-reserved-fifo ADD 0 '' 'store; rm "$R$STORE/last_reserved_ip.0"; fifo $STORE/last_reserved_ip.0' \
	"$(ci)" "$SHIMENV" CNI_CONTAINERID=c2
PROG=shim CHG="^\./var/lib/cni/networks/net/(last_reserved_ip\.0|10\.0\.0\.[0-9]+)\$|$ICHG" \
	POST='grep -q "^root:" "$R/etc/passwd" || echo "/etc/passwd changed"' \
	e store/last-reserved-symlink ADD 0 '' 'store; rm "$R$STORE/last_reserved_ip.0"; symlink /etc/passwd $STORE/last_reserved_ip.0' \
	"$(ci)" "$SHIMENV" CNI_CONTAINERID=c2
PROG=shim e store/last-reserved-directory ADD 5 'last_reserved_ip' \
	'store; rm "$R$STORE/last_reserved_ip.0"; dir $STORE/last_reserved_ip.0' "$(ci)" CNI_CONTAINERID=c2
PROG=shim CHG="^\./var/lib/cni/networks/net/(last_reserved_ip\.0|10\.0\.0\.8)\$" \
	POST='[ "$(cat "$R$STORE/last_reserved_ip.0")" = 10.0.0.8 ] || echo "took $(cat "$R$STORE/last_reserved_ip.0"), want 10.0.0.8"' \
	e store/next-lease-planted ADD 0 '' 'store; fifo $STORE/10.0.0.7' "$(ci)" CNI_CONTAINERID=c2
PROG=shim e store/resolv-fifo ADD 7 'resolvConf' 'store; fifo /etc/resolv.fifo' "$(ci '"resolvConf":"/etc/resolv.fifo"')"
PROG=shim e store/resolv-block-device ADD 7 'resolvConf' 'store; blkdev /etc/resolv.blk' "$(ci '"resolvConf":"/etc/resolv.blk"')"
PROG=shim e store/resolv-shadow ADD 7 'resolvConf' 'store' "$(ci '"resolvConf":"/etc/shadow"')"
PROG=shim e store/ranges-300 ADD 7 'range' '' \
	"$(cf "\"ipam\":{\"type\":\"host-local\",\"ranges\":[$(i=1; while [ $i -le 300 ]; do printf '[{"subnet":"10.%d.%d.0/24"}],' $((i / 250)) $((i % 250)); i=$((i + 1)); done)[{\"subnet\":\"10.9.9.0/24\"}]]}")"

# ==== index/: the lease index under the state directory ======================================
# prep: a store with a valid index (built by one GC), then the planted file. The DEL that
# follows releases c1/net1's lease through the index.
IDX=/var/lib/cni/sriov/ipam/net
PREP='store; prep_index'
prep_index()
{
	printf '%s' "$(ci '' "$VALID")" >"$T/prep.in"
	env -i PATH=/bin CNI_COMMAND=GC CNI_PATH=/opt/cni/bin "$SEC_TIMEOUT" -s KILL 10 \
		"$SEC_CHROOT" "$R" /bin/sriov <"$T/prep.in" >/dev/null 2>&1 || echo "prep GC failed"
	IDXD=$(ls -d "$R$IDX"/*.* 2>/dev/null | head -n 1)
	[ -f "$IDXD/stamp" ] || echo "no index stamp after the prep GC"
	IDXD=${IDXD#"$R"}
}
RCHG="$ICHG|^\./var/lib/cni/networks/net/10\.0\.0\.5\$"
CHG=$RCHG e index/bulk-fifo DEL 0 '' "$PREP"'; rm "$R$IDXD/bulk"; fifo $IDXD/bulk' "$(ci)"
CHG=$RCHG e index/bulk-device DEL 0 '' "$PREP"'; rm "$R$IDXD/bulk"; blkdev $IDXD/bulk' "$(ci)"
CHG=$RCHG e index/owner-file-fifo DEL 0 '' "$PREP"'; fifo "$IDXD/c1:net1"' "$(ci)"
CHG=$RCHG e index/owner-file-device DEL 0 '' "$PREP"'; blkdev "$IDXD/c1:net1"' "$(ci)"
CHG=$RCHG e index/owner-file-symlink DEL 0 '' "$PREP"'; symlink /etc/shadow "$IDXD/c1:net1"' "$(ci)"
CHG=$RCHG e index/stamp-fifo DEL 0 '' "$PREP"'; rm "$R$IDXD/stamp"; fifo $IDXD/stamp' "$(ci)"
CHG=$RCHG e index/stamp-device DEL 0 '' "$PREP"'; rm "$R$IDXD/stamp"; blkdev $IDXD/stamp' "$(ci)"
CHG=$RCHG e index/dir-symlink DEL 0 '' 'store; symlink /etc /var/lib/cni/sriov/ipam' "$(ci)"
PROG=shim CHG="$ICHG|^\./var/lib/cni/networks/net/(last_reserved_ip\.0|10\.0\.0\.[0-9]+)\$" \
	e index/owner-file-device-add ADD 0 '' "$PREP"'; blkdev "$IDXD/c2:net1"' "$(ci)" "$SHIMENV" CNI_CONTAINERID=c2
PROG=shim CHG="$ICHG|^\./var/lib/cni/networks/net/(last_reserved_ip\.0|10\.0\.0\.[0-9]+)\$" \
	e index/owner-file-fifo-add ADD 0 '' "$PREP"'; fifo "$IDXD/c2:net1"' "$(ci)" "$SHIMENV" CNI_CONTAINERID=c2

# ---- summary ---------------------------------------------------------------------------------
echo "catalogue (host part) by category:"
awk '{ t[$1]++; if ($2 == "fail") f[$1]++ } END { for (c in t) printf "  %-6s %3d entries, %d failed\n", c, t[c], f[c] + 0 }' \
	"$results" | sort
sec_done
