/* SPDX-License-Identifier: Apache-2.0 */
/* test_netlink.c: every netlink verb against veth pairs in throwaway network namespaces. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>

#include <cmocka.h>

#include "sriov/err.h"
#include "sriov/netlink.h"
#include "netns_test.h"

#define LONG_ALTNAME "sriov-test-long-altname-0123456789"

struct fixture {
	int ns_a, ns_b;
	struct netlink *a, *b;
};

static int setup(void **state)
{
	static struct fixture f;
	struct cni_err err = { 0 };

	f.ns_a = nt_netns_new();
	f.ns_b = nt_netns_new();
	if (f.ns_a < 0 || f.ns_b < 0)
		return -1;
	if (netlink_open(f.ns_a, &f.a, &err) < 0 || netlink_open(f.ns_b, &f.b, &err) < 0) {
		fprintf(stderr, "netlink_open: %s\n", err.msg);
		return -1;
	}
	/* One veth pair in A; tests move ends around as they need. */
	if (nt_sh(f.ns_a, "ip link add name va type veth peer name vb") != 0)
		return -1;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	netlink_close(f->a);
	netlink_close(f->b);
	close(f->ns_a);
	close(f->ns_b);
	return 0;
}

static struct ipprefix pfx(const char *addr, int len)
{
	struct ipprefix p = { 0 };

	p.addr.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(p.addr.family, addr, p.addr.a), 1);
	p.len = len;
	return p;
}

static struct ipaddr ip(const char *addr)
{
	return pfx(addr, 0).addr;
}

static struct cni_route route(const char *dst, int len, const char *gw)
{
	struct cni_route r = { .mtu = -1, .advmss = -1, .priority = -1, .table = -1, .scope = -1 };

	r.dst = pfx(dst, len);
	if (gw)
		r.gw = ip(gw);
	return r;
}

static int ifindex_of(struct netlink *nl, const char *name)
{
	struct netlink_link l;
	struct cni_err err = { 0 };
	int r = netlink_link_get(nl, 0, name, &l, &err);

	if (r < 0)
		fprintf(stderr, "%s\n", err.msg);
	assert_int_equal(r, 0);
	return l.ifindex;
}

static void test_open_current(void **state)
{
	struct netlink *nl = NULL;
	struct netlink_link l;
	struct cni_err err = { 0 };

	(void)state;
	assert_int_equal(netlink_open(-1, &nl, &err), 0);
	assert_int_equal(netlink_link_get(nl, 0, "lo", &l, &err), 0);
	assert_int_equal(l.ifindex, 1);
	assert_true(l.flags & IFF_LOOPBACK);
	netlink_close(nl);

	/* An fd that is not a netns: setns() fails and nothing leaks. */
	assert_int_equal(netlink_open(STDIN_FILENO, &nl, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "netns"));
}

static void test_link_get(void **state)
{
	struct fixture *f = *state;
	struct netlink_link l, by_index, by_alt;
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "va");
	bool found = false;

	assert_int_equal(nt_sh(f->ns_a, "ip link property add dev va altname " LONG_ALTNAME), 0);

	assert_int_equal(netlink_link_get(f->a, 0, "va", &l, &err), 0);
	assert_string_equal(l.name, "va");
	assert_int_equal(l.mac_len, 6);
	assert_int_equal(l.mtu, 1500);
	assert_int_equal(l.num_vf, -1);
	for (int i = 0; i < l.n_altnames; i++)
		found |= !strcmp(l.altnames[i], LONG_ALTNAME);
	assert_true(found);

	assert_int_equal(netlink_link_get(f->a, idx, NULL, &by_index, &err), 0);
	assert_string_equal(by_index.name, "va");
	assert_memory_equal(by_index.mac, l.mac, 6);

	/* Longer than IFNAMSIZ: looked up with IFLA_ALT_IFNAME. */
	assert_int_equal(netlink_link_get(f->a, 0, LONG_ALTNAME, &by_alt, &err), 0);
	assert_int_equal(by_alt.ifindex, idx);

	/* Missing links: -ENODEV and a message naming them. */
	assert_int_equal(netlink_link_get(f->a, 0, "nosuch0", &l, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "nosuch0"));
	assert_int_equal(netlink_link_get(f->a, 999999, NULL, &l, &err), -ENODEV);
	assert_non_null(strstr(err.msg, "999999"));
	/* The link lives in A, not B. */
	assert_int_equal(netlink_link_get(f->b, 0, "va", &l, &err), -ENODEV);

	assert_int_equal(netlink_altname_del(f->a, idx, LONG_ALTNAME, &err), 0);
}

static int link_set(struct netlink *nl, int ifindex, struct netlink_link_change c)
{
	struct cni_err err = { 0 };

	return netlink_link_set(nl, ifindex, &c, &err);
}

static void test_link_settings(void **state)
{
	struct fixture *f = *state;
	const uint8_t mac[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
	struct netlink_link l;
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "va");

	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .name = "vrenamed" }),
			 0);
	assert_int_equal(netlink_link_get(f->a, 0, "vrenamed", &l, &err), 0);
	assert_int_equal(l.ifindex, idx);

	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .mac = mac }), 0);
	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .mtu = 1400 }), 0);
	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .up = 1 }), 0);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
	assert_memory_equal(l.mac, mac, 6);
	assert_int_equal(l.mtu, 1400);
	assert_true(l.flags & IFF_UP);

	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .up = -1 }), 0);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
	assert_false(l.flags & IFF_UP);

	/* Several settings in one request. */
	assert_int_equal(
		link_set(f->a, idx,
			 (struct netlink_link_change){ .mtu = 1450, .up = 1, .name = "vb2" }),
		0);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
	assert_int_equal(l.mtu, 1450);
	assert_true(l.flags & IFF_UP);
	assert_string_equal(l.name, "vb2");

	/* Kernel refusals come back with errno, our context and extack text if any. */
	assert_int_equal(netlink_link_set(f->a, idx, &(struct netlink_link_change){ .mtu = 10 },
					  &err),
			 -EINVAL);
	assert_string_equal(err.msg, "set MTU 10 on link vb2: Invalid argument");
	fprintf(stderr, "MTU 10: msg=\"%s\" details=\"%s\"\n", err.msg, err.details);
	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .name = "vb" }),
			 -EEXIST);
	assert_int_equal(netlink_link_set(f->a, idx,
					  &(struct netlink_link_change){ .name = "bad/name" },
					  &err),
			 -EINVAL);
	assert_int_equal(err.code, CNI_ERR_INVALID_CONFIG);

	/* Renaming onto an altname (even the device's own) is a clash too. */
	assert_int_equal(nt_sh(f->ns_a, "ip link property add dev vb2 altname valt"), 0);
	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .name = "valt" }),
			 -EEXIST);
	assert_int_equal(netlink_altname_del(f->a, idx, "valt", &err), 0);

	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .name = "va" }), 0);
}

static void test_altname_del(void **state)
{
	struct fixture *f = *state;
	struct netlink_link l;
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "vb");

	assert_int_equal(nt_sh(f->ns_a, "ip link property add dev vb altname vb-alt-by-ip"), 0);
	assert_int_equal(netlink_link_get(f->a, 0, "vb-alt-by-ip", &l, &err), 0);
	assert_int_equal(l.ifindex, idx);
	assert_int_equal(l.n_altnames, 1);

	assert_int_equal(netlink_altname_del(f->a, idx, "vb-alt-by-ip", &err), 0);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
	assert_int_equal(l.n_altnames, 0);
	assert_int_equal(netlink_link_get(f->a, 0, "vb-alt-by-ip", &l, &err), -ENODEV);

	/* Deleting it again: the kernel says ENOENT. */
	assert_int_equal(netlink_altname_del(f->a, idx, "vb-alt-by-ip", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "delete altname vb-alt-by-ip on link vb"));
	fprintf(stderr, "altname del again: msg=\"%s\" details=\"%s\"\n", err.msg, err.details);
}

static void test_move_rename(void **state)
{
	struct fixture *f = *state;
	struct netlink_link l;
	struct cni_err err = { 0 };
	int idx, new_idx = -1;

	assert_int_equal(nt_sh(f->ns_a, "ip link add name mv0 type veth peer name mv1"), 0);
	idx = ifindex_of(f->a, "mv0");

	assert_int_equal(netlink_link_move(f->a, idx, f->ns_b, f->b, "net1", &new_idx, &err), 0);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), -ENODEV);
	assert_int_equal(netlink_link_get(f->b, 0, "net1", &l, &err), 0);
	assert_int_equal(l.ifindex, new_idx);
	/* Fresh netns, so the ifindex was free and kept. */
	assert_int_equal(new_idx, idx);

	/* And back without renaming. */
	assert_int_equal(netlink_link_move(f->b, new_idx, f->ns_a, f->a, NULL, &new_idx, &err), 0);
	assert_int_equal(netlink_link_get(f->a, 0, "net1", &l, &err), 0);
	assert_int_equal(l.ifindex, new_idx);
	assert_int_equal(nt_sh(f->ns_a, "ip link del net1"), 0);
}

static void test_move_clash(void **state)
{
	struct fixture *f = *state;
	struct netlink_link l;
	struct cni_err err = { 0 };
	int idx, out = -12345, r;
	bool kernel_refuses;

	assert_int_equal(nt_sh(f->ns_a, "ip link add name cl0 type veth peer name cl1"), 0);
	assert_int_equal(nt_sh(f->ns_b, "ip link add name cl0 type veth peer name taken"), 0);
	idx = ifindex_of(f->a, "cl0");

	/* Same name in the target and no new name: refused, nothing moved. */
	assert_int_equal(netlink_link_move(f->a, idx, f->ns_b, f->b, NULL, &out, &err), -EEXIST);
	assert_int_equal(out, -12345);
	assert_int_equal(err.errnum, EEXIST);
	assert_non_null(strstr(err.msg, "move link cl0"));
	fprintf(stderr, "move clash: msg=\"%s\" details=\"%s\"\n", err.msg, err.details);
	assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);

	/*
	 * The new name is taken in the target but the old one is free: the kernel moves the
	 * device, then fails the rename and leaves it moved. The message says so.
	 */
	assert_int_equal(nt_sh(f->ns_a, "ip link set dev cl0 name cl9"), 0);
	assert_int_equal(netlink_link_move(f->a, idx, f->ns_b, f->b, "taken", &out, &err), -EEXIST);
	fprintf(stderr, "rename clash: msg=\"%s\" details=\"%s\"\n", err.msg, err.details);
	assert_non_null(strstr(err.msg, "moved, but the rename failed"));
	assert_int_equal(netlink_link_get(f->b, 0, "cl9", &l, &err), 0);

	/*
	 * A device whose altname is taken in the target. Kernels with the late-2023 altname
	 * check refuse the move, older ones allow it: ask this kernel first, through ip(8) with a
	 * device of its own, then hold our move to exactly that outcome.
	 */
	assert_int_equal(nt_sh(f->ns_a, "ip link add name al0 type veth peer name al1"), 0);
	assert_int_equal(nt_sh(f->ns_a, "ip link property add dev al0 altname shared-alt"), 0);
	assert_int_equal(nt_sh(f->ns_b, "ip link property add dev taken altname shared-alt"), 0);
	assert_int_equal(nt_sh(f->ns_a, "ip link add name pr0 type veth peer name pr1"), 0);
	assert_int_equal(nt_sh(f->ns_a, "ip link property add dev pr0 altname probe-alt"), 0);
	assert_int_equal(nt_sh(f->ns_b, "ip link property add dev taken altname probe-alt"), 0);
	{
		int fd = dup(f->ns_b); /* without O_CLOEXEC: ip(8) opens it as /proc/self/fd/N */

		assert_true(fd >= 0);
		kernel_refuses =
			nt_sh(f->ns_a, "ip link set dev pr0 netns /proc/self/fd/%d", fd) != 0;
		close(fd);
		/* The probe did what the kernel says: pr0 stayed, or it moved. */
		assert_int_equal(nt_sh(f->ns_a, "ip link show dev pr0 >/dev/null 2>&1") == 0,
				 kernel_refuses);
	}
	idx = ifindex_of(f->a, "al0");
	out = -12345;
	r = netlink_link_move(f->a, idx, f->ns_b, f->b, "al0", &out, &err);
	fprintf(stderr, "altname clash (kernel %s): r=%d msg=\"%s\" details=\"%s\"\n",
		kernel_refuses ? "refuses" : "allows", r, err.msg, err.details);
	if (kernel_refuses) {
		assert_int_equal(r, -EEXIST);
		assert_int_equal(err.errnum, EEXIST);
		assert_non_null(strstr(err.msg, "move link al0"));
		assert_int_equal(out, -12345);
		/* Nothing moved. */
		assert_int_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
		assert_string_equal(l.name, "al0");
		assert_int_not_equal(netlink_link_get(f->b, 0, "al0", &l, &err), 0);
	} else {
		assert_int_equal(r, 0);
		assert_int_equal(netlink_link_get(f->b, out, NULL, &l, &err), 0);
		assert_string_equal(l.name, "al0");
		assert_int_not_equal(netlink_link_get(f->a, idx, NULL, &l, &err), 0);
	}
}

static bool addr_on(struct netlink *nl, int ifindex, struct ipprefix p)
{
	struct cni_err err = { 0 };
	bool exists = false;

	assert_int_equal(netlink_addr_exists(nl, ifindex, &p, &exists, &err), 0);
	return exists;
}

static void test_addr(void **state)
{
	struct fixture *f = *state;
	struct ipprefix v4 = pfx("10.1.0.2", 24), v6 = pfx("2001:db8::2", 64);
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "va");

	assert_false(addr_on(f->a, idx, v4));
	assert_int_equal(netlink_addr_add(f->a, idx, &v4, &err), 0);
	assert_int_equal(netlink_addr_add(f->a, idx, &v6, &err), 0);
	assert_int_equal(netlink_addr_add(f->a, idx, &v4, &err), -EEXIST);
	assert_string_equal(err.msg, "add address 10.1.0.2/24 on link va: File exists");
	assert_int_equal(nt_sh(f->ns_a, "ip -4 addr show dev va | grep -q 'brd 10.1.0.255'"), 0);

	/* The address with its prefix length, on that link only. */
	assert_int_equal(nt_sh(f->ns_a, "ip addr add 10.9.9.9/32 dev vb"), 0);
	assert_true(addr_on(f->a, idx, v4));
	assert_true(addr_on(f->a, idx, v6));
	assert_false(addr_on(f->a, idx, pfx("10.1.0.2", 16)));
	assert_false(addr_on(f->a, idx, pfx("10.9.9.9", 32)));
	assert_true(addr_on(f->a, ifindex_of(f->a, "vb"), pfx("10.9.9.9", 32)));
	assert_false(addr_on(f->a, ifindex_of(f->a, "vb"), v4));

	/* /31 and /32 get no broadcast address. */
	assert_int_equal(netlink_addr_add(f->a, idx,
					  &(struct ipprefix){ pfx("10.7.0.1", 31).addr, 31 }, &err),
			 0);
	assert_int_equal(nt_sh(f->ns_a, "ip -4 addr show dev va | grep 10.7.0.1/31 | grep -qv brd"),
			 0);
}

static void test_route(void **state)
{
	struct fixture *f = *state;
	struct ipprefix v4 = pfx("10.1.0.2", 24), v6 = pfx("2001:db8::2", 64);
	struct cni_route r;
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "va");
	bool exists = false;

	assert_int_equal(link_set(f->a, idx, (struct netlink_link_change){ .up = 1 }), 0);
	assert_int_equal(
		link_set(f->a, ifindex_of(f->a, "vb"), (struct netlink_link_change){ .up = 1 }), 0);
	(void)netlink_addr_add(f->a, idx, &v4, &err);
	(void)netlink_addr_add(f->a, idx, &v6, &err);

	/* With a gateway, MTU and advmss metrics and a metric. */
	r = route("10.2.0.0", 16, "10.1.0.1");
	r.mtu = 1400;
	r.advmss = 1360;
	r.priority = 100;
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);
	assert_int_equal(
		nt_sh(f->ns_a,
		      "ip route show 10.2.0.0/16 | grep -q 'via 10.1.0.1 dev va metric 100 mtu 1400 advmss 1360'"),
		0);
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), -EEXIST);
	assert_non_null(strstr(err.msg, "add route 10.2.0.0/16 via 10.1.0.1 dev va"));

	/* A different gateway or table is a different route. */
	r.gw = ip("10.1.0.99");
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_false(exists);
	r = route("10.2.0.0", 16, "10.1.0.1");
	r.table = 100;
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_false(exists);
	/* Tables above 255 travel in RTA_TABLE only. */
	r.table = 1000;
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);

	/* Without a gateway: on-link (scope link). Host bits in dst are ignored. */
	r = route("10.3.1.7", 16, NULL);
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);
	assert_int_equal(nt_sh(f->ns_a, "ip route show 10.3.0.0/16 | grep -q 'dev va scope link'"),
			 0);

	/* Default route. */
	r = route("0.0.0.0", 0, "10.1.0.1");
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_false(exists);
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);

	/* IPv6, with and without gateway. */
	r = route("2001:db8:1::", 48, "2001:db8::1");
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);
	r = route("2001:db8:2::", 48, NULL);
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), 0);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_true(exists);
	r = route("2001:db8:3::", 48, NULL);
	assert_int_equal(netlink_route_exists(f->a, idx, &r, &exists, &err), 0);
	assert_false(exists);

	/* Unreachable gateway: the kernel refuses with ENETUNREACH. */
	r = route("10.4.0.0", 16, "192.0.2.1");
	assert_true(netlink_route_add(f->a, idx, &r, &err) < 0);
	fprintf(stderr, "bad gw: msg=\"%s\" details=\"%s\"\n", err.msg, err.details);

	/* Mixed families are rejected before the kernel sees them. */
	r = route("10.5.0.0", 16, "2001:db8::1");
	assert_int_equal(netlink_route_add(f->a, idx, &r, &err), -EINVAL);
}

static void test_vf_on_non_pf(void **state)
{
	struct fixture *f = *state;
	struct vf_info vi = { 0 };
	struct cni_err err = { 0 };
	int idx = ifindex_of(f->a, "va");

	assert_int_equal(netlink_vf_get(f->a, idx, 0, &vi, &err), -ENOENT);
	fprintf(stderr, "vf_get: %s\n", err.msg);
	assert_non_null(strstr(err.msg, "va"));
	assert_non_null(strstr(err.msg, "SR-IOV"));

	/*
	 * A veth has no VF operations: the kernel parses each request in full (a struct too
	 * short is EINVAL) and then answers EOPNOTSUPP. The error says each thing once.
	 */
	vi.trust = 1;
	assert_int_equal(netlink_vf_set(f->a, idx, 0, NETLINK_VF_TRUST, &vi, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "VF 0 of va: set trust on: Operation not supported");
	assert_int_equal(err.code, CNI_ERR_INTERNAL);

	vi.link_state = 1;
	assert_int_equal(netlink_vf_set(f->a, idx, 3, NETLINK_VF_LINK_STATE, &vi, &err),
			 -EOPNOTSUPP);
	assert_string_equal(err.msg, "VF 3 of va: set link_state enable: Operation not supported");

	vi.vlan = 100;
	vi.vlan_proto = 0x88a8;
	assert_int_equal(netlink_vf_set(f->a, idx, 1, NETLINK_VF_VLAN, &vi, &err), -EOPNOTSUPP);
	assert_string_equal(
		err.msg, "VF 1 of va: set vlan 100 qos 0 proto 802.1ad: Operation not supported");

	vi.min_tx_rate = 10;
	vi.max_tx_rate = 100;
	assert_int_equal(netlink_vf_set(f->a, idx, 2, NETLINK_VF_RATE, &vi, &err), -EOPNOTSUPP);
	assert_string_equal(
		err.msg, "VF 2 of va: set min_tx_rate 10 max_tx_rate 100: Operation not supported");

	memcpy(vi.mac, "\x02\x00\x00\x00\x00\x07", 6);
	assert_int_equal(netlink_vf_set(f->a, idx, 0, NETLINK_VF_MAC, &vi, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg,
			    "VF 0 of va: set mac 02:00:00:00:00:07: Operation not supported");
	vi.spoofchk = 0;
	assert_int_equal(netlink_vf_set(f->a, idx, 0, NETLINK_VF_SPOOFCHK, &vi, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "VF 0 of va: set spoofchk off: Operation not supported");

	/* What the kernel refuses before looking at the device. */
	assert_int_equal(netlink_vf_set(f->a, idx, INT32_MAX, NETLINK_VF_TRUST, &vi, &err),
			 -EINVAL);
	assert_int_equal(netlink_vf_set(f->a, 0, 1, NETLINK_VF_TRUST, &vi, &err), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_current),
		cmocka_unit_test_setup_teardown(test_link_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_settings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_altname_del, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_rename, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_clash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vf_on_non_pf, setup, teardown),
	};

	nt_require_root();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
