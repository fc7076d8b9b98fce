/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_state.c: VF records read back as hostile input: validation, corrupt records moved
 * aside, FIFOs that must not hang, temp files of killed writers, lock keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/state.h"

#define PCI "0000:ff:1f.7"

struct fixture {
	char dir[64];
	char root[128];
	struct state st;
	struct cni_err err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_state.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->root, sizeof(f->root), "%s/a/state", f->dir);
	setenv("SRIOV_STATE_DIR", f->root, 1);
	assert_int_equal(state_open(&f->st, &f->err), 0);
	/* A FIFO read would block forever: make any such bug fail the test instead. */
	alarm(20);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];

	alarm(0);
	state_close(&f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static struct vf_record good_record(void)
{
	struct vf_record r = { 0 };

	snprintf(r.network, sizeof(r.network), "net1");
	snprintf(r.container_id, sizeof(r.container_id), "cid-1");
	snprintf(r.ifname, sizeof(r.ifname), "net1");
	snprintf(r.netns, sizeof(r.netns), "/var/run/netns/pod");
	snprintf(r.pci, sizeof(r.pci), PCI);
	snprintf(r.pf_name, sizeof(r.pf_name), "eth0");
	snprintf(r.orig_name, sizeof(r.orig_name), "eth1");
	r.vf = 3;
	r.orig.spoofchk = r.orig.trust = 1;
	r.orig_mtu = 1500;
	return r;
}

/* Write @text as <root>/<rel>. */
static void plant(struct fixture *f, const char *rel, const char *text)
{
	char p[512];
	FILE *fp;

	snprintf(p, sizeof(p), "%s/%s", f->root, rel);
	fp = fopen(p, "we");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static bool exists(const char *dir, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return access(p, F_OK) == 0;
}

/* The quarantine directory holds exactly one file, "vf-<PCI>.<secs>.<pid>.json". */
static void check_quarantined(struct fixture *f)
{
	char cmd[512], line[256] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "ls '%s/quarantine'", f->root);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(line, sizeof(line), p));
	assert_null(fgets(cmd, sizeof(cmd), p));
	pclose(p);
	assert_true(strncmp(line, "vf-" PCI ".", strlen("vf-" PCI ".")) == 0);
	assert_non_null(strstr(line, ".json"));
}

static void test_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct vf_record r = good_record(), back;

	assert_int_equal(state_record_save(&f->st, &r, &f->err), 0);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), 0);
	assert_string_equal(back.container_id, "cid-1");
	assert_int_equal(back.vf, 3);
	assert_true(state_record_owned_by(&back, "net1", "cid-1", "net1"));
	assert_int_equal(state_record_remove(&f->st, PCI, &f->err), 0);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), -ENOENT);
}

/*
 * Names are bytes, not UTF-8 text: CNI_IFNAME and CNI_NETNS may hold any byte above 0x7f, and
 * so may the kernel's names of the PF and the VF netdev. A record keeps them as they are, so
 * that the owner still matches and the netdev gets its own name back.
 */
static void test_roundtrip_bytes(void **state)
{
	struct fixture *f = *state;
	struct vf_record r = good_record(), back;

	snprintf(r.ifname, sizeof(r.ifname), "e\xff\xff\xff\xff\xff\xff\xff\xff");
	snprintf(r.netns, sizeof(r.netns), "/var/run/netns/p\xc3\x28");
	snprintf(r.orig_name, sizeof(r.orig_name), "eth\xe2\x82");
	snprintf(r.pf_name, sizeof(r.pf_name), "pf\x80");
	assert_int_equal(state_record_save(&f->st, &r, &f->err), 0);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), 0);
	assert_string_equal(back.ifname, r.ifname);
	assert_string_equal(back.netns, r.netns);
	assert_string_equal(back.orig_name, r.orig_name);
	assert_string_equal(back.pf_name, r.pf_name);
	assert_true(state_record_owned_by(&back, "net1", "cid-1", r.ifname));
}

/* Records that parse but carry values no input could have: { key, raw JSON value }. */
static const char *const bad_fields[][2] = {
	{ "pci", "\"../../x\"" },
	{ "pci", "\"0000:ff:1f.6\"" }, /* another VF than the file name says */
	{ "containerID", "\"../../etc\"" },
	{ "network", "\"a/b\"" },
	{ "ifname", "\"../x\"" },
	{ "netns", "\"relative/path\"" },
	{ "netns", "\"/var/run/netns/../../etc/x\"" },
	{ "pf", "\"a b\"" },
	{ "vf", "-1" },
	{ "vf", "3.5" }, /* an integer field, read as json_get_int() reads one */
	{ "dpdk", "\"yes\"" }, /* a boolean */
};

/* The record of good_record() as JSON, with member @key's value replaced by @raw. */
static void record_text(char *buf, size_t size, const char *key, const char *raw)
{
	static const char *const members[][2] = {
		{ "network", "\"net1\"" },
		{ "containerID", "\"cid-1\"" },
		{ "ifname", "\"net1\"" },
		{ "netns", "\"/var/run/netns/pod\"" },
		{ "pci", "\"" PCI "\"" },
		{ "pf", "\"eth0\"" },
		{ "vf", "3" },
		{ "dpdk", "false" },
	};
	size_t o = (size_t)snprintf(buf, size, "{\"version\":1");

	for (size_t i = 0; i < ARRAY_SIZE(members); i++)
		o += (size_t)snprintf(buf + o, size - o, ",\"%s\":%s", members[i][0],
				      strcmp(members[i][0], key) == 0 ? raw : members[i][1]);
	snprintf(buf + o, size - o,
		 ",\"orig\":{\"adminMac\":\"00:00:00:00:00:00\",\"vlan\":0,\"qos\":0,"
		 "\"vlanProto\":0,\"minTxRate\":0,\"maxTxRate\":0,\"spoofchk\":1,\"trust\":0,"
		 "\"linkState\":0,\"name\":\"eth1\",\"mac\":\"00:00:00:00:00:00\",\"mtu\":1500,"
		 "\"up\":false,\"ifindex\":4}}");
}

static void test_invalid_fields(void **state)
{
	struct fixture *f = *state;
	struct vf_record r = good_record(), back;
	char text[2048];

	/* The template itself is a good record. */
	record_text(text, sizeof(text), "", "");
	plant(f, "vf/" PCI ".json", text);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad_fields); i++) {
		record_text(text, sizeof(text), bad_fields[i][0], bad_fields[i][1]);
		plant(f, "vf/" PCI ".json", text);
		err_clear(&f->err);
		if (state_record_load(&f->st, PCI, &back, &f->err) != -EBADMSG)
			fail_msg("case %zu (%s: %s) loaded", i, bad_fields[i][0], bad_fields[i][1]);
		assert_string_equal(f->err.msg, "state: vf/" PCI ".json is corrupt");
	}
	/* The writer refuses what the reader would refuse. */
	snprintf(r.netns, sizeof(r.netns), "netns-without-slash");
	assert_true(state_record_save(&f->st, &r, &f->err) < 0);
	r = good_record();
	snprintf(r.pci, sizeof(r.pci), "../../x");
	assert_true(state_record_save(&f->st, &r, &f->err) < 0);
	assert_false(exists(f->dir, "a/x.json"));
}

static void test_corrupt_and_quarantine(void **state)
{
	struct fixture *f = *state;
	struct vf_record back;
	char moved[NAME_MAX];

	plant(f, "vf/" PCI ".json", "{\"garbage");
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), -EBADMSG);
	assert_int_equal(f->err.code, CNI_ERR_IO);
	assert_int_equal(state_record_quarantine(&f->st, PCI, moved, &f->err), 0);
	assert_true(strncmp(moved, "quarantine/vf-" PCI ".", strlen("quarantine/vf-" PCI ".")) ==
		    0);
	assert_false(exists(f->root, "vf/" PCI ".json"));
	check_quarantined(f);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), -ENOENT);
	assert_int_equal(state_record_quarantine(&f->st, PCI, moved, &f->err), -ENOENT);
}

static void test_fifo(void **state)
{
	struct fixture *f = *state;
	struct vf_record back;
	char p[512];
	int fd = -1;

	/* A FIFO as a record: corrupt, at once (the alarm catches a hang). */
	snprintf(p, sizeof(p), "%s/vf/" PCI ".json", f->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), -EBADMSG);
	assert_int_equal(state_record_find_owner(&f->st, "net1", "cid-1", "net1", &back, &f->err),
			 -ENOENT);
	assert_int_equal(unlink(p), 0);
	/* A FIFO as a lock file: refused, at once. */
	snprintf(p, sizeof(p), "%s/vf", f->root);
	snprintf(p, sizeof(p), "%s/vf/" PCI ".lock", f->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_true(state_lock(&f->st, "vf", PCI, &fd, &f->err) < 0);
	assert_non_null(strstr(f->err.msg, "not a regular file"));
	/* A symlink as a record: corrupt, never followed. */
	snprintf(p, sizeof(p), "%s/vf/" PCI ".json", f->root);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	assert_int_equal(state_record_load(&f->st, PCI, &back, &f->err), -EBADMSG);
}

static void test_lock_keys(void **state)
{
	struct fixture *f = *state;
	int fd = -1;

	assert_true(state_lock(&f->st, "vf", "../../x", &fd, &f->err) < 0);
	assert_false(exists(f->dir, "a/x.lock"));
	assert_false(exists(f->dir, "x.lock"));
	assert_int_equal(state_lock(&f->st, "vf", PCI, &fd, &f->err), 0);
	assert_true(fd >= 0);
	close(fd);
}

/*
 * A contended lock is waited out without touching the caller's ITIMER_REAL or SIGALRM: the
 * 20 s alarm of setup() is still running afterwards (a SIGALRM-based wait disarmed it).
 */
static void test_lock_contended_keeps_alarm(void **state)
{
	struct fixture *f = *state;
	int fd = -1, pfd[2];
	unsigned int left;
	char c;
	pid_t pid;

	assert_int_equal(pipe(pfd), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int held = -1;

		alarm(0);
		if (state_lock(&f->st, "vf", PCI, &held, &f->err) < 0)
			_exit(1);
		if (write(pfd[1], "x", 1) != 1)
			_exit(1);
		usleep(300 * 1000);
		_exit(0);
	}
	close(pfd[1]);
	assert_int_equal(read(pfd[0], &c, 1), 1);
	close(pfd[0]);
	assert_int_equal(state_lock(&f->st, "vf", PCI, &fd, &f->err), 0);
	assert_true(fd >= 0);
	close(fd);
	left = alarm(20);
	assert_true(left >= 15);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
}

/* A record whose owner matches but whose pci points outside: never used, never a file. */
static void test_scan_skips_bad(void **state)
{
	struct fixture *f = *state;
	struct vf_record r = good_record(), back;

	assert_int_equal(state_record_save(&f->st, &r, &f->err), 0);
	plant(f, "vf/0000:ff:1f.6.json", "{\"garbage");
	plant(f, "vf/not-a-pci.json", "{}");
	assert_int_equal(state_record_find_owner(&f->st, "net1", "cid-1", "net1", &back, &f->err),
			 0);
	assert_string_equal(back.pci, PCI);
	assert_int_equal(state_record_find_owner(&f->st, "net1", "cid-2", "net1", &back, &f->err),
			 -ENOENT);
}

static void test_stale_tmp(void **state)
{
	struct fixture *f = *state;
	struct vf_record back;
	char name[128], live[128];
	pid_t dead = fork();

	assert_true(dead >= 0);
	if (dead == 0)
		_exit(0);
	assert_int_equal(waitpid(dead, NULL, 0), dead);
	/* A killed writer's temp file goes on the next scan; a live writer's stays. */
	snprintf(name, sizeof(name), "vf/." PCI ".json.%d.tmp", (int)dead);
	snprintf(live, sizeof(live), "vf/." PCI ".json.%d.tmp", (int)getpid());
	plant(f, name, "{");
	plant(f, live, "{");
	assert_int_equal(state_record_find_owner(&f->st, "net1", "cid-1", "net1", &back, &f->err),
			 -ENOENT);
	assert_false(exists(f->root, name));
	assert_true(exists(f->root, live));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_and_quarantine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lock_contended_keeps_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_skips_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_tmp, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
