/* SPDX-License-Identifier: Apache-2.0 */
/* netlink_vf.c: the VF attribute table and the PF's VF table read through libnl-route-3. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include <netlink/route/link/sriov.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "netlink_int.h"

/* A field of struct vf_info: how it is compared, described and laid out for the kernel. */
struct vf_field {
	const char *label; /* its word in messages */
	size_t off, size; /* in struct vf_info */
	enum {
		VF_MAC, /* uint8_t[6]; 32 bytes in the kernel's struct */
		VF_NUM, /* unsigned int */
		VF_PROTO, /* uint16_t ethertype; __be16 and padding for the kernel; on VLAN 0 moot */
		VF_ENUM, /* int index into @names; -1 when the driver does not report it */
	} kind;
	const char *const *names;
};

/* One row per VF attribute: adding one is adding a row (and its enum netlink_vf_attr). */
struct vf_attr {
	struct vf_field f[3]; /* the fields it owns, in the kernel struct's order */
	/* The config's value into @want; false when the config leaves the attribute alone. */
	bool (*wanted)(const struct sriov_conf *c, struct vf_info *want);
	/* Read from libnl's VF object: the getter of a VF_ENUM row, else @read. */
	int (*get_u32)(struct rtnl_link_vf *o, uint32_t *ret);
	void (*read)(struct rtnl_link_vf *o, struct vf_info *v);
	uint16_t type, list; /* written as IFLA_VF_INFO { [@list {] @type [}] } */
};

static bool mac_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	if (c->has_mac)
		memcpy(want->mac, c->mac, 6);
	return c->has_mac;
}

static void mac_read(struct rtnl_link_vf *o, struct vf_info *v)
{
	struct nl_addr *a;

	if (rtnl_link_vf_get_addr(o, &a) == 0 && nl_addr_get_len(a) >= 6)
		memcpy(v->mac, nl_addr_get_binary_addr(a), 6);
}

static bool vlan_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	want->vlan = c->vlan;
	want->qos = c->has_qos ? c->qos : 0;
	want->vlan_proto = c->vlan_proto;
	return c->has_vlan;
}

/* libnl takes IFLA_VF_VLAN_LIST (Linux 4.9+, with the protocol) over IFLA_VF_VLAN. */
static void vlan_read(struct rtnl_link_vf *o, struct vf_info *v)
{
	nl_vf_vlans_t *vl;

	if (rtnl_link_vf_get_vlans(o, &vl) < 0)
		return;
	v->vlan = vl->size > 0 ? vl->vlans[0].vf_vlan : 0;
	v->qos = vl->size > 0 ? vl->vlans[0].vf_vlan_qos : 0;
	v->vlan_proto = vl->size > 0 ? vl->vlans[0].vf_vlan_proto : 0x8100;
	rtnl_link_vf_vlan_put(vl);
}

static bool spoofchk_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	want->spoofchk = c->spoofchk == TRI_ON;
	return c->spoofchk != TRI_UNSET;
}

static bool trust_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	want->trust = c->trust == TRI_ON;
	return c->trust != TRI_UNSET;
}

static bool rate_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	want->min_tx_rate = (unsigned int)c->min_tx_rate;
	want->max_tx_rate = (unsigned int)c->max_tx_rate;
	return c->min_tx_rate >= 0;
}

/* IFLA_VF_RATE (Linux 3.16+) has min and max; IFLA_VF_TX_RATE is the old max. */
static void rate_read(struct rtnl_link_vf *o, struct vf_info *v)
{
	struct nl_vf_rate r;

	if (rtnl_link_vf_get_rate(o, &r) < 0)
		return;
	v->min_tx_rate = r.api == RTNL_LINK_VF_RATE_API_NEW ? r.min_tx_rate : 0;
	v->max_tx_rate = r.api == RTNL_LINK_VF_RATE_API_NEW ? r.max_tx_rate : r.rate;
}

static bool link_state_wanted(const struct sriov_conf *c, struct vf_info *want)
{
	want->link_state = c->link_state;
	return c->link_state >= 0;
}

static const char *const onoff[] = { "off", "on", NULL };
static const char *const states[] = { "auto", "enable", "disable", NULL };
/* clang-format off */
#define F(label, m, kind, names) \
	{ label, offsetof(struct vf_info, m), sizeof(((struct vf_info *)0)->m), kind, names }
static const struct vf_attr vf_attrs[NETLINK_VF_N_ATTRS] = {
	[NETLINK_VF_MAC] = { { F("mac", mac, VF_MAC, NULL) },
		mac_wanted, NULL, mac_read, IFLA_VF_MAC, 0 },
	[NETLINK_VF_VLAN] = { { F("vlan", vlan, VF_NUM, NULL), F("qos", qos, VF_NUM, NULL),
				F("proto", vlan_proto, VF_PROTO, NULL) },
		vlan_wanted, NULL, vlan_read, IFLA_VF_VLAN_INFO, IFLA_VF_VLAN_LIST },
	[NETLINK_VF_SPOOFCHK] = { { F("spoofchk", spoofchk, VF_ENUM, onoff) },
		spoofchk_wanted, rtnl_link_vf_get_spoofchk, NULL, IFLA_VF_SPOOFCHK, 0 },
	[NETLINK_VF_TRUST] = { { F("trust", trust, VF_ENUM, onoff) },
		trust_wanted, rtnl_link_vf_get_trust, NULL, IFLA_VF_TRUST, 0 },
	[NETLINK_VF_RATE] = { { F("min_tx_rate", min_tx_rate, VF_NUM, NULL),
				F("max_tx_rate", max_tx_rate, VF_NUM, NULL) },
		rate_wanted, NULL, rate_read, IFLA_VF_RATE, 0 },
	[NETLINK_VF_LINK_STATE] = { { F("link_state", link_state, VF_ENUM, states) },
		link_state_wanted, rtnl_link_vf_get_linkstate, NULL, IFLA_VF_LINK_STATE, 0 },
};
/* libnl's minimum sizes of VF attributes, the structs' (sriov_info_policy, link/sriov.c). */
#define S(type, s) [IFLA_VF_##type] = sizeof(struct ifla_vf_##s)
static const size_t vf_attr_min[] = { S(MAC, mac), S(VLAN, vlan), S(TX_RATE, tx_rate),
	S(SPOOFCHK, spoofchk), S(LINK_STATE, link_state), S(RATE, rate),
	S(RSS_QUERY_EN, rss_query_en), S(TRUST, trust), S(IB_NODE_GUID, guid), S(IB_PORT_GUID, guid) };
/* clang-format on */
#define FOR_FIELDS(f, a) for (const struct vf_field *f = (a)->f; f < (a)->f + 3 && f->label; f++)

/* A field's value (0 for the MAC): VF_ENUM signed, the others unsigned. */
static long long field_val(const struct vf_info *v, const struct vf_field *f)
{
	uint16_t u16 = 0;
	int i = 0;

	if (f->kind == VF_PROTO)
		memcpy(&u16, (const char *)v + f->off, sizeof(u16));
	else if (f->kind != VF_MAC)
		memcpy(&i, (const char *)v + f->off, sizeof(i));
	return f->kind == VF_PROTO ? u16 : f->kind == VF_ENUM ? i : (long long)(unsigned int)i;
}

/* @x as an index into @f's names, -1 when it names nothing. */
static int name_index(const struct vf_field *f, long long x)
{
	for (int k = 0; f->names[k]; k++)
		if (k == x)
			return k;
	return -1;
}

bool netlink_vf_attr_wanted(enum netlink_vf_attr a, const struct sriov_conf *c,
			    struct vf_info *want)
{
	return vf_attrs[a].wanted(c, want);
}

bool netlink_vf_attr_equal(enum netlink_vf_attr a, const struct vf_info *x, const struct vf_info *y)
{
	FOR_FIELDS(f, &vf_attrs[a])
		if ((f->kind != VF_PROTO || field_val(x, vf_attrs[a].f)) &&
		    memcmp((const char *)x + f->off, (const char *)y + f->off, f->size))
			return false;
	return true;
}

void netlink_vf_attr_copy(enum netlink_vf_attr a, const struct vf_info *from, struct vf_info *to)
{
	FOR_FIELDS(f, &vf_attrs[a])
		memcpy((char *)to + f->off, (const char *)from + f->off, f->size);
}

bool netlink_vf_attr_known(enum netlink_vf_attr a, const struct vf_info *v)
{
	FOR_FIELDS(f, &vf_attrs[a])
		if (f->kind == VF_ENUM && field_val(v, f) < 0)
			return false;
	return true;
}

const char *netlink_vf_attr_describe(enum netlink_vf_attr a, const struct vf_info *v, char *buf,
				     size_t len)
{
	size_t n = 0;

	FOR_FIELDS(f, &vf_attrs[a]) {
		long long x = field_val(v, f);
		int k = f->kind == VF_ENUM ? name_index(f, x) : -1;
		char val[24];

		if (f->kind == VF_MAC)
			conf_mac_str(v->mac, val);
		else if (f->kind == VF_PROTO && (x == 0x8100 || x == 0x88a8 || !x))
			snprintf(val, sizeof(val), "802.1%s", x == 0x88a8 ? "ad" : "q");
		else if (k >= 0)
			snprintf(val, sizeof(val), "%s", f->names[k]);
		else
			snprintf(val, sizeof(val), "%lld", x);
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s %s", n ? " " : "",
				      f->label, val);
	}
	return buf;
}

/*
 * The kernel structs are the VF index and then the fields in the row's order: a u32 each,
 * but the MAC (32 bytes) and the VLAN protocol (__be16 and padding: the whole 16-byte
 * ifla_vf_vlan_info, checked since Linux 6.10). Built here, not on libnl's VF object: these
 * are the writes whose errno and extack users read, and libnl (3.7 to 3.11,
 * sriov_fill_vf_vlan_list()) sends the VLAN protocol in host byte order.
 */
/* One IFLA_VF_* attribute of @which with @val's fields, in the open IFLA_VF_INFO nest. */
static void vf_attr_put(struct nlmsghdr *nlh, enum netlink_vf_attr which, unsigned int vf,
			const struct vf_info *val)
{
	const struct vf_attr *a = &vf_attrs[which];
	struct nlattr *list = a->list ? mnl_attr_nest_start(nlh, a->list) : NULL;
	uint8_t s[40] = { 0 };
	size_t n = sizeof(uint32_t);

	memcpy(s, &vf, sizeof(uint32_t));
	FOR_FIELDS(f, a) {
		uint32_t u = (uint32_t)field_val(val, f);
		uint16_t be = htons(u ? (uint16_t)u : 0x8100);

		if (f->kind == VF_PROTO)
			memcpy(&u, &be, sizeof(be));
		memcpy(s + n, f->kind == VF_MAC ? (const void *)val->mac : &u, f->size);
		n += f->kind == VF_MAC ? 32 : sizeof(uint32_t);
	}
	mnl_attr_put(nlh, a->type, n, s);
	if (list)
		mnl_attr_nest_end(nlh, list);
}

void netlink_vf_request(const enum netlink_vf_attr *which, size_t n, int pf_ifindex,
			unsigned int vf, const struct vf_info *val, char *buf)
{
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_SETLINK, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *list, *info;

	ifi->ifi_index = pf_ifindex;
	list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
	info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
	for (size_t i = 0; i < n; i++)
		vf_attr_put(nlh, which[i], vf, val);
	mnl_attr_nest_end(nlh, info);
	mnl_attr_nest_end(nlh, list);
}

static void take_object(struct nl_object *obj, void *arg)
{
	struct nl_object **ret = arg;

	if (!*ret)
		nl_object_get(*ret = obj);
}

int netlink_object_parse(const struct nlmsghdr *nlh, struct nl_object **ret)
{
	_cleanup_(netlink_msgp) struct nl_msg *msg = nlmsg_convert((struct nlmsghdr *)nlh);
	struct nl_object *obj = NULL;
	int r;

	if (!msg)
		return -ENOMEM;
	nlmsg_set_proto(msg, NETLINK_ROUTE);
	r = nl_msg_parse(msg, take_object, &obj);
	if (r == 0 && obj) {
		*ret = obj;
		return 0;
	}
	nl_object_put(obj); /* NULL-safe */
	return r == -NLE_NOMEM ? -ENOMEM : -EBADMSG;
}

/*
 * What libnl (3.7 to 3.11, rtnl_link_sriov_parse_vflist()) takes on trust: it reads each
 * IFLA_VF_VLAN_LIST entry as a whole struct unchecked, dereferences NULL for an empty list,
 * takes the VF index from IFLA_VF_MAC alone, and leaks its list when it refuses an attribute
 * shorter than its struct. So before libnl sees a reply, these hold for every VF.
 */
static bool vf_list_sane(const struct nlmsghdr *nlh)
{
	const struct nlattr *list, *info, *a, *e;
	uint16_t t;

	mnl_attr_for_each(list, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(list) != IFLA_VFINFO_LIST)
			continue;
		mnl_attr_for_each_nested(info, list) {
			int mac = 0, n;

			mnl_attr_for_each_nested(a, info) {
				t = mnl_attr_get_type(a);
				n = 0;
				mac |= t == IFLA_VF_MAC;
				if (t < ARRAY_SIZE(vf_attr_min) &&
				    mnl_attr_get_payload_len(a) < vf_attr_min[t])
					return false;
				/* VLAN entries are whole structs; per-VF stats (0..5) are u64. */
				mnl_attr_for_each_nested(e, a) {
					if ((t == IFLA_VF_VLAN_LIST &&
					     mnl_attr_get_payload_len(e) <
						     sizeof(struct ifla_vf_vlan_info)) ||
					    (t == IFLA_VF_STATS &&
					     mnl_attr_get_type(e) <= IFLA_VF_STATS_MULTICAST &&
					     mnl_attr_get_payload_len(e) < sizeof(uint64_t)))
						return false;
					n += t == IFLA_VF_VLAN_LIST;
				}
				if (t == IFLA_VF_VLAN_LIST && n == 0)
					return false;
			}
			if (!mac)
				return false;
		}
	}
	return true;
}

int netlink_parse_vf_reply(const void *buf, size_t len, unsigned int vf, struct vf_info *ret,
			   struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_link *link = NULL;
	const struct nlmsghdr *nlh = buf;
	struct vf_info v = {
		.vf = vf, .vlan_proto = 0x8100, .spoofchk = -1, .trust = -1, .link_state = -1
	};
	struct rtnl_link_vf *o;
	uint32_t num_vf, x;
	int r;

	/* The first message, whole and padded (mnl_nlmsg_ok() would let 2 GiB pass). */
	if (!buf || len < sizeof(*nlh) || nlh->nlmsg_len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    NLMSG_ALIGN(nlh->nlmsg_len) > len || nlh->nlmsg_type != RTM_NEWLINK)
		return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
			       "no RTM_NEWLINK message in %zu bytes of reply", buf ? len : 0);
	if (!vf_list_sane(nlh))
		return err_set(err, EBADMSG, CNI_ERR_INTERNAL, "malformed IFLA_VF_INFO in reply");
	r = netlink_object_parse(nlh, (struct nl_object **)&link);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INTERNAL, "malformed RTM_NEWLINK reply: %s",
			       strerror(-r));
	if (rtnl_link_get_num_vf(link, &num_vf) < 0)
		return err_set(err, ENOENT, CNI_ERR_INTERNAL,
			       "link %s reports no SR-IOV VFs (not an SR-IOV capable device)",
			       rtnl_link_get_name(link));
	o = rtnl_link_has_vf_list(link) ? rtnl_link_vf_get(link, vf) : NULL;
	if (!o)
		return err_set(err, ENOENT, CNI_ERR_INTERNAL, "PF %s reports %u VFs, not VF %u%s",
			       rtnl_link_get_name(link), num_vf, vf,
			       num_vf ? "" : " (sriov_numvfs is 0?)");
	for (size_t i = 0; i < NETLINK_VF_N_ATTRS; i++) {
		const struct vf_field *f = vf_attrs[i].f;
		int k;

		if (vf_attrs[i].read)
			vf_attrs[i].read(o, &v);
		/* A value we have no name for cannot be restored: as if not reported. */
		else if (vf_attrs[i].get_u32(o, &x) == 0 && (k = name_index(f, x)) >= 0)
			memcpy((char *)&v + f->off, &k, sizeof(k));
	}
	rtnl_link_vf_put(o);
	*ret = v;
	return 0;
}
