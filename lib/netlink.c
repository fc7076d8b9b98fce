/* SPDX-License-Identifier: Apache-2.0 */
/* netlink.c: the only rtnetlink user: links, VF get/set, moves, altnames, addresses, routes. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <libmnl/libmnl.h>

#include "sriov/cleanup.h"
#include "sriov/netlink.h"
#include "sriov/netns.h"

/* Replies for a PF grow with its VF count; start at 32 KiB and grow on MSG_PEEK|MSG_TRUNC. */
#define NETLINK_RBUF_MIN (32 * 1024)
#define NETLINK_RBUF_MAX (16 * 1024 * 1024)
/* Requests are small: a header, one struct and a few attributes. */
#define NETLINK_REQ_SIZE 4096
/* Bounded retries for interrupted dumps and transiently busy drivers. */
#define NETLINK_DUMP_TRIES 5
#define NETLINK_BUSY_TRIES 5
#define NETLINK_ALTNAME_MAX (NETLINK_ALTNAMSIZ - 1)

struct netlink {
	struct mnl_socket *sock;
	unsigned int portid;
	unsigned int seq;
	char *rbuf;
	size_t rbuf_len;
	bool strict; /* NETLINK_GET_STRICT_CHK accepted: the kernel filters dumps for us */
};

/* State of one request/reply exchange, shared by the data and control callbacks. */
struct netlink_talk {
	mnl_cb_t cb;
	void *data;
	int kerr; /* positive errno from NLMSG_ERROR or NLMSG_DONE */
	bool cb_failed; /* a data callback failed and filled the caller's err itself */
	char extack[256];
};

int netlink_open(int netns_fd, struct netlink **ret, struct cni_err *err)
{
	_cleanup_(netns_leave) int saved = -1;
	struct netlink *nl;
	int one = 1;
	int r;

	nl = calloc(1, sizeof(*nl));
	if (!nl)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "netlink: out of memory");
	nl->rbuf_len = NETLINK_RBUF_MIN;
	nl->rbuf = malloc(nl->rbuf_len);
	if (!nl->rbuf) {
		netlink_close(nl);
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "netlink: out of memory");
	}
	nl->seq = (unsigned int)time(NULL);

	/* A netlink socket stays bound to the netns it was created in, whatever we do later. */
	if (netns_fd >= 0) {
		r = netns_enter(netns_fd, &saved, err);
		if (r < 0) {
			netlink_close(nl);
			return err_wrap(err, "open netlink socket");
		}
	}
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		netlink_close(nl);
		return err_set(err, e, CNI_ERR_INTERNAL, "open netlink socket: %s", strerror(e));
	}
	netns_leave(&saved);
	nl->portid = mnl_socket_get_portid(nl->sock);

	/* Extended ACK (Linux 4.12) carries the kernel's error text; older kernels lack it. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one)) < 0 &&
	    errno != ENOPROTOOPT) {
		int e = errno;

		netlink_close(nl);
		return err_set(err, e, CNI_ERR_INTERNAL, "netlink: set NETLINK_EXT_ACK: %s",
			       strerror(e));
	}
	/* Only the error header comes back, not a copy of our request. */
	(void)mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Strict checking (Linux 4.20) lets the kernel filter address and route dumps. */
	if (mnl_socket_setsockopt(nl->sock, NETLINK_GET_STRICT_CHK, &one, sizeof(one)) == 0)
		nl->strict = true;

	*ret = nl;
	return 0;
}

void netlink_close(struct netlink *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		(void)mnl_socket_close(nl->sock);
	free(nl->rbuf);
	free(nl);
}

/*
 * Receive one datagram from the kernel into nl->rbuf, growing the buffer to fit: peek at the
 * real size first (MSG_PEEK|MSG_TRUNC returns it), then read. A truncated read is an error,
 * never a partial parse. Returns the length or a negative errno.
 */
static ssize_t netlink_recv(struct netlink *nl, int flags)
{
	int fd = mnl_socket_get_fd(nl->sock);

	for (;;) {
		struct sockaddr_nl sa = { 0 };
		struct iovec iov = { .iov_base = nl->rbuf, .iov_len = nl->rbuf_len };
		struct msghdr mh = {
			.msg_name = &sa,
			.msg_namelen = sizeof(sa),
			.msg_iov = &iov,
			.msg_iovlen = 1,
		};
		ssize_t n;

		n = recvmsg(fd, &mh, MSG_PEEK | MSG_TRUNC | flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n > nl->rbuf_len) {
			size_t want = ((size_t)n + 4095) & ~(size_t)4095;
			char *p;

			if (want > NETLINK_RBUF_MAX)
				return -EMSGSIZE;
			p = realloc(nl->rbuf, want);
			if (!p)
				return -ENOMEM;
			nl->rbuf = p;
			nl->rbuf_len = want;
			continue;
		}
		mh.msg_namelen = sizeof(sa);
		n = recvmsg(fd, &mh, flags);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (mh.msg_flags & MSG_TRUNC)
			return -EMSGSIZE;
		/* Only the kernel (port 0) may answer us. */
		if (mh.msg_namelen != sizeof(sa) || sa.nl_pid != 0)
			continue;
		return n;
	}
}

/*
 * After a failed exchange the rest of a reply (the ACK after a bad reply, the tail of a dump)
 * may still be queued; read it away so the next request does not see stale sequence numbers.
 * Dumps produce their next part inside recvmsg(), so a non-blocking read finishes them.
 */
static void netlink_drain(struct netlink *nl)
{
	for (int i = 0; i < 4096; i++)
		if (netlink_recv(nl, MSG_DONTWAIT) < 0)
			return;
}

/* Copy NLMSGERR_ATTR_MSG from an NLMSG_ERROR or NLMSG_DONE into t->extack. */
static void netlink_parse_extack(const struct nlmsghdr *nlh, size_t hlen, struct netlink_talk *t)
{
	const struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || hlen > mnl_nlmsg_get_payload_len(nlh))
		return;
	mnl_attr_for_each(a, nlh, hlen) {
		if (mnl_attr_get_type(a) != NLMSGERR_ATTR_MSG)
			continue;
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			continue;
		snprintf(t->extack, sizeof(t->extack), "%s", mnl_attr_get_str(a));
		/* The kernel ends some messages with a newline; keep details on one line. */
		t->extack[strcspn(t->extack, "\n")] = '\0';
	}
}

static int netlink_error_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_talk *t = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t hlen = sizeof(*e);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e))) {
		t->kerr = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;
	t->kerr = e->error < 0 ? -e->error : e->error;
	/* Without NLM_F_CAPPED the kernel echoes our whole request before the TLVs. */
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < sizeof(struct nlmsghdr))
			return MNL_CB_ERROR;
		hlen += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	}
	netlink_parse_extack(nlh, hlen, t);
	return MNL_CB_ERROR;
}

static int netlink_done_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_talk *t = data;
	int e;

	/* A dump that fails part-way reports the error in NLMSG_DONE (Linux 4.13+). */
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
	if (e >= 0)
		return MNL_CB_STOP;
	netlink_parse_extack(nlh, sizeof(int), t);
	t->kerr = -e;
	return MNL_CB_ERROR;
}

static int netlink_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_talk *t = data;
	int r;

	if (!t->cb)
		return MNL_CB_OK;
	r = t->cb(nlh, t->data);
	if (r == MNL_CB_ERROR)
		t->cb_failed = true;
	return r;
}

static unsigned int netlink_errno_code(int e)
{
	return e == EBUSY || e == EAGAIN ? CNI_ERR_TRY_AGAIN : CNI_ERR_INTERNAL;
}

/*
 * Send @nlh and feed every reply to @cb until the ACK or NLMSG_DONE. Sequence number and
 * port id are checked on every message (mnl_cb_run2). On failure @err holds strerror() and
 * the kernel's extack text in details, unless @cb failed and filled @err itself; callers
 * prefix what they were doing with err_wrap().
 */
static int netlink_talk(struct netlink *nl, struct nlmsghdr *nlh, mnl_cb_t cb, void *data,
			struct cni_err *err)
{
	static mnl_cb_t ctl[NLMSG_MIN_TYPE] = {
		[NLMSG_ERROR] = netlink_error_cb,
		[NLMSG_DONE] = netlink_done_cb,
	};
	struct netlink_talk t = { .cb = cb, .data = data };
	unsigned int seq;
	int r;

	seq = ++nl->seq;
	if (seq == 0)
		seq = ++nl->seq;
	nlh->nlmsg_seq = seq;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0) {
		int e = errno;

		return err_set(err, e, netlink_errno_code(e), "%s", strerror(e));
	}
	for (;;) {
		ssize_t n = netlink_recv(nl, 0);

		if (n < 0) {
			netlink_drain(nl);
			return err_set(err, (int)-n, CNI_ERR_INTERNAL, "receive netlink reply: %s",
				       strerror((int)-n));
		}
		errno = 0;
		r = mnl_cb_run2(nl->rbuf, (size_t)n, seq, nl->portid, netlink_data_cb, &t, ctl,
				ARRAY_SIZE(ctl));
		if (r == MNL_CB_STOP)
			return 0;
		if (r == MNL_CB_ERROR)
			break;
	}

	netlink_drain(nl);
	if (t.cb_failed)
		return err_ret(err);
	if (!t.kerr) {
		/* libmnl itself refused the reply: EPROTO (seq), ESRCH (port), EINTR (dump). */
		int e = errno ? errno : EBADMSG;

		if (e == EINTR)
			return err_set(err, EINTR, CNI_ERR_TRY_AGAIN, "netlink dump interrupted");
		return err_set(err, e, CNI_ERR_INTERNAL, "bad netlink reply: %s", strerror(e));
	}
	err_set(err, t.kerr, netlink_errno_code(t.kerr), "%s", strerror(t.kerr));
	if (t.extack[0])
		err_details(err, "%s", t.extack);
	return -t.kerr;
}

static struct nlmsghdr *netlink_msg(char *buf, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, NETLINK_REQ_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return nlh;
}

static struct ifinfomsg *netlink_msg_link(char *buf, uint16_t type, uint16_t flags, int ifindex)
{
	struct nlmsghdr *nlh = netlink_msg(buf, type, flags);
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));

	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

static void netlink_sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* ---- links ---- */

/* Fill @ret from an RTM_NEWLINK message; -EBADMSG when it is malformed. */
static int netlink_parse_link(const struct nlmsghdr *nlh, struct netlink_link *ret)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *a;
	struct netlink_link l = { 0 };

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return -EBADMSG;
	ifi = mnl_nlmsg_get_payload(nlh);
	l.ifindex = ifi->ifi_index;
	l.flags = ifi->ifi_flags;
	l.num_vf = -1;

	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		const struct nlattr *b;

		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0 ||
			    strlen(mnl_attr_get_str(a)) >= sizeof(l.name))
				return -EBADMSG;
			strcpy(l.name, mnl_attr_get_str(a));
			break;
		case IFLA_ADDRESS:
			/* Only Ethernet-sized addresses are kept; others report mac_len 0. */
			if (mnl_attr_get_payload_len(a) <= sizeof(l.mac)) {
				l.mac_len = (int)mnl_attr_get_payload_len(a);
				memcpy(l.mac, mnl_attr_get_payload(a), (size_t)l.mac_len);
			}
			break;
		case IFLA_MTU:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -EBADMSG;
			l.mtu = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_NUM_VF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return -EBADMSG;
			l.num_vf = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_PROP_LIST:
			mnl_attr_for_each_nested(b, a) {
				if (mnl_attr_get_type(b) != IFLA_ALT_IFNAME)
					continue;
				if (mnl_attr_validate(b, MNL_TYPE_NUL_STRING) < 0 ||
				    strlen(mnl_attr_get_str(b)) >= NETLINK_ALTNAMSIZ)
					return -EBADMSG;
				if (l.n_altnames >= NETLINK_MAX_ALTNAMES)
					continue;
				strcpy(l.altnames[l.n_altnames++], mnl_attr_get_str(b));
			}
			break;
		default:
			break;
		}
	}
	*ret = l;
	return 0;
}

struct netlink_link_ctx {
	struct netlink_link link;
	bool found;
	struct cni_err *err;
};

static int netlink_link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_link_ctx *c = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || c->found)
		return MNL_CB_OK;
	if (netlink_parse_link(nlh, &c->link) < 0) {
		err_set(c->err, EBADMSG, CNI_ERR_INTERNAL, "malformed RTM_NEWLINK reply");
		return MNL_CB_ERROR;
	}
	c->found = true;
	return MNL_CB_OK;
}

/* Put the lookup key: IFLA_IFNAME for names that fit IFNAMSIZ, else IFLA_ALT_IFNAME. */
static int netlink_put_lookup_name(struct nlmsghdr *nlh, const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > NETLINK_ALTNAME_MAX)
		return -EINVAL;
	/* The kernel also matches altnames on IFLA_IFNAME lookups (Linux 5.5+). */
	mnl_attr_put_strz(nlh, len < IFNAMSIZ ? IFLA_IFNAME : IFLA_ALT_IFNAME, name);
	return 0;
}

int netlink_link_get(struct netlink *nl, int ifindex, const char *name, struct netlink_link *ret,
		     struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	struct netlink_link_ctx c = { .err = err };
	struct nlmsghdr *nlh;
	int r;

	netlink_msg_link(buf, RTM_GETLINK, NLM_F_ACK, ifindex > 0 ? ifindex : 0);
	nlh = (struct nlmsghdr *)buf;
	if (ifindex <= 0) {
		if (!name || netlink_put_lookup_name(nlh, name) < 0)
			return err_set(err, EINVAL, CNI_ERR_INTERNAL,
				       "get link: invalid name \"%s\"", name ? name : "");
	}
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);

	r = netlink_talk(nl, nlh, netlink_link_cb, &c, err);
	if (r == -ENODEV) {
		if (ifindex > 0)
			return err_wrap(err, "link with ifindex %d not found", ifindex);
		return err_wrap(err, "link %s not found", name);
	}
	if (r < 0) {
		if (ifindex > 0)
			return err_wrap(err, "get link with ifindex %d", ifindex);
		return err_wrap(err, "get link %s", name);
	}
	if (!c.found)
		return err_set(err, ENODEV, CNI_ERR_INTERNAL, "link %s not found: empty reply",
			       ifindex > 0 ? "by ifindex" : name);
	*ret = c.link;
	return 0;
}

/* Best-effort name of @ifindex for error messages; "ifindex N" when it cannot be read. */
static const char *netlink_link_label(struct netlink *nl, int ifindex, char *buf, size_t len)
{
	struct netlink_link l;
	struct cni_err e = { 0 };

	if (netlink_link_get(nl, ifindex, NULL, &l, &e) == 0)
		snprintf(buf, len, "%s", l.name);
	else
		snprintf(buf, len, "ifindex %d", ifindex);
	return buf;
}

/* ---- VF info ---- */

/* Parsed IFLA_VF_INFO plus which optional attributes it carried. */
struct netlink_vf_parse {
	struct vf_info info;
	bool have_vf;
	bool have_list_vlan;
	bool have_rate;
	unsigned int vlan, qos; /* from IFLA_VF_VLAN */
	unsigned int tx_rate; /* from IFLA_VF_TX_RATE */
};

static int netlink_vf_note_index(struct netlink_vf_parse *p, uint32_t vf)
{
	/* Every struct ifla_vf_* starts with the VF index; they must agree. */
	if (p->have_vf && p->info.vf != vf)
		return -EBADMSG;
	p->info.vf = vf;
	p->have_vf = true;
	return 0;
}

/* A tri-state u32 setting: the kernel reports (u32)-1 when the driver does not say. */
static int netlink_vf_setting(uint32_t v)
{
	return v == UINT32_MAX ? -1 : v != 0;
}

/* Parse one IFLA_VF_INFO nest; -EBADMSG when an attribute is shorter than its struct. */
static int netlink_parse_vf_info(const struct nlattr *info, struct vf_info *ret, bool *ret_have)
{
	struct netlink_vf_parse p = { 0 };
	const struct nlattr *a;

	p.info.spoofchk = -1;
	p.info.trust = -1;
	p.info.link_state = -1;
	p.info.vlan_proto = 0x8100;

	mnl_attr_for_each_nested(a, info) {
		const void *pl = mnl_attr_get_payload(a);
		size_t len = mnl_attr_get_payload_len(a);
		const struct nlattr *b;

		switch (mnl_attr_get_type(a)) {
		case IFLA_VF_MAC: {
			struct ifla_vf_mac m;

			if (len < sizeof(m))
				return -EBADMSG;
			memcpy(&m, pl, sizeof(m));
			if (netlink_vf_note_index(&p, m.vf) < 0)
				return -EBADMSG;
			memcpy(p.info.mac, m.mac, sizeof(p.info.mac));
			break;
		}
		case IFLA_VF_VLAN: {
			struct ifla_vf_vlan v;

			if (len < sizeof(v))
				return -EBADMSG;
			memcpy(&v, pl, sizeof(v));
			if (netlink_vf_note_index(&p, v.vf) < 0)
				return -EBADMSG;
			p.vlan = v.vlan;
			p.qos = v.qos;
			break;
		}
		case IFLA_VF_VLAN_LIST:
			/* Only the first entry: the kernel reports one VLAN per VF. */
			mnl_attr_for_each_nested(b, a) {
				struct ifla_vf_vlan_info vi;
				size_t need = offsetof(struct ifla_vf_vlan_info, vlan_proto) +
					      sizeof(vi.vlan_proto);

				if (mnl_attr_get_type(b) != IFLA_VF_VLAN_INFO)
					continue;
				if (mnl_attr_get_payload_len(b) < need)
					return -EBADMSG;
				memset(&vi, 0, sizeof(vi));
				memcpy(&vi, mnl_attr_get_payload(b), need);
				if (netlink_vf_note_index(&p, vi.vf) < 0)
					return -EBADMSG;
				if (!p.have_list_vlan) {
					p.have_list_vlan = true;
					p.info.vlan = vi.vlan;
					p.info.qos = vi.qos;
					if (vi.vlan_proto)
						p.info.vlan_proto = ntohs(vi.vlan_proto);
				}
			}
			break;
		case IFLA_VF_TX_RATE: {
			struct ifla_vf_tx_rate r;

			if (len < sizeof(r))
				return -EBADMSG;
			memcpy(&r, pl, sizeof(r));
			if (netlink_vf_note_index(&p, r.vf) < 0)
				return -EBADMSG;
			p.tx_rate = r.rate;
			break;
		}
		case IFLA_VF_RATE: {
			struct ifla_vf_rate r;

			if (len < sizeof(r))
				return -EBADMSG;
			memcpy(&r, pl, sizeof(r));
			if (netlink_vf_note_index(&p, r.vf) < 0)
				return -EBADMSG;
			p.have_rate = true;
			p.info.min_tx_rate = r.min_tx_rate;
			p.info.max_tx_rate = r.max_tx_rate;
			break;
		}
		case IFLA_VF_SPOOFCHK: {
			struct ifla_vf_spoofchk s;

			if (len < sizeof(s))
				return -EBADMSG;
			memcpy(&s, pl, sizeof(s));
			if (netlink_vf_note_index(&p, s.vf) < 0)
				return -EBADMSG;
			p.info.spoofchk = netlink_vf_setting(s.setting);
			break;
		}
		case IFLA_VF_TRUST: {
			struct ifla_vf_trust s;

			if (len < sizeof(s))
				return -EBADMSG;
			memcpy(&s, pl, sizeof(s));
			if (netlink_vf_note_index(&p, s.vf) < 0)
				return -EBADMSG;
			p.info.trust = netlink_vf_setting(s.setting);
			break;
		}
		case IFLA_VF_LINK_STATE: {
			struct ifla_vf_link_state s;

			if (len < sizeof(s))
				return -EBADMSG;
			memcpy(&s, pl, sizeof(s));
			if (netlink_vf_note_index(&p, s.vf) < 0)
				return -EBADMSG;
			p.info.link_state =
				s.link_state <= IFLA_VF_LINK_STATE_DISABLE ? (int)s.link_state : -1;
			break;
		}
		default:
			/* Stats, RSS, GUIDs, broadcast: not ours to interpret. */
			break;
		}
	}
	/* IFLA_VF_VLAN_LIST (Linux 4.9+) carries the protocol; IFLA_VF_VLAN implies 802.1Q. */
	if (!p.have_list_vlan) {
		p.info.vlan = p.vlan;
		p.info.qos = p.qos;
	}
	/* IFLA_VF_RATE (Linux 3.16+) has min and max; IFLA_VF_TX_RATE is the old max. */
	if (!p.have_rate)
		p.info.max_tx_rate = p.tx_rate;
	*ret_have = p.have_vf;
	*ret = p.info;
	return 0;
}

static int netlink_parse_vf_link(const struct nlmsghdr *nlh, unsigned int vf, struct vf_info *ret,
				 struct cni_err *err)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *a, *list = NULL;
	char name[IFNAMSIZ + 16];
	int num_vf = -1;
	int seen = 0;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifi))
		return err_set(err, EBADMSG, CNI_ERR_INTERNAL, "RTM_NEWLINK reply too short");
	ifi = mnl_nlmsg_get_payload(nlh);
	snprintf(name, sizeof(name), "ifindex %d", ifi->ifi_index);

	mnl_attr_for_each(a, nlh, sizeof(*ifi)) {
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0 &&
			    strlen(mnl_attr_get_str(a)) < IFNAMSIZ)
				snprintf(name, sizeof(name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_NUM_VF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
					       "malformed IFLA_NUM_VF in reply for %s", name);
			num_vf = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_VFINFO_LIST:
			if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
				return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
					       "malformed IFLA_VFINFO_LIST in reply for %s", name);
			list = a;
			break;
		default:
			break;
		}
	}

	if (!list) {
		if (num_vf < 0)
			return err_set(
				err, ENOENT, CNI_ERR_INTERNAL,
				"link %s reports no SR-IOV VFs (not an SR-IOV capable device)",
				name);
		return err_set(
			err, ENOENT, CNI_ERR_INTERNAL,
			"PF %s reports %d VFs and no VF list, so no VF %u (sriov_numvfs is 0?)",
			name, num_vf, vf);
	}
	mnl_attr_for_each_nested(a, list) {
		struct vf_info cur;
		bool have = false;

		if (mnl_attr_get_type(a) != IFLA_VF_INFO)
			continue;
		if (netlink_parse_vf_info(a, &cur, &have) < 0)
			return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
				       "malformed IFLA_VF_INFO #%d in reply for PF %s", seen, name);
		seen++;
		if (have && cur.vf == vf) {
			*ret = cur;
			return 0;
		}
	}
	return err_set(err, ENOENT, CNI_ERR_INTERNAL, "PF %s reports %d VFs, not VF %u", name, seen,
		       vf);
}

int netlink_parse_vf_reply(const void *buf, size_t len, unsigned int vf, struct vf_info *ret,
			   struct cni_err *err)
{
	const char *p = buf;
	size_t off = 0;

	if (!buf)
		return err_set(err, EBADMSG, CNI_ERR_INTERNAL, "empty VF reply");
	/*
	 * Walk the messages by hand: mnl_nlmsg_ok() compares nlmsg_len as a signed int, so a
	 * length above 2 GiB passes it. Each message, padded to NLMSG_ALIGNTO, must fit in what
	 * is left, because libmnl walks attributes up to the padded end.
	 */
	while (len - off >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(p + off);
		size_t mlen = nlh->nlmsg_len;

		if (mlen < sizeof(*nlh) || mlen > len - off || NLMSG_ALIGN(mlen) > len - off)
			break;
		if (nlh->nlmsg_type == RTM_NEWLINK)
			return netlink_parse_vf_link(nlh, vf, ret, err);
		off += NLMSG_ALIGN(mlen);
	}
	return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
		       "no RTM_NEWLINK message in %zu bytes of reply", len);
}

struct netlink_vf_ctx {
	unsigned int vf;
	struct vf_info info;
	bool done;
	struct cni_err *err;
};

static int netlink_vf_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_vf_ctx *c = data;

	if (nlh->nlmsg_type != RTM_NEWLINK || c->done)
		return MNL_CB_OK;
	c->done = true;
	if (netlink_parse_vf_reply(nlh, nlh->nlmsg_len, c->vf, &c->info, c->err) < 0)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

int netlink_vf_get(struct netlink *nl, int pf_ifindex, unsigned int vf, struct vf_info *ret,
		   struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	struct netlink_vf_ctx c = { .vf = vf, .err = err };
	struct nlmsghdr *nlh;
	int r;

	if (pf_ifindex <= 0)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "get VF %u: invalid PF ifindex %d",
			       vf, pf_ifindex);
	netlink_msg_link(buf, RTM_GETLINK, NLM_F_ACK, pf_ifindex);
	nlh = (struct nlmsghdr *)buf;
	/* Without RTEXT_FILTER_VF the reply has no IFLA_VFINFO_LIST at all. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS);

	r = netlink_talk(nl, nlh, netlink_vf_cb, &c, err);
	if (r < 0)
		return err_wrap(err, "get VF %u of PF ifindex %d", vf, pf_ifindex);
	if (!c.done)
		return err_set(err, EBADMSG, CNI_ERR_INTERNAL,
			       "get VF %u of PF ifindex %d: no RTM_NEWLINK in reply", vf,
			       pf_ifindex);
	*ret = c.info;
	return 0;
}

static const char *netlink_vf_attr_name(enum netlink_vf_attr which)
{
	switch (which) {
	case NETLINK_VF_MAC:
		return "mac";
	case NETLINK_VF_VLAN:
		return "vlan";
	case NETLINK_VF_RATE:
		return "rate";
	case NETLINK_VF_SPOOFCHK:
		return "spoofchk";
	case NETLINK_VF_TRUST:
		return "trust";
	case NETLINK_VF_LINK_STATE:
		return "link_state";
	}
	return "unknown attribute";
}

/* "<setting> <value>" for messages, e.g. "link_state enable" or "vlan 100 qos 0 proto 802.1Q". */
static const char *netlink_vf_describe(enum netlink_vf_attr which, const struct vf_info *v,
				       char *buf, size_t len)
{
	static const char *const states[] = { "auto", "enable", "disable" };
	const char *name = netlink_vf_attr_name(which);

	switch (which) {
	case NETLINK_VF_MAC:
		snprintf(buf, len, "%s %02x:%02x:%02x:%02x:%02x:%02x", name, v->mac[0], v->mac[1],
			 v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		break;
	case NETLINK_VF_VLAN:
		if (v->vlan_proto == 0x88a8)
			snprintf(buf, len, "%s %u qos %u proto 802.1ad", name, v->vlan, v->qos);
		else if (v->vlan_proto == 0x8100 || v->vlan_proto == 0)
			snprintf(buf, len, "%s %u qos %u proto 802.1Q", name, v->vlan, v->qos);
		else
			snprintf(buf, len, "%s %u qos %u proto 0x%04x", name, v->vlan, v->qos,
				 v->vlan_proto);
		break;
	case NETLINK_VF_RATE:
		snprintf(buf, len, "%s min %u max %u Mbps", name, v->min_tx_rate, v->max_tx_rate);
		break;
	case NETLINK_VF_SPOOFCHK:
		snprintf(buf, len, "%s %s", name, v->spoofchk ? "on" : "off");
		break;
	case NETLINK_VF_TRUST:
		snprintf(buf, len, "%s %s", name, v->trust ? "on" : "off");
		break;
	case NETLINK_VF_LINK_STATE:
		if (v->link_state >= 0 && v->link_state < (int)ARRAY_SIZE(states))
			snprintf(buf, len, "%s %s", name, states[v->link_state]);
		else
			snprintf(buf, len, "%s %d", name, v->link_state);
		break;
	default:
		snprintf(buf, len, "%s", name);
		break;
	}
	return buf;
}

/* Reject values the kernel would pass to the driver unchecked or misread. */
static int netlink_vf_check(enum netlink_vf_attr which, const struct vf_info *v)
{
	switch (which) {
	case NETLINK_VF_MAC:
		return 0;
	case NETLINK_VF_VLAN:
		if (v->vlan > 4095 || v->qos > 7)
			return -EINVAL;
		if (v->vlan_proto != 0 && v->vlan_proto != 0x8100 && v->vlan_proto != 0x88a8)
			return -EINVAL;
		return 0;
	case NETLINK_VF_RATE:
		/* rtnl_set_vf_rate() refuses this too, but without saying why. */
		if (v->max_tx_rate != 0 && v->min_tx_rate > v->max_tx_rate)
			return -EINVAL;
		return 0;
	case NETLINK_VF_SPOOFCHK:
		return v->spoofchk == 0 || v->spoofchk == 1 ? 0 : -EINVAL;
	case NETLINK_VF_TRUST:
		return v->trust == 0 || v->trust == 1 ? 0 : -EINVAL;
	case NETLINK_VF_LINK_STATE:
		return v->link_state >= IFLA_VF_LINK_STATE_AUTO &&
				       v->link_state <= IFLA_VF_LINK_STATE_DISABLE ?
			       0 :
			       -EINVAL;
	}
	return -EINVAL;
}

/* Append the one IFLA_VF_* attribute for @which to @nlh (inside IFLA_VF_INFO). */
static void netlink_vf_put(struct nlmsghdr *nlh, unsigned int vf, enum netlink_vf_attr which,
			   const struct vf_info *v)
{
	switch (which) {
	case NETLINK_VF_MAC: {
		struct ifla_vf_mac m = { .vf = vf };

		memcpy(m.mac, v->mac, sizeof(v->mac));
		mnl_attr_put(nlh, IFLA_VF_MAC, sizeof(m), &m);
		break;
	}
	case NETLINK_VF_VLAN: {
		/*
		 * IFLA_VF_VLAN_LIST with exactly one entry; the kernel wants the full padded
		 * struct (16 bytes) and the protocol in network order.
		 */
		struct ifla_vf_vlan_info vi;
		struct nlattr *list;

		memset(&vi, 0, sizeof(vi));
		vi.vf = vf;
		vi.vlan = v->vlan;
		vi.qos = v->qos;
		vi.vlan_proto = htons(v->vlan_proto ? v->vlan_proto : 0x8100);
		list = mnl_attr_nest_start(nlh, IFLA_VF_VLAN_LIST);
		mnl_attr_put(nlh, IFLA_VF_VLAN_INFO, sizeof(vi), &vi);
		mnl_attr_nest_end(nlh, list);
		break;
	}
	case NETLINK_VF_RATE: {
		struct ifla_vf_rate r = {
			.vf = vf,
			.min_tx_rate = v->min_tx_rate,
			.max_tx_rate = v->max_tx_rate,
		};

		mnl_attr_put(nlh, IFLA_VF_RATE, sizeof(r), &r);
		break;
	}
	case NETLINK_VF_SPOOFCHK: {
		struct ifla_vf_spoofchk s = { .vf = vf, .setting = (uint32_t)v->spoofchk };

		mnl_attr_put(nlh, IFLA_VF_SPOOFCHK, sizeof(s), &s);
		break;
	}
	case NETLINK_VF_TRUST: {
		struct ifla_vf_trust s = { .vf = vf, .setting = (uint32_t)v->trust };

		mnl_attr_put(nlh, IFLA_VF_TRUST, sizeof(s), &s);
		break;
	}
	case NETLINK_VF_LINK_STATE: {
		struct ifla_vf_link_state s = { .vf = vf, .link_state = (uint32_t)v->link_state };

		mnl_attr_put(nlh, IFLA_VF_LINK_STATE, sizeof(s), &s);
		break;
	}
	}
}

int netlink_vf_set(struct netlink *nl, int pf_ifindex, unsigned int vf, enum netlink_vf_attr which,
		   const struct vf_info *val, struct cni_err *err)
{
	char desc[96], pf[IFNAMSIZ + 16];
	int r = 0;

	netlink_vf_describe(which, val, desc, sizeof(desc));
	if (pf_ifindex <= 0 || vf >= INT_MAX)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL,
			       "set VF %u %s: invalid PF ifindex %d or VF index", vf, desc,
			       pf_ifindex);
	if (netlink_vf_check(which, val) < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "set VF %u %s: invalid value",
			       vf, desc);

	/*
	 * Some drivers answer EBUSY/EAGAIN while the PF is resetting or a VF mailbox message is
	 * in flight; that clears within milliseconds, so retry a few times with back-off.
	 */
	for (int attempt = 0; attempt < NETLINK_BUSY_TRIES; attempt++) {
		char buf[NETLINK_REQ_SIZE];
		struct nlmsghdr *nlh;
		struct nlattr *list, *info;

		if (attempt > 0)
			netlink_sleep_ms(10L << attempt);
		netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, pf_ifindex);
		nlh = (struct nlmsghdr *)buf;
		/* One attribute per request: do_setvfinfo() stops at the first failure. */
		list = mnl_attr_nest_start(nlh, IFLA_VFINFO_LIST);
		info = mnl_attr_nest_start(nlh, IFLA_VF_INFO);
		netlink_vf_put(nlh, vf, which, val);
		mnl_attr_nest_end(nlh, info);
		mnl_attr_nest_end(nlh, list);

		r = netlink_talk(nl, nlh, NULL, NULL, err);
		if (r != -EBUSY && r != -EAGAIN)
			break;
	}
	if (r < 0)
		return err_wrap(err, "set VF %u %s on PF %s", vf, desc,
				netlink_link_label(nl, pf_ifindex, pf, sizeof(pf)));
	return 0;
}

/* ---- link settings ---- */

/* RTM_SETLINK on @ifindex carrying whatever @nlh already has; @what names it for errors. */
static int netlink_link_set(struct netlink *nl, int ifindex, struct nlmsghdr *nlh, const char *what,
			    struct cni_err *err)
{
	char label[IFNAMSIZ + 16];
	int r;

	r = netlink_talk(nl, nlh, NULL, NULL, err);
	if (r < 0)
		return err_wrap(err, "set %s on link %s", what,
				netlink_link_label(nl, ifindex, label, sizeof(label)));
	return 0;
}

int netlink_link_set_up(struct netlink *nl, int ifindex, bool up, struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	struct ifinfomsg *ifi;

	if (ifindex <= 0)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set link up: invalid ifindex %d",
			       ifindex);
	ifi = netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, ifindex);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return netlink_link_set(nl, ifindex, (struct nlmsghdr *)buf, up ? "state up" : "state down",
				err);
}

static bool netlink_ifname_valid(const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len == 0 || len >= IFNAMSIZ || !strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (const char *c = name; *c; c++)
		if (*c == '/' || *c == ':' || *c <= ' ' || *c == 0x7f)
			return false;
	return true;
}

int netlink_link_set_name(struct netlink *nl, int ifindex, const char *name, struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	char what[IFNAMSIZ + 8];

	if (ifindex <= 0 || !netlink_ifname_valid(name))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "rename link %d: invalid name \"%s\"", ifindex, name ? name : "");
	netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, ifindex);
	mnl_attr_put_strz((struct nlmsghdr *)buf, IFLA_IFNAME, name);
	snprintf(what, sizeof(what), "name %s", name);
	return netlink_link_set(nl, ifindex, (struct nlmsghdr *)buf, what, err);
}

int netlink_link_set_mac(struct netlink *nl, int ifindex, const uint8_t mac[6], struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	char what[32];

	if (ifindex <= 0)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set MAC: invalid ifindex %d",
			       ifindex);
	netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, ifindex);
	mnl_attr_put((struct nlmsghdr *)buf, IFLA_ADDRESS, 6, mac);
	snprintf(what, sizeof(what), "MAC %02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2],
		 mac[3], mac[4], mac[5]);
	return netlink_link_set(nl, ifindex, (struct nlmsghdr *)buf, what, err);
}

int netlink_link_set_mtu(struct netlink *nl, int ifindex, int mtu, struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	char what[32];

	if (ifindex <= 0 || mtu <= 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "set MTU %d on link %d: invalid value", mtu, ifindex);
	netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, ifindex);
	mnl_attr_put_u32((struct nlmsghdr *)buf, IFLA_MTU, (uint32_t)mtu);
	snprintf(what, sizeof(what), "MTU %d", mtu);
	return netlink_link_set(nl, ifindex, (struct nlmsghdr *)buf, what, err);
}

int netlink_link_move(struct netlink *nl, int ifindex, int netns_fd, const char *newname,
		      int *ret_ifindex, struct cni_err *err)
{
	_cleanup_netlink_ struct netlink *target = NULL;
	char buf[NETLINK_REQ_SIZE];
	struct netlink_link cur, moved;
	struct nlmsghdr *nlh;
	const char *final;
	int r;

	if (ifindex <= 0 || netns_fd < 0)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL,
			       "move link: invalid ifindex %d or netns fd %d", ifindex, netns_fd);
	if (newname && !netlink_ifname_valid(newname))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "move link %d: invalid new name \"%s\"", ifindex, newname);
	r = netlink_link_get(nl, ifindex, NULL, &cur, err);
	if (r < 0)
		return err_wrap(err, "move link");
	final = newname ? newname : cur.name;

	/*
	 * Move and rename in one message: the kernel moves first (falling back to the new name
	 * if the current one is taken in the target) and renames inside the target, so the
	 * device never appears in the pod under a name that clashes there.
	 */
	netlink_msg_link(buf, RTM_SETLINK, NLM_F_ACK, ifindex);
	nlh = (struct nlmsghdr *)buf;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	if (newname)
		mnl_attr_put_strz(nlh, IFLA_IFNAME, newname);
	r = netlink_talk(nl, nlh, NULL, NULL, err);
	if (r < 0) {
		struct netlink_link still;
		struct cni_err e2 = { 0 };
		bool gone;

		/* do_setlink() never undoes a move when the rename after it fails. */
		gone = netlink_link_get(nl, ifindex, NULL, &still, &e2) == -ENODEV;
		return err_wrap(err, "move link %s into netns as %s%s", cur.name, final,
				gone ? " (moved, but the rename failed)" : "");
	}

	/*
	 * The kernel keeps the ifindex unless the target already uses it; look the device up
	 * by its (unique) name in the target to learn the index it has there.
	 */
	r = netlink_open(netns_fd, &target, err);
	if (r < 0)
		return err_wrap(err, "move link %s: verify in target netns", cur.name);
	r = netlink_link_get(target, 0, final, &moved, err);
	if (r < 0)
		return err_wrap(err, "move link %s: verify in target netns", cur.name);
	if (ret_ifindex)
		*ret_ifindex = moved.ifindex;
	return 0;
}

static int netlink_altname_op(struct netlink *nl, int ifindex, const char *altname, uint16_t type,
			      struct cni_err *err)
{
	const char *op = type == RTM_NEWLINKPROP ? "add" : "delete";
	char buf[NETLINK_REQ_SIZE];
	char label[IFNAMSIZ + 16];
	struct nlmsghdr *nlh;
	struct nlattr *props;
	size_t len = altname ? strlen(altname) : 0;
	int r;

	if (ifindex <= 0 || len == 0 || len > NETLINK_ALTNAME_MAX)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "%s altname \"%s\": invalid argument",
			       op, altname ? altname : "");
	netlink_msg_link(buf, type, NLM_F_ACK | (type == RTM_NEWLINKPROP ? NLM_F_EXCL : 0),
			 ifindex);
	nlh = (struct nlmsghdr *)buf;
	props = mnl_attr_nest_start(nlh, IFLA_PROP_LIST);
	mnl_attr_put_strz(nlh, IFLA_ALT_IFNAME, altname);
	mnl_attr_nest_end(nlh, props);
	r = netlink_talk(nl, nlh, NULL, NULL, err);
	if (r < 0)
		return err_wrap(err, "%s altname %s on link %s", op, altname,
				netlink_link_label(nl, ifindex, label, sizeof(label)));
	return 0;
}

int netlink_altname_add(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err)
{
	return netlink_altname_op(nl, ifindex, altname, RTM_NEWLINKPROP, err);
}

int netlink_altname_del(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err)
{
	return netlink_altname_op(nl, ifindex, altname, RTM_DELLINKPROP, err);
}

/* ---- addresses ---- */

static int netlink_family_len(int family)
{
	return family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
}

static bool netlink_prefix_valid(const struct ipprefix *p)
{
	int alen = netlink_family_len(p->addr.family);

	return alen > 0 && p->len >= 0 && p->len <= alen * 8;
}

static const char *netlink_prefix_str(const struct ipprefix *p, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";

	if (netlink_family_len(p->addr.family))
		(void)inet_ntop(p->addr.family, p->addr.a, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, p->len);
	return buf;
}

/* @a with the host bits beyond @len cleared. */
static struct ipaddr netlink_mask(const struct ipaddr *a, int len)
{
	struct ipaddr m = *a;
	int alen = netlink_family_len(a->family);

	for (int i = 0; i < alen; i++) {
		int bits = len - i * 8;

		if (bits >= 8)
			continue;
		m.a[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
	return m;
}

int netlink_addr_add(struct netlink *nl, int ifindex, const struct ipprefix *addr,
		     struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	char label[IFNAMSIZ + 16], astr[INET6_ADDRSTRLEN + 8];
	struct nlmsghdr *nlh;
	struct ifaddrmsg *ifa;
	int alen, r;

	if (ifindex <= 0 || !addr || !netlink_prefix_valid(addr))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "add address: invalid argument");
	alen = netlink_family_len(addr->addr.family);
	nlh = netlink_msg(buf, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)addr->addr.family;
	ifa->ifa_prefixlen = (uint8_t)addr->len;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = (uint32_t)ifindex;

	mnl_attr_put(nlh, IFA_LOCAL, (size_t)alen, addr->addr.a);
	mnl_attr_put(nlh, IFA_ADDRESS, (size_t)alen, addr->addr.a);
	/* As "ip addr add ... brd +": /31 and /32 have no broadcast address (RFC 3021). */
	if (addr->addr.family == AF_INET && addr->len < 31) {
		uint8_t brd[4];

		for (int i = 0; i < 4; i++) {
			int bits = addr->len - i * 8;
			uint8_t mask = bits >= 8 ? 0xff :
				       bits <= 0 ? 0 :
						   (uint8_t)(0xff << (8 - bits));

			brd[i] = (uint8_t)(addr->addr.a[i] | (uint8_t)~mask);
		}
		mnl_attr_put(nlh, IFA_BROADCAST, sizeof(brd), brd);
	}
	r = netlink_talk(nl, nlh, NULL, NULL, err);
	if (r < 0)
		return err_wrap(err, "add address %s on link %s",
				netlink_prefix_str(addr, astr, sizeof(astr)),
				netlink_link_label(nl, ifindex, label, sizeof(label)));
	return 0;
}

struct netlink_addr_ctx {
	int ifindex;
	struct ipprefix *out;
	int max;
	int n;
	bool overflow;
};

static int netlink_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_addr_ctx *c = data;
	const struct ifaddrmsg *ifa;
	const struct nlattr *a, *local = NULL, *address = NULL, *use;
	int alen;

	if (nlh->nlmsg_type != RTM_NEWADDR || mnl_nlmsg_get_payload_len(nlh) < sizeof(*ifa))
		return MNL_CB_OK;
	ifa = mnl_nlmsg_get_payload(nlh);
	/* Kernels without strict checking ignore the index in the request. */
	if ((int)ifa->ifa_index != c->ifindex)
		return MNL_CB_OK;
	alen = netlink_family_len(ifa->ifa_family);
	if (!alen)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa)) {
		if (mnl_attr_get_type(a) == IFA_LOCAL)
			local = a;
		else if (mnl_attr_get_type(a) == IFA_ADDRESS)
			address = a;
	}
	/* IFA_ADDRESS is the peer on point-to-point links; IFA_LOCAL is always ours. */
	use = local ? local : address;
	if (!use || mnl_attr_get_payload_len(use) != (size_t)alen)
		return MNL_CB_OK;
	if (c->n >= c->max) {
		c->overflow = true;
		return MNL_CB_OK;
	}
	memset(&c->out[c->n], 0, sizeof(c->out[c->n]));
	c->out[c->n].addr.family = ifa->ifa_family;
	memcpy(c->out[c->n].addr.a, mnl_attr_get_payload(use), (size_t)alen);
	c->out[c->n].len = ifa->ifa_prefixlen;
	c->n++;
	return MNL_CB_OK;
}

int netlink_addr_list(struct netlink *nl, int ifindex, struct ipprefix *ret, int max, int *ret_n,
		      struct cni_err *err)
{
	char label[IFNAMSIZ + 16];
	int r = 0;

	if (ifindex <= 0 || max < 0 || (max > 0 && !ret))
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "list addresses: invalid argument");
	for (int attempt = 0; attempt < NETLINK_DUMP_TRIES; attempt++) {
		struct netlink_addr_ctx c = { .ifindex = ifindex, .out = ret, .max = max };
		char buf[NETLINK_REQ_SIZE];
		struct nlmsghdr *nlh;
		struct ifaddrmsg *ifa;

		/* A dump, but the pod netns is small and strict kernels filter by index. */
		nlh = netlink_msg(buf, RTM_GETADDR, NLM_F_DUMP);
		ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = AF_UNSPEC;
		ifa->ifa_index = (uint32_t)ifindex;
		r = netlink_talk(nl, nlh, netlink_addr_cb, &c, err);
		if (r == -EINTR)
			continue;
		if (r < 0)
			break;
		if (c.overflow)
			return err_set(err, ENOSPC, CNI_ERR_INTERNAL,
				       "list addresses on link %s: more than %d",
				       netlink_link_label(nl, ifindex, label, sizeof(label)), max);
		*ret_n = c.n;
		return 0;
	}
	return err_wrap(err, "list addresses on link %s",
			netlink_link_label(nl, ifindex, label, sizeof(label)));
}

/* ---- routes ---- */

static uint32_t netlink_route_table(const struct cni_route *rt)
{
	return rt->table > 0 ? (uint32_t)rt->table : RT_TABLE_MAIN;
}

/* Family of the route: the destination's, else the gateway's. */
static int netlink_route_family(const struct cni_route *rt)
{
	if (netlink_family_len(rt->dst.addr.family))
		return rt->dst.addr.family;
	return rt->gw.family;
}

static int netlink_route_check(const struct cni_route *rt, int *ret_family)
{
	int family = netlink_route_family(rt);
	int alen = netlink_family_len(family);

	if (!alen)
		return -EINVAL;
	if (rt->dst.addr.family &&
	    (rt->dst.addr.family != family || rt->dst.len < 0 || rt->dst.len > alen * 8))
		return -EINVAL;
	/* A gateway of the other family would need RTA_VIA; CNI results never ask for it. */
	if (rt->gw.family && rt->gw.family != family)
		return -EINVAL;
	if (rt->scope > 255)
		return -EINVAL;
	*ret_family = family;
	return 0;
}

static const char *netlink_route_str(const struct cni_route *rt, char *buf, size_t len)
{
	char d[INET6_ADDRSTRLEN + 8] = "default", g[INET6_ADDRSTRLEN] = "";

	if (rt->dst.addr.family)
		netlink_prefix_str(&rt->dst, d, sizeof(d));
	if (netlink_family_len(rt->gw.family))
		(void)inet_ntop(rt->gw.family, rt->gw.a, g, sizeof(g));
	snprintf(buf, len, "%s%s%s", d, g[0] ? " via " : "", g);
	return buf;
}

int netlink_route_add(struct netlink *nl, int ifindex, const struct cni_route *route,
		      struct cni_err *err)
{
	char buf[NETLINK_REQ_SIZE];
	char label[IFNAMSIZ + 16], rstr[2 * INET6_ADDRSTRLEN + 16];
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	struct ipaddr dst;
	uint32_t table;
	int family, alen, r;

	if (ifindex <= 0 || !route || netlink_route_check(route, &family) < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "add route %s: invalid route",
			       route ? netlink_route_str(route, rstr, sizeof(rstr)) : "");
	alen = netlink_family_len(family);
	table = netlink_route_table(route);

	nlh = netlink_msg(buf, RTM_NEWROUTE, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = route->dst.addr.family ? (uint8_t)route->dst.len : 0;
	rtm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_type = RTN_UNICAST;
	/*
	 * Without a gateway an IPv4 destination is on-link, as "ip route add ... dev X" makes it;
	 * IPv6 routes always use universe scope (the kernel derives the rest).
	 */
	if (route->scope >= 0)
		rtm->rtm_scope = (uint8_t)route->scope;
	else if (family == AF_INET && !route->gw.family)
		rtm->rtm_scope = RT_SCOPE_LINK;
	else
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;

	if (route->dst.addr.family && route->dst.len > 0) {
		dst = netlink_mask(&route->dst.addr, route->dst.len);
		mnl_attr_put(nlh, RTA_DST, (size_t)alen, dst.a);
	}
	if (route->gw.family)
		mnl_attr_put(nlh, RTA_GATEWAY, (size_t)alen, route->gw.a);
	mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	if (route->priority >= 0)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, (uint32_t)route->priority);
	if (route->mtu > 0 || route->advmss > 0) {
		struct nlattr *m = mnl_attr_nest_start(nlh, RTA_METRICS);

		if (route->mtu > 0)
			mnl_attr_put_u32(nlh, RTAX_MTU, (uint32_t)route->mtu);
		if (route->advmss > 0)
			mnl_attr_put_u32(nlh, RTAX_ADVMSS, (uint32_t)route->advmss);
		mnl_attr_nest_end(nlh, m);
	}
	r = netlink_talk(nl, nlh, NULL, NULL, err);
	if (r < 0)
		return err_wrap(err, "add route %s dev %s",
				netlink_route_str(route, rstr, sizeof(rstr)),
				netlink_link_label(nl, ifindex, label, sizeof(label)));
	return 0;
}

struct netlink_route_ctx {
	int family;
	int ifindex;
	int dst_len;
	struct ipaddr dst; /* masked; unused when dst_len is 0 */
	const struct ipaddr *gw;
	uint32_t table;
	bool found;
};

static int netlink_route_cb(const struct nlmsghdr *nlh, void *data)
{
	struct netlink_route_ctx *c = data;
	const struct nlattr *a, *dst = NULL, *gw = NULL;
	const struct rtmsg *rtm;
	uint32_t table, oif = 0;
	int alen = netlink_family_len(c->family);

	if (c->found || nlh->nlmsg_type != RTM_NEWROUTE ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*rtm))
		return MNL_CB_OK;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != c->family || rtm->rtm_dst_len != c->dst_len ||
	    (rtm->rtm_flags & RTM_F_CLONED))
		return MNL_CB_OK;
	table = rtm->rtm_table;
	mnl_attr_for_each(a, nlh, sizeof(*rtm)) {
		switch (mnl_attr_get_type(a)) {
		case RTA_DST:
			dst = a;
			break;
		case RTA_GATEWAY:
			gw = a;
			break;
		case RTA_OIF:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				oif = mnl_attr_get_u32(a);
			break;
		case RTA_TABLE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) == 0)
				table = mnl_attr_get_u32(a);
			break;
		default:
			break;
		}
	}
	if (table != c->table || (int)oif != c->ifindex)
		return MNL_CB_OK;
	if (c->dst_len > 0) {
		if (!dst || mnl_attr_get_payload_len(dst) != (size_t)alen ||
		    memcmp(mnl_attr_get_payload(dst), c->dst.a, (size_t)alen) != 0)
			return MNL_CB_OK;
	}
	if (c->gw->family) {
		if (!gw || mnl_attr_get_payload_len(gw) != (size_t)alen ||
		    memcmp(mnl_attr_get_payload(gw), c->gw->a, (size_t)alen) != 0)
			return MNL_CB_OK;
	}
	c->found = true;
	return MNL_CB_OK;
}

int netlink_route_exists(struct netlink *nl, int ifindex, const struct cni_route *route,
			 bool *ret_exists, struct cni_err *err)
{
	char label[IFNAMSIZ + 16], rstr[2 * INET6_ADDRSTRLEN + 16];
	int family, r = 0;

	if (ifindex <= 0 || !route || netlink_route_check(route, &family) < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "check route %s: invalid route",
			       route ? netlink_route_str(route, rstr, sizeof(rstr)) : "");

	for (int attempt = 0; attempt < NETLINK_DUMP_TRIES; attempt++) {
		struct netlink_route_ctx c = {
			.family = family,
			.ifindex = ifindex,
			.dst_len = route->dst.addr.family ? route->dst.len : 0,
			.gw = &route->gw,
			.table = netlink_route_table(route),
		};
		char buf[NETLINK_REQ_SIZE];
		struct nlmsghdr *nlh;
		struct rtmsg *rtm;

		if (c.dst_len > 0)
			c.dst = netlink_mask(&route->dst.addr, c.dst_len);
		nlh = netlink_msg(buf, RTM_GETROUTE, NLM_F_DUMP);
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = (uint8_t)family;
		/* Strict kernels (4.20+) filter the dump by table and device; others ignore it. */
		if (nl->strict) {
			mnl_attr_put_u32(nlh, RTA_TABLE, c.table);
			mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)ifindex);
		}
		r = netlink_talk(nl, nlh, netlink_route_cb, &c, err);
		if (r == -EINTR)
			continue;
		/* A filtered dump of a table that was never created fails with ENOENT. */
		if (r == -ENOENT && nl->strict) {
			*ret_exists = false;
			return 0;
		}
		if (r < 0)
			break;
		*ret_exists = c.found;
		return 0;
	}
	return err_wrap(err, "check route %s dev %s", netlink_route_str(route, rstr, sizeof(rstr)),
			netlink_link_label(nl, ifindex, label, sizeof(label)));
}
