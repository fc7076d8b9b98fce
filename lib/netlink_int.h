/* SPDX-License-Identifier: Apache-2.0 */
/* netlink_int.h: what lib/netlink*.c share; nothing outside them includes it. */
#ifndef SRIOV_NETLINK_INT_H
#define SRIOV_NETLINK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <netlink/addr.h>
#include <netlink/msg.h>
#include <netlink/object.h>

#include "sriov/netlink.h"

/* Requests are small: a header, one struct and a few attributes. */
#define NETLINK_REQ_SIZE 4096

struct netlink {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	bool strict; /* NETLINK_GET_STRICT_CHK accepted: the kernel filters dumps for us */
	_Alignas(8) char rbuf[]; /* for replies: NETLINK_RBUF bytes */
};

/* Cleanup for libnl objects (rtnl_link, rtnl_addr, rtnl_route), addresses and messages. */
static inline void netlink_objp(void *p)
{
	struct nl_object **o = p;

	if (*o)
		nl_object_put(*o);
}
static inline void netlink_addrp(struct nl_addr **a)
{
	if (*a)
		nl_addr_put(*a);
}
static inline void netlink_msgp(struct nl_msg **m)
{
	if (*m)
		nlmsg_free(*m);
}

/* One exchange's outcome; the first member of a data callback's context (its @data). */
struct netlink_talk {
	int kerr; /* positive errno from NLMSG_ERROR or NLMSG_DONE */
	char extack[256];
	struct cni_err *err; /* the exchange's, for data callbacks that fail */
};

/*
 * Send @nlh (its seq is set here) and feed every reply message to @cb (NULL: none) with @t,
 * until the ACK or NLMSG_DONE. Fills @err with strerror() and the extack text in details.
 */
int netlink_talk(struct netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, struct netlink_talk *t,
		 struct cni_err *err);
/* A zeroed request of @type with NLM_F_REQUEST | @flags in @buf (NETLINK_REQ_SIZE bytes). */
static inline struct nlmsghdr *netlink_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, NETLINK_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}
/*
 * netlink_talk() for a request about link @ifindex (@nlh NULL: it could not be built, out of
 * memory); failures read "<what> <link name>: <reason>" (@what NULL: "<reason>"). An
 * interrupted dump (the table changed meanwhile) fails with EINTR, code 11.
 */
int netlink_request(struct netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, struct netlink_talk *t,
		    int ifindex, const char *what, struct cni_err *err);
/* Best-effort name of @ifindex for messages; "ifindex N" when it cannot be read. */
const char *netlink_link_label(struct netlink *nl, int ifindex, char *buf, size_t len);
/* Parse one rtnetlink message into its libnl-route-3 object; -EBADMSG or -ENOMEM. */
int netlink_object_parse(const struct nlmsghdr *nlh, struct nl_object **ret);
/*
 * The request that sets attributes @which[0..@n) of VF @vf on the PF @pf_ifindex to their
 * values in @val, all in one IFLA_VF_INFO, into @buf.
 */
void netlink_vf_request(const enum netlink_vf_attr *which, size_t n, int pf_ifindex,
			unsigned int vf, const struct vf_info *val, char *buf);

#endif
