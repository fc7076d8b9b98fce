/* SPDX-License-Identifier: Apache-2.0 */
/* announce.c: gratuitous ARP and unsolicited neighbour advertisements for a pod's addresses. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sys/socket.h>

#include "sriov/announce.h"
#include "sriov/cleanup.h"
#include "sriov/netlink.h"
#include "sriov/netns.h"

#define ANNOUNCE_POLL_MS 50

/* ARP payload for Ethernet/IPv4 (RFC 826); the kernel adds the Ethernet header. */
struct announce_arp {
	struct arphdr hdr;
	uint8_t sha[ETH_ALEN];
	uint8_t spa[4];
	uint8_t tha[ETH_ALEN];
	uint8_t tpa[4];
} __attribute__((packed));

/* Neighbour advertisement with one target link-layer address option (RFC 4861 4.4). */
struct announce_na {
	struct nd_neighbor_advert na;
	struct nd_opt_hdr opt;
	uint8_t lladdr[ETH_ALEN];
} __attribute__((packed));

static long announce_ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000L +
	       (deadline->tv_nsec - now.tv_nsec) / 1000000L;
}

static void announce_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/*
 * Gratuitous ARP as an ARP request with sender and target protocol address both set to @ip,
 * broadcast. RFC 5227 2.3 ("ARP Announcement") asks for an all-zero target hardware address.
 */
static int announce_garp(const struct netlink_link *l, const uint8_t ip[4], struct cni_err *err)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ARP),
		.sll_ifindex = l->ifindex,
	};
	struct announce_arp p;
	char s[INET_ADDRSTRLEN];

	(void)inet_ntop(AF_INET, ip, s, sizeof(s));
	if (l->mac_len != ETH_ALEN)
		return err_set(err, EOPNOTSUPP, CNI_ERR_INTERNAL,
			       "gratuitous ARP for %s: link %s has no Ethernet address", s,
			       l->name);

	/* Protocol 0: this socket only sends, so nothing is ever queued on it. */
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (const struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "gratuitous ARP for %s on %s: socket: %s",
			       s, l->name, strerror(e));
	}

	memset(&p, 0, sizeof(p));
	p.hdr.ar_hrd = htons(ARPHRD_ETHER);
	p.hdr.ar_pro = htons(ETH_P_IP);
	p.hdr.ar_hln = ETH_ALEN;
	p.hdr.ar_pln = 4;
	p.hdr.ar_op = htons(ARPOP_REQUEST);
	memcpy(p.sha, l->mac, ETH_ALEN);
	memcpy(p.spa, ip, 4);
	memcpy(p.tpa, ip, 4);

	sll.sll_halen = ETH_ALEN;
	memset(sll.sll_addr, 0xff, ETH_ALEN);
	if (sendto(fd, &p, sizeof(p), 0, (const struct sockaddr *)&sll, sizeof(sll)) < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "gratuitous ARP for %s on %s: %s", s,
			       l->name, strerror(e));
	}
	return 0;
}

static int announce_na_socket(int ifindex, int *ret_fd)
{
	_cleanup_close_ int fd = -1;
	struct icmp6_filter filter;
	int hops = 255, zero = 0;

	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	/* Receivers drop neighbour discovery with a hop limit below 255 (RFC 4861 7.1.2). */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex, sizeof(ifindex)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof(zero)) < 0)
		return -errno;
	/* Send only: block every ICMPv6 type so nothing queues up on the socket. */
	ICMP6_FILTER_SETBLOCKALL(&filter);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter)) < 0)
		return -errno;
	*ret_fd = TAKE_FD(fd);
	return 0;
}

/*
 * Unsolicited neighbour advertisement (RFC 4861 7.2.6) for @ip to all nodes, with the
 * override flag and our link-layer address. The source is @ip itself, as the kernel's own
 * advertisements use; bind() refuses an address that is still tentative, which is how we
 * wait for duplicate address detection: advertising a tentative address would defeat it.
 */
static int announce_na(const struct netlink_link *l, const uint8_t ip[16],
		       const struct timespec *deadline, struct cni_err *err)
{
	_cleanup_close_ int fd = -1;
	struct sockaddr_in6 src = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6,
				    .sin6_scope_id = (uint32_t)l->ifindex };
	struct announce_na p;
	char s[INET6_ADDRSTRLEN];
	int r;

	(void)inet_ntop(AF_INET6, ip, s, sizeof(s));
	if (l->mac_len != ETH_ALEN)
		return err_set(err, EOPNOTSUPP, CNI_ERR_INTERNAL,
			       "neighbour advertisement for %s: link %s has no Ethernet address", s,
			       l->name);
	r = announce_na_socket(l->ifindex, &fd);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INTERNAL,
			       "neighbour advertisement for %s on %s: socket: %s", s, l->name,
			       strerror(-r));

	memcpy(&src.sin6_addr, ip, 16);
	if (IN6_IS_ADDR_LINKLOCAL(&src.sin6_addr))
		src.sin6_scope_id = (uint32_t)l->ifindex;
	while (bind(fd, (const struct sockaddr *)&src, sizeof(src)) < 0) {
		int e = errno;

		if (e != EADDRNOTAVAIL)
			return err_set(err, e, CNI_ERR_INTERNAL,
				       "neighbour advertisement for %s on %s: bind: %s", s, l->name,
				       strerror(e));
		if (announce_ms_left(deadline) <= 0)
			return err_set(
				err, ETIMEDOUT, CNI_ERR_INTERNAL,
				"neighbour advertisement for %s on %s: still tentative after %d ms (DAD unfinished or failed)",
				s, l->name, ANNOUNCE_DAD_WAIT_MS);
		announce_sleep_ms(ANNOUNCE_POLL_MS);
	}

	memset(&p, 0, sizeof(p));
	p.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	p.na.nd_na_code = 0;
	p.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE;
	memcpy(&p.na.nd_na_target, ip, 16);
	p.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	p.opt.nd_opt_len = (sizeof(p.opt) + ETH_ALEN) / 8; /* in units of 8 bytes */
	memcpy(p.lladdr, l->mac, ETH_ALEN);

	/* ff02::1; the kernel fills in the ICMPv6 checksum on raw ICMPv6 sockets. */
	dst.sin6_addr.s6_addr[0] = 0xff;
	dst.sin6_addr.s6_addr[1] = 0x02;
	dst.sin6_addr.s6_addr[15] = 0x01;
	if (sendto(fd, &p, sizeof(p), 0, (const struct sockaddr *)&dst, sizeof(dst)) < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "neighbour advertisement for %s on %s: %s",
			       s, l->name, strerror(e));
	}
	return 0;
}

/* Addresses of @r that belong to @name: those naming it, or naming no interface at all. */
static bool announce_ip_is_ours(const struct cni_result *r, const struct cni_ip *ip,
				const char *name)
{
	if (ip->iface < 0 || ip->iface >= r->n_ifaces)
		return true;
	return !r->ifaces[ip->iface].name[0] || !strcmp(r->ifaces[ip->iface].name, name);
}

/* Enter the netns @netns_fd once (sockets resolve ifindexes in the netns they are made in). */
static int announce_enter(int netns_fd, int *saved, bool *entered, struct cni_err *err)
{
	if (*entered || netns_fd < 0)
		return 0;
	if (netns_enter(netns_fd, saved, err) < 0)
		return err_wrap(err, "announce addresses");
	*entered = true;
	return 0;
}

/*
 * Gratuitous ARP for @ip: by the kernel when it would name @ip itself as the sender of an ARP
 * request for @ip (the link's primary address in its subnet, nearly always the case), else
 * from a packet socket. The kernel's way costs two netlink requests; closing a packet socket
 * waits for an RCU grace period (packet_release(), net/packet/af_packet.c), 10-30 ms. The
 * kernel sends mcast_solicit requests (3 by default) when app_solicit is 0 (the default);
 * a pod's fresh netns has the defaults when ADD runs.
 */
static int announce_ipv4(struct netlink *nl, int netns_fd, int *saved, bool *entered,
			 const struct netlink_link *l, const struct ipaddr *ip, struct cni_err *err)
{
	struct ipaddr src;
	int r;

	if (nl && netlink_arp_source(nl, l->ifindex, ip, &src, err) == 0 && ipaddr_eq(&src, ip) &&
	    netlink_neigh_probe(nl, l->ifindex, ip, err) == 0)
		return 0;
	r = announce_enter(netns_fd, saved, entered, err);
	return r < 0 ? r : announce_garp(l, ip->a, err);
}

int announce_addresses(struct netlink *nl, int netns_fd, const struct netlink_link *link,
		       const struct cni_result *r, struct cni_err *err)
{
	_cleanup_(netns_leave) int saved = -1;
	struct timespec deadline;
	bool entered = false;
	int n_ips, first = 0, ret;

	if (!link || link->ifindex <= 0 || !r)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL,
			       "announce addresses: invalid argument");
	if (!(link->flags & IFF_UP))
		return err_set(err, ENETDOWN, CNI_ERR_INTERNAL,
			       "announce addresses: link %s is down", link->name);

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += ANNOUNCE_DAD_WAIT_MS / 1000;
	deadline.tv_nsec += (ANNOUNCE_DAD_WAIT_MS % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}

	n_ips = r->n_ips < RESULT_MAX_IPS ? r->n_ips : RESULT_MAX_IPS;
	for (int i = 0; i < n_ips; i++) {
		const struct cni_ip *ip = &r->ips[i];
		struct cni_err e = { 0 };

		if (!announce_ip_is_ours(r, ip, link->name))
			continue;
		if (link->mac_len != ETH_ALEN)
			ret = err_set(&e, EOPNOTSUPP, CNI_ERR_INTERNAL,
				      "announce addresses: link %s has no Ethernet address",
				      link->name);
		else if (ip->address.addr.family == AF_INET)
			ret = announce_ipv4(nl, netns_fd, &saved, &entered, link, &ip->address.addr,
					    &e);
		else if (ip->address.addr.family == AF_INET6) {
			ret = announce_enter(netns_fd, &saved, &entered, &e);
			if (ret == 0)
				ret = announce_na(link, ip->address.addr.a, &deadline, &e);
		} else
			continue;
		/* Keep going: one failed address should not keep the others quiet. */
		if (ret < 0 && first == 0) {
			*err = e;
			first = ret;
		}
	}
	return first;
}
