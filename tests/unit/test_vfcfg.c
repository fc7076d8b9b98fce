/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_vfcfg.c: the decisions about VF attributes, which are pure: which ones ADD writes and
 * in what order, which ones DEL gives back, how they compare and how messages name them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sriov/vfcfg.h"

/* What igb reports for a VF nobody touched. */
static const struct vf_info fresh = { .vf = 1,
				      .vlan_proto = 0x8100,
				      .spoofchk = 1,
				      .trust = 0,
				      .link_state = 0 };

static struct sriov_conf conf_none(void)
{
	return (struct sriov_conf){ .link_state = -1, .min_tx_rate = -1, .max_tx_rate = -1 };
}

static const char *describe(const struct vfcfg_step *s, char *buf)
{
	return netlink_vf_attr_describe(s->attr, &s->val, buf, 96);
}

static void test_apply_order_and_values(void **state)
{
	struct sriov_conf c = conf_none();
	struct vfcfg_step s[NETLINK_VF_N_ATTRS];
	const uint8_t mac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };
	char buf[96];

	(void)state;
	c.has_mac = true;
	memcpy(c.mac, mac, 6);
	c.has_vlan = c.has_qos = true;
	c.vlan = 100;
	c.qos = 5;
	c.vlan_proto = 0x88a8;
	c.spoofchk = TRI_OFF;
	c.trust = TRI_ON;
	c.min_tx_rate = 10;
	c.max_tx_rate = 1000;
	c.link_state = 2;
	assert_int_equal(vfcfg_plan_apply(&c, &fresh, s), 6);
	/* The table's order: MAC, VLAN, spoofchk, trust, rate, link state. */
	assert_string_equal(describe(&s[0], buf), "mac 02:aa:bb:cc:dd:01");
	assert_string_equal(describe(&s[1], buf), "vlan 100 qos 5 proto 802.1ad");
	assert_string_equal(describe(&s[2], buf), "spoofchk off");
	assert_string_equal(describe(&s[3], buf), "trust on");
	assert_string_equal(describe(&s[4], buf), "min_tx_rate 10 max_tx_rate 1000");
	assert_string_equal(describe(&s[5], buf), "link_state disable");
	/* Each step is what the VF is after it: the previous steps applied, nothing more. */
	assert_memory_equal(s[0].val.mac, mac, 6);
	assert_int_equal(s[0].val.vlan, 0);
	assert_int_equal(s[1].val.vlan, 100);
	assert_int_equal(s[1].val.spoofchk, 1);
	assert_int_equal(s[5].val.trust, 1);
	assert_int_equal(s[5].val.link_state, 2);
	assert_int_equal(s[5].val.vf, 1);
}

static void test_apply_skips_what_matches(void **state)
{
	struct sriov_conf c = conf_none();
	struct vfcfg_step s[NETLINK_VF_N_ATTRS];
	struct vf_info now = fresh;
	char buf[96];

	(void)state;
	/* Nothing configured: nothing written, whatever the VF looks like. */
	now.vlan = 7;
	assert_int_equal(vfcfg_plan_apply(&c, &now, s), 0);

	/* Configured to what the PF already reports: nothing written either. */
	c.spoofchk = TRI_ON;
	c.trust = TRI_OFF;
	c.link_state = 0;
	c.min_tx_rate = c.max_tx_rate = 0;
	assert_int_equal(vfcfg_plan_apply(&c, &fresh, s), 0);

	/* VLAN 0 has no tag: its protocol does not count. */
	c.has_vlan = true;
	c.vlan = 0;
	c.vlan_proto = 0x88a8;
	assert_int_equal(vfcfg_plan_apply(&c, &fresh, s), 0);
	c.vlan = 5;
	assert_int_equal(vfcfg_plan_apply(&c, &fresh, s), 1);
	assert_string_equal(describe(&s[0], buf), "vlan 5 qos 0 proto 802.1ad");

	/* Only max_tx_rate given: the minimum goes to 0 (IFLA_VF_RATE always sets both). */
	c = conf_none();
	c.min_tx_rate = 0;
	c.max_tx_rate = 100;
	now = fresh;
	now.min_tx_rate = 10;
	assert_int_equal(vfcfg_plan_apply(&c, &now, s), 1);
	assert_string_equal(describe(&s[0], buf), "min_tx_rate 0 max_tx_rate 100");
}

static void test_restore_newest_first(void **state)
{
	struct vfcfg_step s[NETLINK_VF_N_ATTRS];
	struct vf_info now = fresh;
	char buf[96];

	(void)state;
	memcpy(now.mac, "\x02\x01\x02\x03\x04\x05", 6);
	now.vlan = 100;
	now.qos = 3;
	now.spoofchk = 0;
	now.trust = 1;
	now.max_tx_rate = 100;
	now.link_state = 1;
	/* The reverse of the table's order, and never the MAC (restored with the netdev's). */
	assert_int_equal(vfcfg_plan_restore(&fresh, &now, s), 5);
	assert_string_equal(describe(&s[0], buf), "link_state auto");
	assert_string_equal(describe(&s[1], buf), "min_tx_rate 0 max_tx_rate 0");
	assert_string_equal(describe(&s[2], buf), "trust off");
	assert_string_equal(describe(&s[3], buf), "spoofchk on");
	assert_string_equal(describe(&s[4], buf), "vlan 0 qos 0 proto 802.1q");
	/* After the last step only the MAC still differs from the original. */
	memcpy(now.mac, fresh.mac, 6);
	memcpy(s[4].val.mac, fresh.mac, 6);
	for (enum netlink_vf_attr i = 0; i < NETLINK_VF_N_ATTRS; i++)
		assert_true(netlink_vf_attr_equal(i, &s[4].val, &fresh));

	/* Nothing changed: nothing to write. */
	assert_int_equal(vfcfg_plan_restore(&fresh, &fresh, s), 0);
}

static void test_restore_skips_unreported(void **state)
{
	struct vfcfg_step s[NETLINK_VF_N_ATTRS];
	struct vf_info orig = fresh, now = fresh;
	char buf[96];

	(void)state;
	/* The driver did not report these before ADD: there is no value to give back. */
	orig.spoofchk = -1;
	orig.trust = -1;
	orig.link_state = -1;
	now.spoofchk = 0;
	now.trust = 1;
	now.link_state = 1;
	now.vlan = 9;
	assert_int_equal(vfcfg_plan_restore(&orig, &now, s), 1);
	assert_string_equal(describe(&s[0], buf), "vlan 0 qos 0 proto 802.1q");
}

static void test_attr_table(void **state)
{
	struct vf_info a = fresh, b = fresh;
	char buf[96];

	(void)state;
	for (enum netlink_vf_attr i = 0; i < NETLINK_VF_N_ATTRS; i++) {
		assert_true(netlink_vf_attr_equal(i, &a, &b));
		assert_true(netlink_vf_attr_known(i, &a));
	}
	b.qos = 1;
	assert_false(netlink_vf_attr_equal(NETLINK_VF_VLAN, &a, &b));
	assert_true(netlink_vf_attr_equal(NETLINK_VF_TRUST, &a, &b));
	/* Copying one attribute moves its fields only. */
	b.trust = 1;
	netlink_vf_attr_copy(NETLINK_VF_VLAN, &b, &a);
	assert_int_equal(a.qos, 1);
	assert_int_equal(a.trust, 0);
	/* Values a driver reports oddly still read as something. */
	a.link_state = 7;
	a.vlan_proto = 0x1234;
	assert_string_equal(netlink_vf_attr_describe(NETLINK_VF_LINK_STATE, &a, buf, sizeof(buf)),
			    "link_state 7");
	assert_string_equal(netlink_vf_attr_describe(NETLINK_VF_VLAN, &a, buf, sizeof(buf)),
			    "vlan 0 qos 1 proto 4660");
	/* A short buffer gets a terminated prefix. */
	assert_string_equal(netlink_vf_attr_describe(NETLINK_VF_RATE, &a, buf, 12), "min_tx_rate");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_order_and_values),
		cmocka_unit_test(test_apply_skips_what_matches),
		cmocka_unit_test(test_restore_newest_first),
		cmocka_unit_test(test_restore_skips_unreported),
		cmocka_unit_test(test_attr_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
