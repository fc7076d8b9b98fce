# SPDX-License-Identifier: Apache-2.0
# report.awk: the one place that turns the guest's serial console into test results.
#
# The guest runner (init.sh) prints marker lines "@@SRIOV-VM <nonce> <WORD> ...". The nonce is
# made per run by run.sh and never shown to the cases, so no case output can fake a result.
#   READY <uptime> <detail...>          testbed up (modules loaded, VFs created)
#   SETUP-FAIL <reason...>              testbed could not be set up
#   BEGIN <case> <timeout>              case output follows
#   END <case> <PASS|FAIL|SKIP|TIMEOUT> <exit status> <seconds>
#   RESET-FAIL <case> <reason...>       the case left the testbed in a state the reset could not undo
#   DONE <uptime>                       all cases ran; the guest powers off next
#
# Variables: nonce; mode = progress | verbose | script (live view, fed by tail -f) or final
# (verdict over the whole log; also needs cases, and optionally note, elapsed, logfile, ci, and
# streamed=1 when the live view already showed the case output).
# In final mode the last line printed is "vm: N passed, N failed"; exit 1 on any failure. A
# kernel BUG/Oops/WARNING/Call Trace line anywhere on the console counts as one failure.

function flush_out(s)
{
	print s
	fflush()
}

BEGIN {
	tag = "@@SRIOV-VM " nonce " "
	incase = ""
	ready = 0
	done = 0
	setup_fail = ""
	ncases = split(cases, order, " ")
	if (ci == "")
		ci = ENVIRON["CI"]
}

{
	sub(/\r+$/, "")
	line = $0
	pos = index(line, tag)
	if (pos == 0) {
		if (incase != "") {
			out[incase] = out[incase] line "\n"
			if (mode == "verbose")
				flush_out("  | " line)
			else if (mode == "script")
				flush_out(line)
		} else if (!ready) {
			boot[++nboot % 60] = line
		}
		if (line ~ /Call Trace:|BUG: |Oops|WARNING: CPU|Kernel panic/)
			trouble[++kernel_trouble] = line
		next
	}
	# Text before the tag on the same line is output of whatever ran (a missing newline).
	if (pos > 1 && incase != "")
		out[incase] = out[incase] substr(line, 1, pos - 1) "\n"
	n = split(substr(line, pos + length(tag)), f, " ")
	word = f[1]
	if (word == "READY") {
		ready = 1
		ready_at = f[2]
		detail = ""
		for (i = 3; i <= n; i++)
			detail = detail " " f[i]
		if (mode != "final")
			flush_out("vm: guest ready after " f[2] "s:" detail)
	} else if (word == "SETUP-FAIL") {
		reason = ""
		for (i = 2; i <= n; i++)
			reason = reason " " f[i]
		setup_fail = setup_fail reason
		if (mode != "final")
			flush_out("vm: testbed setup FAILED:" reason)
	} else if (word == "BEGIN") {
		incase = f[2]
		begun[incase] = 1
		if (mode == "verbose" || mode == "script")
			flush_out("vm: ---- " incase " (limit " f[3] "s) ----")
	} else if (word == "END") {
		status[f[2]] = f[3]
		rc[f[2]] = f[4]
		secs[f[2]] = f[5]
		incase = ""
		if (mode != "final")
			flush_out(sprintf("vm: %-7s %s (%ss, exit %s)", f[3], f[2], f[5], f[4]))
	} else if (word == "RESET-FAIL") {
		reason = ""
		for (i = 3; i <= n; i++)
			reason = reason " " f[i]
		reset_fail[f[2]] = reason
		if (mode != "final")
			flush_out("vm: after " f[2] ": testbed reset FAILED:" reason)
	} else if (word == "DONE") {
		done = 1
		done_at = f[2]
	}
}

END {
	if (mode != "final")
		exit 0
	passed = 0
	failed = 0
	skipped = 0
	if (!ready) {
		print "vm: the guest never reported READY; last console lines:"
		if (nboot == 0)
			print "  | (none)"
		first = nboot > 60 ? nboot - 59 : 1
		for (i = first; i <= nboot; i++)
			print "  | " boot[i % 60]
	}
	if (setup_fail != "") {
		print "vm: FAIL    (testbed setup):" setup_fail
		failed++
	}
	for (i = 1; i <= ncases; i++) {
		c = order[i]
		why = ""
		if (!(c in begun)) {
			st = "FAIL"
			why = "never started"
		} else if (!(c in status)) {
			st = "FAIL"
			why = "no result: the guest crashed, hung or timed out during this case"
		} else {
			st = status[c]
			why = "exit " rc[c] ", " secs[c] "s"
			if (st == "TIMEOUT")
				why = "killed at its " secs[c] "s limit"
		}
		if (c in reset_fail) {
			why = why "; testbed reset after it failed:" reset_fail[c]
			if (st == "PASS")
				st = "FAIL"
		}
		if (st == "PASS") {
			passed++
		} else if (st == "SKIP" && ci != "true") {
			skipped++
		} else {
			if (st == "SKIP")
				why = why "; skipped, which counts as a failure under CI=true"
			failed++
			bad[++nbad] = c
		}
		printf("vm: %-7s %s (%s)\n", st, c, why)
	}
	for (i = 1; i <= nbad; i++) {
		c = bad[i]
		if (!(c in begun) || streamed)
			continue
		print "vm: ---- output of " c " ----"
		printf("%s", out[c])
		print "vm: ---- end of " c " ----"
	}
	if (!done) {
		msg = "the guest did not finish (no DONE marker)"
		if (note != "")
			msg = msg ": " note
		print "vm: FAIL    " msg
		failed++
	} else if (note != "") {
		print "vm: warning: " note
	}
	# A kernel BUG, Oops or WARNING means the plugin (or the test) drove the kernel into a
	# state it complains about: that fails the run, whatever the cases said.
	if (kernel_trouble) {
		print "vm: FAIL    the guest kernel logged " kernel_trouble " BUG/Oops/WARNING/Call Trace line(s):"
		for (i = 1; i <= kernel_trouble && i <= 20; i++)
			print "  | " trouble[i]
		failed++
	}
	if (ready && done)
		printf("vm: boot %ss, cases %ss, wall clock %ss\n", ready_at, done_at - ready_at, elapsed)
	if (skipped)
		print "vm: " skipped " skipped"
	if (failed && logfile != "")
		print "vm: console log kept: " logfile
	print "vm: " passed " passed, " failed " failed"
	exit failed ? 1 : 0
}
