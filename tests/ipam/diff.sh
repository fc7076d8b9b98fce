#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# diff.sh: run the same IPAM sequences against the Go host-local and our embedded one (through
# hostlocal_shim) with separate data dirs; results, errors and store contents must match.
# Usage: diff.sh <hostlocal_shim> [<host-local binary>]
set -u

SHIM=${1:?usage: diff.sh <hostlocal_shim> [host-local]}
GO=${2:-/usr/lib/cni/host-local}

skip() {
	if [ "${CI:-}" = true ]; then
		echo "FAIL: $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}
[ -x "$GO" ] || skip "$GO not found"
command -v jq >/dev/null 2>&1 || skip "jq not installed"

T=$(mktemp -d /tmp/ipam-diff.XXXXXX)
# A signal must end the run (a trap that only cleaned up would let it go on), and cleanup runs
# on the way out through the EXIT trap.
trap 'rm -rf "$T"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$T/go" "$T/c" "$T/state" "$T/shared"
FAILS=0
STEPS=0
NET=net1

fail() {
	FAILS=$((FAILS + 1))
	echo "FAIL: $*" >&2
}

# run <impl> <datadir> <cmd> <id> <ifname> <cni_args> <conf>: stdout into $T/out.<impl>, rc echoed
run() {
	impl=$1 dir=$2 cmd=$3 id=$4 ifn=$5 args=$6 conf=$7
	bin=$SHIM
	[ "$impl" = go ] && bin=$GO
	printf '%s' "$conf" | sed "s#@DIR@#$dir#g; s#@NET@#$NET#g" >"$T/conf.$impl"
	env CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_IFNAME="$ifn" CNI_NETNS=/var/run/netns/x \
		CNI_PATH=/usr/lib/cni CNI_ARGS="$args" SRIOV_IPAM_STATE_DIR="$T/state" SRIOV_IPAM_DATA_ROOT="$T" \
		"$bin" <"$T/conf.$impl" >"$T/out.$impl" 2>"$T/err.$impl"
	echo $?
}

# Normalised output: results sorted by key with an empty dns dropped (1.x renderers may omit
# it); errors reduced to code, message and details, with each side's data dir replaced by a
# placeholder.
norm() {
	impl=$1 dir=$2
	if [ ! -s "$T/out.$impl" ]; then
		echo "(no output)"
		return
	fi
	sed "s#$dir#@DIR@#g" "$T/out.$impl" |
		jq -S 'if has("code") then {code, error: .msg, details: (.details // "")} else (if .dns == {} then del(.dns) else . end) end' 2>&1
}

# step <label> <cmd> <id> <ifname> <cni_args> <conf> [any-msg]
step() {
	label=$1 cmd=$2 id=$3 ifn=$4 args=$5 conf=$6 anymsg=${7:-}
	STEPS=$((STEPS + 1))
	rgo=$(run go "$T/go" "$cmd" "$id" "$ifn" "$args" "$conf")
	rc=$(run c "$T/c" "$cmd" "$id" "$ifn" "$args" "$conf")
	ngo=$(norm go "$T/go")
	nc=$(norm c "$T/c")
	# Exactly one side failed. (Written with braces: "A && B || C && D" would group as
	# "((A && B) || C) && D" and miss a failure of ours.)
	if { [ "$rgo" = 0 ] && [ "$rc" != 0 ]; } || { [ "$rgo" != 0 ] && [ "$rc" = 0 ]; }; then
		fail "$label: exit $rgo (go) vs $rc (ours)"
		echo "  go:   $ngo" >&2
		echo "  ours: $nc" >&2
		return
	fi
	if [ -n "$anymsg" ] && [ "$rgo" != 0 ]; then
		return
	fi
	if [ "$rgo" != 0 ]; then
		why=$(error_mismatch "$ngo" "$nc")
		[ -z "$why" ] || {
			fail "$label: error differs: $why"
			echo "  go:   $(echo "$ngo" | tr -d '\n')" >&2
			echo "  ours: $(echo "$nc" | tr -d '\n')" >&2
		}
		return
	fi
	if [ "$ngo" != "$nc" ]; then
		fail "$label: output differs"
		echo "  go:   $(echo "$ngo" | tr -d '\n ')" >&2
		echo "  ours: $(echo "$nc" | tr -d '\n ')" >&2
	fi
}

# error_mismatch <go error> <our error>: prints why two normalised errors differ, nothing when
# they agree. The message must be the same. The code too, with one documented exception: the
# Go host-local reports every error it makes itself as 999, where we pick the code at the
# source: 4 for CNI_ARGS ("ARGS: ...") and 7 for an invalid config. Details: Go's, when it
# gives any; where it gives none, ours may name the offending field (e.g. "ipam.ranges[0]").
error_mismatch() {
	jq -rn --argjson g "$1" --argjson c "$2" '
		if ($g | type) != "object" or ($c | type) != "object" or ($c | has("code") | not)
		then "not an error object on both sides"
		elif $g.error != $c.error then "message"
		elif $g.code != 999 and $c.code != $g.code then "code \($c.code), want \($g.code)"
		elif $g.code == 999 and ($c.error | startswith("ARGS:")) and $c.code != 4
		then "code \($c.code) for a CNI_ARGS error, want 4"
		elif $g.code == 999 and ($c.error | startswith("ARGS:") | not) and
			($c.code != 999 and $c.code != 7)
		then "code \($c.code), want 999 or 7 (invalid config)"
		elif $g.details != "" and $c.details != $g.details then "details"
		elif $g.details == "" and $c.details != "" and
			($c.details | test("^(ipam|args|runtimeConfig|cniVersion)[][A-Za-z0-9_.]*$") | not)
		then "details \($c.details) name no field"
		else empty end' 2>&1
}

# Store contents byte by byte, plus modes. host-local 1.1.1 creates leases and
# last_reserved_ip 0644; 1.9 and we create them 0600 (owner-only), the only expected difference.
compare_stores() {
	label=$1
	if ! diff -r "$T/go" "$T/c" >"$T/diff" 2>&1; then
		fail "$label: store contents differ"
		sed 's/^/  /' "$T/diff" >&2
	fi
	(cd "$T/go" && find . -printf '%p %y %m\n' | sed 's/ f 644$/ f 600/' | sort) >"$T/modes.go"
	(cd "$T/c" && find . -printf '%p %y %m\n' | sort) >"$T/modes.c"
	if ! diff "$T/modes.go" "$T/modes.c" >"$T/diff" 2>&1; then
		fail "$label: file types or modes differ"
		sed 's/^/  /' "$T/diff" >&2
	fi
}

reset_stores() {
	rm -rf "$T/go" "$T/c" "$T/state"
	mkdir -p "$T/go" "$T/c" "$T/state"
}

hl() { # host-local config: hl <cniVersion> <ipam members>
	printf '{"cniVersion":"%s","name":"@NET@","type":"sriov","ipam":{"type":"host-local","dataDir":"@DIR@",%s}}' "$1" "$2"
}

# --- 1. legacy single range: allocation order, CHECK, DEL, round-robin, exhaustion ---
for v in 0.1.0 0.2.0 0.3.0 0.3.1 0.4.0 1.0.0; do
	NET=legacy-$(echo $v | tr -d .)
	C=$(hl $v '"subnet":"10.10.0.0/29","routes":[{"dst":"0.0.0.0/0"},{"dst":"192.168.0.0/16","gw":"10.10.0.1"}]')
	for i in 1 2 3; do step "legacy $v add $i" ADD "ctr$i" eth0 "" "$C"; done
	case $v in 0.1.0 | 0.2.0 | 0.3.0 | 0.3.1) ;; *) step "legacy $v check" CHECK ctr2 eth0 "" "$C" ;; esac
	step "legacy $v del 2" DEL ctr2 eth0 "" "$C"
	step "legacy $v del 2 again" DEL ctr2 eth0 "" "$C"
	for i in 4 5 6 7 8; do step "legacy $v add $i" ADD "ctr$i" eth0 "" "$C"; done
	step "legacy $v dup" ADD ctr4 eth0 "" "$C"
	step "legacy $v second if" ADD ctr4 net1 "" "$C"
	step "legacy $v del 1" DEL ctr1 eth0 "" "$C"
	step "legacy $v add after wrap" ADD ctr9 eth0 "" "$C"
	case $v in 0.4.0 | 1.0.0) step "legacy $v check gone" CHECK ctr1 eth0 "" "$C" ;; esac
	compare_stores "legacy $v"
done

# --- 2. explicit rangeStart/rangeEnd/gateway, gateway inside the range ---
NET=bounds
C=$(hl 0.4.0 '"subnet":"10.20.0.0/24","rangeStart":"10.20.0.10","rangeEnd":"10.20.0.14","gateway":"10.20.0.12"')
for i in 1 2 3 4 5; do step "bounds add $i" ADD "b$i" eth0 "" "$C"; done
step "bounds del" DEL b2 eth0 "" "$C"
step "bounds add again" ADD b6 eth0 "" "$C"
compare_stores bounds

# --- 3. several ranges per set, walking across range boundaries and wrapping ---
NET=multi
C=$(hl 0.4.0 '"ranges":[[{"subnet":"10.30.0.0/30"},{"subnet":"10.30.1.0/24","rangeStart":"10.30.1.100","rangeEnd":"10.30.1.102"},{"subnet":"10.30.2.0/29","gateway":"10.30.2.6"}]]')
for i in 1 2 3 4 5 6 7 8 9 10 11; do step "multi add $i" ADD "m$i" eth0 "" "$C"; done
step "multi del 3" DEL m3 eth0 "" "$C"
step "multi del 7" DEL m7 eth0 "" "$C"
step "multi add 12" ADD m12 eth0 "" "$C"
step "multi add 13" ADD m13 eth0 "" "$C"
step "multi add 14" ADD m14 eth0 "" "$C"
compare_stores multi

# --- 4. dual stack and IPv6 ---
NET=dual
C=$(hl 1.0.0 '"ranges":[[{"subnet":"10.40.0.0/28"}],[{"subnet":"fd00:40::/124"},{"subnet":"2001:db8:0:0:1::/125","rangeStart":"2001:db8::1:0:0:3"}]],"routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0","gw":"fd00:40::1"}]')
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	step "dual add $i" ADD "d$i" eth0 "" "$C"
done
step "dual check" CHECK d3 eth0 "" "$C"
step "dual del" DEL d3 eth0 "" "$C"
step "dual check gone" CHECK d3 eth0 "" "$C"
step "dual add after del" ADD d21 eth0 "" "$C"
compare_stores dual
NET=v6only
C=$(hl 0.3.1 '"subnet":"fd00:abcd:0:12::/64","rangeStart":"fd00:abcd:0:12::fffe","rangeEnd":"fd00:abcd:0:12:0:1:0:2"')
for i in 1 2 3 4 5 6; do step "v6 add $i" ADD "s$i" eth0 "" "$C"; done
compare_stores v6only
NET=v020dual
C=$(hl 0.2.0 '"ranges":[[{"subnet":"10.41.0.0/24"}],[{"subnet":"fd00:41::/64"}]],"routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]')
step "0.2.0 dual" ADD z1 eth0 "" "$C"
compare_stores v020dual

# --- 5. requested IPs ---
NET=req
C=$(hl 0.4.0 '"ranges":[[{"subnet":"10.50.0.0/24"}],[{"subnet":"fd00:50::/120"}]]')
step "req CNI_ARGS" ADD r1 eth0 "IgnoreUnknown=1;K8S_POD_NAME=p;IP=10.50.0.77" "$C"
step "req CNI_ARGS prefix" ADD r2 eth0 "IP=10.50.0.78/24" "$C"
step "req taken" ADD r3 eth0 "IgnoreUnknown=true;IP=10.50.0.77" "$C"
step "req gateway" ADD r4 eth0 "IP=10.50.0.1" "$C"
step "req outside" ADD r5 eth0 "IP=10.99.0.5" "$C"
step "req v6" ADD r6 eth0 "IP=fd00:50::0010" "$C"
step "req args twice (last wins)" ADD r7 eth0 "IgnoreUnknown=1;IP=10.50.0.90;K8S_POD_NAME=;IgnoreUnknown=1;IP=10.50.0.91" "$C"
step "req empty IP" ADD r8 eth0 "IgnoreUnknown=1;IP=" "$C"
C2=$(printf '{"cniVersion":"0.4.0","name":"@NET@","args":{"cni":{"ips":["10.50.0.120","fd00:50::20"]}},"ipam":{"type":"host-local","dataDir":"@DIR@","ranges":[[{"subnet":"10.50.0.0/24"}],[{"subnet":"fd00:50::/120"}]]}}')
step "req args.cni.ips dual" ADD r9 eth0 "" "$C2"
C3=$(printf '{"cniVersion":"1.0.0","name":"@NET@","runtimeConfig":{"ips":["10.50.0.130/24"]},"ipam":{"type":"host-local","dataDir":"@DIR@","ranges":[[{"subnet":"10.50.0.0/24"}],[{"subnet":"fd00:50::/120"}]]}}')
step "req runtimeConfig.ips" ADD r10 eth0 "" "$C3"
step "req runtimeConfig.ips taken" ADD r11 eth0 "" "$C3"
C4=$(printf '{"cniVersion":"1.0.0","name":"@NET@","runtimeConfig":{"ips":["10.50.0.140"]},"args":{"cni":{"ips":["10.50.0.140"]}},"ipam":{"type":"host-local","dataDir":"@DIR@","subnet":"10.50.0.0/24"}}')
step "req same IP twice" ADD r12 eth0 "IP=10.50.0.140" "$C4"
# (several requested IPs in one set are picked in Go's random map order: not compared)
C5=$(hl 1.0.0 '"subnet":"10.50.0.0/24"')
step "req no dup check" ADD r12 eth0 "IP=10.50.0.141" "$C5"
step "req del" DEL r12 eth0 "" "$C4"
compare_stores req

# --- 6. runtimeConfig.ipRanges (prepended: shifts last_reserved_ip indices) ---
NET=rtranges
C=$(printf '{"cniVersion":"1.0.0","name":"@NET@","runtimeConfig":{"ipRanges":[[{"subnet":"10.60.0.0/29"}]]},"ipam":{"type":"host-local","dataDir":"@DIR@","ranges":[[{"subnet":"fd00:60::/120"}]]}}')
for i in 1 2 3; do step "ipRanges add $i" ADD "q$i" eth0 "" "$C"; done
step "ipRanges del" DEL q1 eth0 "" "$C"
compare_stores rtranges

# --- 7. resolvConf ---
NET=dns
printf '# comment\nnameserver 10.0.0.53\nnameserver fd00::53\ndomain example.com\nsearch a.example b.example\noptions ndots:2 rotate\n; also a comment\n' >"$T/resolv.conf"
# We read only a resolvConf that every user may read (the Go host-local reads any).
chmod 0755 "$T"
chmod 0644 "$T/resolv.conf"
C=$(hl 1.0.0 "\"subnet\":\"10.70.0.0/24\",\"resolvConf\":\"$T/resolv.conf\"")
step "resolvConf" ADD n1 eth0 "" "$C"
C=$(hl 0.3.1 "\"subnet\":\"10.70.0.0/24\",\"resolvConf\":\"$T/missing.conf\"")
step "resolvConf missing" ADD n2 eth0 "" "$C" any
compare_stores dns

# --- 8. configuration errors (messages must match) ---
NET=bad
for ipam in \
	'"subnet":"10.80.0.0/31"' \
	'"subnet":"10.80.0.0/32"' \
	'"subnet":"fd00::/127"' \
	'"subnet":"10.80.0.5/24"' \
	'"subnet":"fd00::1/64"' \
	'"subnet":"10.80.0.0/24","rangeStart":"10.81.0.1"' \
	'"subnet":"10.80.0.0/24","rangeEnd":"10.81.0.1"' \
	'"subnet":"10.80.0.0/24","rangeStart":"10.80.0.50","rangeEnd":"10.80.0.40"' \
	'"subnet":"10.80.0.0/24","rangeStart":"fd00::1"' \
	'"ranges":[]' \
	'"ranges":[[]]' \
	'"ranges":[[{"subnet":"10.80.0.0/24"},{"subnet":"10.80.0.0/25"}]]' \
	'"ranges":[[{"subnet":"10.80.0.0/24"},{"subnet":"fd00::/64"}]]' \
	'"ranges":[[{"subnet":"10.80.0.0/24"}],[{"subnet":"10.80.0.128/25"}]]' \
	'"subnet":"10.80.0.0/24","ranges":[[{"subnet":"10.80.0.0/16"}]]' \
	'"ranges":[[{"subnet":"10.80.0.0/24","rangeStart":"10.80.0.10","rangeEnd":"10.80.0.20"},{"subnet":"10.80.0.0/24","rangeStart":"10.80.0.20","rangeEnd":"10.80.0.30"}]]' \
	'"routes":[]' \
	'"rangeStart":"10.80.0.1"'; do
	step "bad config $ipam" ADD x1 eth0 "" "$(hl 0.4.0 "$ipam")"
done
step "0.2.0 two v4 sets" ADD x1 eth0 "" "$(hl 0.2.0 '"ranges":[[{"subnet":"10.80.0.0/24"}],[{"subnet":"10.81.0.0/24"}]]')"
step "no cniVersion two v4 sets" ADD x1 eth0 "" \
	'{"name":"@NET@","ipam":{"type":"host-local","dataDir":"@DIR@","ranges":[[{"subnet":"10.80.0.0/24"}],[{"subnet":"10.81.0.0/24"}]]}}'
step "missing ipam" ADD x1 eth0 "" '{"cniVersion":"0.4.0","name":"@NET@"}'
step "bad CIDR" ADD x1 eth0 "" "$(hl 0.4.0 '"subnet":"10.80.0.0/33"')"
step "bad IP" ADD x1 eth0 "" "$(hl 0.4.0 '"subnet":"10.80.0.0/24","gateway":"10.80.0.256"')"
compare_stores "bad configs"

# --- 9. CNI_ARGS errors ---
NET=args
C=$(hl 0.4.0 '"subnet":"10.90.0.0/24"')
step "args unknown" ADD a1 eth0 "K8S_POD_NAME=x;FOO=bar" "$C"
step "args invalid pair" ADD a1 eth0 "IgnoreUnknown=1;K8S_POD_NAME" "$C"
step "args trailing ;" ADD a1 eth0 "IgnoreUnknown=1;" "$C"
step "args value with =" ADD a1 eth0 "IgnoreUnknown=1;X=a=b" "$C"
step "args bad bool" ADD a1 eth0 "IgnoreUnknown=yes;IP=10.90.0.5" "$C"
step "args bad IP" ADD a1 eth0 "IP=10.90.0.300" "$C"
step "args IgnoreUnknown=0" ADD a1 eth0 "IgnoreUnknown=0;FOO=1" "$C"
step "args IgnoreUnknown=TRUE" ADD a1 eth0 "IgnoreUnknown=TRUE;FOO=1" "$C"
step "args lower-case ip is unknown" ADD a2 eth0 "ip=10.90.0.5" "$C"
step "args DEL with bad args" DEL a1 eth0 "FOO=1" "$C"
compare_stores args

# --- 10. old ID-only leases (written by old host-local versions) ---
NET=old
C=$(hl 0.4.0 '"subnet":"10.95.0.0/24"')
for d in "$T/go" "$T/c"; do
	mkdir -p "$d/old"
	printf 'oldctr' >"$d/old/10.95.0.7"
	printf '  oldctr\n' >"$d/old/10.95.0.8"
	printf 'newctr\r\neth0' >"$d/old/10.95.0.9"
	chmod 600 "$d/old/10.95.0.7" "$d/old/10.95.0.8" "$d/old/10.95.0.9"
done
step "old check" CHECK oldctr eth9 "" "$C"
step "old dup" ADD oldctr eth9 "" "$C"
step "old del" DEL oldctr eth9 "" "$C"
step "old check after del" CHECK oldctr eth9 "" "$C"
step "new check other if" CHECK newctr eth1 "" "$C"
step "new del other if" DEL newctr eth1 "" "$C"
step "new del" DEL newctr eth0 "" "$C"
compare_stores old

# --- 11. the same store used by both implementations, in both directions ---
NET=shared
C=$(hl 1.0.0 '"ranges":[[{"subnet":"10.99.0.0/28"}],[{"subnet":"fd00:99::/124"}]]')
S="$T/shared"
expect_ok() {
	r=$(run "$1" "$S" "$2" "$3" "$4" "${6:-}" "$C")
	STEPS=$((STEPS + 1))
	[ "$r" = "$5" ] || fail "shared: $1 $2 $3 $4: exit $r, expected $5: $(cat "$T/out.$1")"
}
expect_ok go ADD g1 eth0 0
expect_ok go ADD g2 eth0 0
expect_ok c ADD c1 eth0 0
grep -q '10.99.0.4/28' "$T/out.c" || fail "shared: ours did not continue host-local's round-robin: $(cat "$T/out.c")"
expect_ok c ADD g1 eth0 1
grep -q 'duplicate allocation' "$T/out.c" || fail "shared: ours re-allocated g1: $(cat "$T/out.c")"
expect_ok c CHECK g2 eth0 0
expect_ok go ADD g3 eth0 0
expect_ok c ADD g3 eth0 1
expect_ok c DEL g2 eth0 0
[ ! -e "$S/$NET/10.99.0.3" ] && [ ! -e "$S/$NET/fd00:99::3" ] || fail "shared: ours did not release host-local's lease"
expect_ok c CHECK g2 eth0 1
expect_ok c ADD c2 eth0 0
expect_ok go ADD c2 eth0 1
grep -q 'duplicate allocation' "$T/out.go" || fail "shared: host-local re-allocated our lease"
expect_ok go CHECK c2 eth0 0
expect_ok go DEL c1 eth0 0
expect_ok c CHECK c1 eth0 1
expect_ok c ADD c1 eth0 0
expect_ok go DEL c1 eth0 0
expect_ok go ADD c9 eth0 0
expect_ok c DEL c9 eth0 0
expect_ok go CHECK c9 eth0 1
expect_ok c ADD r1 eth0 0 "IP=10.99.0.14"
expect_ok go ADD r2 eth0 1 "IP=10.99.0.14"
for id in g1 g3 c2 r1; do expect_ok go DEL $id eth0 0; done
left=$(ls "$S/$NET" | grep -v -e '^lock$' -e '^last_reserved_ip' | tr '\n' ' ')
[ -z "$left" ] || fail "shared: leases left behind: $left"

echo "ipam diff: $STEPS steps, $FAILS failures"
[ "$FAILS" = 0 ]
