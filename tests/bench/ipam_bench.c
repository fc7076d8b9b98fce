/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_bench.c: helper for ipam_bench.sh.
 *   ipam_bench fill <dataDir> <network> <count>      write <count> leases into 10.200.0.0/16
 *   ipam_bench exec <plugin> <conf> <reps> [state]   time ADD and DEL as separate processes
 *   ipam_bench lib <conf> <reps> [state]             time ipam_add()/ipam_del() in-process
 * Both print "<first ADD us> <median ADD us> <median DEL us>".
 *   ipam_bench run <plugin> <conf> <cmd> <id> [state] one run of @plugin: "<us> <peak RSS KiB>"
 *   ipam_bench gc <conf> <count> [state]             ipam_gc() in-process, with the valid
 *                                                    attachments c0 .. c<count - 1> on eth0
 *                                                    (as storetool fill names the owners):
 *                                                    "<us> <CPU us> <peak RSS KiB>" of the
 *                                                    whole process
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/ipam.h"
#include "sriov/ipam_parse.h"
#include "sriov/json.h"

extern char **environ;

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fill(const char *data, const char *net, long count)
{
	char dir[4096], path[4200], last[32] = "";
	int dfd;

	snprintf(dir, sizeof(dir), "%s/%s", data, net);
	if (mkdir(data, 0755) < 0 && errno != EEXIST)
		return 1;
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return 1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return 1;
	/* 10.200.0.2 upwards (.0.1 is the gateway), owner fill<i> on eth0 */
	for (long i = 0; i < count; i++) {
		long a = i + 2;
		char name[32], content[64];
		int fd, n;

		snprintf(name, sizeof(name), "10.200.%ld.%ld", a / 256, a % 256);
		n = snprintf(content, sizeof(content), "fill%ld\r\neth0", i);
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || write(fd, content, (size_t)n) != n)
			return 1;
		close(fd);
		snprintf(last, sizeof(last), "%s", name);
	}
	if (count > 0) {
		int fd = openat(dfd, "last_reserved_ip.0", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
				0600);

		if (fd < 0 || write(fd, last, strlen(last)) != (ssize_t)strlen(last))
			return 1;
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/lock", dir);
	close(open(path, O_RDONLY | O_CREAT | O_CLOEXEC, 0750));
	close(dfd);
	return 0;
}

/*
 * Run @plugin once with CNI_COMMAND=@cmd; returns the wall time in microseconds or -1, and its
 * peak RSS in KiB into *@ret_rss when not NULL.
 */
static double run_plugin(const char *plugin, const char *conf, const char *cmd, const char *id,
			 const char *state, long *ret_rss)
{
	struct rusage ru;
	char e_cmd[64], e_id[128], e_state[4200], e_root[4200];
	char *env[8] = { e_cmd, e_id, "CNI_IFNAME=eth0", "CNI_NETNS=/var/run/netns/bench",
			 "CNI_PATH=/usr/lib/cni" };
	int n_env = 5;
	posix_spawn_file_actions_t fa;
	char *argv[] = { (char *)plugin, NULL };
	double t0;
	pid_t pid;
	int status;

	snprintf(e_cmd, sizeof(e_cmd), "CNI_COMMAND=%s", cmd);
	snprintf(e_id, sizeof(e_id), "CNI_CONTAINERID=%s", id);
	if (state) {
		snprintf(e_state, sizeof(e_state), "SRIOV_IPAM_STATE_DIR=%s", state);
		env[n_env++] = e_state;
	}
	/* hostlocal_shim's scratch root for dataDir (the plugin itself has no such switch) */
	if (getenv("SRIOV_IPAM_DATA_ROOT")) {
		snprintf(e_root, sizeof(e_root), "SRIOV_IPAM_DATA_ROOT=%s",
			 getenv("SRIOV_IPAM_DATA_ROOT"));
		env[n_env++] = e_root;
	}
	env[n_env] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, conf, O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = now_us();
	if (posix_spawn(&pid, plugin, &fa, NULL, argv, env) != 0)
		return -1;
	posix_spawn_file_actions_destroy(&fa);
	if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	if (ret_rss)
		*ret_rss = ru.ru_maxrss;
	return now_us() - t0;
}

static int bench_exec(const char *plugin, const char *conf, int reps, const char *state)
{
	double *add = calloc((size_t)reps, sizeof(double)),
	       *del = calloc((size_t)reps, sizeof(double));
	double first = 0;

	if (!add || !del)
		return 1;
	for (int i = 0; i <= reps; i++) {
		char id[64];
		double a, d;

		snprintf(id, sizeof(id), "bench%d", i);
		a = run_plugin(plugin, conf, "ADD", id, state, NULL);
		d = run_plugin(plugin, conf, "DEL", id, state, NULL);
		if (a < 0 || d < 0) {
			fprintf(stderr, "%s failed at rep %d\n", plugin, i);
			return 1;
		}
		if (i == 0) {
			/* warm-up: caches and our one-time index build, flushed before measuring */
			first = a;
			sync();
			continue;
		}
		add[i - 1] = a;
		del[i - 1] = d;
	}
	printf("%.0f %.0f %.0f\n", first, median(add, reps), median(del, reps));
	free(add);
	free(del);
	return 0;
}

static int bench_lib(const char *conf_path, int reps, const char *state)
{
	static char text[65536];
	static struct cni_result res;
	double *add = calloc((size_t)reps, sizeof(double)),
	       *del = calloc((size_t)reps, sizeof(double));
	_cleanup_cjson_ cJSON *conf = NULL;
	static const char *roots[2];
	static struct ipam_conf section;
	struct ipam_request req = { 0 };
	struct cni_err err = { 0 };
	double first = 0;
	FILE *f = fopen(conf_path, "re");
	size_t n;

	if (!f || !add || !del)
		return 1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	conf = cJSON_Parse(text);
	if (!conf)
		return 1;
	req.cni_version = cJSON_GetObjectItem(conf, "cniVersion")->valuestring;
	req.network = cJSON_GetObjectItem(conf, "name")->valuestring;
	req.ifname = "eth0";
	/* Parsed once, as conf_parse() does: the loop times the allocation alone. */
	if (ipam_section_parse(conf, req.cni_version, NULL, &section, &err) < 0) {
		fprintf(stderr, "config: %s\n", err.msg);
		return 1;
	}
	req.conf = &section;
	req.conf_text = text;
	req.conf_len = n;
	req.state_dir = state;
	roots[0] = getenv("SRIOV_IPAM_DATA_ROOT");
	if (roots[0])
		req.data_roots = roots;
	for (int i = 0; i <= reps; i++) {
		char id[64];
		double t0, a, d;

		snprintf(id, sizeof(id), "lib%d", i);
		req.container_id = id;
		t0 = now_us();
		if (ipam_add(&req, &res, &err) < 0) {
			fprintf(stderr, "ADD: %s\n", err.msg);
			return 1;
		}
		a = now_us() - t0;
		t0 = now_us();
		if (ipam_del(&req, &err) < 0) {
			fprintf(stderr, "DEL: %s\n", err.msg);
			return 1;
		}
		d = now_us() - t0;
		if (i == 0) {
			first = a;
			sync();
			continue;
		}
		add[i - 1] = a;
		del[i - 1] = d;
	}
	printf("%.0f %.0f %.0f\n", first, median(add, reps), median(del, reps));
	free(add);
	free(del);
	return 0;
}

static int run_once(const char *plugin, const char *conf, const char *cmd, const char *id,
		    const char *state)
{
	long rss = 0;
	double us = run_plugin(plugin, conf, cmd, id, state, &rss);

	if (us < 0) {
		fprintf(stderr, "%s %s failed\n", plugin, cmd);
		return 1;
	}
	printf("%.0f %ld\n", us, rss);
	return 0;
}

static double cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

static int bench_gc(const char *conf_path, long count, const char *state)
{
	static char text[65536];
	_cleanup_free_ struct ipam_attachment *valid = NULL;
	_cleanup_free_ char *names = NULL;
	_cleanup_cjson_ cJSON *conf = NULL;
	static const char *roots[2];
	static struct ipam_conf section;
	struct ipam_request req = { 0 };
	struct cni_err err = { 0 };
	struct rusage ru;
	double t0, c0;
	FILE *f = fopen(conf_path, "re");
	size_t n, off = 0;

	if (!f || count < 0)
		return 1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	conf = cJSON_Parse(text);
	valid = calloc((size_t)count + 1, sizeof(*valid));
	names = malloc((size_t)count * 16 + 1);
	if (!conf || !valid || !names)
		return 1;
	for (long i = 0; i < count; i++) {
		valid[i].container_id = names + off;
		off += (size_t)sprintf(names + off, "c%ld", i) + 1;
		valid[i].ifname = "eth0";
	}
	req.cni_version = cJSON_GetObjectItem(conf, "cniVersion")->valuestring;
	req.network = cJSON_GetObjectItem(conf, "name")->valuestring;
	if (ipam_section_parse(conf, req.cni_version, NULL, &section, &err) < 0) {
		fprintf(stderr, "config: %s\n", err.msg);
		return 1;
	}
	req.conf = &section;
	req.conf_text = text;
	req.conf_len = n;
	req.state_dir = state;
	req.valid = valid;
	req.n_valid = (size_t)count;
	roots[0] = getenv("SRIOV_IPAM_DATA_ROOT");
	if (roots[0])
		req.data_roots = roots;
	t0 = now_us();
	c0 = cpu_us();
	if (ipam_gc(&req, &err) < 0) {
		fprintf(stderr, "GC: %s\n", err.msg);
		return 1;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("%.0f %.0f %ld\n", now_us() - t0, cpu_us() - c0, ru.ru_maxrss);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "fill") == 0)
		return fill(argv[2], argv[3], atol(argv[4]));
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "exec") == 0)
		return bench_exec(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "lib") == 0)
		return bench_lib(argv[2], atoi(argv[3]), argc == 5 ? argv[4] : NULL);
	if ((argc == 6 || argc == 7) && strcmp(argv[1], "run") == 0)
		return run_once(argv[2], argv[3], argv[4], argv[5], argc == 7 ? argv[6] : NULL);
	if ((argc == 4 || argc == 5) && strcmp(argv[1], "gc") == 0)
		return bench_gc(argv[2], atol(argv[3]), argc == 5 ? argv[4] : NULL);
	fprintf(stderr, "usage: ipam_bench fill <dataDir> <network> <count>\n"
			"       ipam_bench exec <plugin> <conf> <reps> [stateDir]\n"
			"       ipam_bench lib <conf> <reps> [stateDir]\n"
			"       ipam_bench run <plugin> <conf> <cmd> <id> [stateDir]\n"
			"       ipam_bench gc <conf> <count> [stateDir]\n");
	return 2;
}
