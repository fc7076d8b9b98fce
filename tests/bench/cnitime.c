/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cnitime.c: time a CNI plugin the way a runtime calls it. Runs ROUNDS rounds of
 * "ADD then DEL" (or, with -v, VERSION only: the cost of a bare exec of the binary) and
 * prints min / median / mean per operation in milliseconds. With several plugins (say a
 * build before and after a change) each round runs each of them, in turns that swap every
 * round, so that drift in the machine's load spreads evenly over them.
 * Usage: cnitime [-v] -n ROUNDS -c CONFIG_FILE PLUGIN [PLUGIN...]
 * CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME, CNI_PATH come from the environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/*
 * Run @plugin with CNI_COMMAND=@cmd and @conf on stdin; returns the elapsed ms, < 0 on
 * failure, and the child's own CPU time (user + system) in *cpu.
 */
static double run(const char *plugin, const char *cmd, const char *conf, double *cpu)
{
	double t0 = now_ms();
	struct rusage ru;
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		int in = open(conf, O_RDONLY | O_CLOEXEC);
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

		if (in < 0 || null < 0 || dup2(in, 0) < 0 || dup2(null, 1) < 0)
			_exit(127);
		setenv("CNI_COMMAND", cmd, 1);
		execl(plugin, plugin, (char *)NULL);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "cnitime: %s %s failed (status %d)\n", plugin, cmd, status);
		return -1;
	}
	*cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
	return now_ms() - t0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *plugin, const char *what, double *v, double *cpu, int n)
{
	double sum = 0;

	qsort(v, (size_t)n, sizeof(*v), cmp);
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp);
	for (int i = 0; i < n; i++)
		sum += v[i];
	printf("%-6s n=%-3d wall: min %7.2f  median %7.2f  mean %7.2f ms;  own CPU median %6.2f ms",
	       what, n, v[0], v[n / 2], sum / n, cpu[n / 2]);
	printf(plugin ? "  %s\n" : "\n", plugin);
}

int main(int argc, char **argv)
{
	const char *conf = "/dev/null";
	int rounds = 20, opt, np;
	int version_only = 0;
	double *t;

	while ((opt = getopt(argc, argv, "vn:c:")) != -1) {
		switch (opt) {
		case 'v':
			version_only = 1;
			break;
		case 'n':
			rounds = atoi(optarg);
			break;
		case 'c':
			conf = optarg;
			break;
		default:
			return 2;
		}
	}
	np = argc - optind;
	if (np < 1 || np > 8 || rounds <= 0 || rounds > 100000) {
		fprintf(stderr, "usage: cnitime [-v] -n ROUNDS -c CONFIG PLUGIN [PLUGIN...]\n");
		return 2;
	}
	/* Per plugin: ADD wall, DEL wall, ADD CPU, DEL CPU, ROUNDS each. */
	t = calloc((size_t)np * 4 * (size_t)rounds, sizeof(*t));
	if (!t)
		return 1;
	for (int i = 0; i < rounds; i++) {
		for (int k = 0; k < np; k++) {
			int p = i % 2 ? np - 1 - k : k;
			const char *plugin = argv[optind + p];
			double *add = t + (size_t)p * 4 * (size_t)rounds, *del = add + rounds;
			double *add_cpu = del + rounds, *del_cpu = add_cpu + rounds;

			if (version_only) {
				if ((add[i] = run(plugin, "VERSION", conf, &add_cpu[i])) < 0)
					return 1;
				continue;
			}
			if ((add[i] = run(plugin, "ADD", conf, &add_cpu[i])) < 0 ||
			    (del[i] = run(plugin, "DEL", conf, &del_cpu[i])) < 0)
				return 1;
		}
	}
	for (int p = 0; p < np; p++) {
		double *add = t + (size_t)p * 4 * (size_t)rounds, *del = add + rounds;
		double *add_cpu = del + rounds, *del_cpu = add_cpu + rounds;
		const char *label = np > 1 ? argv[optind + p] : NULL;

		if (version_only) {
			report(label, "exec", add, add_cpu, rounds);
			continue;
		}
		report(label, "ADD", add, add_cpu, rounds);
		report(label, "DEL", del, del_cpu, rounds);
	}
	free(t);
	return 0;
}
