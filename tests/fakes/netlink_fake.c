/* SPDX-License-Identifier: Apache-2.0 */
/* netlink_fake.c: the verbs of include/sriov/netlink.h on struct fake_net, see netlink_fake.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/conf.h"
#include "netlink_fake.h"

struct fake_net fake;

struct netlink {
	int netns_fd;
};

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

int fake_link_add(const char *name, const uint8_t mac[6])
{
	for (int i = 0; i < FAKE_MAX_LINKS; i++) {
		struct fake_link *l = &fake.links[i];

		if (l->ifindex)
			continue;
		l->ifindex = i + 2; /* 1 is lo */
		snprintf(l->name, sizeof(l->name), "%s", name);
		memcpy(l->mac, mac, 6);
		l->mtu = 1500;
		return l->ifindex;
	}
	abort();
}

struct fake_link *fake_link_find(int ifindex)
{
	for (int i = 0; i < FAKE_MAX_LINKS; i++)
		if (ifindex > 0 && fake.links[i].ifindex == ifindex)
			return &fake.links[i];
	return NULL;
}

static struct fake_link *fake_link_by_name(const char *name)
{
	for (int i = 0; i < FAKE_MAX_LINKS; i++) {
		struct fake_link *l = &fake.links[i];

		if (!l->ifindex)
			continue;
		if (!strcmp(l->name, name))
			return l;
		for (int k = 0; k < l->n_altnames; k++)
			if (!strcmp(l->altnames[k], name))
				return l;
	}
	return NULL;
}

void fake_fail(const char *op, int nth, int errnum, const char *extack)
{
	fake_fail_times(op, nth, 1, errnum, extack);
}

void fake_fail_times(const char *op, int nth, int times, int errnum, const char *extack)
{
	for (int i = 0; i < FAKE_MAX_FAILS; i++) {
		struct fake_fail *f = &fake.fails[i];

		if (f->op[0])
			continue;
		snprintf(f->op, sizeof(f->op), "%s", op);
		f->nth = nth;
		f->times = times;
		f->errnum = errnum;
		snprintf(f->extack, sizeof(f->extack), "%s", extack ? extack : "");
		return;
	}
	abort();
}

/* The injected failure for @line, if one is due: its negative errno with @err filled. */
static int fake_fail_due(const char *line, struct cni_err *err)
{
	for (int i = 0; i < FAKE_MAX_FAILS; i++) {
		struct fake_fail *f = &fake.fails[i];

		if (!f->op[0] || strncmp(line, f->op, strlen(f->op)))
			continue;
		f->seen++;
		if (f->seen < f->nth || f->seen >= f->nth + f->times)
			continue;
		err_set(err, f->errnum, CNI_ERR_INTERNAL, "%s: %s", line, strerror(f->errnum));
		if (f->extack[0])
			err_details(err, "%s", f->extack);
		return -f->errnum;
	}
	return 0;
}

static void fake_log(const char *line, int r)
{
	size_t n = strlen(fake.log);

	snprintf(fake.log + n, sizeof(fake.log) - n, "%s%s\n", line, r < 0 ? ": FAILED" : "");
}

/*
 * One change, described as its log line: fails as scripted (filling @err the way the real
 * layer does: "<line>: <strerror>", extack in details), and is logged. Returns 0 or -errno.
 */
static __attribute__((format(printf, 2, 3))) int fake_op(struct cni_err *err, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	r = fake_fail_due(line, err);
	fake_log(line, r);
	return r;
}

static int fake_no_link(struct cni_err *err, int ifindex)
{
	return err_set(err, ENODEV, CNI_ERR_INTERNAL, "link with ifindex %d not found", ifindex);
}

int netlink_open(int netns_fd, struct netlink **ret, struct cni_err *err)
{
	*ret = calloc(1, sizeof(**ret));
	if (!*ret)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	(*ret)->netns_fd = netns_fd;
	return 0;
}

void netlink_close(struct netlink *nl)
{
	free(nl);
}

int netlink_link_get(struct netlink *nl, int ifindex, const char *name, struct netlink_link *ret,
		     struct cni_err *err)
{
	struct fake_link *l = ifindex > 0 ? fake_link_find(ifindex) : fake_link_by_name(name);
	struct netlink_link out = { .num_vf = -1 };

	if (!l && ifindex > 0)
		return fake_no_link(err, ifindex);
	if (!l)
		return err_set(err, ENODEV, CNI_ERR_INTERNAL, "link %s not found", name);
	out.ifindex = l->ifindex;
	snprintf(out.name, sizeof(out.name), "%s", l->name);
	memcpy(out.mac, l->mac, 6);
	out.mac_len = 6;
	out.flags = l->flags;
	out.mtu = l->mtu;
	memcpy(out.altnames, l->altnames, sizeof(out.altnames));
	out.n_altnames = l->n_altnames;
	if (l->ifindex == fake.pf_ifindex)
		out.num_vf = (int)fake.num_vfs;
	*ret = out;
	return 0;
}

int netlink_vf_get(struct netlink *nl, int pf_ifindex, unsigned int vf, struct vf_info *ret,
		   struct cni_err *err)
{
	if (pf_ifindex != fake.pf_ifindex || vf >= fake.num_vfs)
		return err_set(err, ENOENT, CNI_ERR_INTERNAL, "PF ifindex %d reports no VF %u",
			       pf_ifindex, vf);
	*ret = fake.vfs[vf];
	return 0;
}

/*
 * One request for all of @which, logged as one line ("VF 1 of pf: set vlan 100 ..., spoofchk
 * off"). As the kernel does, attributes are applied in turn until one fails; a failure
 * injected for one attribute ("VF 1 of pf: set spoofchk") fails the whole request.
 */
int netlink_vf_set_many(struct netlink *nl, int pf_ifindex, unsigned int vf,
			const enum netlink_vf_attr *which, size_t n, const struct vf_info *val,
			struct cni_err *err)
{
	char line[512], one[160], desc[96];
	const char *pf;
	size_t len;
	int r = 0;

	if (pf_ifindex != fake.pf_ifindex || vf >= fake.num_vfs || n == 0)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set VF %u: invalid argument", vf);
	pf = fake_link_find(pf_ifindex)->name;
	len = (size_t)snprintf(line, sizeof(line), "VF %u of %s: set ", vf, pf);
	for (size_t i = 0; i < n; i++) {
		if (which[i] >= NETLINK_VF_N_ATTRS)
			return err_set(err, EINVAL, CNI_ERR_INTERNAL, "set VF %u: invalid argument",
				       vf);
		netlink_vf_attr_describe(which[i], val, desc, sizeof(desc));
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i ? ", " : "",
					desc);
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		netlink_vf_attr_describe(which[i], val, desc, sizeof(desc));
		snprintf(one, sizeof(one), "VF %u of %s: set %s", vf, pf, desc);
		r = fake_fail_due(one, err);
		if (r == 0)
			netlink_vf_attr_copy(which[i], val, &fake.vfs[vf]);
	}
	fake_log(line, r);
	return r;
}

int netlink_link_set(struct netlink *nl, int ifindex, const struct netlink_link_change *c,
		     struct cni_err *err)
{
	struct fake_link *l = fake_link_find(ifindex),
			 *other = c->name ? fake_link_by_name(c->name) : NULL;
	char mac[18] = "", mtu[16] = "";
	int r;

	if (!l)
		return fake_no_link(err, ifindex);
	if (other && other != l)
		return err_set(err, EEXIST, CNI_ERR_INTERNAL, "rename %s to %s: File exists",
			       l->name, c->name);
	if (c->mtu)
		snprintf(mtu, sizeof(mtu), " MTU %d", c->mtu);
	r = fake_op(err, "link %s: set%s%s%s%s%s%s", l->name, c->name ? " name " : "",
		    c->name ? c->name : "", c->mac ? " MAC " : "",
		    c->mac ? conf_mac_str(c->mac, mac) : "", mtu,
		    !c->up    ? "" :
		    c->up > 0 ? " state up" :
				" state down");
	if (r < 0)
		return r;
	if (c->name)
		snprintf(l->name, sizeof(l->name), "%s", c->name);
	if (c->mac)
		memcpy(l->mac, c->mac, 6);
	if (c->mtu)
		l->mtu = c->mtu;
	if (c->up)
		l->flags = c->up > 0 ? l->flags | IFF_UP : l->flags & ~IFF_UP;
	return 0;
}

/* One namespace: a move is a rename, and the device keeps its ifindex. */
int netlink_link_move_get(struct netlink *nl, int ifindex, int netns_fd, struct netlink *target,
			  const char *newname, struct netlink_link *ret, struct cni_err *err)
{
	struct fake_link *l = fake_link_find(ifindex);
	int r;

	(void)netns_fd;
	if (!l)
		return fake_no_link(err, ifindex);
	r = fake_op(err, "link %s: move to %s netns as %s", l->name,
		    target->netns_fd == nl->netns_fd ? "the same" : "another",
		    newname ? newname : l->name);
	if (r == 0 && newname)
		snprintf(l->name, sizeof(l->name), "%s", newname);
	if (r == 0 && ret)
		r = netlink_link_get(target, ifindex, NULL, ret, err);
	return r;
}

int netlink_altname_del(struct netlink *nl, int ifindex, const char *altname, struct cni_err *err)
{
	struct fake_link *l = fake_link_find(ifindex);
	int r;

	if (!l)
		return fake_no_link(err, ifindex);
	r = fake_op(err, "link %s: delete altname %s", l->name, altname);
	for (int k = 0; r == 0 && k < l->n_altnames; k++) {
		if (strcmp(l->altnames[k], altname))
			continue;
		memmove(l->altnames[k], l->altnames[k + 1],
			(size_t)(l->n_altnames - k - 1) * NETLINK_ALTNAMSIZ);
		l->n_altnames--;
		return 0;
	}
	return r < 0 ? r : err_set(err, ENOENT, CNI_ERR_INTERNAL, "no altname %s", altname);
}

int netlink_addr_add(struct netlink *nl, int ifindex, const struct ipprefix *addr,
		     struct cni_err *err)
{
	char s[IPPREFIX_STRLEN];

	return fake_op(err, "link %d: add address %s", ifindex, ipprefix_str(addr, s));
}

/* As the kernel answers for a link whose only address in the subnet is @target. */
int netlink_arp_source(struct netlink *nl, int ifindex, const struct ipaddr *target,
		       struct ipaddr *ret, struct cni_err *err)
{
	*ret = *target;
	return 0;
}

int netlink_neigh_probe(struct netlink *nl, int ifindex, const struct ipaddr *ip,
			struct cni_err *err)
{
	char s[IPADDR_STRLEN];

	return fake_op(err, "link %d: probe neighbour %s", ifindex, ipaddr_str(ip, s));
}

int netlink_addr_exists(struct netlink *nl, int ifindex, const struct ipprefix *addr,
			bool *ret_exists, struct cni_err *err)
{
	*ret_exists = false;
	return 0;
}

int netlink_route_add(struct netlink *nl, int ifindex, const struct cni_route *route,
		      struct cni_err *err)
{
	char s[IPPREFIX_STRLEN];

	return fake_op(err, "link %d: add route %s", ifindex, ipprefix_str(&route->dst, s));
}

int netlink_route_exists(struct netlink *nl, int ifindex, const struct cni_route *route,
			 bool *ret_exists, struct cni_err *err)
{
	*ret_exists = false;
	return 0;
}
