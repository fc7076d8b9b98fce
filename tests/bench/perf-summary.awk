# SPDX-License-Identifier: Apache-2.0
# perf-summary.awk: the summary table of perf-guest.sh from its figures ("<key> <value>" lines,
# keys "<section>.<binary>.<verb>.<figure>" as cnitime -r writes them, plus a few of its own).
# Also reads the "@@fig <key> <value>" lines of a console log: awk -f perf-summary.awk LOG
# POSIX awk only.

$1 == "@@fig" { $1 = ""; sub(/^ /, "") }
NF == 2 { f[$1] = $2 }

function row(what, a, b, target, r) {
	if (!(a in f) || !(b in f) || f[b] == 0) { printf("   %-50s %9s\n", what, "n/a"); return }
	r = f[a] / f[b]
	printf("   %-50s %9.1f %9.1f %7.2fx  %s\n", what, f[a], f[b], r, target)
}

# What a target leaves for the plugin's own work: @target times the floor @fl, less the same
# floor linked as the plugin must be (@libs, ms), against what sriov takes above @libs.
function room(what, a, fl, libs, target, left) {
	if (!(a in f) || !(fl in f) || !(libs in f)) { printf("   %-50s %9s\n", what, "n/a"); return }
	left = target * f[fl] - f[libs]
	printf("   %-50s %9.1f %9.1f %8s  (base: the room %.2fx leaves)\n", what, f[a] - f[libs], left, "", target)
}

function one(what, a, unit, target) {
	if (!(a in f)) { printf("   %-50s %9s\n", what, "n/a"); return }
	printf("   %-50s %9.1f %-18s %s\n", what, f[a], unit, target)
}

END {
	printf("   %-50s %9s %9s %8s  %s\n", "figure", "measured", "base", "ratio", "target")
	row("exec alone (VERSION): sriov / static floor", "exec.sriov.exec.p50", "exec.floor.exec.p50", "")
	row("ADD p50: sriov / floor", "base.sriov.ADD.p50", "base.floor.ADD.p50", "<= 1.10")
	row("DEL p50: sriov / floor", "base.sriov.DEL.p50", "base.floor.DEL.p50", "<= 1.05")
	row("exec alone: floor on the libraries / static floor", "exec.floor-libs.exec.p50", "exec.floor.exec.p50", "")
	row("ADD p50: sriov / floor on the libraries", "base.sriov.ADD.p50", "base.floor-libs.ADD.p50", "")
	row("DEL p50: sriov / floor on the libraries", "base.sriov.DEL.p50", "base.floor-libs.DEL.p50", "")
	row("ADD p50: floor on the libraries / floor", "base.floor-libs.ADD.p50", "base.floor.ADD.p50", "")
	row("DEL p50: floor on the libraries / floor", "base.floor-libs.DEL.p50", "base.floor.DEL.p50", "")
	room("ADD: sriov above floor on the libraries, ms", "base.sriov.ADD.p50", "base.floor.ADD.p50", "base.floor-libs.ADD.p50", 1.10)
	room("DEL: sriov above floor on the libraries, ms", "base.sriov.DEL.p50", "base.floor.DEL.p50", "base.floor-libs.DEL.p50", 1.05)
	row("ADD p50: sriov-before / floor", "base.sriov-before.ADD.p50", "base.floor.ADD.p50", "(--before)")
	row("DEL p50: sriov-before / floor", "base.sriov-before.DEL.p50", "base.floor.DEL.p50", "(--before)")
	row("ADD p50: sriov / sriov-before", "base.sriov.ADD.p50", "base.sriov-before.ADD.p50", "<= 1.00")
	row("DEL p50: sriov / sriov-before", "base.sriov.DEL.p50", "base.sriov-before.DEL.p50", "<= 1.00")
	row("ADD p50: Go host-local alone / floor", "base.host-local.ADD.p50", "base.floor.ADD.p50", "(reference)")
	row("DEL p50: Go host-local alone / floor", "base.host-local.DEL.p50", "base.floor.DEL.p50", "(reference)")
	row("6 parallel ADDs, makespan p50: sriov / floor", "par.sriov.ADD.p50", "par.floor.ADD.p50", "<= 1.10")
	row("6 parallel DELs, makespan p50: sriov / floor", "par.sriov.DEL.p50", "par.floor.DEL.p50", "")
	row("6 parallel ADDs: sriov / floor on the libraries", "par.sriov.ADD.p50", "par.floor-libs.ADD.p50", "")
	room("6 parallel ADDs: sriov above floor on libraries", "par.sriov.ADD.p50", "par.floor.ADD.p50", "par.floor-libs.ADD.p50", 1.10)
	row("6 parallel ADDs: sriov-before / floor", "par.sriov-before.ADD.p50", "par.floor.ADD.p50", "(--before)")
	row("6 parallel DELs: sriov-before / floor", "par.sriov-before.DEL.p50", "par.floor.DEL.p50", "(--before)")
	row("scale: ADD p50: sriov / floor", "scale.sriov.ADD.p50", "scale.floor.ADD.p50", "<= 1.10")
	row("scale: DEL p50: sriov / floor", "scale.sriov.DEL.p50", "scale.floor.DEL.p50", "<= 1.05")
	row("scale: sriov ADD p50 / without the scale", "scale.sriov.ADD.p50", "base.sriov.ADD.p50", "flat")
	row("scale: sriov DEL p50 / without the scale", "scale.sriov.DEL.p50", "base.sriov.DEL.p50", "flat")
	row("netns gone: sriov DEL p50, scale / none", "gone500.sriov.DEL.p50", "gone0.sriov.DEL.p50", "flat")
	row("netns gone: sriov DEL p50 (scale) / floor DEL", "gone500.sriov.DEL.p50", "base.floor.DEL.p50", "")
	row("60k: first ADD (no index) / read all just before", "first.sriov.ADD.p50", "first.readall.ADD.p50", "<= 1.2")
	row("60k: first DEL (no index) / read all just before", "first.sriov.DEL.p50", "first.readall.DEL.p50", "<= 1.2")
	row("60k: first ADD / read all with type checks", "first.sriov.ADD.p50", "first.typed.ADD.p50", "")
	row("60k: first DEL / read all with type checks", "first.sriov.DEL.p50", "first.typed.DEL.p50", "")
	row("60k: read all with type checks / read all (ADD)", "first.typed.ADD.p50", "first.readall.ADD.p50", "")
	row("60k: read all with type checks / read all (DEL)", "first.typed.DEL.p50", "first.readall.DEL.p50", "")
	row("60k: first ADD / read all at the step's start", "first.sriov.ADD.p50", "store.readall.ms", "")
	row("60k: first DEL / read all at the step's start", "first.sriov.DEL.p50", "store.readall.ms", "")
	row("60k leases: sriov ADD p50 / empty-store ADD p50", "l60k.sriov.ADD.p50", "base.sriov.ADD.p50", "<= 1.5")
	row("60k leases: sriov DEL p50 / empty-store ADD p50", "l60k.sriov.DEL.p50", "base.sriov.ADD.p50", "<= 1.5")
	row("60k leases: sriov ADD p50 / floor ADD (same store)", "l60k.sriov.ADD.p50", "l60k.floor.ADD.p50", "")
	row("60k leases: Go host-local ADD / read all once", "l60k.host-local.ADD.p50", "store.readall.ms", "(reference)")
	one("GC, 60k leases + the list: wall", "gc.sriov.GC.p50", "ms", "< 1000 ms")
	row("GC / unlinking the same leases by name", "gc.sriov.GC.p50", "gc.floor.ms", "(floor)")
	one("GC: own CPU, user", "gc.sriov.GC.usr", "ms", "")
	one("GC: own CPU, system", "gc.sriov.GC.sys", "ms", "")
	one("GC: attachments in the list", "gc.entries", "", "")
	printf("   peak RSS of each run, MiB (target <= 4 MiB for sriov):\n")
	n = 0
	for (k in f) if (k ~ /\.rss$/) key[++n] = k
	for (i = 2; i <= n; i++) for (j = i; j > 1 && key[j - 1] > key[j]; j--) { t = key[j]; key[j] = key[j - 1]; key[j - 1] = t }
	for (i = 1; i <= n; i++) { split(key[i], p, "."); printf("      %-10s %-10s %-5s %6.2f\n", p[1], p[2], p[3], f[key[i]] / 1024) }
}
