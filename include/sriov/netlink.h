/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netlink.h: the one rtnetlink layer. lib/netlink.c is the only file that sees libmnl or libnl;
 * callers get an opaque handle bound to one network namespace and about a dozen verbs.
 * Every verb returns 0 or a negative errno with @err filled (kernel extack text in details).
 */
#ifndef SRIOV_NETLINK_H
#define SRIOV_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <net/if.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"
#include "sriov/result.h"

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

/* -ENOENT when the PF does not report VF @vf. */
int netlink_vf_get(struct netlink *nl, int pf_ifindex, unsigned int vf, struct vf_info *ret,
		   struct cni_err *err);

enum netlink_vf_attr {
	NETLINK_VF_MAC, /* val->mac */
	NETLINK_VF_VLAN, /* val->vlan, qos, vlan_proto, sent as IFLA_VF_VLAN_LIST (16 bytes) */
	NETLINK_VF_RATE, /* val->min_tx_rate, max_tx_rate (IFLA_VF_RATE sets both) */
	NETLINK_VF_SPOOFCHK, /* val->spoofchk */
	NETLINK_VF_TRUST, /* val->trust */
	NETLINK_VF_LINK_STATE, /* val->link_state */
};

/*
 * Parse one RTM_NEWLINK reply (raw bytes, starting at the nlmsghdr) for VF @vf; used by
 * netlink_vf_get() and exposed so it can be tested and fuzzed without SR-IOV hardware.
 * -ENOENT when the link reports no VF list or not VF @vf, -EBADMSG when malformed.
 */
int netlink_parse_vf_reply(const void *buf, size_t len, unsigned int vf, struct vf_info *ret,
			   struct cni_err *err);

/* Set exactly one VF attribute in one RTM_SETLINK on the PF (see docs/ARCHITECTURE.md). */
int netlink_vf_set(struct netlink *nl, int pf_ifindex, unsigned int vf, enum netlink_vf_attr which,
		   const struct vf_info *val, struct cni_err *err);

int netlink_link_set_up(struct netlink *nl, int ifindex, bool up, struct cni_err *err);
int netlink_link_set_name(struct netlink *nl, int ifindex, const char *name, struct cni_err *err);
int netlink_link_set_mac(struct netlink *nl, int ifindex, const uint8_t mac[6],
			 struct cni_err *err);
int netlink_link_set_mtu(struct netlink *nl, int ifindex, int mtu, struct cni_err *err);
/*
 * Move link @ifindex into the netns @netns_fd, renaming it to @newname there (NULL: keep the
 * name). On success *ret_ifindex (may be NULL) is the ifindex in the target namespace.
 */
int netlink_link_move(struct netlink *nl, int ifindex, int netns_fd, const char *newname,
		      int *ret_ifindex, struct cni_err *err);
/* Add the alternative name @altname (1..127 bytes) to link @ifindex (RTM_NEWLINKPROP). */
int netlink_altname_add(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err);
/* Remove the alternative name @altname from link @ifindex (RTM_DELLINKPROP). */
int netlink_altname_del(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err);

/* Add an address (IFA_F_NODAD not set; -EEXIST when present). */
int netlink_addr_add(struct netlink *nl, int ifindex, const struct ipprefix *addr,
		     struct cni_err *err);
/* List the addresses on @ifindex (both families) into @ret, up to @max; *ret_n gets the count. */
int netlink_addr_list(struct netlink *nl, int ifindex, struct ipprefix *ret, int max, int *ret_n,
		      struct cni_err *err);
/* Add a route via @ifindex (-EEXIST when present). */
int netlink_route_add(struct netlink *nl, int ifindex, const struct cni_route *route,
		      struct cni_err *err);
/* Does a route to route->dst via @ifindex (and gw when set) exist in the main table (or route->table)? */
int netlink_route_exists(struct netlink *nl, int ifindex, const struct cni_route *route,
			 bool *ret_exists, struct cni_err *err);

#endif
