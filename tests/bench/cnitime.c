/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cnitime.c: time a CNI plugin the way a runtime calls it. Runs ROUNDS rounds of
 * "ADD then DEL" (or, with -v, VERSION only: the cost of a bare exec of the binary) and
 * prints min / median / mean per operation in milliseconds.
 * Usage: cnitime [-v] -n ROUNDS -c CONFIG_FILE PLUGIN
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

static void report(const char *what, double *v, double *cpu, int n)
{
	double sum = 0;

	qsort(v, (size_t)n, sizeof(*v), cmp);
	qsort(cpu, (size_t)n, sizeof(*cpu), cmp);
	for (int i = 0; i < n; i++)
		sum += v[i];
	printf("%-6s n=%-3d wall: min %7.2f  median %7.2f  mean %7.2f ms;  own CPU median %6.2f ms\n",
	       what, n, v[0], v[n / 2], sum / n, cpu[n / 2]);
}

int main(int argc, char **argv)
{
	const char *conf = "/dev/null";
	int rounds = 20, opt;
	int version_only = 0;
	double *add, *del, *add_cpu, *del_cpu;

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
	if (optind != argc - 1 || rounds <= 0 || rounds > 100000) {
		fprintf(stderr, "usage: cnitime [-v] -n ROUNDS -c CONFIG PLUGIN\n");
		return 2;
	}
	add = calloc((size_t)rounds, sizeof(*add));
	del = calloc((size_t)rounds, sizeof(*del));
	add_cpu = calloc((size_t)rounds, sizeof(*add_cpu));
	del_cpu = calloc((size_t)rounds, sizeof(*del_cpu));
	if (!add || !del || !add_cpu || !del_cpu)
		return 1;
	for (int i = 0; i < rounds; i++) {
		if (version_only) {
			if ((add[i] = run(argv[optind], "VERSION", conf, &add_cpu[i])) < 0)
				return 1;
			continue;
		}
		if ((add[i] = run(argv[optind], "ADD", conf, &add_cpu[i])) < 0 ||
		    (del[i] = run(argv[optind], "DEL", conf, &del_cpu[i])) < 0)
			return 1;
	}
	if (version_only) {
		report("exec", add, add_cpu, rounds);
		return 0;
	}
	report("ADD", add, add_cpu, rounds);
	report("DEL", del, del_cpu, rounds);
	return 0;
}
