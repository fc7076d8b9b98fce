/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_sriovcni.c: sriov-cni v2.10's cache and allocation record as hostile input (every field
 * out of range or of the wrong type, FIFOs, symlinks, oversize files, paths), and the cache we
 * write: exact bytes, what is listed, read back by our own parser.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"
#include "sriov/sriovcni.h"

#define PCI "0000:3b:02.3"

/* What sriov-cni v2.10 wrote for a VF it gave VLAN 100, trust on, spoofchk off and a MAC. */
static const char good[] =
	"{\"MAC\":\"02:aa:bb:cc:dd:22\",\"MTU\":1500,\"Master\":\"ens1f0\",\"OrigVfState\":"
	"{\"AdminMAC\":\"5a:1b:00:00:00:03\",\"EffectiveMAC\":\"5a:1b:00:00:00:03\","
	"\"HostIFName\":\"ens1f0v3\",\"LinkState\":0,\"MTU\":1500,\"MaxTxRate\":0,\"MinTxRate\":0,"
	"\"SpoofChk\":true,\"Trust\":false,\"Vlan\":0,\"VlanProto\":33024,\"VlanQoS\":0},"
	"\"VFID\":3,\"cniVersion\":\"1.0.0\",\"deviceID\":\"" PCI
	"\",\"ipam\":{\"type\":\"host-local\"},"
	"\"max_tx_rate\":null,\"min_tx_rate\":null,\"name\":\"sriov-net1\",\"runtimeConfig\":{},"
	"\"spoofchk\":\"off\",\"trust\":\"on\",\"type\":\"sriov\",\"vlan\":100,\"vlanProto\":\"802.1q\","
	"\"vlanQoS\":0}";

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
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_sriovcni.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->root, sizeof(f->root), "%s/state", f->dir);
	setenv("SRIOV_STATE_DIR", f->root, 1);
	assert_int_equal(state_open(&f->st, &f->err), 0);
	alarm(20); /* a blocking FIFO read fails the test instead of hanging it */
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

static void test_parse_good(void **state)
{
	struct sriovcni_cache c;

	(void)state;
	assert_int_equal(sriovcni_cache_parse(good, strlen(good), &c), 0);
	assert_string_equal(c.device_id, PCI);
	assert_string_equal(c.name, "sriov-net1");
	assert_string_equal(c.master, "ens1f0");
	assert_int_equal(c.vfid, 3);
	assert_string_equal(c.ipam_type, "host-local");
	assert_true(c.has_mac);
	assert_int_equal(c.mac[5], 0x22);
	assert_string_equal(c.host_ifname, "ens1f0v3");
	assert_true(c.spoofchk);
	assert_true(c.has_trust);
	assert_false(c.trust);
	assert_int_equal(c.admin_mac[5], 3);
	assert_true(c.has_effective_mac);
	assert_int_equal(c.vlan_proto, 0x8100);
	assert_int_equal(c.mtu, 1500);
}

/* A v2.6 cache: no Trust, VlanProto or MTU; keys in another case (Go matches them anyway). */
static void test_parse_old(void **state)
{
	static const char old[] =
		"{\"deviceid\":\"0000:3B:02.3\",\"VFID\":3,\"Master\":\"ens1f0\",\"MAC\":\"\","
		"\"OrigVfState\":{\"HostIFName\":\"\",\"SpoofChk\":false,\"AdminMAC\":\"\","
		"\"EffectiveMAC\":\"\",\"Vlan\":7,\"VlanQoS\":1,\"MinTxRate\":0,\"MaxTxRate\":10,"
		"\"LinkState\":2}}";
	struct sriovcni_cache c;

	(void)state;
	assert_int_equal(sriovcni_cache_parse(old, strlen(old), &c), 0);
	assert_string_equal(c.device_id, PCI); /* lower-cased */
	assert_false(c.has_trust);
	assert_false(c.has_mac);
	assert_int_equal(c.vlan_proto, 0);
	assert_int_equal(c.vlan, 7);
	assert_int_equal(c.link_state, 2);
	assert_string_equal(c.host_ifname, ""); /* a DPDK VF */
	assert_false(c.has_effective_mac);
}

/* { object ("" top level, else OrigVfState), key, raw JSON value or NULL to delete }. */
static const char *const bad[][3] = {
	{ "", "deviceID", "\"../../etc/passwd\"" },
	{ "", "deviceID", "\"0000:3b:02.8\"" },
	{ "", "deviceID", NULL },
	{ "", "deviceID", "3" },
	{ "", "name", "\"../x\"" },
	{ "", "Master", "\"a/b\"" },
	{ "", "Master", "\"0123456789abcdef\"" },
	{ "", "VFID", "-1" },
	{ "", "VFID", "1.5" },
	{ "", "VFID", "4294967296" },
	{ "", "VFID", "\"3\"" },
	{ "", "VFID", NULL },
	{ "", "MAC", "\"02:aa:bb:cc:dd\"" },
	{ "", "MAC", "\"ff:ff:ff:ff:ff:ff\"" },
	{ "", "ipam", "\"host-local\"" },
	{ "", "ipam", "{\"type\":7}" },
	{ "", "vlan", "4096" },
	{ "", "vlan", "\"100\"" },
	{ "", "vlanQoS", "8" },
	{ "", "min_tx_rate", "-1" },
	{ "", "max_tx_rate", "1e12" },
	{ "", "spoofchk", "true" },
	{ "", "MTU", "70000" },
	{ "", "runtimeConfig", "\"mac\"" },
	{ "", "OrigVfState", NULL },
	{ "", "OrigVfState", "[]" },
	{ "o", "HostIFName", "\"../../x\"" },
	{ "o", "HostIFName", "\"a b\"" },
	{ "o", "HostIFName", NULL },
	{ "o", "SpoofChk", "\"true\"" },
	{ "o", "SpoofChk", NULL },
	{ "o", "Trust", "1" },
	{ "o", "AdminMAC", "\"5a:1b:00:00:00\"" },
	{ "o", "AdminMAC", "\"5a-1b-00-00-00-03\"" },
	{ "o", "AdminMAC", NULL },
	{ "o", "EffectiveMAC", "\"\"" }, /* a netdev VF always had one */
	{ "o", "EffectiveMAC", "\"zz:1b:00:00:00:03\"" },
	{ "o", "Vlan", "4096" },
	{ "o", "Vlan", "-1" },
	{ "o", "Vlan", NULL },
	{ "o", "VlanQoS", "8" },
	{ "o", "VlanProto", "129" },
	{ "o", "VlanProto", "\"802.1q\"" },
	{ "o", "MinTxRate", "-5" },
	{ "o", "MaxTxRate", "4294967296" },
	{ "o", "LinkState", "3" },
	{ "o", "LinkState", "-1" },
	{ "o", "MTU", "65537" },
	{ "o", "MTU", "1500.5" },
};

static void test_parse_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		_cleanup_cjson_ cJSON *o = cJSON_Parse(good);
		_cleanup_free_ char *text = NULL;
		cJSON *target = bad[i][0][0] ? cJSON_GetObjectItem(o, "OrigVfState") : o;
		struct sriovcni_cache c;

		cJSON_DeleteItemFromObjectCaseSensitive(target, bad[i][1]);
		if (bad[i][2])
			cJSON_AddItemToObject(target, bad[i][1], cJSON_Parse(bad[i][2]));
		text = cJSON_PrintUnformatted(o);
		if (sriovcni_cache_parse(text, strlen(text), &c) != -EINVAL)
			fail_msg("accepted %s%s = %s", bad[i][0][0] ? "OrigVfState." : "",
				 bad[i][1], bad[i][2] ? bad[i][2] : "(missing)");
	}
	assert_int_equal(sriovcni_cache_parse("[]", 2, &(struct sriovcni_cache){ 0 }), -EINVAL);
	assert_int_equal(sriovcni_cache_parse("{\"deviceID", 11, &(struct sriovcni_cache){ 0 }),
			 -EINVAL);
	assert_int_equal(sriovcni_cache_parse("", 0, &(struct sriovcni_cache){ 0 }), -EINVAL);
}

static void test_load(void **state)
{
	struct fixture *f = *state;
	struct sriovcni_cache c;
	char p[512], big[SRIOVCNI_CACHE_MAX + 16];

	plant(f, "cid-1-net1", good);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-1-net1", &c, &f->err), 0);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-2-net1", &c, &f->err), -ENOENT);
	/* Names that are no "<id>-<ifname>" never reach the file system. */
	assert_int_equal(sriovcni_cache_load(&f->st, "../x-net1", &c, &f->err), -EINVAL);
	assert_int_equal(sriovcni_cache_load(&f->st, "vf", &c, &f->err), -EINVAL);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-a/b", &c, &f->err), -EINVAL);
	/* A FIFO, a symlink, a directory, an oversize file: corrupt, and nothing hangs. */
	snprintf(p, sizeof(p), "%s/cid-3-net1", f->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-3-net1", &c, &f->err), -EBADMSG);
	snprintf(p, sizeof(p), "%s/cid-4-net1", f->root);
	assert_int_equal(symlink("cid-1-net1", p), 0);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-4-net1", &c, &f->err), -EBADMSG);
	snprintf(p, sizeof(p), "%s/cid-5-net1", f->root);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-5-net1", &c, &f->err), -EBADMSG);
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, good, strlen(good));
	plant(f, "cid-6-net1", big);
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-6-net1", &c, &f->err), -EBADMSG);
	plant(f, "cid-7-net1", "{\"deviceID\":\"" PCI "\"}");
	assert_int_equal(sriovcni_cache_load(&f->st, "cid-7-net1", &c, &f->err), -EBADMSG);
	assert_non_null(strstr(f->err.msg, "cid-7-net1 is corrupt"));
}

static int count_cb(const char *file, const struct sriovcni_cache *c, void *data)
{
	(void)c;
	assert_string_equal(file, "cid-1-net1");
	(*(int *)data)++;
	return 0;
}

static void test_foreach_and_quarantine(void **state)
{
	struct fixture *f = *state;
	char moved[PATH_MAX], p[PATH_MAX + 128];
	int n = 0;

	plant(f, "cid-1-net1", good);
	plant(f, "cid-2-net1", "garbage");
	plant(f, "nodash", good);
	plant(f, ".cid-9-net1.123.tmp", good);
	snprintf(p, sizeof(p), "%s/cid-3-net1", f->root);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(sriovcni_cache_foreach(&f->st, count_cb, &n, &f->err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(sriovcni_cache_quarantine(&f->st, "cid-2-net1", moved, &f->err), 0);
	assert_true(strncmp(moved, "quarantine/cache.", 17) == 0);
	assert_non_null(strstr(moved, ".cid-2-net1"));
	snprintf(p, sizeof(p), "%s/%s", f->root, moved);
	assert_int_equal(access(p, F_OK), 0);
	assert_int_equal(sriovcni_cache_quarantine(&f->st, "cid-2-net1", moved, &f->err), -ENOENT);
	assert_int_equal(sriovcni_cache_remove(&f->st, "cid-1-net1", &f->err), 0);
	assert_int_equal(sriovcni_cache_remove(&f->st, "cid-1-net1", &f->err), 0);
}

static void test_alloc(void **state)
{
	struct fixture *f = *state;
	char ns[PATH_MAX], p[512];
	int fd = -1;

	assert_int_equal(sriovcni_alloc_read(&f->st, PCI, ns, &f->err), -ENOENT);
	assert_int_equal(sriovcni_alloc_write(&f->st, PCI, "/var/run/netns/pod", &f->err), 0);
	assert_int_equal(sriovcni_alloc_read(&f->st, PCI, ns, &f->err), 0);
	assert_string_equal(ns, "/var/run/netns/pod");
	plant(f, "pci/" PCI, "/var/run/netns/pod"); /* as written: no newline */
	assert_int_equal(sriovcni_alloc_read(&f->st, PCI, ns, &f->err), 0);
	assert_int_equal(sriovcni_alloc_read(&f->st, "../../x", ns, &f->err), -EINVAL);
	assert_int_equal(sriovcni_alloc_write(&f->st, PCI, "relative", &f->err), -EINVAL);
	assert_int_equal(sriovcni_alloc_write(&f->st, PCI, "/a/../b", &f->err), -EINVAL);
	for (size_t i = 0; i < 3; i++) {
		static const char *const junk[] = { "", "relative/path", "/var/run/../../etc" };

		plant(f, "pci/" PCI, junk[i]);
		assert_int_equal(sriovcni_alloc_read(&f->st, PCI, ns, &f->err), -EBADMSG);
	}
	snprintf(p, sizeof(p), "%s/pci/%s", f->root, PCI);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(sriovcni_alloc_read(&f->st, PCI, ns, &f->err), -EBADMSG);
	assert_int_equal(sriovcni_alloc_remove(&f->st, PCI, &f->err), 0);
	assert_int_equal(access(p, F_OK), -1);
	assert_int_equal(sriovcni_alloc_remove(&f->st, PCI, &f->err), 0);
	/* The lock: a FIFO planted in its place is refused at once. */
	assert_int_equal(sriovcni_lock(&f->st, PCI, &fd, &f->err), 0);
	assert_true(fd >= 0);
	close(fd);
	snprintf(p, sizeof(p), "%s/pci/vf_lock/%s.lock", f->root, PCI);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_true(sriovcni_lock(&f->st, PCI, &fd, &f->err) < 0);
	assert_int_equal(sriovcni_lock(&f->st, "0000:3b:02", &fd, &f->err), -EINVAL);
}

static struct vf_record record(void)
{
	struct vf_record r = { 0 };

	snprintf(r.network, sizeof(r.network), "sriov-net1");
	snprintf(r.container_id, sizeof(r.container_id), "cid-1");
	snprintf(r.ifname, sizeof(r.ifname), "net1");
	snprintf(r.netns, sizeof(r.netns), "/var/run/netns/pod");
	snprintf(r.pci, sizeof(r.pci), PCI);
	snprintf(r.pf_name, sizeof(r.pf_name), "ens1f0");
	snprintf(r.orig_name, sizeof(r.orig_name), "ens1f0v3");
	r.vf = 3;
	r.orig = (struct vf_info){ .vf = 3,
				   .mac = { 0x5a, 0x1b, 0, 0, 0, 3 },
				   .vlan_proto = 0x8100,
				   .spoofchk = 1,
				   .trust = 0,
				   .link_state = 0,
				   .max_tx_rate = 0 };
	memcpy(r.orig_mac, r.orig.mac, 6);
	r.orig_mtu = 1500;
	return r;
}

static char *format(const char *conf_text, const struct vf_record *rec)
{
	static const struct cni_env env = { .cmd = CNI_CMD_ADD,
					    .container_id = "cid-1",
					    .ifname = "net1",
					    .netns = "/var/run/netns/pod" };
	struct cni_err err = { 0 };
	_cleanup_conf_ struct sriov_conf c;

	if (conf_parse(conf_text, strlen(conf_text), &env, &c, &err) < 0)
		fail_msg("config: %s", err.msg);
	return sriovcni_cache_format(&c, rec, rec->orig_mtu);
}

static void test_format(void **state)
{
	struct vf_record rec = record();
	_cleanup_free_ char *a = NULL, *b = NULL, *d = NULL;
	struct sriovcni_cache back;

	(void)state;
	/*
	 * The config of `good`: the same bytes, except AdminMAC, which only echoed the netdev's
	 * own MAC (no pin) and is written all-zero so that sriov-cni's DEL clears it.
	 */
	a = format("{\"cniVersion\":\"1.0.0\",\"name\":\"sriov-net1\",\"type\":\"sriov\","
		   "\"deviceID\":\"" PCI "\",\"vlan\":100,\"trust\":\"on\",\"spoofchk\":\"off\","
		   "\"mac\":\"02:AA:bb:cc:dd:22\",\"ipam\":{\"type\":\"host-local\","
		   "\"subnet\":\"10.0.0.0/24\"}}",
		   &rec);
	assert_non_null(a);
	{
		_cleanup_free_ char *want = strdup(good);
		char *p = strstr(want, "\"AdminMAC\":\"5a:1b:00:00:00:03\"");

		assert_non_null(p);
		memcpy(p + strlen("\"AdminMAC\":\""), "00:00:00:00:00:00", 17);
		assert_string_equal(a, want);
	}
	assert_int_equal(sriovcni_cache_parse(a, strlen(a), &back), 0);
	assert_int_equal(back.admin_mac[5], 0);
	assert_int_equal(back.effective_mac[5], 3);

	/*
	 * Settings ADD does not change are not listed (sriov-cni's DEL would write them back,
	 * failing on drivers without the operation); Go's escapes; a pinned admin MAC is kept.
	 */
	rec.orig.mac[5] = 0x99;
	rec.orig.max_tx_rate = 100;
	b = format("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"sriov\",\"deviceID\":\"" PCI
		   "\",\"vlan\":0,\"spoofchk\":\"on\",\"link_state\":\"auto\",\"max_tx_rate\":100,"
		   "\"logFile\":\"/var/log/a&b<c>.log\",\"capabilities\":{\"mac\":true,\"x\":1},"
		   "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:01\"}}",
		   &rec);
	assert_non_null(b);
	assert_non_null(strstr(b, "\"vlan\":null,\"vlanProto\":null,\"vlanQoS\":null"));
	assert_non_null(strstr(b, "\"max_tx_rate\":null,\"min_tx_rate\":null"));
	assert_null(strstr(b, "spoofchk\":\"on"));
	assert_null(strstr(b, "link_state"));
	assert_non_null(strstr(b, "\"logFile\":\"/var/log/a\\u0026b\\u003cc\\u003e.log\""));
	assert_non_null(strstr(b, "\"capabilities\":{\"mac\":true}"));
	assert_non_null(strstr(b, "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:01\"}"));
	assert_non_null(strstr(b, "\"MAC\":\"02:00:00:00:00:01\""));
	assert_non_null(strstr(b, "\"AdminMAC\":\"5a:1b:00:00:00:99\""));
	assert_non_null(strstr(b, "\"ipam\":{}"));
	assert_null(strstr(b, "\"dns\""));

	/* A DPDK VF: no netdev name, MAC or MTU in OrigVfState; its table MAC is its own. */
	rec = record();
	rec.dpdk = true;
	rec.orig_name[0] = '\0';
	d = format("{\"name\":\"n\",\"deviceID\":\"" PCI
		   "\",\"dns\":{\"nameservers\":[\"1.1.1.1\"]}}",
		   &rec);
	assert_non_null(d);
	assert_non_null(strstr(d, "\"EffectiveMAC\":\"\",\"HostIFName\":\"\""));
	assert_non_null(strstr(d, "\"AdminMAC\":\"5a:1b:00:00:00:03\""));
	assert_non_null(strstr(d, "\"dns\":{\"nameservers\":[\"1.1.1.1\"]}"));
	assert_null(strstr(d, "cniVersion")); /* absent in the config: omitted, as Go does */
	assert_int_equal(sriovcni_cache_parse(d, strlen(d), &back), 0);
	assert_string_equal(back.host_ifname, "");
}

static void test_cache_file(void **state)
{
	char name[NAME_MAX + 1], longid[300];

	(void)state;
	assert_true(sriovcni_cache_file("cid", "net1", name));
	assert_string_equal(name, "cid-net1");
	assert_false(sriovcni_cache_file("../x", "net1", name));
	assert_false(sriovcni_cache_file("cid", "a/b", name));
	memset(longid, 'a', 250);
	longid[250] = '\0';
	assert_false(sriovcni_cache_file(longid, "net1234567", name)); /* > NAME_MAX */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_old),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreach_and_quarantine, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc, setup, teardown),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_cache_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
