/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_plugin_flows.c: ADD, rollback and DEL of a VF against the netlink fake (no SR-IOV
 * hardware needed): what is written to the PF's VF table and the VF netdev, in which order,
 * and what is left when a step fails. sysfs is a tmpfs tree mounted over
 * /sys/bus/pci/devices in a private mount namespace, so the real lookup code runs.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "sriov/conf.h"
#include "sriov/plugin.h"
#include "netlink_fake.h"
#include "../../ipam/ipam_int.h"

#define SYS_PCI "/sys/bus/pci/devices"
#define PF_PCI "0000:00:10.0"
#define VF_PCI "0000:00:11.1"

static const uint8_t vf_mac[6] = { 0x02, 0, 0, 0, 0x11, 0x01 };
static char state_dir[] = "/tmp/sriov-flows-XXXXXX";
static int vf_ifindex;

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void sysfs_netdev(const char *pci, const char *name, int ifindex)
{
	char path[256], num[16];

	snprintf(path, sizeof(path), SYS_PCI "/%s/net", pci);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), SYS_PCI "/%s/net/%s", pci, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), SYS_PCI "/%s/net/%s/ifindex", pci, name);
	snprintf(num, sizeof(num), "%d\n", ifindex);
	put_file(path, num);
}

/*
 * A PF ens1 with four VFs, in the fake and in sysfs; VF 1 (0000:00:11.1, netdev ens1v1) is
 * the one the tests use. Its PF-side state as the igb PF reports it after boot.
 */
static int setup(void **state)
{
	char path[256], target[64], name[IFNAMSIZ];
	uint8_t mac[6] = { 0x02, 0, 0, 0, 0x10, 0 };

	(void)state;
	fake_reset();
	fake.pf_ifindex = fake_link_add("ens1", mac);
	fake.num_vfs = 4;
	assert_int_equal(mount("tmpfs", SYS_PCI, "tmpfs", 0, "mode=0755"), 0);
	assert_int_equal(mkdir(SYS_PCI "/" PF_PCI, 0755), 0);
	put_file(SYS_PCI "/" PF_PCI "/sriov_numvfs", "4\n");
	sysfs_netdev(PF_PCI, "ens1", fake.pf_ifindex);
	for (unsigned int i = 0; i < fake.num_vfs; i++) {
		int ifindex;

		fake.vfs[i] = (struct vf_info){
			.vf = i, .vlan_proto = 0x8100, .spoofchk = 1, .trust = 0, .link_state = 0
		};
		mac[4] = 0x11;
		mac[5] = (uint8_t)i;
		snprintf(name, sizeof(name), "ens1v%u", i);
		ifindex = fake_link_add(name, mac);
		snprintf(path, sizeof(path), SYS_PCI "/0000:00:11.%u", i);
		assert_int_equal(mkdir(path, 0755), 0);
		snprintf(path, sizeof(path), SYS_PCI "/0000:00:11.%u/physfn", i);
		assert_int_equal(symlink("../" PF_PCI, path), 0);
		snprintf(path, sizeof(path), SYS_PCI "/0000:00:11.%u/driver", i);
		assert_int_equal(symlink("../../../bus/pci/drivers/igbvf", path), 0);
		snprintf(path, sizeof(path), SYS_PCI "/" PF_PCI "/virtfn%u", i);
		snprintf(target, sizeof(target), "../0000:00:11.%u", i);
		assert_int_equal(symlink(target, path), 0);
		snprintf(path, sizeof(path), "0000:00:11.%u", i);
		sysfs_netdev(path, name, ifindex);
		if (i == 1)
			vf_ifindex = ifindex;
	}
	assert_non_null(mkdtemp(state_dir));
	setenv("SRIOV_STATE_DIR", state_dir, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	assert_int_equal(umount2(SYS_PCI, MNT_DETACH), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", state_dir);
	assert_int_equal(system(cmd), 0);
	strcpy(state_dir, "/tmp/sriov-flows-XXXXXX");
	return 0;
}

/*
 * The pod: a network namespace of its own, held by an fd and named through /proc/self/fd (the
 * plugin refuses the namespace it runs in as CNI_NETNS). The fake netlink does the links.
 */
static char pod_netns[64];

/* Run @cmd with the config @json for container "cid" in the pod netns as net1. */
static int run(enum cni_cmd cmd, const char *json, struct cni_err *err)
{
	struct cni_env env = {
		.cmd = cmd, .container_id = "cid", .netns = pod_netns, .ifname = "net1"
	};
	_cleanup_conf_ struct sriov_conf conf;
	struct cni_result res;
	int r;

	r = conf_parse(json, strlen(json), &env, &conf, err);
	assert_int_equal(r, 0);
	struct plugin_call call = { .env = &env, .conf = &conf, .text = json, .len = strlen(json) };
	r = cmd == CNI_CMD_ADD ? plugin_add(&call, &res, err) : plugin_del(&call, err);
	if (r < 0)
		fprintf(stderr, "%s: %s (%s)\n", cni_cmd_name(cmd), err->msg, err->details);
	return r;
}

static bool has_record(void)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/vf/" VF_PCI ".json", state_dir);
	return access(path, F_OK) == 0;
}

static const char full_conf[] =
	"{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\",\"deviceID\":\"" VF_PCI
	"\",\"vlan\":100,\"vlanQoS\":2,\"mac\":\"02:aa:bb:cc:dd:01\",\"spoofchk\":\"off\","
	"\"trust\":\"on\",\"max_tx_rate\":100}";

/*
 * ADD writes each setting once, in the table's order: the admin MAC alone, the rest in one
 * request; DEL gives them back newest first, the MAC last.
 */
static void test_add_del(void **state)
{
	struct vf_info before = fake.vfs[1];
	struct cni_err err = { 0 };

	(void)state;
	assert_int_equal(run(CNI_CMD_ADD, full_conf, &err), 0);
	assert_string_equal(fake.log,
			    "link ens1v1: set MAC 02:aa:bb:cc:dd:01\n"
			    "VF 1 of ens1: set mac 02:aa:bb:cc:dd:01\n"
			    "VF 1 of ens1: set vlan 100 qos 2 proto 802.1q, spoofchk off, "
			    "trust on, min_tx_rate 0 max_tx_rate 100\n"
			    "link ens1v1: move to another netns as net1\n"
			    "link net1: set state up\n");
	assert_int_equal(fake.vfs[1].vlan, 100);
	assert_int_equal(fake.vfs[1].trust, 1);
	assert_true(has_record());

	fake.log[0] = '\0';
	assert_int_equal(run(CNI_CMD_DEL, full_conf, &err), 0);
	assert_string_equal(fake.log, "link net1: set state down\n"
				      "link net1: set name ens1v1\n"
				      "VF 1 of ens1: set min_tx_rate 0 max_tx_rate 0, trust off, "
				      "spoofchk on, vlan 0 qos 0 proto 802.1q\n"
				      "VF 1 of ens1: set mac 00:00:00:00:00:00\n"
				      "link ens1v1: set MAC 02:00:00:00:11:01\n");
	assert_memory_equal(&fake.vfs[1], &before, sizeof(before));
	assert_memory_equal(fake_link_find(vf_ifindex)->mac, vf_mac, 6);
	assert_false(has_record());

	/* A second DEL finds nothing to do and succeeds. */
	fake.log[0] = '\0';
	assert_int_equal(run(CNI_CMD_DEL, full_conf, &err), 0);
	assert_string_equal(fake.log, "");
}

/*
 * The PF refuses trust half-way: the one request fails without saying which setting, so
 * they are written again one by one; the error names the VF, the setting and the kernel's
 * reason once, with its extack; the settings already written are undone newest first, and
 * nothing is left (no record, the VF table and the netdev as before).
 */
static void test_add_fails_midway(void **state)
{
	struct vf_info before = fake.vfs[1];
	struct cni_err err = { 0 };

	(void)state;
	fake_fail_times("VF 1 of ens1: set trust", 1, 1000, EOPNOTSUPP,
			"VF trust is not supported");
	assert_int_equal(run(CNI_CMD_ADD, full_conf, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "VF 1 of ens1: set trust on: Operation not supported");
	assert_string_equal(err.details, "VF trust is not supported");
	assert_int_equal(err.code, CNI_ERR_INTERNAL);
	assert_string_equal(fake.log,
			    "link ens1v1: set MAC 02:aa:bb:cc:dd:01\n"
			    "VF 1 of ens1: set mac 02:aa:bb:cc:dd:01\n"
			    "VF 1 of ens1: set vlan 100 qos 2 proto 802.1q, spoofchk off, "
			    "trust on, min_tx_rate 0 max_tx_rate 100: FAILED\n"
			    "VF 1 of ens1: set vlan 100 qos 2 proto 802.1q\n"
			    "VF 1 of ens1: set spoofchk off\n"
			    "VF 1 of ens1: set trust on: FAILED\n"
			    "VF 1 of ens1: set spoofchk on, vlan 0 qos 0 proto 802.1q\n"
			    "VF 1 of ens1: set mac 00:00:00:00:00:00\n"
			    "link ens1v1: set MAC 02:00:00:00:11:01\n");
	assert_memory_equal(&fake.vfs[1], &before, sizeof(before));
	assert_memory_equal(fake_link_find(vf_ifindex)->mac, vf_mac, 6);
	assert_false(has_record());
}

/*
 * A partial ADD whose rollback also fails (the PF is busy) keeps its record; the DEL that
 * the runtime sends next finishes the job from that record.
 */
static void test_restore_after_partial_add(void **state)
{
	struct vf_info before = fake.vfs[1];
	struct cni_err err = { 0 };

	(void)state;
	fake_fail("link ens1v1: move", 1, EEXIST, "An interface with the altname net1 exists");
	/* Refused in the rollback's one request and again alone; the DEL gets it through. */
	fake_fail_times("VF 1 of ens1: set min_tx_rate 0 max_tx_rate 0", 1, 2, EBUSY, NULL);
	assert_int_equal(run(CNI_CMD_ADD, full_conf, &err), -EEXIST);
	assert_string_equal(err.msg, "link ens1v1: move to another netns as net1: File exists");
	assert_string_equal(err.details, "An interface with the altname net1 exists");
	assert_true(has_record());
	/* The rollback went on past the refusal: everything but the rate is back. */
	assert_int_equal(fake.vfs[1].max_tx_rate, 100);
	assert_int_equal(fake.vfs[1].vlan, 0);
	assert_int_equal(fake.vfs[1].trust, 0);

	fake.log[0] = '\0';
	assert_int_equal(run(CNI_CMD_DEL, full_conf, &err), 0);
	assert_string_equal(fake.log, "VF 1 of ens1: set min_tx_rate 0 max_tx_rate 0\n");
	assert_memory_equal(&fake.vfs[1], &before, sizeof(before));
	assert_false(has_record());
}

/* What the config leaves alone, or what already matches, is never written. */
static void test_nothing_to_write(void **state)
{
	struct cni_err err = { 0 };
	static const char conf[] = "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
				   "\"deviceID\":\"" VF_PCI "\",\"spoofchk\":\"on\",\"vlan\":0}";

	(void)state;
	/* A driver that fails any VF write still works when there is nothing to write. */
	fake_fail("VF", 1, EOPNOTSUPP, NULL);
	assert_int_equal(run(CNI_CMD_ADD, conf, &err), 0);
	assert_string_equal(fake.log, "link ens1v1: move to another netns as net1\n"
				      "link net1: set state up\n");
	fake.log[0] = '\0';
	assert_int_equal(run(CNI_CMD_DEL, conf, &err), 0);
	assert_string_equal(fake.log, "link net1: set state down\n"
				      "link net1: set name ens1v1\n");
}

/*
 * ADD with the embedded host-local: the ipam section is parsed once, with the rest of the
 * config, and never again by the IPAM checks or the allocation; the lease lands in dataDir
 * and the address and route on the pod's interface.
 */
static void test_add_parses_ipam_once(void **state)
{
	struct cni_err err = { 0 };
	static const char conf[] =
		"{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"type\":\"sriov\","
		"\"deviceID\":\"" VF_PCI "\",\"ipam\":{\"type\":\"host-local\","
		"\"subnet\":\"10.9.0.0/24\",\"dataDir\":\"/run/sriov-flows/ipam\","
		"\"routes\":[{\"dst\":\"10.10.0.0/16\"}]}}";
	unsigned int before;

	(void)state;
	/* dataDir must be below /run: a scratch one in this mount namespace. */
	assert_int_equal(mount("tmpfs", "/run", "tmpfs", 0, "mode=0755"), 0);
	before = ipam_conf_parses;
	assert_int_equal(run(CNI_CMD_ADD, conf, &err), 0);
	assert_int_equal(ipam_conf_parses - before, 1);
	assert_int_equal(access("/run/sriov-flows/ipam/net1/10.9.0.2", F_OK), 0);
	assert_string_equal(fake.log, "link ens1v1: move to another netns as net1\n"
				      "link net1: set state up\n"
				      "link 4: add address 10.9.0.2/24\n"
				      "link 4: add route 10.10.0.0/16\n"
				      "link 4: probe neighbour 10.9.0.2\n");
	before = ipam_conf_parses;
	assert_int_equal(run(CNI_CMD_DEL, conf, &err), 0);
	assert_int_equal(ipam_conf_parses - before, 1);
	assert_int_not_equal(access("/run/sriov-flows/ipam/net1/10.9.0.2", F_OK), 0);
	assert_int_equal(umount2("/run", MNT_DETACH), 0);
}

/* A private mount namespace (and netns), via a user namespace when not root. */
static bool enter_sandbox(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int fd;

	if (uid == 0)
		return unshare(CLONE_NEWNS | CLONE_NEWNET) == 0 &&
		       mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWNET) < 0)
		return false;
	put_file("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)uid);
	fd = open("/proc/self/uid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		return false;
	close(fd);
	snprintf(map, sizeof(map), "0 %u 1", (unsigned int)gid);
	fd = open("/proc/self/gid_map", O_WRONLY);
	if (fd < 0 || write(fd, map, strlen(map)) < 0)
		return false;
	close(fd);
	return mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) == 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_fails_midway, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_after_partial_add, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nothing_to_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_add_parses_ipam_once, setup, teardown),
	};
	const char *ci = getenv("CI");

	if (!enter_sandbox()) {
		fprintf(stderr, "skip: cannot create a mount namespace: %s\n", strerror(errno));
		return ci && !strcmp(ci, "true") ? 1 : 77;
	}
	{
		int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), pod;

		if (self < 0 || unshare(CLONE_NEWNET) < 0)
			return 1;
		pod = open("/proc/self/ns/net", O_RDONLY); /* kept open for the whole run */
		if (pod < 0 || setns(self, CLONE_NEWNET) < 0)
			return 1;
		snprintf(pod_netns, sizeof(pod_netns), "/proc/self/fd/%d", pod);
		close(self);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
