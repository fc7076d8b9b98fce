/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_doctor.c: the rules of "sriov doctor" on plain structs (one PF, a few VFs, records,
 * locks), each shown to fire and shown not to fire on the nearest healthy case; the device
 * plugin config reader and its selectors.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sriov/doctor.h"

#define PF_PCI "0000:01:00.0"

/* A healthy node: PF eth0 up with 3 VFs; VF 0 and 1 free in the host, VF 2 in a live pod. */
struct node {
	struct doctor_report r;
	struct doctor_pf pf;
	struct doctor_vf vfs[3];
	struct doctor_record recs[2];
	struct doctor_bad_record bad[2];
	struct doctor_lock locks[1];
};

static void vf_init(struct doctor_vf *vf, unsigned int i, const char *netdev)
{
	memset(vf, 0, sizeof(*vf));
	snprintf(vf->pci, sizeof(vf->pci), "0000:01:10.%u", i);
	vf->index = i;
	snprintf(vf->driver, sizeof(vf->driver), "igbvf");
	snprintf(vf->id, sizeof(vf->id), "8086:10ca");
	snprintf(vf->netdev, sizeof(vf->netdev), "%s", netdev);
	vf->has_netdev_mac = netdev[0] != '\0';
	memcpy(vf->netdev_mac, (uint8_t[]){ 0x52, 0x54, 0, 0, 0, (uint8_t)i }, 6);
	vf->iommu_group = true;
	vf->has_info = true;
	vf->info = (struct vf_info){
		.vf = i, .vlan_proto = 0x8100, .spoofchk = 1, .trust = 0, .link_state = 0
	};
	/* igb lists the MAC the VF registered itself: not a pinned admin MAC. */
	memcpy(vf->info.mac, vf->netdev_mac, 6);
	vf->owner = -1;
}

static void node_init(struct node *n)
{
	memset(n, 0, sizeof(*n));
	snprintf(n->pf.pci, sizeof(n->pf.pci), PF_PCI);
	snprintf(n->pf.name, sizeof(n->pf.name), "eth0");
	snprintf(n->pf.driver, sizeof(n->pf.driver), "igb");
	snprintf(n->pf.id, sizeof(n->pf.id), "8086:10c9");
	n->pf.totalvfs = 7;
	n->pf.numvfs = 3;
	n->pf.ifindex = 2;
	n->pf.link_known = n->pf.up = n->pf.carrier = true;
	vf_init(&n->vfs[0], 0, "eth1");
	vf_init(&n->vfs[1], 1, "eth2");
	vf_init(&n->vfs[2], 2, "");
	n->vfs[2].owner = 0;
	n->recs[0] = (struct doctor_record){ .netns = DOCTOR_NETNS_ALIVE,
					     .vf = 2,
					     .pod = DOCTOR_POD_HAS_VF };
	snprintf(n->recs[0].rec.network, sizeof(n->recs[0].rec.network), "sriov-net1");
	snprintf(n->recs[0].rec.container_id, sizeof(n->recs[0].rec.container_id), "cid-1");
	snprintf(n->recs[0].rec.ifname, sizeof(n->recs[0].rec.ifname), "net1");
	snprintf(n->recs[0].rec.netns, sizeof(n->recs[0].rec.netns), "/var/run/netns/pod1");
	memcpy(n->recs[0].rec.pci, n->vfs[2].pci, sizeof(n->recs[0].rec.pci));
	n->r.iommu_groups = 12;
	snprintf(n->r.state_dir, sizeof(n->r.state_dir), "/var/lib/cni/sriov");
	n->r.pfs = &n->pf;
	n->r.n_pfs = 1;
	n->r.vfs = n->vfs;
	n->r.n_vfs = 3;
	n->r.records = n->recs;
	n->r.n_records = 1;
	n->r.bad = n->bad;
	n->r.locks = n->locks;
}

/* Run the rules; the number of problems of @kind, and the first one's message in @msg. */
static int diagnose(struct node *n, const char *kind, const char **msg)
{
	int count = 0;

	assert_true(doctor_diagnose(&n->r) >= 0);
	for (size_t i = 0; i < n->r.n_problems; i++)
		if (strcmp(n->r.problems[i].kind, kind) == 0 && count++ == 0 && msg)
			*msg = n->r.problems[i].message;
	return count;
}

static void node_free(struct node *n)
{
	free(n->r.problems);
	n->r.problems = NULL;
	n->r.n_problems = 0;
}

static void test_healthy(void **state)
{
	struct node n;

	(void)state;
	node_init(&n);
	assert_int_equal(doctor_diagnose(&n.r), 0);
	/* A VF that never came up lists no MAC at all: also clean. */
	memset(n.vfs[0].info.mac, 0, 6);
	assert_int_equal(doctor_diagnose(&n.r), 0);
	node_free(&n);
}

static void test_stale_owner(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.recs[0].netns = DOCTOR_NETNS_GONE;
	assert_int_equal(diagnose(&n, "stale-owner", &msg), 1);
	assert_non_null(strstr(msg, "/var/run/netns/pod1"));
	assert_non_null(strstr(msg, "cid-1"));
	assert_string_equal(n.r.problems[0].pci, "0000:01:10.2");
	node_free(&n);
	/* Cannot tell (permissions): no finding either way. */
	n.recs[0].netns = DOCTOR_NETNS_UNKNOWN;
	assert_int_equal(diagnose(&n, "stale-owner", NULL), 0);
	node_free(&n);
}

static void test_vf_not_in_pod(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.recs[0].pod = DOCTOR_POD_LACKS_VF;
	snprintf(n.vfs[2].netdev, sizeof(n.vfs[2].netdev), "eth3");
	assert_int_equal(diagnose(&n, "vf-not-in-pod", &msg), 1);
	assert_non_null(strstr(msg, "in the host as eth3"));
	node_free(&n);
	/* An ADD or DEL holds the VF lock: it is on its way, not lost. */
	n.vfs[2].locked = true;
	assert_int_equal(diagnose(&n, "vf-not-in-pod", NULL), 0);
	node_free(&n);
	/* The pod renamed its interface: DEL finds it by bus-info, nothing to report. */
	n.vfs[2].locked = false;
	n.recs[0].pod = DOCTOR_POD_RENAMED;
	assert_int_equal(diagnose(&n, "vf-not-in-pod", NULL), 0);
	node_free(&n);
}

/* Make one PF-side setting of @i dirty: case @c of test_dirty_vf. */
static void make_dirty(struct vf_info *i, size_t c)
{
	switch (c) {
	case 0:
		i->vlan = 42;
		break;
	case 1:
		i->qos = 3;
		break;
	case 2:
		i->trust = 1;
		break;
	case 3:
		i->spoofchk = 0;
		break;
	case 4:
		i->max_tx_rate = 100;
		break;
	case 5:
		i->min_tx_rate = 10;
		break;
	case 6:
		i->link_state = 2;
		break;
	case 7:
		memcpy(i->mac, "\x02\xaa\xbb\xcc\xdd\x01", 6);
		break;
	}
}

static void test_dirty_vf(void **state)
{
	/* What the message must say about case N of make_dirty(), and the reset it proposes. */
	static const struct {
		const char *what, *fix;
	} cases[] = {
		{ "vlan 42 qos 0", "ip link set eth0 vf 1 vlan 0 qos 0" },
		{ "vlan 0 qos 3", "vlan 0 qos 0" },
		{ "trust on", "trust off" },
		{ "spoofchk off", "spoofchk on" },
		{ "min_tx_rate 0 max_tx_rate 100", "max_tx_rate 0 min_tx_rate 0" },
		{ "min_tx_rate 10 max_tx_rate 0", "max_tx_rate 0" },
		{ "link_state disable", "state auto" },
		{ "admin MAC 02:aa:bb:cc:dd:01 (its netdev has 52:54:00:00:00:01)",
		  "mac 00:00:00:00:00:00" },
	};

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		const char *msg = NULL;
		struct node n;

		node_init(&n);
		make_dirty(&n.vfs[1].info, c);
		assert_int_equal(diagnose(&n, "dirty-vf", &msg), 1);
		assert_int_equal(n.r.n_problems, 1);
		assert_string_equal(n.r.problems[0].pci, "0000:01:10.1");
		if (!strstr(msg, cases[c].what) || !strstr(msg, cases[c].fix))
			fail_msg("case %zu: %s", c, msg);
		node_free(&n);
		/* The same settings on a VF a pod holds are its config, not dirt. */
		node_init(&n);
		make_dirty(&n.vfs[2].info, c);
		assert_int_equal(diagnose(&n, "dirty-vf", NULL), 0);
		node_free(&n);
	}
}

static void test_dirty_vf_driver_defaults(void **state)
{
	struct node n;

	(void)state;
	node_init(&n);
	/* mlx5 VFs start with spoofchk off; a driver that does not report it says -1. */
	n.vfs[0].info.spoofchk = 0;
	snprintf(n.pf.driver, sizeof(n.pf.driver), "mlx5_core");
	n.vfs[1].info.spoofchk = -1;
	n.vfs[1].info.trust = -1;
	n.vfs[1].info.link_state = -1;
	assert_int_equal(diagnose(&n, "dirty-vf", NULL), 0);
	node_free(&n);
	/* A VF without a host netdev (vfio-pci): its table MAC cannot be judged, its VLAN can. */
	node_init(&n);
	snprintf(n.vfs[0].driver, sizeof(n.vfs[0].driver), "vfio-pci");
	n.vfs[0].netdev[0] = '\0';
	n.vfs[0].has_netdev_mac = false;
	memcpy(n.vfs[0].info.mac, "\x02\xaa\xbb\xcc\xdd\x01", 6);
	assert_int_equal(diagnose(&n, "dirty-vf", NULL), 0);
	n.vfs[0].info.vlan = 7;
	assert_int_equal(diagnose(&n, "dirty-vf", NULL), 1);
	node_free(&n);
}

static void test_pf_rules(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.pf.numvfs = 0;
	n.r.n_vfs = 0;
	n.r.n_records = 0;
	assert_int_equal(diagnose(&n, "no-vfs", &msg), 1);
	assert_non_null(strstr(msg, "echo N > /sys/class/net/eth0/device/sriov_numvfs"));
	assert_string_equal(n.r.problems[0].pci, PF_PCI);
	node_free(&n);

	node_init(&n);
	n.pf.up = false;
	assert_int_equal(diagnose(&n, "pf-down", &msg), 1);
	assert_non_null(strstr(msg, "ip link set eth0 up"));
	assert_int_equal(diagnose(&n, "pf-no-carrier", NULL), 0);
	n.pf.up = true;
	n.pf.carrier = false;
	assert_int_equal(diagnose(&n, "pf-no-carrier", NULL), 1);
	assert_int_equal(diagnose(&n, "pf-down", NULL), 0);
	n.pf.link_known = false;
	assert_int_equal(diagnose(&n, "pf-no-carrier", NULL), 0);
	n.pf.name[0] = '\0';
	assert_int_equal(diagnose(&n, "pf-no-netdev", NULL), 1);
	node_free(&n);

	node_init(&n);
	n.r.n_pfs = 0;
	n.r.n_vfs = 0;
	n.r.n_records = 0;
	assert_int_equal(diagnose(&n, "no-pf", NULL), 1);
	node_free(&n);
}

static void test_missing_vf(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.recs[1] = n.recs[0];
	snprintf(n.recs[1].rec.pci, sizeof(n.recs[1].rec.pci), "0000:01:10.7");
	n.recs[1].vf = -1;
	n.recs[1].device_exists = false;
	n.r.n_records = 2;
	assert_int_equal(diagnose(&n, "missing-vf", &msg), 1);
	assert_non_null(strstr(msg, "no longer exists"));
	assert_non_null(strstr(msg, "/var/lib/cni/sriov/vf/0000:01:10.7.json"));
	n.recs[1].device_exists = true;
	assert_int_equal(diagnose(&n, "missing-vf", &msg), 1);
	assert_non_null(strstr(msg, "is not a VF now"));
	node_free(&n);
}

static void test_bad_records(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.bad[0] =
		(struct doctor_bad_record){ .file = "quarantine/vf-0000:01:10.1.1700000000.9.json",
					    .pci = "0000:01:10.1",
					    .quarantined = true,
					    .since = 1700000000 };
	n.bad[1] = (struct doctor_bad_record){ .file = "vf/0000:01:10.0.json",
					       .pci = "0000:01:10.0",
					       .why = "does not parse or validate" };
	n.r.n_bad = 2;
	assert_int_equal(diagnose(&n, "quarantined-record", &msg), 1);
	assert_non_null(strstr(msg, "2023-11-14 at 22:13:20 UTC"));
	assert_non_null(strstr(msg, "/var/lib/cni/sriov/quarantine/vf-0000:01:10.1."));
	assert_int_equal(diagnose(&n, "corrupt-record", &msg), 1);
	assert_non_null(strstr(msg, "/var/lib/cni/sriov/vf/0000:01:10.0.json does not parse"));
	n.r.n_bad = 0;
	assert_int_equal(diagnose(&n, "corrupt-record", NULL), 0);
	node_free(&n);
}

static void test_driver_rules(void **state)
{
	struct node n;

	(void)state;
	node_init(&n);
	snprintf(n.vfs[1].driver, sizeof(n.vfs[1].driver), "vfio-pci");
	n.vfs[1].netdev[0] = '\0';
	n.vfs[1].has_netdev_mac = false;
	assert_int_equal(doctor_diagnose(&n.r), 0); /* vfio-pci with an IOMMU group: fine */
	n.vfs[1].iommu_group = false;
	assert_int_equal(diagnose(&n, "iommu-off", NULL), 1);
	n.vfs[1].iommu_group = true;
	n.r.iommu_groups = 0;
	assert_int_equal(diagnose(&n, "iommu-off", NULL), 1);
	snprintf(n.vfs[1].driver, sizeof(n.vfs[1].driver), "uio_pci_generic");
	assert_int_equal(diagnose(&n, "iommu-off", NULL), 0); /* uio needs no IOMMU */
	n.vfs[1].driver[0] = '\0';
	assert_int_equal(diagnose(&n, "vf-no-driver", NULL), 1);
	node_free(&n);
}

static void test_leftover_netdev(void **state)
{
	static const char *const yes[] = { "net1",    "net12",	  "dev42",
					   "temp_17", "vf002103", "vf1000000ff1f7" };
	static const char *const no[] = { "eth1",	"net",	  "netx",     "dev",   "devx1",
					  "enp1s0f0v3", "vf0021", "vfz02103", "temp_", "temp_x" };

	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!doctor_leftover_name(yes[i]))
			fail_msg("%s should be a leftover name", yes[i]);
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (doctor_leftover_name(no[i]))
			fail_msg("%s should not be a leftover name", no[i]);

	struct node n;

	node_init(&n);
	snprintf(n.vfs[0].netdev, sizeof(n.vfs[0].netdev), "net1");
	assert_int_equal(diagnose(&n, "leftover-netdev", NULL), 1);
	/* Under a pod name with a record of a dead owner: stale-owner, whose DEL renames it. */
	n.vfs[0].owner = 1;
	n.recs[1] = n.recs[0];
	n.recs[1].netns = DOCTOR_NETNS_GONE;
	n.recs[1].vf = 0;
	n.r.n_records = 2;
	assert_int_equal(diagnose(&n, "leftover-netdev", NULL), 0);
	assert_int_equal(diagnose(&n, "stale-owner", NULL), 1);
	node_free(&n);
}

static void test_untracked_vf(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.vfs[2].owner = -1;
	n.r.n_records = 0;
	assert_int_equal(diagnose(&n, "untracked-vf", &msg), 1);
	assert_null(strstr(msg, "sriov-cni (its"));
	snprintf(n.vfs[2].other_netns, sizeof(n.vfs[2].other_netns), "/var/run/netns/old");
	n.vfs[2].other_netns_state = DOCTOR_NETNS_ALIVE;
	assert_int_equal(diagnose(&n, "untracked-vf", &msg), 1);
	assert_non_null(
		strstr(msg, "sriov-cni (its allocation record names netns /var/run/netns/old"));
	/* sriov-cni leaves its allocation record when the netns dies: that says nothing. */
	n.vfs[2].other_netns_state = DOCTOR_NETNS_GONE;
	assert_int_equal(diagnose(&n, "untracked-vf", &msg), 1);
	assert_null(strstr(msg, "sriov-cni (its"));
	n.vfs[2].locked = true; /* a DEL is bringing it home, or an ADD is taking it */
	n.vfs[2].other_netns[0] = '\0';
	assert_int_equal(diagnose(&n, "untracked-vf", NULL), 0);
	n.vfs[2].locked = false;
	snprintf(n.vfs[2].driver, sizeof(n.vfs[2].driver), "vfio-pci");
	assert_int_equal(diagnose(&n, "untracked-vf", NULL), 0); /* DPDK: no netdev anywhere */
	node_free(&n);
}

static void test_lock_held(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	n.locks[0] = (struct doctor_lock){ .kind = "vf",
					   .pci = "0000:01:10.1",
					   .pid = 4242,
					   .comm = "sriov",
					   .seconds = DOCTOR_LOCK_STUCK_S };
	n.r.n_locks = 1;
	assert_int_equal(diagnose(&n, "lock-held", NULL), 0);
	n.locks[0].seconds = DOCTOR_LOCK_STUCK_S + 1;
	assert_int_equal(diagnose(&n, "lock-held", &msg), 1);
	assert_non_null(strstr(msg, "pid 4242 (sriov)"));
	assert_non_null(strstr(msg, "/proc/4242/stack"));
	n.locks[0].pid = 0; /* holder in another pid namespace: nothing to point at */
	assert_int_equal(diagnose(&n, "lock-held", NULL), 0);
	node_free(&n);
}

static void test_escaped_messages(void **state)
{
	const char *msg = NULL;
	struct node n;

	(void)state;
	node_init(&n);
	/* A record is input: an interface name may carry terminal escapes. */
	snprintf(n.recs[0].rec.ifname, sizeof(n.recs[0].rec.ifname), "n\x1b[2Jx\xff");
	n.recs[0].netns = DOCTOR_NETNS_GONE;
	assert_int_equal(diagnose(&n, "stale-owner", &msg), 1);
	assert_null(strchr(msg, '\x1b'));
	assert_null(strchr(msg, '\xff'));
	assert_non_null(strstr(msg, "n\\x1b[2Jx\\xff"));
	node_free(&n);
}

static const char dp_json[] =
	"{\"resourceList\": ["
	" {\"resourceName\": \"intel_sriov_netdevice\","
	"  \"selectors\": {\"vendors\": [\"8086\"], \"devices\": [\"154c\", \"10ed\"],"
	"                 \"drivers\": [\"i40evf\", \"ixgbevf\"]}},"
	" {\"resourceName\": \"igb_vfs\", \"selectors\": [{\"drivers\": [\"igbvf\"], \"pfNames\": [\"eth0#0-9\"]}]},"
	" {\"resourceName\": \"by_root\", \"selectors\": {\"rootDevices\": [\"" PF_PCI
	"#1,2\"], \"vendors\": []}},"
	" {\"resourceName\": \"by_regex\", \"selectors\": {\"pfNames\": [\"e.h0#2\"]}},"
	" {\"resourceName\": \"qat\", \"deviceType\": \"accelerator\", \"selectors\": {\"vendors\": [\"8086\"]}}"
	"]}";

static void test_dp(void **state)
{
	struct doctor_dp *dp = NULL;
	struct cni_err err = { 0 };
	const char *msg = NULL;
	struct node n;

	(void)state;
	assert_int_equal(doctor_dp_parse(dp_json, strlen(dp_json), &dp, &err), 0);
	assert_int_equal(dp->n_resources, 4); /* the accelerator resource is left out */
	assert_string_equal(dp->resources[1].name, "igb_vfs");
	node_init(&n);
	/* The seed's selectors name i40evf/ixgbevf devices: nothing here matches. */
	assert_false(doctor_dp_selects(&dp->resources[0].selectors[0], &n.vfs[0], &n.pf));
	assert_true(doctor_dp_selects(&dp->resources[1].selectors[0], &n.vfs[0], &n.pf));
	assert_false(doctor_dp_selects(&dp->resources[2].selectors[0], &n.vfs[0], &n.pf));
	assert_true(doctor_dp_selects(&dp->resources[2].selectors[0], &n.vfs[1], &n.pf));
	assert_false(doctor_dp_selects(&dp->resources[3].selectors[0], &n.vfs[1], &n.pf));
	assert_true(doctor_dp_selects(&dp->resources[3].selectors[0], &n.vfs[2], &n.pf));
	n.r.dp = dp;
	assert_int_equal(diagnose(&n, "dp-no-match", &msg), 1);
	assert_non_null(strstr(msg, "intel_sriov_netdevice"));
	assert_non_null(strstr(msg, "8086:10ca igbvf"));
	/* eth0#0-9 wants VF 9, eth0 has 3 VFs and could have 16. */
	n.pf.totalvfs = 16;
	assert_int_equal(diagnose(&n, "numvfs-mismatch", &msg), 1);
	assert_non_null(strstr(msg, "at least 10"));
	n.pf.numvfs = 9; /* VFs 0-8: VF 9 is still missing */
	assert_int_equal(diagnose(&n, "numvfs-mismatch", NULL), 1);
	n.pf.numvfs = 10;
	assert_int_equal(diagnose(&n, "numvfs-mismatch", NULL), 0);
	/* More VFs than the PF can have: raising sriov_numvfs cannot help. */
	n.pf.numvfs = 3;
	n.pf.totalvfs = 7;
	assert_int_equal(diagnose(&n, "numvfs-mismatch", &msg), 1);
	assert_non_null(strstr(msg, "eth0 can have at most 7 VFs: change the selector"));
	node_free(&n);
	doctor_dp_free(dp);
}

/*
 * pfNames are Go regular expressions: nested repetition and repeat counts past 1000 do not
 * compile there and select nothing, and never reach glibc's regcomp(), whose memory grows
 * exponentially with "0+" followed by '+' (found by fuzz_dp_config: gigabytes).
 */
static void test_dp_regex_limits(void **state)
{
	static const struct {
		const char *pf_names;
		bool selects;
	} cases[] = {
		{ "e.h0", true },
		{ "e[]t]+h0", true }, /* a bracket expression holding ']' */
		{ "et+?h0", true }, /* the lazy form: one repetition */
		{ "e(th){1}0", true },
		{ "e+++++++++++++++++++++++++++++th0", false },
		{ "e(t+)+h0", true }, /* nested through a group: Go compiles it, so do we */
		{ "et*+h0", false },
		{ "et+??h0", false },
		{ "(e{1000}){2}th0", false },
		{ "et{1001}h0", false },
		{ "((((((((e))))))))th0", true },
		{ "(((((((((e+)+)+)+)+)+)+)+)+)th0", false },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char json[256];
		struct doctor_dp *dp = NULL;
		struct cni_err err = { 0 };
		struct node n;

		snprintf(json, sizeof(json),
			 "{\"resourceList\": [{\"resourceName\": \"r\", \"selectors\": "
			 "{\"pfNames\": [\"%s\"]}}]}",
			 cases[i].pf_names);
		assert_int_equal(doctor_dp_parse(json, strlen(json), &dp, &err), 0);
		node_init(&n);
		if (doctor_dp_selects(&dp->resources[0].selectors[0], &n.vfs[0], &n.pf) !=
		    cases[i].selects)
			fail_msg("pfNames %s: wanted %s", cases[i].pf_names,
				 cases[i].selects ? "a match" : "none");
		node_free(&n);
		doctor_dp_free(dp);
	}
}

static void test_dp_errors(void **state)
{
	static const char *const bad7[] = {
		"{\"resourceList\": {}}",
		"[]",
		"{\"resourceList\": [{\"selectors\": {}}]}",
		"{\"resourceList\": [{\"resourceName\": \"x\", \"selectors\": {\"vendors\": \"8086\"}}]}",
		"{\"resourceList\": [{\"resourceName\": \"x\", \"selectors\": [{\"drivers\": [1]}]}]}",
	};
	struct doctor_dp *dp = NULL;
	struct cni_err err = { 0 };

	(void)state;
	assert_true(doctor_dp_parse("{\"resourceList\": [", 18, &dp, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_DECODE);
	for (size_t i = 0; i < sizeof(bad7) / sizeof(bad7[0]); i++) {
		memset(&err, 0, sizeof(err));
		if (doctor_dp_parse(bad7[i], strlen(bad7[i]), &dp, &err) == 0)
			fail_msg("accepted %s", bad7[i]);
		assert_int_equal(err.code, CNI_ERR_INVALID_CONFIG);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_stale_owner),
		cmocka_unit_test(test_vf_not_in_pod),
		cmocka_unit_test(test_dirty_vf),
		cmocka_unit_test(test_dirty_vf_driver_defaults),
		cmocka_unit_test(test_pf_rules),
		cmocka_unit_test(test_missing_vf),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_driver_rules),
		cmocka_unit_test(test_leftover_netdev),
		cmocka_unit_test(test_untracked_vf),
		cmocka_unit_test(test_lock_held),
		cmocka_unit_test(test_escaped_messages),
		cmocka_unit_test(test_dp),
		cmocka_unit_test(test_dp_regex_limits),
		cmocka_unit_test(test_dp_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
