/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netlink.c: the rtnetlink exchange (libmnl: one socket, exact errnos, extack text); links,
 * addresses and routes as libnl-route-3 objects; altnames and the VF verbs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "sriov/cleanup.h"
#include "sriov/cni.h"
#include "sriov/conf.h"
#include "sriov/netns.h"
#include "netlink_int.h"

/* A PF's VF list is one attribute (16-bit length), dump parts are <= 32 KiB: all fit. */
#define NETLINK_RBUF (96 * 1024)

int netlink_open(int netns_fd, struct netlink **ret, struct cni_err *err)
{
	_cleanup_(netns_leave) int saved = -1;
	_cleanup_netlink_ struct netlink *nl = malloc(sizeof(*nl) + NETLINK_RBUF);
	int one = 1, r;

	if (!nl)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "netlink: out of memory");
	memset(nl, 0, sizeof(*nl));
	nl->seq = (unsigned int)time(NULL);
	/* A netlink socket stays bound to the netns it was created in, whatever we do later. */
	r = netns_fd >= 0 ? netns_enter(netns_fd, &saved, err) : 0;
	if (r < 0)
		return err_wrap(err, "open netlink socket");
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		return err_set(err, errno, CNI_ERR_INTERNAL, "open netlink socket: %s",
			       strerror(errno));
	netns_leave(&saved);
	nl->portid = mnl_socket_get_portid(nl->sock);
	/* Extended ACK (4.12) carries the kernel's error text; CAP_ACK (4.3) spares the echo. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Strict checking (Linux 4.20) lets the kernel filter address and route dumps. */
	nl->strict =
		mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) == 0;
	*ret = TAKE_PTR(nl);
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (nl && nl->sock)
		(void)mnl_socket_close(nl->sock);
	free(nl);
}

/* One datagram into nl->rbuf: its length or a negative errno. Only the kernel may answer. */
static ssize_t netlink_recv(struct netlink *nl, int flags)
{
	for (;;) {
		struct sockaddr_nl sa = { 0 };
		struct iovec iov = { .iov_base = nl->rbuf, .iov_len = NETLINK_RBUF };
		struct msghdr mh = {
			.msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1
		};
		ssize_t n = recvmsg(mnl_socket_get_fd(nl->sock), &mh, flags);

		if (n < 0 && errno != EINTR)
			return -errno;
		if (n >= 0 && (mh.msg_flags & MSG_TRUNC))
			return -EMSGSIZE;
		if (n >= 0 && mh.msg_namelen == sizeof(sa) && sa.nl_pid == 0)
			return n;
	}
}

/*
 * NLMSG_ERROR (0 is the ACK) and NLMSG_DONE (a dump that fails part-way reports the error
 * there, Linux 4.13+) both start with the error as an int; TLVs such as the extack text
 * (4.12) follow, capped: NETLINK_CAP_ACK (4.3) leaves our request out of the ACK.
 */
static int netlink_ctl_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t hlen = nlh->nlmsg_type == NLMSG_ERROR ? sizeof(*e) : sizeof(int);
	struct netlink_talk *t = data;
	const struct nlattr *a;

	if (mnl_nlmsg_get_payload_len(nlh) < hlen) {
		t->kerr = nlh->nlmsg_type == NLMSG_ERROR ? EBADMSG : 0;
		return t->kerr ? MNL_CB_ERROR : MNL_CB_STOP;
	}
	if (e->error == 0 || (nlh->nlmsg_type == NLMSG_DONE && e->error > 0))
		return MNL_CB_STOP;
	t->kerr = e->error < 0 ? -e->error : e->error;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS)
		mnl_attr_for_each(a, nlh, hlen) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				snprintf(t->extack, sizeof(t->extack), "%s", mnl_attr_get_str(a));
		}
	t->extack[strcspn(t->extack, "\n")] = '\0'; /* some end in a newline: one line */
	return MNL_CB_ERROR;
}

static int netlink_fail(struct cni_err *err, int e, const char *what, const char *extack)
{
	err_set(err, e,
		e == EBUSY || e == EAGAIN || e == EINTR ? CNI_ERR_TRY_AGAIN : CNI_ERR_INTERNAL,
		"%s%s", what, strerror(e));
	if (extack && extack[0])
		err_details(err, "%s", extack);
	return -e;
}

int netlink_talk(struct netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, struct netlink_talk *t,
		 struct cni_err *err)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = netlink_ctl_cb, [NLMSG_DONE] = netlink_ctl_cb
	};
	struct netlink_talk none = { 0 };
	unsigned int seq = ++nl->seq ? nl->seq : ++nl->seq;
	ssize_t n = 0;
	int r = MNL_CB_OK, e;

	t = t ? t : &none; /* a fresh one per exchange */
	t->err = err;
	t->kerr = 0;
	/* libnl adds NLM_F_REQUEST only when it sends; without it the kernel only ACKs. */
	nlh->nlmsg_flags |= NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return netlink_fail(err, errno, "", NULL);
	/* libmnl checks the sequence number and port id of every message. */
	while (r != MNL_CB_ERROR && (n = netlink_recv(nl, 0)) >= 0) {
		errno = 0;
		r = mnl_cb_run2(nl->rbuf, (size_t)n, seq, nl->portid, cb, t, ctl, ARRAY_SIZE(ctl));
		if (r == MNL_CB_STOP)
			return 0;
	}
	e = errno ? errno : EBADMSG;
	/*
	 * Read away the rest of a failed exchange (an ACK, a dump's tail) for the next one. The
	 * kernel's own error message ends its answer: nothing follows it.
	 */
	if (!(r == MNL_CB_ERROR && t->kerr))
		for (int i = 0; i < 4096 && netlink_recv(nl, MSG_DONTWAIT) >= 0; i++)
			;
	if (r != MNL_CB_ERROR)
		return netlink_fail(err, (int)-n, "receive netlink reply: ", NULL);
	if (t->kerr)
		return netlink_fail(err, t->kerr, "", t->extack);
	/* libmnl refused the reply: EPROTO (seq), ESRCH (port), EINTR (dump interrupted). */
	return netlink_fail(err, e, "bad netlink reply: ", NULL);
}

int netlink_request(struct netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, struct netlink_talk *t,
		    int ifindex, const char *what, struct cni_err *err)
{
	char label[IFNAMSIZ + 16];
	int r = nlh ? netlink_talk(nl, nlh, cb, t, err) : netlink_fail(err, ENOMEM, "", NULL);

	if (r < 0 && what)
		return err_wrap(err, "%s %s", what,
				netlink_link_label(nl, ifindex, label, sizeof(label)));
	return r;
}

/* Fill @ret from an RTM_NEWLINK message through libnl; -EBADMSG when malformed. */
static int netlink_parse_link(const struct nlmsghdr *nlh, struct netlink_link *ret)
{
	_cleanup_(netlink_objp) struct rtnl_link *link = NULL;
	struct netlink_link l = { .num_vf = -1 };
	const struct nlattr *a, *b;
	struct nl_addr *mac;
	int r = netlink_object_parse(nlh, (struct nl_object **)&link);

	if (r < 0)
		return r;
	l.ifindex = rtnl_link_get_ifindex(link);
	l.flags = rtnl_link_get_flags(link);
	l.mtu = (int)rtnl_link_get_mtu(link);
	snprintf(l.name, sizeof(l.name), "%s", rtnl_link_get_name(link));
	/* Only Ethernet-sized addresses are kept; others report mac_len 0. */
	mac = rtnl_link_get_addr(link);
	if (mac && nl_addr_get_len(mac) <= sizeof(l.mac)) {
		l.mac_len = (int)nl_addr_get_len(mac);
		memcpy(l.mac, nl_addr_get_binary_addr(mac), (size_t)l.mac_len);
	}
	if (rtnl_link_get_num_vf(link, (uint32_t *)&l.num_vf) < 0)
		l.num_vf = -1;
	/* libnl 3.7 does not know IFLA_PROP_LIST (altnames, Linux 5.5): read it here. */
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) != IFLA_PROP_LIST)
			continue;
		mnl_attr_for_each_nested(b, a) {
			if (mnl_attr_get_type(b) == IFLA_ALT_IFNAME &&
			    mnl_attr_validate(b, MNL_TYPE_NUL_STRING) == 0 &&
			    l.n_altnames < NETLINK_MAX_ALTNAMES)
				snprintf(l.altnames[l.n_altnames++], NETLINK_ALTNAMSIZ, "%s",
					 mnl_attr_get_str(b));
		}
	}
	*ret = l;
	return 0;
}

/* One RTM_GETLINK: the link (vf < 0) or VF @vf of the PF's VF table. */
struct netlink_get {
	struct netlink_talk t;
	long vf;
	struct netlink_link link;
	struct vf_info info;
	int r;
};

/* The reply is the link alone (no ACK asked for): the exchange ends with it. */
static int netlink_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_get *g = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	if (g->vf >= 0)
		g->r = netlink_parse_vf_reply(nlh, nlh->nlmsg_len, (unsigned int)g->vf, &g->info,
					      g->t.err);
	else if ((g->r = netlink_parse_link(nlh, &g->link)) < 0)
		err_set(g->t.err, -g->r, CNI_ERR_INTERNAL, "malformed RTM_NEWLINK reply");
	return MNL_CB_STOP;
}

/*
 * RTM_GETLINK by ifindex, else by name, built here: libnl's request always asks for the VF
 * table with per-VF stats (costly on a PF with many VFs) and cannot look up an altname.
 */
static int netlink_getlink(struct netlink *nl, int ifindex, const char *name, struct netlink_get *g,
			   struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_GETLINK, 0);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	size_t len = name ? strlen(name) : 0;
	int r;

	ifi->ifi_index = ifindex > 0 ? ifindex : 0;
	if (ifindex <= 0 && (len == 0 || len >= NETLINK_ALTNAMSIZ))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "invalid name \"%s\"",
			       name ? name : "");
	/* IFLA_IFNAME also matches altnames (5.5+); no VF list without RTEXT_FILTER_VF. */
	if (ifindex <= 0)
		mnl_attr_put_strz(nlh, len < IFNAMSIZ ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK,
			 RTEXT_FILTER_SKIP_STATS | (g->vf >= 0 ? RTEXT_FILTER_VF : 0));
	r = netlink_talk(nl, nlh, netlink_get_cb, &g->t, err);
	return r < 0 ? r : g->r;
}

int netlink_link_get(struct netlink *nl, int ifindex, const char *name, struct netlink_link *ret,
		     struct cni_err *err)
{
	struct netlink_get g = { .vf = -1 };
	int r = netlink_getlink(nl, ifindex, name, &g, err);

	if (r < 0 && ifindex > 0)
		return err_wrap(err, "%s with ifindex %d", r == -ENODEV ? "no link" : "get link",
				ifindex);
	if (r < 0)
		return err_wrap(err, "%s %s", r == -ENODEV ? "no link" : "get link",
				name ? name : "");
	*ret = g.link;
	return 0;
}

const char *netlink_link_label(struct netlink *nl, int ifindex, char *buf, size_t len)
{
	struct netlink_link l;
	struct cni_err e = { 0 };

	if (netlink_link_get(nl, ifindex, NULL, &l, &e) == 0)
		snprintf(buf, len, "%s", l.name);
	else
		snprintf(buf, len, "ifindex %d", ifindex);
	return buf;
}

/* netlink_link_set(), and into the netns @netns_fd when that is not -1 (errors then bare). */
static int netlink_link_change(struct netlink *nl, int ifindex, const struct netlink_link_change *c,
			       int netns_fd, struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_link *orig = rtnl_link_alloc(), *l = rtnl_link_alloc();
	_cleanup_(netlink_addrp) struct nl_addr *a =
		c->mac ? nl_addr_build(AF_LLC, c->mac, 6) : NULL;
	_cleanup_(netlink_msgp) struct nl_msg *msg = NULL;
	char what[96], mac[18] = "", mtu[16] = "";
	const char *up = c->up > 0 ? " state up" : " state down";

	if (c->mtu)
		snprintf(mtu, sizeof(mtu), " MTU %d", c->mtu);
	snprintf(what, sizeof(what), "set%s%.15s%s%s%s%s on link", c->name ? " name " : "",
		 c->name ? c->name : "", c->mac ? " MAC " : "",
		 c->mac ? conf_mac_str(c->mac, mac) : "", mtu, c->up ? up : "");
	if (ifindex <= 0 || (c->name && !cni_valid_ifname(c->name)) || c->mtu < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s %d: invalid value", what,
			       ifindex);
	if (orig && l && (a || !c->mac)) {
		rtnl_link_set_ifindex(orig, ifindex);
		if (c->name)
			rtnl_link_set_name(l, c->name);
		if (a)
			rtnl_link_set_addr(l, a);
		if (c->mtu)
			rtnl_link_set_mtu(l, (unsigned int)c->mtu);
		if (c->up)
			(c->up > 0 ? rtnl_link_set_flags : rtnl_link_unset_flags)(l, IFF_UP);
		if (netns_fd >= 0)
			rtnl_link_set_ns_fd(l, netns_fd);
		if (rtnl_link_build_change_request(orig, l, NLM_F_ACK, &msg) < 0)
			msg = NULL;
	}
	return netlink_request(nl, msg ? nlmsg_hdr(msg) : NULL, NULL, NULL, ifindex,
			       netns_fd < 0 ? what : NULL, err);
}

int netlink_link_set(struct netlink *nl, int ifindex, const struct netlink_link_change *c,
		     struct cni_err *err)
{
	return netlink_link_change(nl, ifindex, c, -1, err);
}

int netlink_link_move_get(struct netlink *nl, int ifindex, int netns_fd, struct netlink *target,
			  const char *newname, struct netlink_link *ret, struct cni_err *err)
{
	struct netlink_link cur = { 0 }, moved;
	struct cni_err e2 = { 0 };
	int r = newname ? 0 : netlink_link_get(nl, ifindex, NULL, &cur, err);

	if (r < 0)
		return err_wrap(err, "move link");
	newname = newname ? newname : cur.name;
	/*
	 * Move and rename in one message: the kernel moves first and renames inside the target,
	 * so the device never appears in the pod under a name that clashes there.
	 */
	r = netlink_link_change(nl, ifindex, &(struct netlink_link_change){ .name = newname },
				netns_fd, err);
	/* do_setlink() never undoes a move when the rename after it fails. */
	if (r < 0 && netlink_link_get(nl, ifindex, NULL, &cur, &e2) == 0)
		return err_wrap(err, "move link %s into netns as %s", cur.name, newname);
	if (r < 0)
		return err_wrap(err, "move link with ifindex %d into netns as %s%s", ifindex,
				newname,
				e2.errnum == ENODEV ? " (moved, but the rename failed)" : "");
	/* The kernel keeps the ifindex unless the target uses it: ask there, by the name. */
	r = netlink_link_get(target, 0, newname, &moved, err);
	if (r < 0)
		return err_wrap(err, "move link with ifindex %d: verify in target netns", ifindex);
	if (ret)
		*ret = moved;
	return 0;
}

/* RTM_DELLINKPROP, built here: libnl 3.7 has no request for link properties. */
int netlink_altname_del(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err)
{
	const size_t len = altname ? strlen(altname) : 0;
	char buf[NETLINK_REQ_SIZE], what[NETLINK_ALTNAMSIZ + 32];
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_DELLINKPROP, NLM_F_ACK);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	struct nlattr *props;

	if (ifindex <= 0 || len == 0 || len >= NETLINK_ALTNAMSIZ)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL,
			       "delete altname \"%s\": invalid argument", altname ? altname : "");
	ifi->ifi_index = ifindex;
	props = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, altname);
	mnl_attr_nest_end(nlh, props);
	snprintf(what, sizeof(what), "delete altname %s on link", altname);
	return netlink_request(nl, nlh, NULL, NULL, ifindex, what, err);
}

int netlink_vf_get(struct netlink *nl, int pf_ifindex, unsigned int vf, struct vf_info *ret,
		   struct cni_err *err)
{
	struct netlink_get g = { .vf = vf };
	int r = netlink_getlink(nl, pf_ifindex, NULL, &g, err);

	if (r < 0)
		return err_wrap(err, "get VF %u of PF ifindex %d", vf, pf_ifindex);
	*ret = g.info;
	return 0;
}

int netlink_vf_set_many(struct netlink *nl, int pf_ifindex, unsigned int vf,
			const enum netlink_vf_attr *which, size_t n, const struct vf_info *val,
			struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE], pf[IFNAMSIZ + 16], desc[96 * NETLINK_VF_N_ATTRS];
	size_t len = 0;
	int r = -EBUSY;

	/* The kernel refuses a VF index >= INT_MAX or no PF ifindex with EINVAL itself. */
	for (size_t i = 0; i < n; i++)
		if (which[i] >= NETLINK_VF_N_ATTRS)
			return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set VF %u: no attribute %d",
				       vf, which[i]);
	if (n == 0 || n > NETLINK_VF_N_ATTRS)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set VF %u: %zu attributes", vf, n);
	netlink_vf_request(which, n, pf_ifindex, vf, val, buf);
	/* EBUSY/EAGAIN while the PF resets or a VF mailbox message is in flight: soon gone. */
	for (int i = 0; i < 5 && (r == -EBUSY || r == -EAGAIN); i++) {
		struct timespec ts = { 0, (10L << i) * 1000000L };

		if (i > 0)
			(void)nanosleep(&ts, NULL);
		r = netlink_talk(nl, (struct nlmsghdr *)buf, NULL, NULL, err);
	}
	if (r == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char one[96];

		netlink_vf_attr_describe(which[i], val, one, sizeof(one));
		len += (size_t)snprintf(desc + len, sizeof(desc) - len, "%s%s", i ? ", " : "", one);
	}
	return err_wrap(err, "VF %u of %s: set %s", vf,
			netlink_link_label(nl, pf_ifindex, pf, sizeof(pf)), desc);
}

/* A libnl address from @a (NULL: the empty address of @family) with prefix length @plen. */
static struct nl_addr *netlink_nladdr(int family, const struct ipaddr *a, int plen)
{
	struct nl_addr *n =
		a ? nl_addr_build(family, a->a, (size_t)ipaddr_len(a)) : nl_addr_alloc(0);

	if (n) {
		nl_addr_set_family(n, family);
		nl_addr_set_prefixlen(n, plen);
	}
	return n;
}

/*
 * CHECK's question: does the dump @nlh hold an object that @filter matches, as libnl compares
 * them (the attributes @filter sets)? Strict kernels (4.20+) filter the dump already.
 */
struct netlink_match {
	struct netlink_talk t;
	struct nl_object *filter;
	bool found;
};

static int netlink_match_cb(const struct nlmsghdr *nlh, void *data)
{
	_cleanup_(netlink_objp) struct nl_object *o = NULL;
	struct netlink_match *m = data;

	if (!m->found && netlink_object_parse(nlh, &o) == 0)
		m->found = nl_object_match_filter(o, m->filter);
	return MNL_CB_OK;
}

static int netlink_exists(struct netlink *nl, struct nlmsghdr *nlh, void *filter, int ifindex,
			  const char *what, bool *ret_exists, struct cni_err *err)
{
	struct netlink_match m = { .filter = filter };
	int r = netlink_request(nl, nlh, netlink_match_cb, &m.t, ifindex, what, err);

	/* A filtered dump of a routing table that was never created fails with ENOENT. */
	if (r == 0 || (r == -ENOENT && nl->strict))
		*ret_exists = m.found;
	return r == -ENOENT && nl->strict ? 0 : r;
}

/* The address @addr on @ifindex, in *ret: what CHECK matches. @what describes it. */
static int netlink_addr_obj(int ifindex, const struct ipprefix *addr, const char *verb, char *what,
			    struct rtnl_addr **ret, struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_addr *a = rtnl_addr_alloc();
	_cleanup_(netlink_addrp) struct nl_addr *local = NULL;
	int alen = addr ? ipaddr_len(&addr->addr) : 0;
	char s[IPPREFIX_STRLEN];

	snprintf(what, IPPREFIX_STRLEN + 32, "%s address %s on link", verb,
		 addr ? ipprefix_str(addr, s) : "");
	if (ifindex <= 0 || !alen || addr->len < 0 || addr->len > alen * 8)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "%s %d: invalid argument", what,
			       ifindex);
	local = netlink_nladdr(addr->addr.family, &addr->addr, addr->len);
	if (!a || !local || rtnl_addr_set_local(a, local) < 0)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "%s: out of memory", what);
	rtnl_addr_set_ifindex(a, ifindex);
	*ret = TAKE_PTR(a);
	return 0;
}

int netlink_addr_add(struct netlink *nl, int ifindex, const struct ipprefix *addr,
		     struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_addr *a = NULL;
	_cleanup_(netlink_addrp) struct nl_addr *brd = NULL;
	_cleanup_(netlink_msgp) struct nl_msg *msg = NULL;
	char what[IPPREFIX_STRLEN + 32];
	struct ipaddr b;
	uint32_t host;
	int r = netlink_addr_obj(ifindex, addr, "add", what, &a, err);

	if (r < 0)
		return r;
	/* As "ip addr add ... brd +": /31 and /32 have no broadcast address (RFC 3021). */
	if (addr->addr.family == AF_INET && addr->len < 31) {
		b = addr->addr;
		memcpy(&host, b.a, 4);
		host |= htonl(addr->len ? 0xffffffffu >> addr->len : 0xffffffffu);
		memcpy(b.a, &host, 4);
		brd = netlink_nladdr(AF_INET, &b, 32);
		if (!brd || rtnl_addr_set_broadcast(a, brd) < 0)
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "%s: out of memory", what);
	}
	rtnl_addr_set_scope(a, RT_SCOPE_UNIVERSE);
	if (rtnl_addr_build_add_request(a, NLM_F_ACK | NLM_F_EXCL, &msg) < 0)
		msg = NULL;
	return netlink_request(nl, msg ? nlmsg_hdr(msg) : NULL, NULL, NULL, ifindex, what, err);
}

int netlink_addr_exists(struct netlink *nl, int ifindex, const struct ipprefix *addr,
			bool *ret_exists, struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_addr *filter = NULL;
	char buf[NETLINK_REQ_SIZE], what[IPPREFIX_STRLEN + 32];
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	int r = netlink_addr_obj(ifindex, addr, "check", what, &filter, err);

	if (r < 0)
		return r;
	ifa->ifa_index = (uint32_t)ifindex;
	return netlink_exists(nl, nlh, filter, ifindex, what, ret_exists, err);
}

/* What netlink_arp_source() looks for in the link's address dump. */
struct netlink_arp_source {
	struct netlink_talk t;
	int ifindex;
	struct ipaddr target;
	struct ipaddr found, first;
	bool unsure; /* an address we cannot judge: say nothing */
};

/* inet_select_addr()'s choice, message by message (the dump lists addresses in its order). */
static int netlink_arp_source_cb(const struct nlmsghdr *nlh, void *data)
{
	_cleanup_(netlink_objp) struct rtnl_addr *a = NULL;
	struct netlink_arp_source *s = data;
	struct ipprefix p = { .addr.family = AF_INET };
	struct nl_addr *local, *peer;

	if (netlink_object_parse(nlh, (struct nl_object **)&a) < 0) {
		s->unsure = true;
		return MNL_CB_OK;
	}
	/* Without strict checking (before 4.20) the dump holds every link's addresses. */
	if (s->found.family || rtnl_addr_get_ifindex(a) != s->ifindex ||
	    rtnl_addr_get_family(a) != AF_INET || (rtnl_addr_get_flags(a) & IFA_F_SECONDARY))
		return MNL_CB_OK;
	/* route_localnet lets host-scope addresses be chosen too: not a case to guess. */
	if (rtnl_addr_get_scope(a) > RT_SCOPE_LINK) {
		s->unsure = true;
		return MNL_CB_OK;
	}
	/* inet_ifa_match() compares with the peer's prefix when there is one. */
	local = rtnl_addr_get_local(a);
	peer = rtnl_addr_get_peer(a);
	p.len = rtnl_addr_get_prefixlen(a);
	if (!local || nl_addr_get_len(local) != 4 || (peer && nl_addr_get_len(peer) != 4) ||
	    p.len < 0 || p.len > 32) {
		s->unsure = true;
		return MNL_CB_OK;
	}
	memcpy(p.addr.a, nl_addr_get_binary_addr(peer ? peer : local), 4);
	if (!s->first.family) {
		s->first.family = AF_INET;
		memcpy(s->first.a, nl_addr_get_binary_addr(local), 4);
	}
	if (ipprefix_contains(&p, &s->target)) {
		s->found.family = AF_INET;
		memcpy(s->found.a, nl_addr_get_binary_addr(local), 4);
	}
	return MNL_CB_OK;
}

int netlink_arp_source(struct netlink *nl, int ifindex, const struct ipaddr *target,
		       struct ipaddr *ret, struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_GETADDR, NLM_F_DUMP);
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	struct netlink_arp_source s = { .ifindex = ifindex, .target = *target };
	int r;

	if (ifindex <= 0 || target->family != AF_INET)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "ARP source: invalid argument");
	ifa->ifa_family = AF_INET;
	ifa->ifa_index = (uint32_t)ifindex;
	r = netlink_request(nl, nlh, netlink_arp_source_cb, &s.t, ifindex, "list addresses of",
			    err);
	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	if (s.unsure)
		return 0;
	if (s.found.family)
		*ret = s.found;
	else if (s.first.family)
		*ret = s.first;
	return 0;
}

int netlink_neigh_probe(struct netlink *nl, int ifindex, const struct ipaddr *ip,
			struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE], s[IPADDR_STRLEN], what[IPADDR_STRLEN + 32];
	/* NLM_F_EXCL: an entry already there (valid, or being resolved) would send nothing. */
	struct nlmsghdr *nlh =
		netlink_msg(buf, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK);
	struct ndmsg *ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	int alen = ipaddr_len(ip);

	if (ifindex <= 0 || !alen)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "neighbour probe: invalid argument");
	ndm->ndm_family = (uint8_t)ip->family;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NONE;
	ndm->ndm_flags = NTF_USE;
	mnl_attr_put(nlh, NDA_DST, (size_t)alen, ip->a);
	snprintf(what, sizeof(what), "probe neighbour %s on", ipaddr_str(ip, s));
	return netlink_request(nl, nlh, NULL, NULL, ifindex, what, err);
}

/*
 * The route to @rt's destination in its table via @ifindex (and gateway), in *ret: what
 * CHECK matches and ADD completes. @what describes it. Code 7 for a route CNI cannot mean
 * (mixed families: the gateway would need RTA_VIA).
 */
static int netlink_route_obj(const struct cni_route *rt, int ifindex, const char *verb,
			     char what[2 * IPADDR_STRLEN + 32], struct rtnl_route **ret,
			     struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_route *route = rtnl_route_alloc();
	_cleanup_(netlink_addrp) struct nl_addr *dst = NULL, *gw = NULL;
	struct ipprefix p = { .addr = rt->dst.addr, .len = rt->dst.addr.family ? rt->dst.len : 0 };
	int family = p.addr.family ? p.addr.family : rt->gw.family;
	int alen = ipaddr_len(&(struct ipaddr){ .family = family });
	struct ipaddr net = ipprefix_network(&p);
	char d[IPPREFIX_STRLEN] = "default", g[IPADDR_STRLEN] = "";
	struct rtnl_nexthop *nh;

	if (p.addr.family)
		ipprefix_str(&rt->dst, d);
	if (ipaddr_len(&rt->gw))
		ipaddr_str(&rt->gw, g);
	snprintf(what, 2 * IPADDR_STRLEN + 32, "%s route %s%s%s dev", verb, d, g[0] ? " via " : "",
		 g);
	if (ifindex <= 0 || !alen || rt->scope > 255 ||
	    (rt->gw.family && rt->gw.family != family) || p.len < 0 || p.len > alen * 8)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s: invalid route", what);
	dst = netlink_nladdr(family, p.len > 0 ? &net : NULL, p.len);
	gw = rt->gw.family ? netlink_nladdr(family, &rt->gw, alen * 8) : NULL;
	nh = route && dst && (gw || !rt->gw.family) ? rtnl_route_nh_alloc() : NULL;
	if (!nh || rtnl_route_set_dst(route, dst) < 0) {
		if (nh)
			rtnl_route_nh_free(nh);
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "%s: out of memory", what);
	}
	rtnl_route_set_table(route, rt->table > 0 ? (uint32_t)rt->table : RT_TABLE_MAIN);
	rtnl_route_nh_set_ifindex(nh, ifindex);
	if (gw)
		rtnl_route_nh_set_gateway(nh, gw);
	rtnl_route_add_nexthop(route, nh);
	*ret = TAKE_PTR(route);
	return 0;
}

int netlink_route_add(struct netlink *nl, int ifindex, const struct cni_route *route,
		      struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_route *obj = NULL;
	_cleanup_(netlink_msgp) struct nl_msg *msg = NULL;
	char what[2 * IPADDR_STRLEN + 32];
	int r = netlink_route_obj(route, ifindex, "add", what, &obj, err);
	/* IPv4 without a gateway is on-link ("ip route add ... dev X"); IPv6 universe. */
	uint8_t scope = route->gw.family || !obj || rtnl_route_get_family(obj) != AF_INET ?
				RT_SCOPE_UNIVERSE :
				RT_SCOPE_LINK;

	if (r < 0)
		return r;
	rtnl_route_set_protocol(obj, RTPROT_BOOT);
	rtnl_route_set_scope(obj, route->scope >= 0 ? (uint8_t)route->scope : scope);
	if (route->priority >= 0)
		rtnl_route_set_priority(obj, (uint32_t)route->priority);
	if (route->mtu > 0)
		(void)rtnl_route_set_metric(obj, RTAX_MTU, (unsigned int)route->mtu);
	if (route->advmss > 0)
		(void)rtnl_route_set_metric(obj, RTAX_ADVMSS, (unsigned int)route->advmss);
	if (rtnl_route_build_add_request(obj, NLM_F_ACK | NLM_F_EXCL, &msg) < 0)
		msg = NULL;
	return netlink_request(nl, msg ? nlmsg_hdr(msg) : NULL, NULL, NULL, ifindex, what, err);
}

int netlink_route_exists(struct netlink *nl, int ifindex, const struct cni_route *route,
			 bool *ret_exists, struct cni_err *err)
{
	_cleanup_(netlink_objp) struct rtnl_route *filter = NULL;
	char buf[NETLINK_REQ_SIZE], what[2 * IPADDR_STRLEN + 32];
	struct nlmsghdr *nlh = netlink_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
	struct rtmsg *rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	int r = netlink_route_obj(route, ifindex, "check", what, &filter, err);

	if (r < 0)
		return r;
	rtm->rtm_family = (uint8_t)rtnl_route_get_family(filter);
	mnl_attr_put_u32(nlh, RTA_TABLE, rtnl_route_get_table(filter));
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	return netlink_exists(nl, nlh, filter, ifindex, what, ret_exists, err);
}
