/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_plugin_del.c: the sriov binary driven as a runtime drives it, on things that are
 * already wrong: a DEL that holds nothing, IPAM that fails, the plugin named as its own IPAM,
 * a delegate that hangs, damaged or planted state files. No VF is needed: the VFs named here
 * do not exist. SRIOV_TEST_BINARY overrides the binary under test.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#define PCI "0000:ff:1f.7"

struct fixture {
	char dir[64];
	char state[128];
	char bin[128]; /* CNI_PATH for fake plugins */
	char out[8192]; /* stdout of the last run */
	long ms; /* how long it took */
};

static const char *binary(void)
{
	const char *b = getenv("SRIOV_TEST_BINARY");

	return b && *b ? b : SRIOV_BINARY;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_plugin_del.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->state, sizeof(f->state), "%s/state", f->dir);
	snprintf(f->bin, sizeof(f->bin), "%s/bin", f->dir);
	assert_int_equal(mkdir(f->bin, 0755), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * Run the plugin: @verb, container "cid-1", ifname "net1", @netns (NULL: unset), @conf on
 * stdin, @extra_env ("K=V" or NULL). Returns the exit status, or -1 when it did not finish
 * within @limit_ms (it is killed then).
 */
static int run(struct fixture *f, const char *verb, const char *netns, const char *conf,
	       const char *extra_env, long limit_ms)
{
	int in[2], out[2], status = 0;
	size_t got = 0;
	long t0 = now_ms();
	pid_t pid;

	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char state_env[256], path_env[256];
		char *env[16];
		int n = 0;

		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		int devnull = open("/dev/null", O_WRONLY);

		dup2(devnull, 2);
		snprintf(state_env, sizeof(state_env), "SRIOV_STATE_DIR=%s", f->state);
		snprintf(path_env, sizeof(path_env), "CNI_PATH=%s", f->bin);
		env[n++] = "PATH=/usr/sbin:/usr/bin:/sbin:/bin";
		env[n++] = state_env;
		env[n++] = path_env;
		env[n++] = (char *)(strcmp(verb, "ADD") == 0   ? "CNI_COMMAND=ADD" :
				    strcmp(verb, "DEL") == 0   ? "CNI_COMMAND=DEL" :
				    strcmp(verb, "CHECK") == 0 ? "CNI_COMMAND=CHECK" :
				    strcmp(verb, "GC") == 0    ? "CNI_COMMAND=GC" :
								 "CNI_COMMAND=STATUS");
		if (strcmp(verb, "GC") != 0 && strcmp(verb, "STATUS") != 0) {
			env[n++] = "CNI_CONTAINERID=cid-1";
			env[n++] = "CNI_IFNAME=net1";
		}
		if (netns) {
			static char ns_env[256];

			snprintf(ns_env, sizeof(ns_env), "CNI_NETNS=%s", netns);
			env[n++] = ns_env;
		}
		if (extra_env)
			env[n++] = (char *)extra_env;
		env[n] = NULL;
		execle(binary(), binary(), (char *)NULL, env);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	assert_int_equal(write(in[1], conf, strlen(conf)), (ssize_t)strlen(conf));
	close(in[1]);
	f->out[0] = '\0';
	for (;;) {
		struct pollfd p = { .fd = out[0], .events = POLLIN };
		long left = limit_ms - (now_ms() - t0);
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			close(out[0]);
			f->ms = now_ms() - t0;
			return -1;
		}
		n = read(out[0], f->out + got, sizeof(f->out) - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		f->out[got] = '\0';
	}
	close(out[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	f->ms = now_ms() - t0;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *fp = fopen(path, "we");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	assert_int_equal(chmod(path, mode), 0);
}

/* A fake plugin @name in the fixture's CNI_PATH. */
static void fake_plugin(struct fixture *f, const char *name, const char *body)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", f->bin, name);
	write_file(p, body, 0755);
}

static bool exists(const char *dir, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return access(p, F_OK) == 0;
}

/* A valid record of VF @pci (which does not exist) owned by (net1, cid-1, net1). */
static void plant_record(struct fixture *f, const char *file, const char *pci)
{
	char p[512], text[1024];

	snprintf(p, sizeof(p), "%s/vf", f->state);
	(void)mkdir(f->state, 0700);
	(void)mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/vf/%s", f->state, file);
	snprintf(
		text, sizeof(text),
		"{\"version\":1,\"network\":\"net1\",\"containerID\":\"cid-1\",\"ifname\":\"net1\","
		"\"netns\":\"\",\"pci\":\"%s\",\"pf\":\"eth0\",\"vf\":3,\"dpdk\":false,\"orig\":{"
		"\"adminMac\":\"00:00:00:00:00:00\",\"vlan\":0,\"qos\":0,\"vlanProto\":0,"
		"\"minTxRate\":0,\"maxTxRate\":0,\"spoofchk\":1,\"trust\":0,\"linkState\":0,"
		"\"name\":\"eth1\",\"mac\":\"00:00:00:00:00:00\",\"mtu\":1500,\"up\":false,"
		"\"ifindex\":4}}",
		pci);
	write_file(p, text, 0600);
}

/* Section 1: a DEL that holds nothing of ours succeeds, whatever IPAM says. */
static void test_del_without_record(void **state)
{
	struct fixture *f = *state;
	static const char *const confs[] = {
		/* not installed on the node */
		"{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\",\"ipam\":{\"type\":\"dhcp\"}}",
		"{\"cniVersion\":\"0.3.1\",\"name\":\"net1\",\"type\":\"sriov\",\"deviceID\":\"" PCI
		"\",\"ipam\":{\"type\":\"whereabouts\",\"range\":\"10.0.0.0/24\"}}",
		/* host-local that cannot parse */
		"{\"cniVersion\":\"0.3.0\",\"name\":\"net1\",\"type\":\"sriov\",\"ipam\":{\"type\":"
		"\"host-local\",\"subnet\":\"subnet/mask\",\"rangeStart\":\"IP\"}}",
		/* the plugin itself */
		"{\"cniVersion\":\"0.3.1\",\"name\":\"net1\",\"type\":\"sriov\",\"ipam\":{\"type\":\"sriov\","
		"\"subnet\":\"10.56.217.0/24\"}}",
		/* configs that do not validate (corpus 45, 10): their ADD failed the same way */
		"{\"cniVersion\":\"0.3.1\",\"name\":\"net1\",\"type\":\"sriov\",\"vlan\":\"28\"}",
		"{\"type\":\"sriov\",\"vlan\":1000,\"ipam\":{\"type\":\"host-local\"}}",
		/* a delegate that fails */
		"{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\",\"ipam\":{\"type\":\"failipam\"}}",
	};

	fake_plugin(
		f, "failipam",
		"#!/bin/sh\necho '{\"code\":11,\"msg\":\"cannot reach the server\"}'\nexit 1\n");
	for (size_t i = 0; i < sizeof(confs) / sizeof(confs[0]); i++) {
		int rc = run(f, "DEL", "/var/run/netns/gone", confs[i], NULL, 10000);

		if (rc != 0)
			fail_msg("conf %zu: DEL exit %d: %s", i, rc, f->out);
		assert_string_equal(f->out, "");
	}
}

/* Section 1: with a record, an IPAM failure fails DEL and the record stays for the retry. */
static void test_del_with_record_ipam_fails(void **state)
{
	struct fixture *f = *state;
	const char *conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"deviceID\":\"" PCI "\",\"ipam\":{\"type\":\"fakeipam\"}}";
	int rc;

	plant_record(f, PCI ".json", PCI);
	fake_plugin(
		f, "fakeipam",
		"#!/bin/sh\necho '{\"code\":11,\"msg\":\"cannot reach the server\"}'\nexit 1\n");
	rc = run(f, "DEL", NULL, conf, NULL, 10000);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(f->out, "cannot reach the server"));
	assert_true(exists(f->state, "vf/" PCI ".json"));
	/* The retry, once IPAM works, finishes: the record goes. */
	fake_plugin(f, "fakeipam", "#!/bin/sh\ncat >/dev/null\nexit 0\n");
	rc = run(f, "DEL", NULL, conf, NULL, 10000);
	assert_int_equal(rc, 0);
	assert_false(exists(f->state, "vf/" PCI ".json"));
	/* A config that does not validate, with a record: the error stays, for the retry. */
	plant_record(f, PCI ".json", PCI);
	rc = run(f, "DEL", NULL,
		 "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\",\"vlan\":\"28\"}",
		 NULL, 10000);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(f->out, "vlan"));
	assert_true(exists(f->state, "vf/" PCI ".json"));
}

/*
 * Section 2: ipam.type naming the plugin: every verb ends at once, with an error naming
 * ipam.type; DEL succeeds. A script named "sriov" in CNI_PATH counts how often it is run
 * (and stops after 3, so that a plugin that does recurse cannot run away here).
 */
static void test_self_ipam(void **state)
{
	struct fixture *f = *state;
	char script[1024], count[256], buf[64] = "";
	static const char *const verbs[] = { "ADD", "CHECK", "GC", "STATUS", "DEL" };
	const char *conf =
		"{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"sriov\",\"deviceID\":\"" PCI
		"\",\"ipam\":{\"type\":\"sriov\"},\"prevResult\":{\"cniVersion\":\"1.1.0\"},"
		"\"cni.dev/valid-attachments\":[]}";
	FILE *fp;

	snprintf(count, sizeof(count), "%s/count", f->dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0)\necho $((n + 1)) >%s\n"
		 "[ \"$n\" -lt 3 ] || { echo '{\"code\":7,\"msg\":\"recursion\"}'; exit 1; }\n"
		 "exec %s\n",
		 count, count, binary());
	fake_plugin(f, "sriov", script);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
		int rc = run(f, verbs[i], "/var/run/netns/x", conf, NULL, 10000);

		if (strcmp(verbs[i], "DEL") == 0) {
			assert_int_equal(rc, 0);
		} else {
			if (rc == 0 || !strstr(f->out, "ipam.type"))
				fail_msg("%s: exit %d, %s", verbs[i], rc, f->out);
			assert_non_null(strstr(f->out, strcmp(verbs[i], "STATUS") == 0 ?
							       "\"code\":50" :
							       "\"code\":7,"));
		}
		if (f->ms > 1000)
			fail_msg("%s took %ld ms", verbs[i], f->ms);
	}
	fp = fopen(count, "re");
	if (fp) {
		assert_non_null(fgets(buf, sizeof(buf), fp));
		fclose(fp);
	}
	/* The plugin named as IPAM was never run. */
	assert_string_equal(buf, "");
}

/*
 * Section 2: a delegate that runs sriov again (a copy under another name, a wrapper): the
 * inner sriov refuses at once, so the chain ends there. The counter shows one level.
 */
static void test_delegate_chain(void **state)
{
	struct fixture *f = *state;
	char script[1024], count[256], buf[64] = "";
	const char *conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"deviceID\":\"" PCI "\",\"ipam\":{\"type\":\"wrapipam\"}}";
	FILE *fp;
	int rc;

	snprintf(count, sizeof(count), "%s/count", f->dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0)\necho $((n + 1)) >%s\n"
		 "[ \"$n\" -lt 3 ] || { echo '{\"code\":7,\"msg\":\"recursion\"}'; exit 1; }\n"
		 "exec %s\n",
		 count, count, binary());
	fake_plugin(f, "wrapipam", script);
	/* DEL holds no record: the delegate's refusal is logged and DEL succeeds. */
	rc = run(f, "DEL", NULL, conf, NULL, 10000);
	assert_int_equal(rc, 0);
	assert_true(f->ms < 1000);
	fp = fopen(count, "re");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	assert_string_equal(buf, "1\n");
	/* The refusal itself names ipam.type. */
	rc = run(f, "STATUS", NULL, conf, NULL, 10000);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(f->out, "ipam.type: sriov was started as the IPAM plugin"));
}

/* The binary itself under another name in CNI_PATH is recognised before it is run. */
static void test_self_by_identity(void **state)
{
	struct fixture *f = *state;
	const char *conf = "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"ipam\":{\"type\":\"other-name\"}}";
	char p[256];
	int rc;

	/* A binary without this protection would run itself without end: not tried on one. */
	if (getenv("SRIOV_TEST_BINARY"))
		skip();
	snprintf(p, sizeof(p), "%s/other-name", f->bin);
	assert_int_equal(symlink(binary(), p), 0);
	rc = run(f, "STATUS", NULL, conf, NULL, 10000);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(f->out, "ipam.type: \\\"other-name\\\""));
	assert_non_null(strstr(f->out, "is this plugin itself"));
}

/* A delegate that hangs is killed at the time limit with everything it started. */
static void test_delegate_timeout(void **state)
{
	struct fixture *f = *state;
	char script[512], pidfile[256], buf[32] = "", proc[64];
	const char *conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"ipam\":{\"type\":\"hangipam\"}}";
	FILE *fp;
	int rc, gone = 0;

	snprintf(pidfile, sizeof(pidfile), "%s/child.pid", f->dir);
	snprintf(script, sizeof(script),
		 "#!/bin/sh\nsleep 300 </dev/null >/dev/null 2>&1 &\necho $! >%s\nsleep 300\n",
		 pidfile);
	fake_plugin(f, "hangipam", script);
	rc = run(f, "DEL", NULL, conf, "SRIOV_DELEGATE_TIMEOUT_MS=500", 60000);
	assert_int_equal(rc, 0); /* no record: the IPAM failure is logged */
	if (f->ms > 5000)
		fail_msg("DEL took %ld ms with a 500 ms delegate limit", f->ms);
	fp = fopen(pidfile, "re");
	assert_non_null(fp);
	assert_non_null(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	buf[strcspn(buf, "\n")] = '\0';
	snprintf(proc, sizeof(proc), "/proc/%s/stat", buf);
	/* The grandchild is gone (or a zombie waiting for init), not sleeping on. */
	for (int i = 0; i < 100 && !gone; i++) {
		char st[512] = "";
		FILE *s = fopen(proc, "re");

		if (!s) {
			gone = 1;
			break;
		}
		if (fgets(st, sizeof(st), s) && strstr(st, ") Z "))
			gone = 1;
		fclose(s);
		if (!gone)
			usleep(20000);
	}
	if (!gone)
		kill(atoi(buf), SIGKILL);
	assert_true(gone);
}

/* Section 3: a corrupt record is moved aside and DEL succeeds, first time. */
static void test_corrupt_record(void **state)
{
	struct fixture *f = *state;
	const char *conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"deviceID\":\"" PCI "\"}";
	char p[512];
	int rc;

	plant_record(f, PCI ".json", PCI);
	snprintf(p, sizeof(p), "%s/vf/" PCI ".json", f->state);
	write_file(p, "{\"garbage", 0600);
	rc = run(f, "DEL", "/var/run/netns/gone", conf, NULL, 10000);
	if (rc != 0)
		fail_msg("DEL exit %d: %s", rc, f->out);
	assert_false(exists(f->state, "vf/" PCI ".json"));
	snprintf(p, sizeof(p), "ls %s/quarantine | grep -c '^vf-" PCI "\\..*\\.json$' >/dev/null",
		 f->state);
	assert_int_equal(system(p), 0);
	/* The next DEL has nothing to do. */
	assert_int_equal(run(f, "DEL", NULL, conf, NULL, 10000), 0);
}

/* Section 3: FIFOs planted as a record and as the netns path do not hang DEL. */
static void test_fifos(void **state)
{
	struct fixture *f = *state;
	const char *conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
			   "\"deviceID\":\"" PCI "\"}";
	char p[512], ns[256];
	int rc;

	plant_record(f, PCI ".json", PCI);
	snprintf(p, sizeof(p), "%s/vf/" PCI ".json", f->state);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	snprintf(ns, sizeof(ns), "%s/netns-fifo", f->dir);
	assert_int_equal(mkfifo(ns, 0600), 0);
	rc = run(f, "DEL", ns, conf, NULL, 10000);
	if (rc != 0)
		fail_msg("DEL exit %d (-1: hung): %s", rc, f->out);
	/* A record of ours whose netns path is a FIFO: GC and DEL go on too. */
	plant_record(f, "0000:ff:1f.6.json", "0000:ff:1f.6");
	rc = run(f, "GC", NULL,
		 "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"type\":\"sriov\","
		 "\"cni.dev/valid-attachments\":[]}",
		 NULL, 10000);
	assert_int_equal(rc, 0);
	assert_false(exists(f->state, "vf/0000:ff:1f.6.json"));
}

/* Section 3: a record whose "pci" climbs out of the state directory is never acted on. */
static void test_record_pci_outside(void **state)
{
	struct fixture *f = *state;
	const char *conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\"}";
	int rc;

	plant_record(f, "0000:ff:1f.6.json", "../../x");
	rc = run(f, "DEL", NULL, conf, NULL, 10000);
	assert_int_equal(rc, 0);
	/* <state>/vf/../../x.lock would be <dir>/x.lock: outside the state directory. */
	assert_false(exists(f->dir, "x.lock"));
	assert_false(exists(f->dir, "x.json"));
	assert_false(exists(f->dir, "vf"));
	/* The planted file is left where it is (skipped, not trusted). */
	assert_true(exists(f->state, "vf/0000:ff:1f.6.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_del_without_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_del_with_record_ipam_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_ipam, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_self_by_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifos, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_pci_outside, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
