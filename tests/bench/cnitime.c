/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cnitime.c: time a CNI plugin the way a runtime calls it. Runs ROUNDS rounds of "ADD then
 * DEL" (-x VERB: that verb alone, e.g. GC or one first ADD; -v: VERSION, the cost of a bare
 * exec) and prints, per plugin and verb, min / median / mean wall time in milliseconds, the
 * median own CPU time (user and system), and the peak RSS of the runs. With several plugins
 * (say the floor and sriov) each round runs each of them, in turns that swap every round, so
 * that drift in the machine's load spreads evenly over them.
 *
 * -P JOBS: each round starts JOBS ADDs at once and waits for all of them (the makespan), then
 * JOBS DELs. Job k (0-based) gets "-k" appended to CNI_CONTAINERID and CNI_NETNS, and reads
 * the config file whose name is the -c argument with "%d" replaced by k. A "%p" in the -c
 * argument is replaced by the plugin's base name (its own config: say its own network name,
 * so that two builds of sriov do not share a lease store and undo each other's index).
 * -r FILE -t TAG: also append "TAG.<plugin>.<verb>.<figure> <value>" lines to FILE (figures:
 * p50 min mean ms, usr sys ms, rss KiB), for a summary computed afterwards.
 *
 * The peak RSS is ru_maxrss of the child, which the kernel takes at exec from the forked copy
 * of this program too: cnitime is linked statically so that copy stays small; the figure of
 * "cnitime -m" (its own peak) is the resolution.
 * Usage: cnitime [-v | -x VERB] [-P JOBS] [-r FILE -t TAG] -n ROUNDS -c CONFIG PLUGIN...
 *        cnitime -m
 * CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH come from the environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PLUGINS 8
#define MAX_JOBS 16

struct sample {
	double wall, usr, sys;
	long rss; /* KiB */
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * @pattern with "%p" replaced by the base name of @plugin and, for job @k >= 0, "%d" by @k
 * (each the first one), into @buf.
 */
static const char *subst(const char *pattern, const char *plugin, int k, char *buf, size_t len)
{
	const char *base = strrchr(plugin, '/') ? strrchr(plugin, '/') + 1 : plugin;
	char tmp[PATH_MAX];
	const char *p;

	snprintf(tmp, sizeof(tmp), "%s", pattern);
	p = strstr(tmp, "%p");
	if (p)
		snprintf(buf, len, "%.*s%s%s", (int)(p - tmp), tmp, base, p + 2);
	else
		snprintf(buf, len, "%s", tmp);
	snprintf(tmp, sizeof(tmp), "%s", buf);
	p = strstr(tmp, "%d");
	if (k >= 0 && p)
		snprintf(buf, len, "%.*s%d%s", (int)(p - tmp), tmp, k, p + 2);
	return buf;
}

/* Start @plugin with CNI_COMMAND=@cmd and @conf on stdin; job @job < 0: no suffixes. */
static pid_t start(const char *plugin, const char *cmd, const char *conf, int job)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	{
		char path[4096], v[4096];
		const char *id = getenv("CNI_CONTAINERID"), *ns = getenv("CNI_NETNS");
		int in = open(subst(conf, plugin, job, path, sizeof(path)), O_RDONLY | O_CLOEXEC);
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (in < 0 || null < 0 || dup2(in, 0) < 0 || dup2(null, 1) < 0)
			_exit(127);
		if (job >= 0 && id) {
			snprintf(v, sizeof(v), "%s-%d", id, job);
			setenv("CNI_CONTAINERID", v, 1);
		}
		if (job >= 0 && ns) {
			snprintf(v, sizeof(v), "%s-%d", ns, job);
			setenv("CNI_NETNS", v, 1);
		}
		setenv("CNI_COMMAND", cmd, 1);
		execl(plugin, plugin, (char *)NULL);
		_exit(127);
	}
}

/* Wait for @pid; its own CPU time and peak RSS into @s. -1 when it failed. */
static int reap(pid_t pid, const char *plugin, const char *cmd, struct sample *s)
{
	struct rusage ru;
	int status;

	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cnitime: %s %s failed (status %d)\n", plugin, cmd,
			pid < 0 ? -1 : status);
		return -1;
	}
	s->usr = (double)ru.ru_utime.tv_sec * 1e3 + (double)ru.ru_utime.tv_usec / 1e3;
	s->sys = (double)ru.ru_stime.tv_sec * 1e3 + (double)ru.ru_stime.tv_usec / 1e3;
	s->rss = ru.ru_maxrss;
	return 0;
}

/* One verb of one plugin: a single run, or @jobs at once (wall = the makespan). */
static int run(const char *plugin, const char *cmd, const char *conf, int jobs, struct sample *s)
{
	pid_t pids[MAX_JOBS];
	double t0 = now_ms();
	int bad = 0;

	memset(s, 0, sizeof(*s));
	if (jobs <= 0) {
		if (reap(start(plugin, cmd, conf, -1), plugin, cmd, s) < 0)
			return -1;
		s->wall = now_ms() - t0;
		return 0;
	}
	for (int k = 0; k < jobs; k++)
		pids[k] = start(plugin, cmd, conf, k);
	for (int k = 0; k < jobs; k++) {
		struct sample one;

		if (reap(pids[k], plugin, cmd, &one) < 0) {
			bad = 1;
			continue;
		}
		s->usr += one.usr;
		s->sys += one.sys;
		if (one.rss > s->rss)
			s->rss = one.rss;
	}
	s->wall = now_ms() - t0;
	return bad ? -1 : 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void report(FILE *rf, const char *tag, const char *plugin, const char *what,
		   const struct sample *s, int n, int jobs)
{
	double *wall = calloc((size_t)n * 3, sizeof(double)), *usr = wall + n, *sys = usr + n;
	const char *base = strrchr(plugin, '/') ? strrchr(plugin, '/') + 1 : plugin;
	double sum = 0, p50, mn;
	long rss = 0;

	if (!wall)
		return;
	for (int i = 0; i < n; i++) {
		wall[i] = s[i].wall;
		usr[i] = s[i].usr;
		sys[i] = s[i].sys;
		sum += s[i].wall;
		rss = s[i].rss > rss ? s[i].rss : rss;
	}
	p50 = median(wall, n);
	mn = wall[0];
	printf("%-6s %-10s n=%-3d wall: min %8.2f  p50 %8.2f  mean %8.2f ms;  CPU p50 usr %6.2f sys "
	       "%6.2f ms%s;  peak RSS %5.2f MiB\n",
	       what, base, n, mn, p50, sum / n, median(usr, n), median(sys, n),
	       jobs > 0 ? " (sum of jobs)" : "", (double)rss / 1024);
	if (rf) {
		fprintf(rf, "%s.%s.%s.p50 %.3f\n", tag, base, what, p50);
		fprintf(rf, "%s.%s.%s.min %.3f\n", tag, base, what, mn);
		fprintf(rf, "%s.%s.%s.mean %.3f\n", tag, base, what, sum / n);
		fprintf(rf, "%s.%s.%s.usr %.3f\n", tag, base, what, median(usr, n));
		fprintf(rf, "%s.%s.%s.sys %.3f\n", tag, base, what, median(sys, n));
		fprintf(rf, "%s.%s.%s.rss %ld\n", tag, base, what, rss);
	}
	free(wall);
}

int main(int argc, char **argv)
{
	const char *conf = "/dev/null", *only = NULL, *tag = "run", *rfile = NULL;
	int rounds = 20, opt, np, jobs = 0, nverbs;
	const char *verbs[2];
	struct sample *t;
	FILE *rf = NULL;

	while ((opt = getopt(argc, argv, "vmx:P:n:c:r:t:")) != -1) {
		switch (opt) {
		case 'v':
			only = "VERSION";
			break;
		case 'm': {
			struct rusage ru;

			getrusage(RUSAGE_SELF, &ru);
			printf("cnitime's own peak RSS (the resolution of the RSS figures): %.2f MiB\n",
			       (double)ru.ru_maxrss / 1024);
			return 0;
		}
		case 'x':
			only = optarg;
			break;
		case 'P':
			jobs = atoi(optarg);
			break;
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'c':
			conf = optarg;
			break;
		case 'r':
			rfile = optarg;
			break;
		case 't':
			tag = optarg;
			break;
		default:
			return 2;
		}
	}
	np = argc - optind;
	if (np < 1 || np > MAX_PLUGINS || rounds <= 0 || rounds > 100000 || jobs < 0 ||
	    jobs > MAX_JOBS) {
		fprintf(stderr,
			"usage: cnitime [-v | -x VERB] [-P JOBS] [-r FILE -t TAG] -n ROUNDS "
			"-c CONFIG PLUGIN...\n");
		return 2;
	}
	if (rfile && !(rf = fopen(rfile, "a"))) {
		perror(rfile);
		return 2;
	}
	verbs[0] = only ? only : "ADD";
	verbs[1] = "DEL";
	nverbs = only ? 1 : 2;
	/* Per plugin and verb, ROUNDS samples. */
	t = calloc((size_t)np * 2 * (size_t)rounds, sizeof(*t));
	if (!t)
		return 1;
	for (int i = 0; i < rounds; i++) {
		for (int k = 0; k < np; k++) {
			int p = i % 2 ? np - 1 - k : k;
			const char *plugin = argv[optind + p];

			for (int v = 0; v < nverbs; v++)
				if (run(plugin, verbs[v], conf, jobs,
					&t[((size_t)p * 2 + (size_t)v) * (size_t)rounds +
					   (size_t)i]) < 0)
					return 1;
		}
	}
	for (int p = 0; p < np; p++)
		for (int v = 0; v < nverbs; v++)
			report(rf, tag, argv[optind + p],
			       strcmp(verbs[v], "VERSION") ? verbs[v] : "exec",
			       &t[((size_t)p * 2 + (size_t)v) * (size_t)rounds], rounds, jobs);
	free(t);
	if (rf)
		fclose(rf);
	return 0;
}
