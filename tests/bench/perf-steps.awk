# SPDX-License-Identifier: Apache-2.0
# perf-steps.awk: the per-step breakdown of one plugin verb, for perf-guest.sh.
#   awk -v title=T [-v ovh_us=U] [-v catfile=F] -f perf-steps.awk STRACE_LOG FTRACE_LOG...
# STRACE_LOG ("strace -f -ttt -T -yy -s 4096") names every system call of one run: paths, fds,
# netlink requests (decoded by strace, or from their bytes here when strace could not tell the
# socket's protocol). Each FTRACE_LOG (the raw_syscalls and sched_process_exit events of the
# kernel's tracer, "mono" clock, filtered to the run's pid) times every system call of another,
# identical run: under TCG strace costs milliseconds per call, the tracer microseconds. Each
# timed run is matched with the named one call by call (by system call number; a longest-common-
# subsequence alignment when they differ), and the figures are medians over the timed runs.
# Time in a system call is kernel time; the gap before it (from the previous call's return) is
# user-space time and is charged to the step the call belongs to, except before the first read
# of stdin (the dynamic loader and library constructors: "load") and after exit_group (process
# teardown: "exit").
# Prints the steps (consecutive calls on one object: a netlink request with its replies, one
# sysfs file, one state file) and a summary per category; with catfile, appends
# "<title> <category> <ms> <calls>" lines to it for a side-by-side comparison.
# POSIX awk only (busybox, mawk, gawk).

function init_tables(i) {
	split("read write open close stat fstat lstat poll lseek mmap mprotect munmap brk rt_sigaction rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access pipe select sched_yield mremap msync mincore madvise shmget shmat shmctl dup dup2 pause nanosleep getitimer alarm setitimer getpid sendfile socket connect accept sendto recvfrom sendmsg recvmsg shutdown bind listen getsockname getpeername socketpair setsockopt getsockopt clone fork vfork execve exit wait4 kill uname", a, " ")
	for (i = 1; i <= 62; i++) nr[a[i]] = i - 1
	nr["fcntl"] = 72; nr["flock"] = 73; nr["fsync"] = 74; nr["fdatasync"] = 75
	nr["ftruncate"] = 77; nr["getdents"] = 78; nr["getcwd"] = 79; nr["chdir"] = 80
	nr["rename"] = 82; nr["mkdir"] = 83; nr["rmdir"] = 84; nr["link"] = 86; nr["unlink"] = 87
	nr["symlink"] = 88; nr["readlink"] = 89; nr["chmod"] = 90; nr["fchmod"] = 91
	nr["umask"] = 95; nr["gettimeofday"] = 96; nr["getrlimit"] = 97; nr["getrusage"] = 98
	nr["getuid"] = 102; nr["getgid"] = 104; nr["geteuid"] = 107; nr["getegid"] = 108
	nr["getppid"] = 110; nr["setsid"] = 112; nr["statfs"] = 137; nr["fstatfs"] = 138
	nr["prctl"] = 157; nr["arch_prctl"] = 158; nr["setrlimit"] = 160; nr["gettid"] = 186
	nr["futex"] = 202; nr["getdents64"] = 217; nr["set_tid_address"] = 218
	nr["clock_gettime"] = 228; nr["clock_nanosleep"] = 230; nr["exit_group"] = 231
	nr["openat"] = 257; nr["mkdirat"] = 258; nr["newfstatat"] = 262; nr["unlinkat"] = 263
	nr["renameat"] = 264; nr["linkat"] = 265; nr["readlinkat"] = 267; nr["faccessat"] = 269
	nr["ppoll"] = 271; nr["set_robust_list"] = 273; nr["utimensat"] = 280; nr["pipe2"] = 293
	nr["prlimit64"] = 302; nr["setns"] = 308; nr["renameat2"] = 316; nr["getrandom"] = 318
	nr["statx"] = 332; nr["rseq"] = 334; nr["close_range"] = 436; nr["openat2"] = 437
	nr["faccessat2"] = 439
	for (i in nr) nrname[nr[i]] = i
	rtm[16] = "RTM_NEWLINK"; rtm[17] = "RTM_DELLINK"; rtm[18] = "RTM_GETLINK"
	rtm[19] = "RTM_SETLINK"; rtm[20] = "RTM_NEWADDR"; rtm[21] = "RTM_DELADDR"
	rtm[22] = "RTM_GETADDR"; rtm[24] = "RTM_NEWROUTE"; rtm[25] = "RTM_DELROUTE"
	rtm[26] = "RTM_GETROUTE"; rtm[108] = "RTM_NEWLINKPROP"; rtm[109] = "RTM_DELLINKPROP"
	ifla[1] = "IFLA_ADDRESS"; ifla[3] = "IFLA_IFNAME"; ifla[4] = "IFLA_MTU"
	ifla[20] = "IFLA_IFALIAS"; ifla[22] = "IFLA_VFINFO_LIST"; ifla[28] = "IFLA_NET_NS_FD"
	ifla[29] = "IFLA_EXT_MASK"; ifla[52] = "IFLA_PROP_LIST"; ifla[53] = "IFLA_ALT_IFNAME"
	vfa[1] = "IFLA_VF_MAC"; vfa[2] = "IFLA_VF_VLAN"; vfa[3] = "IFLA_VF_TX_RATE"
	vfa[4] = "IFLA_VF_SPOOFCHK"; vfa[5] = "IFLA_VF_LINK_STATE"; vfa[6] = "IFLA_VF_RATE"
	vfa[9] = "IFLA_VF_TRUST"; vfa[12] = "IFLA_VF_VLAN_LIST"
	for (i = 32; i < 127; i++) ord[sprintf("%c", i)] = i
	hexd["0"] = 0; hexd["1"] = 1; hexd["2"] = 2; hexd["3"] = 3; hexd["4"] = 4; hexd["5"] = 5
	hexd["6"] = 6; hexd["7"] = 7; hexd["8"] = 8; hexd["9"] = 9; hexd["a"] = 10; hexd["b"] = 11
	hexd["c"] = 12; hexd["d"] = 13; hexd["e"] = 14; hexd["f"] = 15
}

# The bytes of a C-escaped string as strace prints it, into B[0..n-1]; returns n.
function unescape(s, i, n, c, d, v, k) {
	n = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c != "\\") { B[n++] = ord[c] + 0; continue }
		d = substr(s, ++i, 1)
		if (d == "x") {
			B[n++] = hexd[tolower(substr(s, i + 1, 1))] * 16 + hexd[tolower(substr(s, i + 2, 1))]
			i += 2
		} else if (d ~ /[0-7]/) {
			v = 0
			for (k = 0; k < 3 && substr(s, i, 1) ~ /[0-7]/; k++) v = v * 8 + substr(s, i++, 1)
			i--
			B[n++] = v
		} else if (d == "n") B[n++] = 10
		else if (d == "t") B[n++] = 9
		else if (d == "r") B[n++] = 13
		else if (d == "v") B[n++] = 11
		else if (d == "f") B[n++] = 12
		else B[n++] = ord[d] + 0
	}
	return n
}

function u16(o) { return B[o] + 256 * B[o + 1] }
function u32(o) { return B[o] + 256 * B[o + 1] + 65536 * B[o + 2] + 16777216 * B[o + 3] }

# Attribute names of the netlink payload B[from..to), nested VF attributes included.
function nl_attrs(from, to, depth, o, len, t, names, nm) {
	names = ""
	for (o = from; o + 4 <= to; o += int((len + 3) / 4) * 4) {
		len = u16(o); t = u16(o + 2) % 16384
		if (len < 4) break
		nm = depth == 0 ? ifla[t] : (depth == 2 ? vfa[t] : "")
		if (nm == "") nm = depth == 1 ? "" : "attr" t
		if (nm != "") names = names " " nm
		if (nm == "IFLA_EXT_MASK") names = names (u32(o + 4) % 2 == 1 ? "(VF)" : "")
		if (depth == 0 && t == 22) names = names nl_attrs(o + 4, o + len, 1)
		else if (depth == 1) names = names nl_attrs(o + 4, o + len, 2)
	}
	return names
}

# A short label for the netlink request in strace line @s.
function nl_label(s, type, t, names, n, p, body, lbl, idx, flags) {
	type = ""
	if (match(s, /nlmsg_type=[A-Za-z_0-9]+/)) type = substr(s, RSTART + 11, RLENGTH - 11)
	if (type ~ /^0x/) { t = 0; for (p = 3; p <= length(type); p++) t = t * 16 + hexd[substr(type, p, 1)]; type = rtm[t] != "" ? rtm[t] : type }
	flags = ""
	if (match(s, /nlmsg_flags=[A-Z_|0-9x]+/)) flags = substr(s, RSTART + 12, RLENGTH - 12)
	names = ""; idx = ""
	if (match(s, /ifi_index=if_nametoindex\("[^"]*"\)/)) idx = substr(s, RSTART + 26, RLENGTH - 28)
	else if (match(s, /ifi_index=[0-9]+/)) idx = "ifindex " substr(s, RSTART + 10, RLENGTH - 10)
	if (index(s, "nla_type=")) {
		body = s
		while (match(body, /nla_type=(NLA_F_NESTED\|)?[A-Z_0-9]+/)) {
			n = substr(body, RSTART + 9, RLENGTH - 9); sub(/^NLA_F_NESTED\|/, "", n)
			if (n != "IFLA_VF_INFO" && n != "IFLA_VF_VLAN_INFO") names = names " " n
			body = substr(body, RSTART + RLENGTH)
		}
		if (index(s, "RTEXT_FILTER_VF")) names = names "(VF)"
		if (index(s, "ifi_change=0x1") || index(s, "ifi_change=IFF_UP")) names = names (index(s, "ifi_flags=IFF_UP") ? " up" : " down")
	} else if (match(s, /\}, "[^"]*"\]/)) {
		n = unescape(substr(s, RSTART + 4, RLENGTH - 6))
		if (type ~ /LINK/) {
			if (idx == "" && u32(4) > 0) idx = "ifindex " u32(4)
			if (u32(12) % 2 == 1) names = names (u32(8) % 2 == 1 ? " up" : " down")
			names = names nl_attrs(16, n, 0)
		} else if (type ~ /ADDR/) names = sprintf(" /%d ifindex %d", B[1], u32(4))
		else if (type ~ /ROUTE/) names = sprintf(" /%d", B[1])
	}
	gsub(/IFLA_VF_/, "VF:", names); gsub(/IFLA_/, "", names)
	lbl = type (idx != "" ? " " idx : "") names
	if (index(flags, "NLM_F_DUMP") || index(flags, "0x300")) lbl = lbl " (dump)"
	return lbl
}

function fdnum(s) { return match(s, /^[a-z_0-9]+\([0-9]+/) ? substr(s, index(s, "(") + 1, RLENGTH - index(s, "(")) + 0 : -1 }
function retfd(s) { return match(s, /\) = [0-9]+/) ? substr(s, RSTART + 4, RLENGTH - 4) + 0 : -1 }
function retpath(s) { return match(s, /\) = [0-9]+<[^>]*>/) ? substr(s, index(substr(s, RSTART), "<") + RSTART, RLENGTH - index(substr(s, RSTART), "<") - 1) : "" }
function firstpath(s) { return match(s, /"[^"]*"/) ? substr(s, RSTART + 1, RLENGTH - 2) : "" }
function lastpath(s, r) { r = ""; while (match(s, /"[^"]*"/)) { r = substr(s, RSTART + 1, RLENGTH - 2); s = substr(s, RSTART + RLENGTH) } return r }
function fdpath(s) { return match(s, /^[a-z_0-9]+\([0-9]+<[^>]*>/) ? substr(s, index(s, "<") + 1, RLENGTH - index(s, "<") - 1) : "" }
function objname(p) {
	sub(/\/\.?$/, "", p)
	sub(/.*\//, "", p)
	sub(/^\./, "", p); sub(/\.[0-9]+\.tmp$/, "", p); sub(/\.[0-9]+\.[0-9a-f]+\.tmp$/, "", p)
	return p
}

# Category and object of a path @p (absolute), in CAT and OBJ; 0 when it is none of ours.
function pathobj(p, name) {
	if (p ~ /^\/proc\/sys\/kernel\/random\//) { CAT = "file"; OBJ = "read " p; return 1 }
	if (p ~ /^\/proc\/sys\//) { CAT = "sysctl"; OBJ = p; sub(/^\/proc\/sys\//, "sysctl ", OBJ); return 1 }
	if (p ~ /^\/sys\//) {
		CAT = "sysfs"; OBJ = p
		sub(/^\/sys\/bus\/pci\/devices\//, "", OBJ); sub(/^\/sys\/devices\/pci[^\/]*\/[^\/]*\//, "", OBJ)
		OBJ = "sysfs " OBJ; return 1
	}
	if (p ~ /^\/(var\/)?run\/netns\// || p ~ /^net:\[/) { CAT = "netns"; OBJ = "open and check CNI_NETNS"; return 1 }
	if (p ~ /^\/(var|run)(\/|$)/) {
		CAT = "file"; OBJ = "file " objname(p)
		if (OBJ ~ /(\.lock| lock)$/) { CAT = "lock"; OBJ = "lock " (match(p, /[^\/]+\/[^\/]+$/) ? substr(p, RSTART) : p) }
		if (name ~ /^mkdir/) OBJ = "directories (mkdir -p, open)"
		return 1
	}
	return 0
}

# Category and object of strace line @s (system call @name), in CAT and OBJ.
function classify(name, s, fd, p, q, r, rp) {
	CAT = "other"; OBJ = name; fd = fdnum(s); p = fdpath(s); q = firstpath(s); rp = retpath(s)
	if (name == "execve") { CAT = "exec"; OBJ = "execve"; return }
	if (phase == "load") {
		if (name == "read" && fd == 0) phase = "run"
		else { CAT = "load"; OBJ = "dynamic loading, relocation, constructors"; return }
	}
	if (name == "exit_group") { CAT = "exit"; OBJ = "exit_group, process teardown"; return }
	if (name == "read" && fd == 0) { CAT = "stdin"; OBJ = "read the config from stdin"; return }
	if (name == "write" && fd == 1) { CAT = "output"; OBJ = "print the result"; return }
	if (name == "write" && fd == 2) { CAT = "log"; OBJ = "stderr"; return }
	if (name ~ /^(brk|mmap|munmap|mprotect|mremap)$/) { CAT = "mem"; OBJ = "memory"; return }
	if (name ~ /nanosleep/) { CAT = "sleep"; OBJ = "sleep"; return }
	if (name == "socket") {
		r = retfd(s)
		if (index(s, "AF_NETLINK")) { sock[r] = "nl"; nsof[r] = inpod ? "pod" : "host"; CAT = "nlsock"; OBJ = "netlink socket (" nsof[r] ")" }
		else if (index(s, "AF_PACKET") || index(s, "SOCK_RAW")) { sock[r] = "ann"; CAT = "announce"; OBJ = "gratuitous ARP / NA" }
		else { sock[r] = "inet"; CAT = "ioctl"; OBJ = "ioctl socket (" (inpod ? "pod" : "host") ")" }
		fdcat[r] = CAT; fdobj[r] = OBJ; return
	}
	if (fd >= 0 && sock[fd] == "nl") {
		if (name ~ /^send/) { nreq++; CAT = "netlink"; OBJ = "#" nreq " " nsof[fd] ": " nl_label(s); lastreq[fd] = OBJ; return }
		if (name ~ /^recv/ && lastreq[fd] != "") { CAT = "netlink"; OBJ = lastreq[fd]; return }
	}
	if (name == "setns") {
		inpod = index(p, "net:[" hostns "]") ? 0 : 1
		CAT = "netns"; OBJ = "enter the " (inpod ? "pod" : "host") " netns"; return
	}
	if (q ~ /^\/proc\/(thread-self|self)\/ns\/net$/) {
		if (!inpod && match(rp, /net:\[[0-9]+\]/)) hostns = substr(rp, RSTART + 5, RLENGTH - 6)
		CAT = "netns"; OBJ = "open the current netns"; fdcat[retfd(s)] = CAT; fdobj[retfd(s)] = OBJ; return
	}
	# Calls on an open fd belong to what was opened.
	if (fd >= 0 && (fd in fdobj) && name ~ /^(read|write|close|fstat|newfstatat|fstatfs|getdents64|ioctl|flock|fsync|fdatasync|utimensat|fcntl|lseek|pread64|pwrite64|ftruncate|fchmod|bind|sendto|recvfrom|setsockopt|getsockname)$/ && !(name ~ /at$/ && q != "")) {
		CAT = fdcat[fd]; OBJ = fdobj[fd]
		if (name == "fsync" || name == "fdatasync") { CAT = "fsync"; OBJ = name " " substr(OBJ, index(OBJ, " ") + 1) }
		if (name == "flock") CAT = "lock"
		if (name == "close") { delete fdobj[fd]; delete fdcat[fd]; delete sock[fd] }
		return
	}
	if (name == "openat" && index(s, "O_TMPFILE")) { CAT = "file"; OBJ = "file lease (O_TMPFILE)"; fdcat[retfd(s)] = CAT; fdobj[retfd(s)] = OBJ; return }
	if (name ~ /^(linkat|renameat|renameat2|symlinkat)$/) q = lastpath(s)
	if (q != "" && q !~ /^\//) q = (p != "" ? p : "/") "/" q
	if (q == "" || q ~ /^\/proc\/self\/fd\//) q = rp != "" ? rp : p
	if (pathobj(q, name)) {
		if (CAT == "file" && name ~ /^open/ && index(s, "O_DIRECTORY")) OBJ = "directories (mkdir -p, open)"
		if (name ~ /^open/ && retfd(s) >= 0) { fdcat[retfd(s)] = CAT; fdobj[retfd(s)] = OBJ }
		return
	}
}

BEGIN {
	init_tables()
	phase = "load"; inpod = 0; hostns = "none"; nreq = 0; n = 0; m = 0
	if (ovh_us == "") ovh_us = 0
}

# strace: pid, time, call(...) = ret <dur>
FNR == NR {
	line = $0
	sub(/^[0-9]+ +/, "", line)
	sub(/^[0-9]+\.[0-9]+ /, "", line)
	if (line !~ /^[a-z_0-9]+\(/ || line ~ /resumed>/) next
	name = substr(line, 1, index(line, "(") - 1)
	n++; sname[n] = name; snr[n] = (name in nr) ? nr[name] : -1
	classify(name, line)
	scat[n] = CAT; sobj[n] = OBJ
	next
}

# ftrace: "... TIMESTAMP: sys_enter: NR n (...)" / "sys_exit: NR n = r" / sched_process_exit;
# each file is one run.
FNR == 1 { R++; M[R] = 0 }
/sys_enter: NR|sys_exit: NR|sched_process_exit/ {
	for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1) * 1000; break }
	if ($0 ~ /sys_enter: NR/) {
		match($0, /NR [0-9]+/); k = substr($0, RSTART + 3, RLENGTH - 3) + 0
		if (k == 59) M[R] = 0 # the exec starts the run: what came before was the wrapper
		j = ++M[R]; FNR_[R, j] = k; FIN[R, j] = ts; FOUT[R, j] = -1
	} else if ($0 ~ /sys_exit: NR/) {
		if (M[R] > 0 && FOUT[R, M[R]] < 0) FOUT[R, M[R]] = ts
	} else if (M[R] > 0) {
		if (FOUT[R, M[R]] < 0) FOUT[R, M[R]] = ts
		END_[R] = ts
	}
	next
}

# The median of V[1..nv].
function med(nv, i, j, t) {
	for (i = 2; i <= nv; i++) for (j = i; j > 1 && V[j - 1] > V[j]; j--) { t = V[j]; V[j] = V[j - 1]; V[j - 1] = t }
	return nv % 2 ? V[(nv + 1) / 2] : (V[nv / 2] + V[nv / 2 + 1]) / 2
}

# Match the strace calls 1..n with the timed calls of run r: MAP[i] = j (0: none).
function align(r, m, i, j, same, matched) {
	for (i = 1; i <= n; i++) MAP[i] = 0
	same = n == m
	for (i = 1; same && i <= n; i++) if (snr[i] != FNR_[r, i] && snr[i] >= 0) same = 0
	if (same) { for (i = 1; i <= n; i++) MAP[i] = i; return n }
	for (i = 0; i <= n + 1; i++) L[i, m + 1] = 0
	for (j = 0; j <= m + 1; j++) L[n + 1, j] = 0
	for (i = n; i >= 1; i--) for (j = m; j >= 1; j--)
		L[i, j] = snr[i] == FNR_[r, j] ? L[i + 1, j + 1] + 1 : (L[i + 1, j] >= L[i, j + 1] ? L[i + 1, j] : L[i, j + 1])
	i = 1; j = 1; matched = 0
	while (i <= n && j <= m) {
		if (snr[i] == FNR_[r, j]) { MAP[i] = j; i++; j++; matched++ }
		else if (L[i + 1, j] >= L[i, j + 1]) i++
		else j++
	}
	return matched
}

END {
	if (n == 0 || R == 0) { print "perf-steps: no strace or ftrace events for " title; exit 1 }
	# Steps, from the named calls: consecutive calls on one object; small calls (memory,
	# getpid, ...) join the step around them.
	nst = 0; cur = ""
	for (i = 1; i <= n; i++) {
		c = scat[i]; o = sobj[i]
		if ((c == "mem" || c == "other") && nst > 0) { stepof[i] = nst; SC[nst]++; continue }
		if (cur != c SUBSEP o) { nst++; ccat[nst] = c; cobj[nst] = o; SC[nst] = 0; cur = c SUBSEP o }
		stepof[i] = nst; SC[nst]++
	}
	split("exec load stdin sysfs netns nlsock netlink ioctl sysctl file lock fsync announce output log sleep other exit user", order, " ")
	for (r = 1; r <= R; r++) {
		m = M[r]
		matched = align(r, m)
		if (matched != n || m != n)
			printf("(%s, timed run %d: %d calls, %d named; %d matched)\n", title, r, m, n, matched)
		for (j = 1; j <= m; j++) lab[j] = 0
		for (i = 1; i <= n; i++) if (MAP[i]) lab[MAP[i]] = i
		t0 = FIN[r, 1]; prevx = t0; s = 1
		for (j = 1; j <= m; j++) {
			x = FOUT[r, j] >= 0 ? FOUT[r, j] : FIN[r, j]
			gap = FIN[r, j] - prevx; if (gap < 0) gap = 0
			i = lab[j]
			if (i) { s = stepof[i]; c = scat[i] } else c = "other"
			kern = c == "exit" ? END_[r] - FIN[r, j] : x - FIN[r, j]
			prevx = c == "exit" ? END_[r] : x
			if (!((s, r) in ST)) ST[s, r] = FIN[r, j] - gap - t0
			K[s, r] += kern; U[s, r] += gap
			CV[(c == "mem") ? "other" : c, r] += kern
			CV[(ccat[s] == "load" || ccat[s] == "exec") ? "load" : "user", r] += gap
			if (i) CN[c == "mem" ? "other" : c]++
		}
		TOT[r] = END_[r] - t0
	}
	for (c in CN) CN[c] = CN[c] / R
	printf("\n== %s: %d system calls, median of %d timed runs: %.2f ms from execve to the process's exit\n", title, n, R, medof_tot())
	printf("   (kernel = in system calls, user = from the previous call's return to this step's calls;\n")
	printf("    the tracer costs ~%.3f ms per call, included)\n", ovh_us / 1000)
	printf("%4s %9s %9s %9s %5s  %-9s %s\n", "step", "start ms", "kernel", "user", "calls", "category", "what")
	for (s = 1; s <= nst; s++) {
		for (r = 1; r <= R; r++) V[r] = ST[s, r] + 0; st_ = med(R)
		for (r = 1; r <= R; r++) V[r] = K[s, r] + 0; k_ = med(R)
		for (r = 1; r <= R; r++) V[r] = U[s, r] + 0; u_ = med(R)
		printf("%4d %9.2f %9.3f %9.3f %5d  %-9s %s\n", s, st_, k_, u_, SC[s], ccat[s], cobj[s])
	}
	printf("-- %s by category (medians over the runs)\n", title)
	for (k = 1; k <= 19; k++) {
		c = order[k]
		for (r = 1; r <= R; r++) V[r] = CV[c, r] + 0
		v = med(R)
		if (v == 0 && CN[c] == 0) continue
		printf("   %-9s %9.3f ms  %4d calls\n", c, v, CN[c])
		if (catfile != "") printf("%s %s %.3f %d\n", title, c, v, CN[c]) >> catfile
	}
	printf("   %-9s %9.3f ms  %4d calls\n", "total", medof_tot(), n)
	if (catfile != "") printf("%s total %.3f %d\n", title, medof_tot(), n) >> catfile
}

function medof_tot(r) { for (r = 1; r <= R; r++) V[r] = TOT[r]; return med(R) }
