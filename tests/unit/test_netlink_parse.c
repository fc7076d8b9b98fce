/* SPDX-License-Identifier: Apache-2.0 */
/* test_netlink_parse.c: the VF-info reply parser against RTM_NEWLINK messages built by hand. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>
#include <libmnl/libmnl.h>

#include "sriov/err.h"
#include "sriov/netlink.h"
#include "../../lib/netlink_int.h"

#define BUF_SIZE 16384

/* What one synthetic IFLA_VF_INFO carries; zero fields are left out when marked absent. */
struct vf_spec {
	uint32_t vf;
	uint8_t mac[6];
	uint32_t vlan, qos;
	uint16_t list_proto; /* 0: no IFLA_VF_VLAN_LIST */
	uint32_t list_vlan, list_qos;
	bool rate; /* IFLA_VF_RATE present */
	uint32_t min_rate, max_rate;
	bool tx_rate; /* IFLA_VF_TX_RATE present */
	uint32_t tx;
	bool spoof, trust, state;
	uint32_t spoof_v, trust_v, state_v;
};

static struct nlmsghdr *start_link(char *buf, const char *name, int num_vf)
{
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;

	memset(buf, 0, BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_index = 4;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_MTU, 1500);
	if (num_vf >= 0)
		mnl_attr_put_u32(nlh, IFLA_NUM_VF, (uint32_t)num_vf);
	return nlh;
}

static void put_vf(struct nlmsghdr *nlh, const struct vf_spec *s)
{
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	struct ifla_vf_mac mac = { .vf = s->vf };
	struct ifla_vf_vlan vlan = { .vf = s->vf, .vlan = s->vlan, .qos = s->qos };

	memcpy(mac.mac, s->mac, 6);
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(mac), &mac);
	mnl_attr_put(nlh, IFLA_VF_VLAN, sizeof(vlan), &vlan);
	if (s->list_proto) {
		struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
		struct ifla_vf_vlan_info vi;

		memset(&vi, 0, sizeof(vi));
		vi.vf = s->vf;
		vi.vlan = s->list_vlan;
		vi.qos = s->list_qos;
		vi.vlan_proto = htons(s->list_proto);
		mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		mnl_attr_nest_end(nlh, list);
	}
	if (s->tx_rate) {
		struct ifla_vf_tx_rate t = { .vf = s->vf, .rate = s->tx };

		mnl_attr_put(nlh, IFLA_VF_TX_RATE, sizeof(t), &t);
	}
	if (s->rate) {
		struct ifla_vf_rate r = { .vf = s->vf,
					  .min_tx_rate = s->min_rate,
					  .max_tx_rate = s->max_rate };

		mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(r), &r);
	}
	if (s->spoof) {
		struct ifla_vf_spoofchk v = { .vf = s->vf, .setting = s->spoof_v };

		mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(v), &v);
	}
	if (s->state) {
		struct ifla_vf_link_state v = { .vf = s->vf, .link_state = s->state_v };

		mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(v), &v);
	}
	if (s->trust) {
		struct ifla_vf_trust v = { .vf = s->vf, .setting = s->trust_v };

		mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(v), &v);
	}
	/* Stats are nested and not ours to read; the parser must skip them. */
	{
		struct nlattr *st = mnl_attr_nest_start(nlh, IFLA_VF_STATS);

		mnl_attr_put_u64(nlh, IFLA_VF_STATS_RX_PACKETS, 42);
		mnl_attr_nest_end(nlh, st);
	}
	mnl_attr_nest_end(nlh, info);
}

/* A PF "ens1" with VFs 0 and 3 (drivers list VFs in order, but the index is what counts). */
static struct nlmsghdr *build_pf(char *buf)
{
	struct nlmsghdr *nlh = start_link(buf, "ens1", 2);
	struct nlattr *list;
	struct vf_spec vf0 = {
		.vf = 0,
		.mac = { 0x02, 0, 0, 0, 0, 0x10 },
		.vlan = 10,
		.qos = 1,
		.list_proto = 0x8100,
		.list_vlan = 10,
		.list_qos = 1,
		.rate = true,
		.min_rate = 0,
		.max_rate = 0,
		.tx_rate = true,
		.tx = 0,
		.spoof = true,
		.spoof_v = 1,
		.trust = true,
		.trust_v = 0,
		.state = true,
		.state_v = IFLA_VF_LINK_STATE_AUTO,
	};
	struct vf_spec vf3 = {
		.vf = 3,
		.mac = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee },
		.vlan = 0,
		.qos = 0,
		.list_proto = 0x88a8,
		.list_vlan = 300,
		.list_qos = 5,
		.rate = true,
		.min_rate = 10,
		.max_rate = 1000,
		.tx_rate = true,
		.tx = 1000,
		.spoof = true,
		.spoof_v = 0,
		.trust = true,
		.trust_v = 1,
		.state = true,
		.state_v = IFLA_VF_LINK_STATE_DISABLE,
	};

	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	put_vf(nlh, &vf0);
	put_vf(nlh, &vf3);
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

static void test_full_reply(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = build_pf(buf);
	const uint8_t mac3[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 3, &vi, &err), 0);
	assert_int_equal(vi.vf, 3);
	assert_memory_equal(vi.mac, mac3, 6);
	/* IFLA_VF_VLAN_LIST wins over IFLA_VF_VLAN and carries the protocol. */
	assert_int_equal(vi.vlan, 300);
	assert_int_equal(vi.qos, 5);
	assert_int_equal(vi.vlan_proto, 0x88a8);
	assert_int_equal(vi.min_tx_rate, 10);
	assert_int_equal(vi.max_tx_rate, 1000);
	assert_int_equal(vi.spoofchk, 0);
	assert_int_equal(vi.trust, 1);
	assert_int_equal(vi.link_state, IFLA_VF_LINK_STATE_DISABLE);

	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), 0);
	assert_int_equal(vi.vf, 0);
	assert_int_equal(vi.vlan, 10);
	assert_int_equal(vi.qos, 1);
	assert_int_equal(vi.vlan_proto, 0x8100);
	assert_int_equal(vi.max_tx_rate, 0);
	assert_int_equal(vi.spoofchk, 1);
	assert_int_equal(vi.trust, 0);
	assert_int_equal(vi.link_state, IFLA_VF_LINK_STATE_AUTO);

	/* VF 1 is not in the list (and @ret stays untouched). */
	memset(&vi, 0x5a, sizeof(vi));
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 1, &vi, &err), -ENOENT);
	assert_int_equal(vi.vf, 0x5a5a5a5a);
	assert_string_equal(err.msg, "PF ens1 reports 2 VFs, not VF 1");
}

static void test_old_kernel_attrs(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start_link(buf, "eth0", 1);
	struct nlattr *list;
	struct vf_spec s = {
		.vf = 0,
		.vlan = 42,
		.qos = 3,
		.tx_rate = true,
		.tx = 500,
		.spoof = true,
		.spoof_v = UINT32_MAX, /* driver does not report it */
	};
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	put_vf(nlh, &s);
	mnl_attr_nest_end(nlh, list);

	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), 0);
	assert_int_equal(vi.vlan, 42);
	assert_int_equal(vi.qos, 3);
	assert_int_equal(vi.vlan_proto, 0x8100);
	assert_int_equal(vi.min_tx_rate, 0);
	assert_int_equal(vi.max_tx_rate, 500);
	assert_int_equal(vi.spoofchk, -1);
	assert_int_equal(vi.trust, -1);
	assert_int_equal(vi.link_state, -1);
}

static void test_no_vfs(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	/* A veth: no IFLA_NUM_VF, no list. */
	nlh = start_link(buf, "veth0", -1);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "veth0"));
	assert_non_null(strstr(err.msg, "SR-IOV"));

	/* A PF with sriov_numvfs 0. */
	nlh = start_link(buf, "ens2", 0);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "ens2 reports 0 VFs"));
}

static void test_malformed(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlattr *list, *info;
	struct vf_info vi;
	struct cni_err err = { 0 };
	uint8_t short_mac[8] = { 0 };

	(void)state;
	/* IFLA_VF_MAC shorter than struct ifla_vf_mac. */
	nlh = start_link(buf, "ens1", 1);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(short_mac), short_mac);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "malformed IFLA_VF_INFO"));

	/* The VF index is the one IFLA_VF_MAC names (libnl reads it from there alone). */
	nlh = start_link(buf, "ens1", 1);
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	{
		struct ifla_vf_mac m = { .vf = 2 };
		struct ifla_vf_trust t = { .vf = 1, .setting = 1 };

		mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
		mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(t), &t);
	}
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 1, &vi, &err), -ENOENT);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 2, &vi, &err), 0);
	assert_int_equal(vi.trust, 1);

	/* Not an RTM_NEWLINK, too short, NULL. */
	nlh = build_pf(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
	assert_int_equal(netlink_parse_vf_reply(buf, 10, 0, &vi, &err), -EBADMSG);
	assert_int_equal(netlink_parse_vf_reply(NULL, 0, 0, &vi, &err), -EBADMSG);

	/* An nlmsg_len above 2 GiB on a message that is skipped (found by fuzzing). */
	nlh = build_pf(buf);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_len = 0xfffc0300;
	assert_int_equal(netlink_parse_vf_reply(buf, 1024, 0, &vi, &err), -EBADMSG);

	/* Header claims an ifinfomsg but the payload is shorter. */
	nlh = build_pf(buf);
	nlh->nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
}

/* A PF "ens1" whose only VF has @n VLAN list entries of @len bytes (or no MAC when @mac is false). */
static struct nlmsghdr *build_odd_vf(char *buf, int n, size_t len, bool mac)
{
	struct nlmsghdr *nlh = start_link(buf, "ens1", 1);
	struct nlattr *list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	struct nlattr *vlans;
	struct ifla_vf_mac m = { .vf = 0 };
	struct ifla_vf_vlan_info vi;

	memset(&vi, 0, sizeof(vi));
	vi.vlan = 7;
	vi.vlan_proto = htons(0x8100);
	if (mac)
		mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
	vlans = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
	for (int i = 0; i < n; i++)
		mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, len, &vi);
	mnl_attr_nest_end(nlh, vlans);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
	return nlh;
}

/* Append a 4-byte IFLA_VF_TRUST (its struct has 8) to the VF that build_odd_vf() made last. */
static void short_trust(struct nlmsghdr *nlh)
{
	struct nlattr *list = NULL, *info = NULL, *a;
	uint32_t vf = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg))
		if (mnl_attr_get_type(a) == IFLA_VFINFO_LIST)
			list = a;
	assert_non_null(list);
	info = mnl_attr_get_payload(list);
	/* The VF info and its list end the message: grow all three by the new attribute. */
	mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(vf), &vf);
	list->nla_len += MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(vf));
	info->nla_len += MNL_ALIGN(MNL_ATTR_HDRLEN + sizeof(vf));
}

/*
 * What libnl's VF list parser takes on trust (it reads VLAN entries without a length check,
 * dereferences NULL for an empty list, indexes VFs by their MAC, and leaks the list when it
 * refuses a short attribute) is refused before it sees the reply; without these checks the
 * empty list crashes the parser, and valgrind or LeakSanitizer report the leak.
 */
static void test_libnl_guards(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	nlh = build_odd_vf(buf, 1, sizeof(struct ifla_vf_vlan_info), true);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), 0);
	assert_int_equal(vi.vlan, 7);

	nlh = build_odd_vf(buf, 0, 0, true);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "malformed IFLA_VF_INFO"));
	nlh = build_odd_vf(buf, 1, 8, true);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
	nlh = build_odd_vf(buf, 1, sizeof(struct ifla_vf_vlan_info), false);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);

	/* An attribute shorter than its struct: libnl refuses it, and leaks the list it built. */
	nlh = build_odd_vf(buf, 1, sizeof(struct ifla_vf_vlan_info), true);
	short_trust(nlh);
	assert_int_equal(netlink_parse_vf_reply(buf, nlh->nlmsg_len, 0, &vi, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "malformed IFLA_VF_INFO"));
}

static void test_truncations(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = build_pf(buf);
	uint32_t full = nlh->nlmsg_len;
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	/* Every shorter length: the buffer is too short for nlmsg_len, so always rejected. */
	for (uint32_t len = 0; len < full; len++) {
		char *copy = malloc(len ? len : 1);

		assert_non_null(copy);
		memcpy(copy, buf, len);
		assert_int_equal(netlink_parse_vf_reply(copy, len, 3, &vi, &err), -EBADMSG);
		free(copy);
	}
	/* Every shorter nlmsg_len inside a full buffer: never a crash, never a wrong VF. */
	for (uint32_t len = NLMSG_HDRLEN; len < full; len += 4) {
		int r;

		nlh->nlmsg_len = len;
		r = netlink_parse_vf_reply(buf, full, 3, &vi, &err);
		assert_true(r == 0 || r == -ENOENT || r == -EBADMSG);
		if (r == 0)
			assert_int_equal(vi.vf, 3);
	}
}

static void test_stream(void **state)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct nlmsgerr *e;
	size_t first;
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	/* A reply as read from the socket: the RTM_NEWLINK followed by the ACK. */
	nlh = build_pf(buf);
	first = NLMSG_ALIGN(nlh->nlmsg_len);
	nlh = mnl_nlmsg_put_header(buf + first);
	nlh->nlmsg_type = NLMSG_ERROR;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e));
	e->error = 0;
	assert_int_equal(netlink_parse_vf_reply(buf, first + nlh->nlmsg_len, 3, &vi, &err), 0);
	assert_int_equal(vi.max_tx_rate, 1000);
}

/* The one IFLA_VF_* attribute of a request netlink_vf_request() built for PF ifindex 7. */
static const struct nlattr *request_attr(const char *buf, uint16_t type, bool listed)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *list = mnl_nlmsg_get_payload_offset(nlh, sizeof(*ifi));
	const struct nlattr *info = mnl_attr_get_payload(list);
	const struct nlattr *a = mnl_attr_get_payload(info);

	assert_int_equal(nlh->nlmsg_type, RTM_SETLINK);
	assert_true(nlh->nlmsg_flags & NLM_F_ACK);
	assert_int_equal(ifi->ifi_index, 7);
	assert_int_equal(mnl_attr_get_type(list), IFLA_VFINFO_LIST);
	assert_int_equal(mnl_attr_get_type(info), IFLA_VF_INFO);
	/* Exactly one attribute in the message, the nests included. */
	assert_int_equal(mnl_attr_get_payload_len(list), info->nla_len);
	assert_int_equal(mnl_attr_get_payload_len(info), NLA_ALIGN(a->nla_len));
	assert_int_equal(nlh->nlmsg_len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi)) + list->nla_len);
	if (listed) {
		assert_int_equal(mnl_attr_get_type(a), IFLA_VF_VLAN_LIST);
		assert_int_equal(mnl_attr_get_payload_len(a), NLA_HDRLEN + 16);
		a = mnl_attr_get_payload(a);
	}
	assert_int_equal(mnl_attr_get_type(a), type);
	return a;
}

/* Each write is the kernel's own struct, byte for byte (include/uapi/linux/if_link.h). */
static void test_vf_requests(void **state)
{
	struct vf_info v = { .mac = { 2, 0xaa, 0xbb, 0xcc, 0xdd, 0xee },
			     .vlan = 300,
			     .qos = 5,
			     .vlan_proto = 0x88a8,
			     .min_tx_rate = 10,
			     .max_tx_rate = 1000,
			     .spoofchk = 0,
			     .trust = 1,
			     .link_state = 2 };
	struct ifla_vf_mac mac = { .vf = 3 };
	struct ifla_vf_vlan_info vlan;
	struct ifla_vf_spoofchk spoof = { .vf = 3, .setting = 0 };
	struct ifla_vf_trust trust = { .vf = 3, .setting = 1 };
	struct ifla_vf_rate rate = { .vf = 3, .min_tx_rate = 10, .max_tx_rate = 1000 };
	struct ifla_vf_link_state ls = { .vf = 3, .link_state = 2 };
	const struct {
		enum netlink_vf_attr attr;
		uint16_t type;
		const void *want;
		size_t len;
	} cases[] = {
		{ NETLINK_VF_MAC, IFLA_VF_MAC, &mac, sizeof(mac) },
		{ NETLINK_VF_VLAN, IFLA_VF_VLAN_INFO, &vlan, sizeof(vlan) },
		{ NETLINK_VF_SPOOFCHK, IFLA_VF_SPOOFCHK, &spoof, sizeof(spoof) },
		{ NETLINK_VF_TRUST, IFLA_VF_TRUST, &trust, sizeof(trust) },
		{ NETLINK_VF_RATE, IFLA_VF_RATE, &rate, sizeof(rate) },
		{ NETLINK_VF_LINK_STATE, IFLA_VF_LINK_STATE, &ls, sizeof(ls) },
	};
	char buf[NETLINK_REQ_SIZE];

	(void)state;
	memcpy(mac.mac, v.mac, 6);
	memset(&vlan, 0, sizeof(vlan));
	vlan.vf = 3;
	vlan.vlan = 300;
	vlan.qos = 5;
	vlan.vlan_proto = htons(0x88a8);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct nlattr *a;

		netlink_vf_request(&cases[i].attr, 1, 7, 3, &v, buf);
		a = request_attr(buf, cases[i].type, cases[i].attr == NETLINK_VF_VLAN);
		assert_int_equal(mnl_attr_get_payload_len(a), cases[i].len);
		assert_memory_equal(mnl_attr_get_payload(a), cases[i].want, cases[i].len);
	}
	/* An unset protocol goes out as 802.1Q. */
	v.vlan_proto = 0;
	vlan.vlan_proto = htons(0x8100);
	netlink_vf_request(&(enum netlink_vf_attr){ NETLINK_VF_VLAN }, 1, 7, 3, &v, buf);
	assert_memory_equal(mnl_attr_get_payload(request_attr(buf, IFLA_VF_VLAN_INFO, true)), &vlan,
			    sizeof(vlan));
}

/*
 * Several settings in one request: one IFLA_VF_INFO holding each attribute as it goes out
 * alone, in the order given (as "ip link set PF vf N vlan ... spoofchk ..." sends them).
 */
static void test_vf_request_merged(void **state)
{
	static const enum netlink_vf_attr which[] = { NETLINK_VF_VLAN, NETLINK_VF_SPOOFCHK,
						      NETLINK_VF_TRUST };
	struct vf_info v = { .vlan = 100, .vlan_proto = 0x8100, .spoofchk = 0, .trust = 1 };
	char buf[NETLINK_REQ_SIZE], one[NETLINK_REQ_SIZE];
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	const struct nlattr *list, *info, *a;
	size_t i = 0;

	(void)state;
	netlink_vf_request(which, 3, 7, 3, &v, buf);
	assert_int_equal(nlh->nlmsg_type, RTM_SETLINK);
	list = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct ifinfomsg));
	assert_int_equal(mnl_attr_get_type(list), IFLA_VFINFO_LIST);
	info = mnl_attr_get_payload(list);
	assert_int_equal(mnl_attr_get_type(info), IFLA_VF_INFO);
	assert_int_equal(mnl_attr_get_payload_len(list), info->nla_len);
	mnl_attr_for_each_nested(a, info) {
		const struct nlattr *alone;

		assert_true(i < 3);
		netlink_vf_request(&which[i], 1, 7, 3, &v, one);
		alone = mnl_attr_get_payload(mnl_attr_get_payload(mnl_nlmsg_get_payload_offset(
			(const struct nlmsghdr *)one, sizeof(struct ifinfomsg))));
		assert_int_equal(a->nla_len, alone->nla_len);
		assert_memory_equal(a, alone, a->nla_len);
		i++;
	}
	assert_int_equal(i, 3);
}

/* The igb-shaped reply of the fuzz corpus (tests/fuzz/corpus/vf_reply/igb-4vfs.nl). */
static void test_captured_reply(void **state)
{
	char buf[4096];
	FILE *f = fopen(SRIOV_SOURCE_DIR "/tests/fuzz/corpus/vf_reply/igb-4vfs.nl", "rb");
	size_t n;
	struct vf_info vi;
	struct cni_err err = { 0 };

	(void)state;
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (unsigned int vf = 0; vf < 4; vf++) {
		assert_int_equal(netlink_parse_vf_reply(buf, n, vf, &vi, &err), 0);
		assert_int_equal(vi.vf, vf);
		assert_int_equal(vi.mac[5], vf);
		assert_int_equal(vi.vlan, 100 + vf);
		assert_int_equal(vi.qos, vf);
		assert_int_equal(vi.vlan_proto, 0x8100);
		assert_int_equal(vi.max_tx_rate, 100 * vf);
		assert_int_equal(vi.spoofchk, (int)(vf & 1));
	}
	assert_int_equal(netlink_parse_vf_reply(buf, n, 4, &vi, &err), -ENOENT);
	assert_string_equal(err.msg, "PF ens1 reports 4 VFs, not VF 4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_reply),
		cmocka_unit_test(test_old_kernel_attrs),
		cmocka_unit_test(test_no_vfs),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_stream),
		cmocka_unit_test(test_libnl_guards),
		cmocka_unit_test(test_vf_requests),
		cmocka_unit_test(test_vf_request_merged),
		cmocka_unit_test(test_captured_reply),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
