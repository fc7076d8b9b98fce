/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netlink.h: the one rtnetlink layer. lib/netlink*.c are the only files that see libnl-route-3
 * or libmnl (docs/ARCHITECTURE.md says which does what); callers get an opaque handle bound to
 * one network namespace, about a dozen verbs and the VF attribute table. Every verb returns 0
 * or a negative errno as the kernel gave it, with @err filled (extack text in details).
 */
#ifndef SRIOV_NETLINK_H
#define SRIOV_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"
#include "sriov/route.h"

#define NETLINK_MAX_ALTNAMES 8
#define NETLINK_ALTNAMSIZ 128 /* ALTIFNAMSIZ */

struct netlink;

/* Open a handle bound to the netns @netns_fd (-1: the caller's current netns). */
int netlink_open(int netns_fd, struct netlink **ret, struct cni_err *err);
void netlink_close(struct netlink *nl);
static inline void netlink_closep(struct netlink **nl)
{
	if (*nl)
		netlink_close(*nl);
}
#define _cleanup_netlink_ __attribute__((cleanup(netlink_closep)))

struct netlink_link {
	int ifindex;
	char name[IFNAMSIZ];
	uint8_t mac[6];
	int mac_len; /* 0 when the link has no L2 address */
	unsigned int flags; /* IFF_* */
	int mtu;
	char altnames[NETLINK_MAX_ALTNAMES][NETLINK_ALTNAMSIZ];
	int n_altnames;
	int num_vf; /* IFLA_NUM_VF, -1 when not reported */
};

/* Look a link up by ifindex (> 0) or else by name (also matches altnames). -ENODEV if absent. */
int netlink_link_get(struct netlink *nl, int ifindex, const char *name, struct netlink_link *ret,
		     struct cni_err *err);

/* One VF's settings as the PF reports them (RTM_GETLINK with RTEXT_FILTER_VF). */
struct vf_info {
	unsigned int vf; /* VF index on the PF */
	uint8_t mac[6]; /* admin MAC, all-zero when unset */
	unsigned int vlan;
	unsigned int qos;
	uint16_t vlan_proto; /* host order: 0x8100 or 0x88a8 */
	unsigned int min_tx_rate; /* Mbps, 0 = none */
	unsigned int max_tx_rate; /* Mbps, 0 = uncapped */
	int spoofchk; /* 0/1, -1 when the driver does not report it */
	int trust; /* 0/1, -1 when not reported */
	int link_state; /* IFLA_VF_LINK_STATE_*: 0 auto, 1 enable, 2 disable; -1 unknown */
};

/*
 * The PF-side VF attributes, in the order ADD applies them (DEL restores in reverse). Each has
 * one row in lib/netlink_vf.c's table: how the config sets it, how it is read from the PF's
 * VF table, compared, written, restored and described.
 */
enum netlink_vf_attr {
	NETLINK_VF_MAC, /* mac */
	NETLINK_VF_VLAN, /* vlan, qos, vlan_proto (one IFLA_VF_VLAN_LIST entry) */
	NETLINK_VF_SPOOFCHK, /* spoofchk */
	NETLINK_VF_TRUST, /* trust */
	NETLINK_VF_RATE, /* min_tx_rate and max_tx_rate (IFLA_VF_RATE sets both) */
	NETLINK_VF_LINK_STATE, /* link_state */
	NETLINK_VF_N_ATTRS,
};

struct sriov_conf;
/* Does @c set attribute @a? If so, its value is written into @want (other fields untouched). */
bool netlink_vf_attr_wanted(enum netlink_vf_attr a, const struct sriov_conf *c,
			    struct vf_info *want);
/* Do @x and @y agree on attribute @a? (With VLAN 0 the protocol does not count.) */
bool netlink_vf_attr_equal(enum netlink_vf_attr a, const struct vf_info *x,
			   const struct vf_info *y);
/* Copy attribute @a from @from into @to, as a write of @from would change the VF. */
void netlink_vf_attr_copy(enum netlink_vf_attr a, const struct vf_info *from, struct vf_info *to);
/* Did the PF report attribute @a in @v (false: the driver hides it, so it cannot be restored)? */
bool netlink_vf_attr_known(enum netlink_vf_attr a, const struct vf_info *v);
/* "<setting> <value>" in the config's words, e.g. "vlan 100 qos 5 proto 802.1ad". */
const char *netlink_vf_attr_describe(enum netlink_vf_attr a, const struct vf_info *v, char *buf,
				     size_t len);

/* -ENOENT when the PF does not report VF @vf. */
int netlink_vf_get(struct netlink *nl, int pf_ifindex, unsigned int vf, struct vf_info *ret,
		   struct cni_err *err);

/*
 * Parse one RTM_NEWLINK reply (raw bytes, starting at the nlmsghdr; later messages such as the
 * ACK are ignored) for VF @vf with libnl-route-3; used by netlink_vf_get() and exposed so it can
 * be tested and fuzzed on captured bytes without SR-IOV hardware. -ENOENT when the link reports
 * no VF list or not VF @vf, -EBADMSG when malformed, -ENOMEM.
 */
int netlink_parse_vf_reply(const void *buf, size_t len, unsigned int vf, struct vf_info *ret,
			   struct cni_err *err);

/*
 * Set attributes @which[0..@n) of VF @vf to their values in @val in one request to the PF,
 * all in one IFLA_VF_INFO (do_setvfinfo(), net/core/rtnetlink.c, applies them in its own
 * order and stops at the first failure: which one failed is not said, so callers that need
 * to name it set them one by one, netlink_vf_set(), after a failure). EBUSY and EAGAIN are
 * retried for up to 150 ms. Errors say it once: "VF 2 of eth0: set min_tx_rate 10
 * max_tx_rate 100: Invalid argument" (several attributes joined by ", "), the errno as the
 * kernel gave it and its extack text in details; code 11 for EBUSY/EAGAIN, else 999.
 */
int netlink_vf_set_many(struct netlink *nl, int pf_ifindex, unsigned int vf,
			const enum netlink_vf_attr *which, size_t n, const struct vf_info *val,
			struct cni_err *err);
static inline int netlink_vf_set(struct netlink *nl, int pf_ifindex, unsigned int vf,
				 enum netlink_vf_attr which, const struct vf_info *val,
				 struct cni_err *err)
{
	return netlink_vf_set_many(nl, pf_ifindex, vf, &which, 1, val, err);
}

/* What netlink_link_set() changes: NULL and 0 leave a setting as it is. */
struct netlink_link_change {
	const char *name; /* 1..15 bytes, see cni_valid_ifname() */
	const uint8_t *mac; /* 6 bytes */
	int mtu;
	int up; /* 1: up, -1: down */
};

/*
 * Change link @ifindex as @c says, in one request (RTM_NEWLINK, as "ip link set" sends).
 * Errors read "set <what> on link <name>: <reason>"; code 7 for an invalid name or MTU.
 */
int netlink_link_set(struct netlink *nl, int ifindex, const struct netlink_link_change *c,
		     struct cni_err *err);
/*
 * Move link @ifindex into the netns @netns_fd, renaming it to @newname there (NULL: keep the
 * name). @target is a handle open in that netns; on success *@ret (may be NULL) is the link as
 * the target netns reports it after the move (the kernel keeps the ifindex unless the target
 * uses it). "(moved, but the rename failed)" when the kernel did half.
 */
int netlink_link_move_get(struct netlink *nl, int ifindex, int netns_fd, struct netlink *target,
			  const char *newname, struct netlink_link *ret, struct cni_err *err);
/* As netlink_link_move_get(), with only the ifindex there in *@ret_ifindex (may be NULL). */
static inline int netlink_link_move(struct netlink *nl, int ifindex, int netns_fd,
				    struct netlink *target, const char *newname, int *ret_ifindex,
				    struct cni_err *err)
{
	struct netlink_link moved;
	int r = netlink_link_move_get(nl, ifindex, netns_fd, target, newname, &moved, err);

	if (r == 0 && ret_ifindex)
		*ret_ifindex = moved.ifindex;
	return r;
}
/* Remove the alternative name @altname from link @ifindex (RTM_DELLINKPROP). */
int netlink_altname_del(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err);

/* Add an address (IFA_F_NODAD not set; -EEXIST when present). */
int netlink_addr_add(struct netlink *nl, int ifindex, const struct ipprefix *addr,
		     struct cni_err *err);
/* Is @addr (address and prefix length) on @ifindex? */
int netlink_addr_exists(struct netlink *nl, int ifindex, const struct ipprefix *addr,
			bool *ret_exists, struct cni_err *err);
/*
 * The IPv4 address the kernel puts as sender in an ARP request for @target on @ifindex, as
 * inet_select_addr() (net/ipv4/devinet.c) picks it for arp_solicit() under the default
 * arp_announce: the first primary address of scope link or wider whose subnet holds @target,
 * else the first such address at all (the subnet as inet_ifa_match() sees it: the peer's,
 * when set). One RTM_GETADDR dump; *@ret is unset (family 0) when the link has no such
 * address or one this cannot judge (a host-scope primary, which route_localnet would let
 * the kernel choose; a message that does not parse). -EINVAL unless @target is IPv4.
 */
int netlink_arp_source(struct netlink *nl, int ifindex, const struct ipaddr *target,
		       struct ipaddr *ret, struct cni_err *err);
/*
 * Ask the kernel to resolve @ip on @ifindex (RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, NTF_USE;
 * Linux neigh_add() then runs neigh_event_send(); -EEXIST when there is an entry already,
 * which would send nothing): the new entry becomes INCOMPLETE and the kernel
 * sends its broadcast solicitations, the first at once, then every retrans_time_ms up to
 * mcast_solicit of them, and the entry ends FAILED and is garbage-collected. For an address
 * of the link's own, an ARP request whose sender and target are that address: a gratuitous
 * ARP (RFC 5227 2.3), sent by the kernel, with no packet socket.
 */
int netlink_neigh_probe(struct netlink *nl, int ifindex, const struct ipaddr *ip,
			struct cni_err *err);
/* Add a route via @ifindex (-EEXIST when present). */
int netlink_route_add(struct netlink *nl, int ifindex, const struct cni_route *route,
		      struct cni_err *err);
/* Does a route to route->dst via @ifindex (and gw when set) exist in the main table (or route->table)? */
int netlink_route_exists(struct netlink *nl, int ifindex, const struct cni_route *route,
			 bool *ret_exists, struct cni_err *err);

#endif
