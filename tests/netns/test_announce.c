/* SPDX-License-Identifier: Apache-2.0 */
/* test_announce.c: GARP and unsolicited NA sent in netns A, captured on the veth peer in B. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "sriov/announce.h"
#include "sriov/cleanup.h"
#include "sriov/err.h"
#include "sriov/netlink.h"
#include "sriov/netns.h"
#include "netns_test.h"

struct fixture {
	int ns_a, ns_b;
	int ifindex_a, ifindex_b;
	uint8_t mac_a[6];
	int cap; /* AF_PACKET capture socket on vb in B */
};

static int setup(void **state)
{
	static struct fixture f;
	_cleanup_netlink_ struct netlink *a = NULL;
	_cleanup_netlink_ struct netlink *b = NULL;
	struct cni_err err = { 0 };
	struct netlink_link l;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	int saved = -1;

	f.ns_a = nt_netns_new();
	f.ns_b = nt_netns_new();
	if (f.ns_a < 0 || f.ns_b < 0)
		return -1;
	if (nt_sh(f.ns_a, "ip link add name va type veth peer name vb") != 0)
		return -1;
	if (netlink_open(f.ns_a, &a, &err) < 0 || netlink_open(f.ns_b, &b, &err) < 0 ||
	    netlink_link_get(a, 0, "vb", &l, &err) < 0 ||
	    netlink_link_move(a, l.ifindex, f.ns_b, b, NULL, &f.ifindex_b, &err) < 0 ||
	    netlink_link_get(a, 0, "va", &l, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	f.ifindex_a = l.ifindex;
	memcpy(f.mac_a, l.mac, 6);
	if (netlink_link_set(a, f.ifindex_a, &(struct netlink_link_change){ .up = 1 }, &err) < 0 ||
	    netlink_link_set(b, f.ifindex_b, &(struct netlink_link_change){ .up = 1 }, &err) < 0)
		return -1;

	/* Capture everything arriving on vb, from inside B. */
	if (netns_enter(f.ns_b, &saved, &err) < 0)
		return -1;
	f.cap = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = f.ifindex_b;
	if (f.cap < 0 || bind(f.cap, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		return -1;
	netns_leave(&saved);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	close(f->cap);
	close(f->ns_a);
	close(f->ns_b);
	return 0;
}

static void add_ip(struct cni_result *r, const char *addr, int len, int iface)
{
	struct cni_ip *ip = &r->ips[r->n_ips++];

	memset(ip, 0, sizeof(*ip));
	ip->address.addr.family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	assert_int_equal(inet_pton(ip->address.addr.family, addr, ip->address.addr.a), 1);
	ip->address.len = len;
	ip->iface = iface;
}

static void configure(struct fixture *f, const struct cni_result *r)
{
	_cleanup_netlink_ struct netlink *a = NULL;
	struct cni_err err = { 0 };

	assert_int_equal(netlink_open(f->ns_a, &a, &err), 0);
	for (int i = 0; i < r->n_ips; i++)
		assert_int_equal(netlink_addr_add(a, f->ifindex_a, &r->ips[i].address, &err), 0);
}

/* Announce @r as the plugin does: through a handle in @ns and the link as read there. */
static int announce(int ns, int ifindex, const struct cni_result *r, struct cni_err *err)
{
	_cleanup_netlink_ struct netlink *nl = NULL;
	struct netlink_link l;
	int ret = netlink_open(ns, &nl, err);

	if (ret == 0)
		ret = netlink_link_get(nl, ifindex, NULL, &l, err);
	return ret < 0 ? ret : announce_addresses(nl, ns, &l, r, err);
}

/* Is @frame a gratuitous ARP from va for @ip? Checks every field it looks at. */
static bool is_garp(const struct fixture *f, const uint8_t *p, size_t n, const uint8_t ip[4])
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6] = { 0 };
	const uint8_t *arp = p + 14;

	if (n < 14 + 28 || p[12] != 0x08 || p[13] != 0x06 || memcmp(p + 6, f->mac_a, 6) != 0 ||
	    memcmp(arp + 14, ip, 4) != 0)
		return false;
	assert_memory_equal(p, bcast, 6);
	assert_int_equal(arp[0] << 8 | arp[1], 1); /* Ethernet */
	assert_int_equal(arp[2] << 8 | arp[3], 0x0800); /* IPv4 */
	assert_int_equal(arp[4], 6);
	assert_int_equal(arp[5], 4);
	assert_int_equal(arp[6] << 8 | arp[7], 1); /* request */
	assert_memory_equal(arp + 8, f->mac_a, 6); /* sender MAC */
	assert_memory_equal(arp + 18, zero, 6); /* target MAC */
	assert_memory_equal(arp + 24, ip, 4); /* target IP == sender IP */
	return true;
}

/* Is @frame an unsolicited NA from va for @ip? */
static bool is_na(const struct fixture *f, const uint8_t *p, size_t n, const uint8_t ip[16])
{
	static const uint8_t mcast[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 0x01 };
	const uint8_t *ip6 = p + 14, *icmp = p + 14 + 40;

	/* vb answers va's duplicate address detection with NAs of its own: skip those. */
	if (n < 14 + 40 + 32 || p[12] != 0x86 || p[13] != 0xdd || memcmp(p + 6, f->mac_a, 6) != 0 ||
	    ip6[6] != 58 || icmp[0] != 136 || memcmp(icmp + 8, ip, 16) != 0)
		return false;
	assert_memory_equal(p, mcast, 6);
	assert_int_equal(ip6[7], 255); /* hop limit */
	assert_memory_equal(ip6 + 8, ip, 16); /* source: the address itself */
	assert_memory_equal(ip6 + 24, all_nodes, 16);
	assert_int_equal(icmp[1], 0); /* code */
	assert_int_equal(icmp[4], 0x20); /* override only: not R, not S */
	assert_int_equal(icmp[24], 2); /* target link-layer address */
	assert_int_equal(icmp[25], 1);
	assert_memory_equal(icmp + 26, f->mac_a, 6);
	return true;
}

/*
 * Read frames for up to @ms, counting per address of @r the announcements seen into
 * @counts (may be NULL); stop early once every address in @want (bitmask over r->ips) was
 * seen. Returns the bitmask of the addresses seen.
 */
static unsigned int capture_count(const struct fixture *f, const struct cni_result *r,
				  unsigned int want, int ms, int *counts)
{
	struct timespec start, now;
	unsigned int seen = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		struct pollfd pfd = { .fd = f->cap, .events = POLLIN };
		uint8_t frame[2048];
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ms - ((now.tv_sec - start.tv_sec) * 1000 +
			     (now.tv_nsec - start.tv_nsec) / 1000000);
		if ((want && (seen & want) == want) || left <= 0)
			return seen;
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;
		n = recv(f->cap, frame, sizeof(frame), 0);
		if (n <= 0)
			continue;
		for (int i = 0; i < r->n_ips; i++) {
			const struct ipaddr *a = &r->ips[i].address.addr;

			if ((a->family == AF_INET && is_garp(f, frame, (size_t)n, a->a)) ||
			    (a->family == AF_INET6 && is_na(f, frame, (size_t)n, a->a))) {
				seen |= 1u << i;
				if (counts)
					counts[i]++;
			}
		}
	}
}

/* Read frames until all @want were seen or @ms passed; returns those seen. */
static unsigned int capture(const struct fixture *f, const struct cni_result *r, unsigned int want,
			    int ms)
{
	return capture_count(f, r, want, ms, NULL);
}

static void test_announce(void **state)
{
	struct fixture *f = *state;
	struct cni_result r;
	struct cni_err err = { 0 };
	unsigned int seen;

	memset(&r, 0, sizeof(r));
	r.n_ifaces = 2;
	snprintf(r.ifaces[0].name, sizeof(r.ifaces[0].name), "va");
	snprintf(r.ifaces[1].name, sizeof(r.ifaces[1].name), "other");
	add_ip(&r, "10.0.0.1", 24, 0);
	add_ip(&r, "2001:db8::1", 64, 0);
	add_ip(&r, "10.0.0.5", 24, -1);
	add_ip(&r, "10.0.0.9", 24, 1); /* another interface's: must stay quiet */
	configure(f, &r);

	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), 0);
	seen = capture(f, &r, 0x7, 3000);
	assert_int_equal(seen & 0x7, 0x7);
	/* Give a stray announcement for 10.0.0.9 a moment to show up. */
	seen |= capture(f, &r, 0x8, 300);
	assert_int_equal(seen & 0x8, 0);
}

/*
 * The primary address of its subnet is announced by the kernel: the pod's neighbour table
 * holds the probe for it, and the kernel repeats the announcement (a carrier that comes up
 * after the first one still hears the second). A secondary address goes out from a packet
 * socket, once, with itself as sender (the kernel would name the primary).
 */
static void test_announce_by_kernel(void **state)
{
	struct fixture *f = *state;
	struct cni_result r;
	struct cni_err err = { 0 };
	int counts[2] = { 0, 0 };

	memset(&r, 0, sizeof(r));
	add_ip(&r, "10.0.0.1", 24, -1);
	add_ip(&r, "10.0.0.5", 24, -1);
	configure(f, &r);
	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), 0);
	assert_int_equal(nt_sh(f->ns_a, "ip neigh show 10.0.0.1 dev va | grep -q ."), 0);
	assert_int_not_equal(nt_sh(f->ns_a, "ip neigh show 10.0.0.5 dev va | grep -q ."), 0);
	/* .1: the first now, the second after retrans_time_ms (1 s by default); .5: once. */
	(void)capture_count(f, &r, 0, 1600, counts);
	assert_true(counts[0] >= 2);
	assert_int_equal(counts[1], 1);
}

/*
 * An entry for the address already in the pod's table is left as it is (asking the kernel to
 * resolve it would turn a static entry into a failed one): the packet socket announces.
 */
static void test_announce_entry_exists(void **state)
{
	struct fixture *f = *state;
	struct cni_result r;
	struct cni_err err = { 0 };
	int counts[1] = { 0 };

	memset(&r, 0, sizeof(r));
	add_ip(&r, "10.0.0.1", 24, -1);
	configure(f, &r);
	assert_int_equal(
		nt_sh(f->ns_a,
		      "ip neigh add 10.0.0.1 lladdr 02:00:00:00:00:01 dev va nud permanent"),
		0);
	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), 0);
	(void)capture_count(f, &r, 0, 500, counts);
	assert_int_equal(counts[0], 1);
	assert_int_equal(nt_sh(f->ns_a, "ip neigh show 10.0.0.1 dev va | "
					"grep -q '02:00:00:00:00:01 PERMANENT'"),
			 0);
}

static void test_announce_link_local_and_nodad(void **state)
{
	struct fixture *f = *state;
	struct cni_result r;
	struct cni_err err = { 0 };

	/* With DAD off the address is usable at once. */
	assert_int_equal(netns_sysctl_write(f->ns_a, "net/ipv6/conf/va/accept_dad", "0", &err), 0);
	memset(&r, 0, sizeof(r));
	add_ip(&r, "fe80::1234", 64, -1);
	add_ip(&r, "2001:db8:5::7", 64, -1);
	configure(f, &r);
	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), 0);
	assert_int_equal(capture(f, &r, 0x3, 3000), 0x3);
}

static void test_announce_errors(void **state)
{
	struct fixture *f = *state;
	_cleanup_netlink_ struct netlink *a = NULL;
	struct cni_result r;
	struct cni_err err = { 0 };

	memset(&r, 0, sizeof(r));
	add_ip(&r, "10.0.0.1", 24, -1);
	assert_int_equal(netlink_open(f->ns_a, &a, &err), 0);
	assert_int_equal(netlink_link_set(a, f->ifindex_a,
					  &(struct netlink_link_change){ .up = -1 }, &err),
			 0);
	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), -ENETDOWN);
	assert_non_null(strstr(err.msg, "va is down"));

	assert_int_equal(announce(f->ns_a, 999999, &r, &err), -ENODEV);
	/* Not in B: the ifindex is resolved in the given netns. */
	assert_int_equal(announce(f->ns_b, f->ifindex_a == f->ifindex_b ? 999998 : f->ifindex_a, &r,
				  &err),
			 -ENODEV);

	/* An IPv6 address that never leaves the tentative state (DAD fails: vb owns it). */
	assert_int_equal(netlink_link_set(a, f->ifindex_a, &(struct netlink_link_change){ .up = 1 },
					  &err),
			 0);
	assert_int_equal(nt_sh(f->ns_b, "ip addr add 2001:db8:9::1/64 dev vb nodad"), 0);
	memset(&r, 0, sizeof(r));
	add_ip(&r, "2001:db8:9::1", 64, -1);
	add_ip(&r, "10.0.0.1", 24, -1);
	configure(f, &r);
	assert_int_equal(announce(f->ns_a, f->ifindex_a, &r, &err), -ETIMEDOUT);
	assert_non_null(strstr(err.msg, "tentative"));
	/* The IPv4 address after the failed one was still announced. */
	assert_int_equal(capture(f, &r, 0x2, 2000) & 0x2, 0x2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_announce, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announce_by_kernel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announce_entry_exists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_announce_link_local_and_nodad, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_announce_errors, setup, teardown),
	};

	nt_require_root();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
