#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# perf-guest.sh: run by tests/bench/perf_bench.sh inside the test VM (one boot). Prints every
# figure of the performance targets as a ratio to the kernel-work floor (tests/bench/floor.c):
# ADD and DEL, parallel makespans, scale (netdevs, netns, netns gone), 60,000 leases written by
# the Go host-local (first call without our index, steady state, reading every lease once), GC
# with a 1 MiB valid-attachments list, peak RSS of every run, and the per-step breakdown of one
# ADD and one DEL next to the floor's. A benchmark that prints figures, not a test.
# vm-timeout: 2400
set -eu
. /testbed/lib.sh

# Sizes; perf_bench.sh may override them (PERF_QUICK=1 for a short trial of the script).
ROUNDS=30 PAR_ROUNDS=15 GONE_ROUNDS=5 LEASES=60000 SCALE_LINKS=1000 SCALE_NETNS=500 RAW=0
GC_BYTES=1048576 QUICK=0 TIMED=7
[ ! -f /testbed/perf.env ] || . /testbed/perf.env
if [ "$QUICK" = 1 ]; then
	ROUNDS=3 PAR_ROUNDS=2 GONE_ROUNDS=2 LEASES=3000 SCALE_LINKS=50 SCALE_NETNS=20 GC_BYTES=65536
	TIMED=2
fi

FLOOR=/usr/local/bin/floor
# The same floor built as this project's plugin must be: dynamic, with libcjson and libmnl.
FLOOR_LIBS=/usr/local/bin/floor-libs
# perf_bench.sh --before: another build of sriov, timed in the same rounds as this one.
BEFORE=
[ ! -x /usr/local/bin/sriov-before ] || BEFORE=/usr/local/bin/sriov-before
HL=/opt/cni/bin/host-local
W=/tmp/perf
FIG=$W/fig
CATS=$W/cats
T=/sys/kernel/tracing
mkdir -p $W
: >$FIG
: >$CATS
export CNI_PATH=/opt/cni/bin CNI_IFNAME=net1
STORE=/var/lib/cni/networks/bench

fig() { echo "$1 $2" >>$FIG; }
now_ms() { awk '{ printf "%.1f", $1 * 1000 }' /proc/uptime; }
# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.3f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# conf IDX [CNIVERSION]: the benchmark config for VF IDX: vlan 100, spoofchk off, host-local
# /16 with a default route.
conf()
{
	jq -cn --arg pci "$(vf_pci "$1")" --arg v "${2:-1.0.0}" '{cniVersion: $v, name: "bench",
		type: "sriov", deviceID: $pci, vlan: 100, spoofchk: "off",
		ipam: {type: "host-local", subnet: "10.56.0.0/16", routes: [{dst: "0.0.0.0/0"}]}}'
}

# per_plugin FILE: FILE as the config of each binary timed, FILE with ".json" replaced by
# "-<binary>.json" (cnitime -c ...-%p.json). The --before build gets network "<name>-before":
# two builds sharing a lease store would each find the other's leases and rebuild their
# index on every call.
per_plugin()
{
	for p in $FLOOR $FLOOR_LIBS "$SRIOV" $BEFORE; do
		b=${p##*/}
		case $b in
		sriov-before) jq -c '.name += "-before"' "$1" ;;
		*) cat "$1" ;;
		esac >"${1%.json}-$b.json"
	done
}

# ftrace_on / ftrace_off: the raw system call events of the next "traced" command only.
ftrace_setup()
{
	grep -q " $T tracefs " /proc/mounts || mount -t tracefs tracefs $T
	echo 0 >$T/tracing_on
	echo mono >$T/trace_clock
	echo 8192 >$T/buffer_size_kb
	echo 1 >$T/events/raw_syscalls/enable
	echo 1 >$T/events/sched/sched_process_exit/enable
}

# traced OUT CMD...: run CMD (an executable, stdin and env as given) with its system calls in
# the kernel's trace buffer, then save the buffer to OUT.
traced()
{
	out=$1
	shift
	echo >$T/trace
	sh -c 'echo $$ >/sys/kernel/tracing/set_event_pid; echo 1 >/sys/kernel/tracing/tracing_on; exec "$@"' sh "$@"
	echo 0 >$T/tracing_on
	cat $T/trace >"$out"
	echo >$T/set_event_pid
}

echo "== perf-guest: kernel $(uname -r), $(nproc) vCPUs (QEMU TCG), $(awk '/MemTotal/ { print int($2 / 1024) }' /proc/meminfo) MiB"
echo "   N=$ROUNDS rounds (parallel $PAR_ROUNDS), $LEASES leases, $SCALE_LINKS netdevs + $SCALE_NETNS netns"
cnitime -m
pf=$(pf_name)

# ---- exec: the bare cost of starting each binary ---------------------------------------------
step "exec alone (CNI_COMMAND=VERSION): the static floor, the floor on libc, libcjson and libmnl, and sriov"
cnitime -v -n "$ROUNDS" -r $FIG -t exec $FLOOR $FLOOR_LIBS "$SRIOV" $BEFORE
echo "-- the dynamic loader's own account of one sriov exec (LD_DEBUG=statistics):"
CNI_COMMAND=VERSION LD_DEBUG=statistics "$SRIOV" </dev/null 2>&1 >/dev/null | sed -n 's/^ *[0-9]*: *//p' | grep . || true

# ---- ADD and DEL -------------------------------------------------------------------------------
step "ADD and DEL, benchmark config (vlan 100, spoofchk off, host-local /16, default route), VF 0"
conf 0 >$W/bench.json
cat $W/bench.json
netns_add bench
export CNI_CONTAINERID=bench CNI_NETNS=/var/run/netns/bench
per_plugin $W/bench.json
cnitime -n "$ROUNDS" -r $FIG -t base -c "$W/bench-%p.json" $FLOOR $FLOOR_LIBS "$SRIOV" $BEFORE
if [ -x $HL ]; then
	echo "-- the Go host-local alone (what sriov-cni execs for IPAM on each ADD and DEL):"
	jq -c '{cniVersion, name: "bench-hl", ipam}' $W/bench.json >$W/hl.json
	cnitime -n "$ROUNDS" -r $FIG -t base -c $W/hl.json $HL
else
	echo "-- (no Go host-local in the VM: perf_bench.sh packs /usr/lib/cni/host-local when present)"
fi

# ---- parallel ----------------------------------------------------------------------------------
step "6 ADDs at once on VFs 1-6, then 6 DELs: makespan"
for k in 0 1 2 3 4 5; do
	conf $((k + 1)) >$W/par-$k.json
	per_plugin $W/par-$k.json
	netns_add par-$k
done
CNI_CONTAINERID=par CNI_NETNS=/var/run/netns/par \
	cnitime -P 6 -n "$PAR_ROUNDS" -r $FIG -t par -c "$W/par-%d-%p.json" $FLOOR $FLOOR_LIBS "$SRIOV" \
		$BEFORE

# ---- per-step breakdown ------------------------------------------------------------------------
step "per-step breakdown of ADD and DEL: strace names each call of one run, the kernel's tracer times $TIMED more"
ftrace_setup
u1=$(for i in 1 2 3; do storetool spin 20000; done | sort -n | head -n 1)
traced $W/ft.spin storetool spin 20000 >$W/spin.out
u2=$(cat $W/spin.out)
ovh=$(awk -v a="$u1" -v b="$u2" 'BEGIN { printf "%.2f", (b - a) * 1000 / 20000 }')
s1=$(strace -f -o /dev/null storetool spin 200)
sovh=$(awk -v a="$u1" -v b="$s1" 'BEGIN { printf "%.0f", (b - a / 100) * 1000 / 200 }')
echo "   cost per system call: kernel tracer ~$ovh us, strace ~$sovh us (TCG): only the tracer's timings are used"
fig trace.ovh_us "$ovh"
for p in $FLOOR "$SRIOV" $BEFORE; do
	b=${p##*/}
	for v in ADD DEL; do
		CNI_COMMAND=$v strace -f -ttt -T -yy -s 4096 -o $W/st.$b.$v $p <$W/bench-$b.json >/dev/null
	done
	for r in $(seq "$TIMED"); do
		for v in ADD DEL; do
			CNI_COMMAND=$v traced $W/ft.$b.$v.$r $p <$W/bench-$b.json >/dev/null
		done
	done
	for v in ADD DEL; do
		awk -v title="$b $v" -v ovh_us="$ovh" -v catfile=$CATS -f /testbed/perf-steps.awk \
			$W/st.$b.$v $W/ft.$b.$v.*
		if [ "$RAW" = 1 ]; then
			echo "@@raw-strace $b $v"
			cat $W/st.$b.$v
			for f in $W/ft.$b.$v.*; do
				echo "@@raw-ftrace $b $v"
				grep -v '^#' "$f"
			done
			echo "@@raw-end"
		fi
	done
done
for v in ADD DEL; do
	echo "-- $v: sriov next to the floor, by category (ms; the runs traced as above)"
	awk -v v="$v" '$2 == v { t[$1, $3] = $4; n[$1, $3] = $5; c[$3] = 1; if ($1 == "sriov-before") b = 1 }
		END {
			printf "   %-9s %9s %6s %9s %6s %11s", "category", "floor", "calls", "sriov", "calls", "sriov-floor"
			if (b) printf " %12s %6s %12s", "before", "calls", "sriov-before"
			printf "\n"
			split("exec load stdin sysfs netns nlsock netlink ioctl sysctl file lock fsync announce output log sleep other exit user total", o, " ")
			for (k = 1; k <= 20; k++) if (o[k] in c) {
				printf "   %-9s %9.3f %6d %9.3f %6d %+11.3f", o[k], t["floor", o[k]], n["floor", o[k]], t["sriov", o[k]], n["sriov", o[k]], t["sriov", o[k]] - t["floor", o[k]]
				if (b) printf " %12.3f %6d %+12.3f", t["sriov-before", o[k]], n["sriov-before", o[k]], t["sriov", o[k]] - t["sriov-before", o[k]]
				printf "\n"
			}
		}' $CATS
done

# ---- DEL after the pod's netns is gone -----------------------------------------------------------
# gone_del TAG: ADD into netns "gone", delete the netns, time sriov's DEL; GONE_ROUNDS times.
gone_del()
{
	: >$W/gone.$1
	for r in $(seq "$GONE_ROUNDS"); do
		netns_add gone
		CNI_NETNS=/var/run/netns/gone CNI_COMMAND=ADD "$SRIOV" <$W/bench.json >/dev/null
		ip netns del gone
		CNI_NETNS=/var/run/netns/gone cnitime -x DEL -n 1 -c $W/bench.json "$SRIOV" |
			awk '{ for (i = 1; i <= NF; i++) if ($i == "p50") print $(i + 1) }' >>$W/gone.$1
	done
	fig "$1.sriov.DEL.p50" "$(median <$W/gone.$1)"
	echo "   DEL after the netns is gone ($2): p50 $(median <$W/gone.$1) ms of $(wc -l <$W/gone.$1) rounds"
}

# gone_calls: one such DEL under strace: what it opens, enters and asks the kernel for.
gone_calls()
{
	netns_add gone
	CNI_NETNS=/var/run/netns/gone CNI_COMMAND=ADD "$SRIOV" <$W/bench.json >/dev/null
	ip netns del gone
	CNI_NETNS=/var/run/netns/gone CNI_COMMAND=DEL strace -f -yy -s 256 -o $W/gone.st "$SRIOV" <$W/bench.json >/dev/null
	echo "   one such DEL, traced: $(grep -c . $W/gone.st) system calls; setns $(grep -c '^[0-9]* *setns(' $W/gone.st)," \
		"netns files opened $(grep -c 'open[a-z]*(.*\(netns\|/proc/[0-9]*/ns\)' $W/gone.st)," \
		"netlink requests $(grep -c '^[0-9]* *send[a-z]*(.*NETLINK' $W/gone.st)" \
		"(dumps $(grep -c '^[0-9]* *send[a-z]*(.*NETLINK.*\(NLM_F_DUMP\|0x300\)' $W/gone.st))," \
		"/proc directories listed $(grep -c 'getdents64([0-9]*</proc' $W/gone.st)," \
		"sysfs reads $(grep -c '"/sys/' $W/gone.st), sleeps $(grep -c 'nanosleep' $W/gone.st)"
}

step "scale: DEL after the pod's netns is gone, no extra netdevs or netns"
gone_del gone0 "0 extra netns"
gone_calls

# ---- scale ---------------------------------------------------------------------------------------
step "scale: $SCALE_LINKS extra netdevs in the host, $SCALE_NETNS pod netns (each with lo and a dummy)"
t0=$(now_ms)
seq 0 $((SCALE_LINKS - 1)) | awk '{ print "link add sd" $1 " type dummy" }' >$W/links.batch
ip -batch $W/links.batch
seq 0 $((SCALE_NETNS - 1)) | awk '{ print "netns add sn" $1 }' >$W/netns.batch
ip -batch $W/netns.batch
seq 0 $((SCALE_NETNS - 1)) | awk '{ print "link add sx" $1 " netns sn" $1 " type dummy" }' >$W/nsl.batch
ip -batch $W/nsl.batch
echo "   set up in $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s:" \
	"$(ls /sys/class/net | wc -l) netdevs in the host, $(ls /var/run/netns | wc -l) netns"
cnitime -n "$ROUNDS" -r $FIG -t scale -c $W/bench.json $FLOOR "$SRIOV"
gone_del gone500 "$SCALE_NETNS extra netns, $SCALE_LINKS extra netdevs"
gone_calls
t0=$(now_ms)
seq 0 $((SCALE_NETNS - 1)) | awk '{ print "netns del sn" $1 }' >$W/netns.batch
ip -batch $W/netns.batch
seq 0 $((SCALE_LINKS - 1)) | awk '{ print "link del sd" $1 }' >$W/links.batch
ip -batch $W/links.batch
echo "   removed in $(awk -v a="$t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }') s"

# ---- 60,000 leases -------------------------------------------------------------------------------
step "$LEASES leases written as the Go host-local writes them, in the benchmark network's store"
rm -rf $STORE /var/lib/cni/sriov/ipam
storetool fill $STORE "$LEASES" 10.56
for i in 1 2 3; do storetool readall $STORE; done >$W/readall
ra=$(awk '{ print $2 }' $W/readall | median)
fig store.readall.ms "$ra"
echo "   reading every lease file once: $(head -n 1 $W/readall | cut -d' ' -f1) files, p50 of 3: $ra ms"
# first_calls VERB: VERB 3 times, each the first call after our index was removed (a DEL
# after an ADD of its own), each right after reading every lease once (storetool readall):
# the same run's floor, taken next to each call, since either varies by up to a factor of 2 from
# one minute to the next in TCG. The figures "first.sriov.VERB.*" are the median wall time and
# the largest peak RSS of the 3; "first.readall.VERB.p50" is the median of those 3 reads.
# Beside each such pair, in turns before the read and after the call (the turns go on from the
# ADDs to the DELs, 3 of each), a read-all that also fstat()s each lease and reads only regular
# files, as sriov's scan does ("first.typed.VERB.p50"): what that check costs.
first_turn=0
first_calls()
{
	: >$W/first.fig
	: >$W/first.readall
	: >$W/first.typed
	for i in 1 2 3; do
		[ "$1" = ADD ] || CNI_COMMAND=ADD "$SRIOV" <$W/bench.json >/dev/null
		rm -rf /var/lib/cni/sriov/ipam
		first_turn=$((first_turn + 1))
		[ $((first_turn % 2)) = 0 ] || storetool readall $STORE typed >>$W/first.typed
		storetool readall $STORE >>$W/first.readall
		cnitime -x "$1" -n 1 -r $W/first.fig -t first -c $W/bench.json "$SRIOV"
		[ $((first_turn % 2)) = 1 ] || storetool readall $STORE typed >>$W/first.typed
		[ "$1" = DEL ] || CNI_COMMAND=DEL "$SRIOV" <$W/bench.json >/dev/null
	done
	echo "   reading every lease once just before each: $(awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $2 }' $W/first.readall) ms"
	echo "   with each lease's type checked, before the read or after the call: $(awk '{ printf "%s%.1f", (NR > 1 ? ", " : ""), $2 }' $W/first.typed) ms"
	fig "first.readall.$1.p50" "$(awk '{ print $2 }' $W/first.readall | median)"
	fig "first.typed.$1.p50" "$(awk '{ print $2 }' $W/first.typed | median)"
	fig "first.sriov.$1.p50" "$(awk -v k="first.sriov.$1.p50" '$1 == k { print $2 }' $W/first.fig | median)"
	fig "first.sriov.$1.rss" "$(awk -v k="first.sriov.$1.rss" '$1 == k && $2 > m { m = $2 } END { print m }' $W/first.fig)"
}
echo "-- the first ADD: no index of ours yet (3 times, the index removed before each)"
first_calls ADD
echo "-- steady state (the index built by the first call):"
cnitime -n "$ROUNDS" -r $FIG -t l60k -c $W/bench.json $FLOOR "$SRIOV"
if [ -x $HL ]; then
	echo "-- the Go host-local alone, one ADD and one DEL on this store (it reads every lease on each):"
	jq -c '{cniVersion, name, ipam}' $W/bench.json >$W/hl60k.json
	cnitime -n 1 -r $FIG -t l60k -c $W/hl60k.json $HL
fi
echo "-- the first DEL: an ADD, the index removed, then the DEL (3 times)"
first_calls DEL

# ---- GC ------------------------------------------------------------------------------------------
step "GC: $LEASES leases, a valid-attachments list of at most $GC_BYTES bytes"
conf 0 1.1.0 >$W/gc-base.json
storetool gclist $W/gc-base.json "$GC_BYTES" >$W/gc.json 2>$W/gc.count
read -r keep gcsize <$W/gc.count
echo "   the list: $keep attachments (c0..c$((keep - 1)) on eth0), config $gcsize bytes"
fig gc.entries "$keep"
before=$(ls $STORE | grep -c '^10\.' || true)
cnitime -x GC -n 1 -r $FIG -t gc -c $W/gc.json "$SRIOV"
after=$(ls $STORE | grep -c '^10\.' || true)
echo "   leases before $before, after $after (the list keeps $keep)"
[ "$after" = "$keep" ] || echo "   WARNING: GC kept $after leases, the list names $keep"
# The floor: the leases GC removed written again, then unlinked by name and nothing else.
storetool fill $STORE "$LEASES" 10.56 "$keep" 2>/dev/null || true
set -- $(storetool unlink $STORE "$keep" "$LEASES" 10.56)
fig gc.floor.ms "$2"
echo "   the floor: unlinking those $1 leases by name, nothing read: $2 ms"

# ---- summary -------------------------------------------------------------------------------------
step "summary: every figure as a ratio (medians of N runs unless said otherwise; ms; RSS MiB)"
awk -f /testbed/perf-summary.awk $FIG
echo "-- raw figures (perf-summary.awk reads these lines again):"
sed 's/^/@@fig /' $FIG
