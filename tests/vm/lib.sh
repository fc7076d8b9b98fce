# SPDX-License-Identifier: Apache-2.0
# lib.sh: helpers for the VM cases (busybox sh). A case starts with
#	set -eu
#	. /testbed/lib.sh
# and then calls check_* as often as it likes: a failed check is recorded and the case goes on.
# When the case exits, the EXIT trap set here turns the record into its exit status (0 all
# checks passed, 1 some failed or the script stopped on an error, 77 skip).
#
# Groups: assertions (ok, fail, die, skip, check_*, run), the VFs (pf_name, vf_pci, vf_netdev,
# vf_driver, vf_table, vf_get, ...), network namespaces (netns_add, in_netns), the plugin
# (cni_run, sriov_conf), and tb_reset, which the runner calls between cases.

SRIOV=${SRIOV:-/usr/local/bin/sriov}
IP=/usr/sbin/ip
# This busybox sh runs its own applets before searching PATH, and its "ip" applet knows neither
# VFs nor netns. A function wins over an applet, so plain "ip" in a case is iproute2.
ip()
{
	/usr/sbin/ip "$@"
}
# jq colours its output on a terminal, and the serial console is one.
jq()
{
	command jq -M "$@"
}
TB_CHECKS=0
TB_FAILED=0
TB_NETNS=""

# ---- assertions ------------------------------------------------------------------------------

# step TEXT: print a heading, so the output of a failed case reads as a story.
step()
{
	echo "== $*"
}

ok()
{
	TB_CHECKS=$((TB_CHECKS + 1))
	echo "ok   - $*"
}

# fail TEXT: record a failed check and go on.
fail()
{
	TB_CHECKS=$((TB_CHECKS + 1))
	TB_FAILED=$((TB_FAILED + 1))
	echo "FAIL - $*"
}

# die TEXT: record a failure and stop the case (for when later checks make no sense).
die()
{
	fail "$*"
	exit 1
}

# skip TEXT: the case cannot run here (counts as a failure under CI=true on the host).
skip()
{
	echo "SKIP - $*"
	exit 77
}

# check_eq WANT GOT TEXT
check_eq()
{
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		fail "$3: wanted '$1', got '$2'"
	fi
}

# check_ne UNWANTED GOT TEXT
check_ne()
{
	if [ "$1" != "$2" ]; then
		ok "$3"
	else
		fail "$3: got '$2'"
	fi
}

# check_match GOT ERE TEXT: GOT (any line of it) matches the extended regular expression.
check_match()
{
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		ok "$3"
	else
		fail "$3: '$1' does not match /$2/"
	fi
}

# check_contains HAYSTACK NEEDLE TEXT: fixed-string search.
check_contains()
{
	if printf '%s\n' "$1" | grep -Fq -- "$2"; then
		ok "$3"
	else
		fail "$3: '$2' not found in '$1'"
	fi
}

# check_json JSON FILTER TEXT: jq -e FILTER is true for JSON.
check_json()
{
	if printf '%s\n' "$1" | jq -e "$2" >/dev/null 2>&1; then
		ok "$3"
	else
		fail "$3: jq '$2' is not true for: $1"
	fi
}

# run CMD...: run CMD, echo it and its output; leave stdout+stderr in RUN_OUT and the exit
# status in RUN_RC. Never fails, whatever CMD does.
run()
{
	echo "\$ $*"
	RUN_RC=0
	RUN_OUT=$("$@" 2>&1) || RUN_RC=$?
	[ -z "$RUN_OUT" ] || printf '%s\n' "$RUN_OUT" | sed 's/^/  /'
	[ "$RUN_RC" = 0 ] || echo "  (exit $RUN_RC)"
}

# check_ok TEXT CMD...: CMD succeeds.
check_ok()
{
	local text=$1
	shift
	run "$@"
	if [ "$RUN_RC" = 0 ]; then
		ok "$text"
	else
		fail "$text: exit $RUN_RC"
	fi
}

# check_fails TEXT ERE CMD...: CMD fails and its output matches ERE ('' matches anything).
check_fails()
{
	local text=$1 ere=$2
	shift 2
	run "$@"
	if [ "$RUN_RC" = 0 ]; then
		fail "$text: succeeded, should have failed"
	elif [ -n "$ere" ] && ! printf '%s\n' "$RUN_OUT" | grep -Eq -- "$ere"; then
		fail "$text: failed as it should, but the output does not match /$ere/"
	else
		ok "$text"
	fi
}

# wait_for SECONDS CMD...: retry CMD every 0.1 s until it succeeds; 1 on timeout. CMD is run
# again each time, but its arguments are expanded once: wrap "$(...)" tests in a function.
wait_for()
{
	local n=$(($1 * 10))
	shift
	while [ "$n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}

# wait_until SECONDS CMD...: as wait_for, but SECONDS of wall-clock time, for a CMD that is
# slow itself (Go tools such as ctr take a fraction of a second each under TCG).
wait_until()
{
	local end=$(($(date +%s) + $1))
	shift
	while :; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.2
	done
}

_tb_exit()
{
	local rc=$?
	local ns
	trap - EXIT
	for ns in $TB_NETNS; do
		$IP netns del "$ns" 2>/dev/null || true
	done
	if [ "$rc" = 77 ]; then
		exit 77
	elif [ "$TB_FAILED" -gt 0 ]; then
		echo "result: $TB_FAILED of $TB_CHECKS checks failed"
		exit 1
	elif [ "$rc" -gt 128 ]; then
		echo "result: the script was killed by signal $((rc - 128)) after $TB_CHECKS checks"
		exit "$rc"
	elif [ "$rc" != 0 ]; then
		echo "result: the script stopped with status $rc after $TB_CHECKS checks (a command failed under set -e?)"
		exit "$rc"
	fi
	echo "result: all $TB_CHECKS checks passed"
	exit 0
}
if [ -z "${TB_LIB_NOTRAP:-}" ]; then
	trap _tb_exit EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
fi

# ---- the PF and its VFs, from sysfs ----------------------------------------------------------

# pf_name: the igb PF netdev (the runner found it at boot).
pf_name()
{
	local d
	if [ -s /run/testbed/pf ]; then
		cat /run/testbed/pf
		return
	fi
	for d in /sys/class/net/*; do
		[ -e "$d/device/sriov_totalvfs" ] && echo "${d##*/}" && return
	done
	return 1
}

pf_pci()
{
	basename "$(readlink -f "/sys/class/net/$(pf_name)/device")"
}

# vf_count: sriov_numvfs of the PF.
vf_count()
{
	cat "/sys/class/net/$(pf_name)/device/sriov_numvfs"
}

# vf_pci IDX: PCI address of VF IDX, e.g. 0000:02:00.1 (stays valid wherever the netdev goes).
vf_pci()
{
	basename "$(readlink -f "/sys/class/net/$(pf_name)/device/virtfn$1")"
}

# vf_index PCI: the VF index of a VF PCI address.
vf_index()
{
	local v
	for v in "/sys/bus/pci/devices/$1/physfn"/virtfn*; do
		[ "$(basename "$(readlink -f "$v")")" = "$1" ] && echo "${v##*virtfn}" && return
	done
	return 1
}

# vf_netdev IDX: the VF's netdev name in the host netns; empty when it has none here (moved to
# a pod, or bound to vfio-pci).
vf_netdev()
{
	ls "/sys/bus/pci/devices/$(vf_pci "$1")/net" 2>/dev/null | head -n 1
}

# vf_in_host IDX: true when VF IDX has a netdev in the host netns (for wait_for).
vf_in_host()
{
	[ -n "$(vf_netdev "$1")" ]
}

# vf_driver IDX: the driver bound to VF IDX (igbvf, vfio-pci), empty when none.
vf_driver()
{
	local l
	l=$(readlink "/sys/bus/pci/devices/$(vf_pci "$1")/driver" 2>/dev/null) || return 0
	basename "$l"
}

# vf_boot_name IDX / vf_boot_mac IDX: name and MAC the VF netdev had at boot.
vf_boot_name()
{
	awk -v i="$1" '$1 == i { print $3 }' /run/testbed/vfs
}

vf_boot_mac()
{
	awk -v i="$1" '$1 == i { print $4 }' /run/testbed/vfs
}

# vf_list: one line per VF: "<index> <pci> <netdev or -> <driver or ->".
vf_list()
{
	local i=0 n
	n=$(vf_count)
	while [ "$i" -lt "$n" ]; do
		echo "$i $(vf_pci $i) $(vf_netdev $i | grep . || echo -) $(vf_driver $i | grep . || echo -)"
		i=$((i + 1))
	done
}

# vf_table: the PF's VF table as ip(8) prints it.
vf_table()
{
	$IP -d link show "$(pf_name)"
}

# vf_get IDX [JQ]: VF IDX's entry of the PF's VF table as JSON (iproute2's vfinfo_list), or the
# JQ filter applied to it, raw. Fields: address, vlan_list[{vlan,qos}], rate{max_tx,min_tx},
# spoofchk, link_state, trust, ...
vf_get()
{
	$IP -j -d link show "$(pf_name)" | jq -r ".[0].vfinfo_list[] | select(.vf == $1) | ${2:-.}"
}

# ---- network namespaces ----------------------------------------------------------------------

# netns_add NAME: a fresh netns with lo up, deleted when the case ends.
netns_add()
{
	$IP netns add "$1"
	TB_NETNS="$TB_NETNS $1"
	$IP -n "$1" link set lo up
}

netns_path()
{
	echo "/var/run/netns/$1"
}

# in_netns NAME CMD...
in_netns()
{
	local ns=$1
	shift
	$IP netns exec "$ns" "$@"
}

# ---- the plugin ------------------------------------------------------------------------------

# sriov_conf PCI [JQ]: a network config for VF PCI (the README's host-local example), edited by
# the jq filter JQ when given, e.g. sriov_conf "$pci" '.vlan = 10 | .cniVersion = "1.0.0"'.
sriov_conf()
{
	jq -cn --arg pci "$1" '{
		cniVersion: "0.3.1", name: "sriov-net1", type: "sriov", deviceID: $pci,
		ipam: { type: "host-local", subnet: "10.56.217.0/24",
			rangeStart: "10.56.217.100", rangeEnd: "10.56.217.200",
			routes: [ { dst: "0.0.0.0/0" } ], gateway: "10.56.217.1" } }' |
		jq -c "${2:-.}"
}

# cni_run COMMAND CONTAINERID NETNS IFNAME CONFIG: run the plugin the way a runtime does: CNI_*
# in the environment, CONFIG on stdin. NETNS is a name under /var/run/netns, a path, or '' (no
# CNI_NETNS). Sets CNI_OUT (stdout), CNI_ERR (stderr) and CNI_RC; never fails. Extra variables
# (CNI_ARGS, ...) can be exported before the call.
cni_run()
{
	local cmd=$1 cid=$2 ns=$3 ifname=$4 conf=$5 errf
	case $ns in
	'' | /*) ;;
	*) ns=$(netns_path "$ns") ;;
	esac
	errf=$(mktemp)
	echo "\$ CNI_COMMAND=$cmd CNI_CONTAINERID=$cid CNI_NETNS=$ns CNI_IFNAME=$ifname sriov <<< '$conf'"
	CNI_RC=0
	CNI_OUT=$(
		export CNI_COMMAND="$cmd" CNI_CONTAINERID="$cid" CNI_IFNAME="$ifname"
		export CNI_PATH=${CNI_PATH:-/opt/cni/bin}
		if [ -n "$ns" ]; then export CNI_NETNS="$ns"; else unset CNI_NETNS; fi
		printf '%s' "$conf" | "$SRIOV" 2>"$errf"
	) || CNI_RC=$?
	CNI_ERR=$(cat "$errf")
	rm -f "$errf"
	[ -z "$CNI_OUT" ] || printf '%s\n' "$CNI_OUT" | sed 's/^/  /'
	[ -z "$CNI_ERR" ] || printf '%s\n' "$CNI_ERR" | sed 's/^/  stderr: /'
	echo "  (exit $CNI_RC)"
}

# ---- between cases ---------------------------------------------------------------------------

# tb_reset: put the testbed back as it was at boot: no netns, every VF bound to igbvf in the
# host under its boot name and MAC, down, no addresses, a clean VF table (all-zero MACs), no
# extra links, no plugin state. Prints what is wrong and fails when it cannot.
tb_reset()
{
	local pf idx pci name mac cur l bad=""
	pf=$(pf_name)
	$IP -all netns delete >/dev/null 2>&1 || true
	rm -rf /var/lib/cni /run/cni
	mkdir -p /var/lib/cni
	$IP link set "$pf" up || bad="$bad $pf:not-up"
	while read -r idx pci name mac; do
		[ "$(vf_driver "$idx")" = igbvf ] || _tb_rebind "$idx"
		# Deleted netns hand their VFs back asynchronously.
		wait_for 10 vf_in_host "$idx" || bad="$bad vf$idx:no-netdev"
	done </run/testbed/vfs
	_tb_table >/run/testbed/table.now
	while read -r idx pci name mac; do
		set -- $(awk -v i="$idx" '$1 == i' /run/testbed/table.now)
		[ "$2 $3" = "0 0" ] || $IP link set "$pf" vf "$idx" vlan 0 qos 0 || bad="$bad vf$idx:vlan"
		[ "$4" = 0 ] || $IP link set "$pf" vf "$idx" max_tx_rate 0 || bad="$bad vf$idx:rate"
		[ "$5" = true ] || $IP link set "$pf" vf "$idx" spoofchk on || bad="$bad vf$idx:spoofchk"
		[ "$6" = false ] || $IP link set "$pf" vf "$idx" trust off || bad="$bad vf$idx:trust"
		cur=$(vf_netdev "$idx")
		[ -n "$cur" ] || continue
		# The PF's VF table entry is also the VF's unicast filter. At boot it is empty and
		# igbvf registers its MAC when it comes up; an admin MAC pins it and makes igb refuse
		# the VF's own requests; clearing the admin MAC empties the filter, and igbvf does
		# not register again by itself. So: clear any pin, then have the netdev ask for a
		# scratch MAC and its boot MAC, which leaves the filter (and the table) at the boot
		# MAC, as a VF that has been up once has it.
		if [ "$7" != 00:00:00:00:00:00 ] && [ "$7" != "$mac" ]; then
			$IP link set "$pf" vf "$idx" mac 00:00:00:00:00:00 || bad="$bad vf$idx:mac-clear"
		fi
		if [ "$7" != "$mac" ] || [ "$(cat "/sys/class/net/$cur/address")" != "$mac" ]; then
			wait_for 3 $IP link set "$cur" address 02:00:00:00:00:7e || bad="$bad vf$idx:mac-scratch"
			wait_for 3 $IP link set "$cur" address "$mac" || bad="$bad vf$idx:mac"
		fi
	done </run/testbed/vfs
	# Names: via temporary ones, in case two VFs swapped theirs.
	while read -r idx pci name mac; do
		cur=$(vf_netdev "$idx")
		[ -n "$cur" ] || continue
		if $IP link show "$cur" | grep -q '[<,]UP[,>]'; then
			$IP link set "$cur" down
		fi
		[ "$cur" = "$name" ] || $IP link set "$cur" name "tbvf$idx"
	done </run/testbed/vfs
	while read -r idx pci name mac; do
		cur=$(vf_netdev "$idx")
		[ -n "$cur" ] || continue
		[ "$cur" = "$name" ] || $IP link set "$cur" name "$name" || bad="$bad vf$idx:rename"
		[ "$(cat "/sys/class/net/$name/mtu")" = 1500 ] ||
			$IP link set "$name" mtu 1500 || bad="$bad vf$idx:mtu"
		[ -z "$($IP -o addr show dev "$name" scope global)" ] ||
			$IP addr flush dev "$name" scope global || bad="$bad vf$idx:addr"
	done </run/testbed/vfs
	for l in /sys/class/net/*; do
		l=${l##*/}
		case " lo $pf $(cut -d' ' -f3 /run/testbed/vfs | tr '\n' ' ') " in
		*" $l "*) ;;
		*) $IP link del "$l" 2>/dev/null || bad="$bad $l:stray-link" ;;
		esac
	done
	_tb_table >/run/testbed/table.now
	while read -r idx pci name mac; do
		[ "$(vf_driver "$idx")" = igbvf ] || bad="$bad vf$idx:driver=$(vf_driver "$idx")"
		[ "$(vf_netdev "$idx")" = "$name" ] || bad="$bad vf$idx:name=$(vf_netdev "$idx")"
		[ "$(cat "/sys/class/net/$name/address" 2>/dev/null)" = "$mac" ] || bad="$bad vf$idx:mac"
		# The table lists the VF's own (boot) MAC once it registered it, else nothing.
		case "$(awk -v i="$idx" '$1 == i { $1 = ""; print }' /run/testbed/table.now)" in
		" 0 0 0 true false 00:00:00:00:00:00" | " 0 0 0 true false $mac") ;;
		*) bad="$bad vf$idx:table" ;;
		esac
	done </run/testbed/vfs
	if [ -n "$bad" ]; then
		echo "reset incomplete:$bad"
		return 1
	fi
}

# _tb_table: the PF's VF table, one line per VF: index vlan qos max_tx_rate spoofchk trust mac.
_tb_table()
{
	$IP -j -d link show "$(pf_name)" | jq -r '.[0].vfinfo_list[] | [.vf,
		(.vlan_list[0].vlan // 0), (.vlan_list[0].qos // 0), .rate.max_tx, .spoofchk, .trust,
		.address] | @tsv'
}

# _tb_rebind IDX: (re)bind VF IDX to igbvf, whatever holds it now; igbvf resets the VF.
_tb_rebind()
{
	local pci
	pci=$(vf_pci "$1")
	[ ! -e "/sys/bus/pci/devices/$pci/driver" ] ||
		echo "$pci" >"/sys/bus/pci/devices/$pci/driver/unbind"
	echo >"/sys/bus/pci/devices/$pci/driver_override"
	echo "$pci" >/sys/bus/pci/drivers_probe
}

# ---- VF state as the plugin promises to restore it -------------------------------------------

# vf_entry IDX: VF IDX's PF table entry as one JSON line, with the address shown as "self"
# when it is all-zero or the VF netdev's own MAC: igb lists a MAC the VF chose itself there
# once the VF has told the PF about it, so both mean "no admin MAC". A pinned admin MAC is
# caught by vf_unpinned.
vf_entry()
{
	local own
	own=$(cat "/sys/class/net/$(vf_netdev "$1")/address" 2>/dev/null || echo none)
	vf_get "$1" tostring | jq -c --arg own "$own" \
		'if .address == "00:00:00:00:00:00" or .address == $own then .address = "self" else . end'
}

# vf_unpinned IDX: the untrusted VF may still change its own MAC (no admin MAC left pinned):
# set a scratch MAC and then the old one again.
vf_unpinned()
{
	local dev mac
	dev=$(vf_netdev "$1")
	mac=$(cat "/sys/class/net/$dev/address")
	$IP link set "$dev" address 02:00:00:00:00:77 && $IP link set "$dev" address "$mac"
}

# ---- sriov-cni v2.10, done by hand -----------------------------------------------------------
# What sriov-cni v2.10.0's ADD leaves behind, and what its DEL does, step by step as its source
# does them (pkg/cnicommands/cni.go, pkg/sriov/sriov.go, pkg/utils), with ip(8) and jq, so that
# cases can hand pods between it and sriov without the Go binary.

SRIOVCNI_DIR=/var/lib/cni/sriov

# sriovcni_add IDX CONTAINERID NETNS IFNAME CONF: sriov-cni's ADD of VF IDX: snapshot
# (OrigVfState), PF-side settings of CONF (vlan, mac, spoofchk, trust, rates, link_state),
# the netdev renamed temp_<ifindex>, moved into NETNS, renamed IFNAME, given the MAC, up; a
# host-local lease (rangeStart of CONF's legacy range) with its address and default route;
# the cache <cid>-<ifname> and the allocation record pci/<pci>. A VF without a netdev (bound to
# vfio-pci) gets the PF-side settings, the lease and the files only, as sriov-cni's DPDK mode
# does. Fails at the first error.
sriovcni_add()
{
	local idx=$1 cid=$2 ns=$3 ifname=$4 conf=$5 pf pci name mac mtu ifindex orig cache
	local vlan qos proto dir ip gw net
	pf=$(pf_name)
	pci=$(vf_pci "$idx")
	name=$(vf_netdev "$idx")
	if [ -n "$name" ]; then
		mac=$(cat "/sys/class/net/$name/address")
		mtu=$(cat "/sys/class/net/$name/mtu")
		ifindex=$(cat "/sys/class/net/$name/ifindex")
	else
		mac="" mtu=0 ifindex=0
	fi
	# LoadConf: the lock file; FillOriginalVfInfo: the PF's VF table entry, the netdev's MTU.
	mkdir -p -m 0700 "$SRIOVCNI_DIR"
	mkdir -p -m 0600 "$SRIOVCNI_DIR/pci/vf_lock"
	: >"$SRIOVCNI_DIR/pci/vf_lock/$pci.lock"
	orig=$(vf_get "$idx" tostring | jq -c --arg name "$name" --argjson mtu "$mtu" '{
		HostIFName: $name, SpoofChk: .spoofchk, Trust: .trust, AdminMAC: .address,
		Vlan: (.vlan_list[0].vlan // 0), VlanQoS: (.vlan_list[0].qos // 0),
		VlanProto: (if (.vlan_list[0].protocol // "802.1Q") == "802.1ad" then 34984 else 33024 end),
		MinTxRate: (.rate.min_tx // 0), MaxTxRate: (.rate.max_tx // 0),
		LinkState: ({"auto": 0, "enable": 1, "disable": 2}[.link_state // "auto"]), MTU: $mtu }')
	# ApplyVFConfig: vlan, mac, rate, spoofchk, trust, link_state.
	vlan=$(printf '%s' "$conf" | jq -r '.vlan // empty')
	if [ -n "$vlan" ]; then
		qos=$(printf '%s' "$conf" | jq -r '.vlanQoS // 0')
		proto=$(printf '%s' "$conf" | jq -r '(.vlanProto // "802.1q") | ascii_downcase')
		$IP link set "$pf" vf "$idx" vlan "$vlan" qos "$qos" proto "$proto"
	fi
	cmac=$(printf '%s' "$conf" | jq -r '(.mac // "") | ascii_downcase')
	[ -z "$cmac" ] || $IP link set "$pf" vf "$idx" mac "$cmac"
	if printf '%s' "$conf" | jq -e 'has("min_tx_rate") or has("max_tx_rate")' >/dev/null; then
		$IP link set "$pf" vf "$idx" min_tx_rate "$(printf '%s' "$conf" | jq -r '.min_tx_rate // 0')" \
			max_tx_rate "$(printf '%s' "$conf" | jq -r '.max_tx_rate // 0')"
	fi
	for k in spoofchk trust; do
		v=$(printf '%s' "$conf" | jq -r ".$k // empty")
		[ -z "$v" ] || $IP link set "$pf" vf "$idx" "$k" "$([ "$v" = on ] && echo on || echo off)"
	done
	v=$(printf '%s' "$conf" | jq -r '.link_state // empty')
	[ -z "$v" ] || $IP link set "$pf" vf "$idx" state "$v"
	# SetupVF: the effective MAC is read first, then down, temp name, move, pod name, MAC, up.
	orig=$(printf '%s' "$orig" | jq -c --arg eff "$mac" '.EffectiveMAC = $eff')
	[ -n "$name" ] || mtu=$(cat "/sys/class/net/$pf/mtu") # the result's MTU: the PF's
	[ -z "$name" ] || $IP link set "$name" down
	if [ -n "$name" ]; then
		$IP link set "$name" name "temp_$ifindex"
		$IP link set "temp_$ifindex" netns "$ns"
		$IP -n "$ns" link set "temp_$ifindex" name "$ifname"
		[ -z "$cmac" ] || wait_for 2 $IP -n "$ns" link set "$ifname" address "$cmac"
		$IP -n "$ns" link set "$ifname" up
	fi
	# IPAM: host-local's lease (id CR LF ifname, no newline, 0600), address, route.
	net=$(printf '%s' "$conf" | jq -r .name)
	ip=$(printf '%s' "$conf" | jq -r .ipam.rangeStart)
	gw=$(printf '%s' "$conf" | jq -r .ipam.gateway)
	dir=/var/lib/cni/networks/$net
	mkdir -p "$dir"
	(umask 077 && printf '%s\r\n%s' "$cid" "$ifname" >"$dir/$ip" && printf '%s' "$ip" >"$dir/last_reserved_ip.0")
	if [ -n "$name" ]; then
		$IP -n "$ns" addr add "$ip/24" dev "$ifname"
		$IP -n "$ns" route add default via "$gw" dev "$ifname"
	fi
	# SaveNetConf: types.NetConf and SriovNetConf merged through maps, so keys sorted.
	cache=$(printf '%s' "$conf" | jq -cS --argjson orig "$orig" --arg pf "$pf" --argjson idx "$idx" \
		--argjson mtu "$mtu" --arg cmac "$cmac" '{
		cniVersion, name, type, ipam: (if .ipam.type then {type: .ipam.type} else {} end),
		deviceID, OrigVfState: $orig, Master: $pf, VFID: $idx, MAC: $cmac, MTU: $mtu,
		vlan: (.vlan // null), vlanQoS: (if .vlan then (.vlanQoS // 0) else null end),
		vlanProto: (if .vlan then ((.vlanProto // "802.1q") | ascii_downcase) else null end),
		min_tx_rate: (.min_tx_rate // null), max_tx_rate: (.max_tx_rate // null),
		runtimeConfig: {} }
		+ (if .spoofchk then {spoofchk} else {} end) + (if .trust then {trust} else {} end)
		+ (if .link_state then {link_state} else {} end)')
	(umask 077 && printf '%s' "$cache" >"$SRIOVCNI_DIR/$cid-$ifname")
	# SaveAllocatedPCI: the netns path, no newline.
	(umask 077 && printf '%s' "$(netns_path "$ns")" >"$SRIOVCNI_DIR/pci/$pci")
}

# sriovcni_del CONTAINERID NETNS IFNAME: sriov-cni v2.10's DEL from the cache: IPAM DEL
# (host-local: every lease of the pair), the PF-side reset of what the cache lists, the
# netdev renamed home in the pod, its MAC (if a MAC was configured) and MTU restored, moved to
# the host; the allocation record and the cache removed. No cache: success, nothing done.
# Fails at the first error, as sriov-cni does.
sriovcni_del()
{
	local cid=$1 ns=$2 ifname=$3 f c pf idx pci host v p
	f=$SRIOVCNI_DIR/$cid-$ifname
	[ -f "$f" ] || return 0
	c=$(cat "$f")
	pf=$(printf '%s' "$c" | jq -r .Master)
	idx=$(printf '%s' "$c" | jq -r .VFID)
	pci=$(printf '%s' "$c" | jq -r .deviceID)
	if [ -n "$(printf '%s' "$c" | jq -r '.ipam.type // empty')" ]; then
		for v in /var/lib/cni/networks/"$(printf '%s' "$c" | jq -r .name)"/*; do
			[ "$(cat "$v")" != "$(printf '%s\r\n%s' "$cid" "$ifname")" ] || rm -f "$v"
		done
	fi
	# ResetVFConfig: vlan, spoofchk, admin MAC, trust, rates, link state; each if listed.
	if [ "$(printf '%s' "$c" | jq -r .vlan)" != null ]; then
		p=$(printf '%s' "$c" | jq -r 'if .OrigVfState.VlanProto == 34984 then "802.1ad" else "802.1Q" end')
		$IP link set "$pf" vf "$idx" vlan "$(printf '%s' "$c" | jq -r .OrigVfState.Vlan)" \
			qos "$(printf '%s' "$c" | jq -r .OrigVfState.VlanQoS)" proto "$p"
	fi
	[ -z "$(printf '%s' "$c" | jq -r '.spoofchk // empty')" ] ||
		$IP link set "$pf" vf "$idx" spoofchk "$(printf '%s' "$c" | jq -r 'if .OrigVfState.SpoofChk then "on" else "off" end')"
	[ -z "$(printf '%s' "$c" | jq -r .MAC)" ] ||
		$IP link set "$pf" vf "$idx" mac "$(printf '%s' "$c" | jq -r .OrigVfState.AdminMAC)"
	[ -z "$(printf '%s' "$c" | jq -r '.trust // empty')" ] ||
		$IP link set "$pf" vf "$idx" trust "$(printf '%s' "$c" | jq -r 'if .OrigVfState.Trust then "on" else "off" end')"
	if [ "$(printf '%s' "$c" | jq -r '.min_tx_rate != null or .max_tx_rate != null')" = true ]; then
		$IP link set "$pf" vf "$idx" min_tx_rate "$(printf '%s' "$c" | jq -r .OrigVfState.MinTxRate)" \
			max_tx_rate "$(printf '%s' "$c" | jq -r .OrigVfState.MaxTxRate)"
	fi
	[ -z "$(printf '%s' "$c" | jq -r '.link_state // empty')" ] ||
		$IP link set "$pf" vf "$idx" state "$(printf '%s' "$c" | jq -r '["auto","enable","disable"][.OrigVfState.LinkState]')"
	# ReleaseVF, only when the netns still exists.
	if $IP -n "$ns" link show >/dev/null 2>&1; then
		host=$(printf '%s' "$c" | jq -r .OrigVfState.HostIFName)
		$IP -n "$ns" link set "$ifname" down
		$IP -n "$ns" link set "$ifname" name "$host"
		[ -z "$(printf '%s' "$c" | jq -r .MAC)" ] ||
			wait_for 2 $IP -n "$ns" link set "$host" address "$(printf '%s' "$c" | jq -r .OrigVfState.EffectiveMAC)"
		[ "$(printf '%s' "$c" | jq -r .OrigVfState.MTU)" = 0 ] ||
			$IP -n "$ns" link set "$host" mtu "$(printf '%s' "$c" | jq -r .OrigVfState.MTU)"
		$IP -n "$ns" link set "$host" netns 1
		rm -f "$SRIOVCNI_DIR/pci/$pci"
	fi
	rm -f "$f"
}
