/* SPDX-License-Identifier: Apache-2.0 */
/* vfcfg.c: PF-side VF settings, the netdev's move into the pod netns, and the way back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <net/if.h>

#include "sriov/cleanup.h"
#include "sriov/fault.h"
#include "sriov/log.h"
#include "sriov/netns.h"
#include "sriov/vfcfg.h"

size_t vfcfg_plan_apply(const struct sriov_conf *c, const struct vf_info *now,
			struct vfcfg_step ret[NETLINK_VF_N_ATTRS])
{
	struct vf_info cur = *now;
	size_t n = 0;

	/*
	 * Attributes the config leaves alone, or that already match, are never written, so a
	 * driver without that operation still works.
	 */
	for (enum netlink_vf_attr a = 0; a < NETLINK_VF_N_ATTRS; a++) {
		struct vf_info want = cur;

		if (!netlink_vf_attr_wanted(a, c, &want) || netlink_vf_attr_equal(a, &want, &cur))
			continue;
		ret[n++] = (struct vfcfg_step){ .attr = a, .val = want };
		cur = want;
	}
	return n;
}

size_t vfcfg_plan_restore(const struct vf_info *orig, const struct vf_info *now,
			  struct vfcfg_step ret[NETLINK_VF_N_ATTRS])
{
	struct vf_info cur = *now;
	size_t n = 0;

	for (enum netlink_vf_attr a = NETLINK_VF_N_ATTRS; a-- > 0;) {
		/* The MAC lives in the netdev too: restore_mac() gives both back, last. */
		if (a == NETLINK_VF_MAC || !netlink_vf_attr_known(a, orig) ||
		    netlink_vf_attr_equal(a, orig, &cur))
			continue;
		netlink_vf_attr_copy(a, orig, &cur);
		ret[n++] = (struct vfcfg_step){ .attr = a, .val = cur };
	}
	return n;
}

/*
 * Give the VF netdev its MAC before the PF pins it as admin MAC. Once an admin MAC is set,
 * igb refuses every MAC request of an untrusted VF, even for the same address, until the
 * VF driver reloads; asked first, the PF simply records it. Failure is fine here: the MAC
 * is set again after the move, when the VF driver has picked up the admin MAC.
 */
static void preset_netdev_mac(struct netlink *host, const struct vf_dev *vf,
			      const struct vf_record *rec, const uint8_t mac[6])
{
	struct cni_err ignored = { 0 };

	if (memcmp(rec->orig_mac, mac, 6) == 0)
		return;
	if (netlink_link_set(host, vf->ifindex, &(struct netlink_link_change){ .mac = mac },
			     &ignored) < 0)
		log_debug("VF %s: early MAC set refused: %s", vf->pci, ignored.msg);
}

/*
 * Write @steps[0..@n) (cumulative: each step's value holds those before it) in one request.
 * 0 when it went through; otherwise the caller writes them one by one, which names the
 * setting that fails (do_setvfinfo() does not) and applies them in the order sriov-cni does.
 */
static int set_merged(struct netlink *host, int pf_ifindex, unsigned int vf,
		      const struct vfcfg_step *steps, size_t n)
{
	enum netlink_vf_attr which[NETLINK_VF_N_ATTRS];
	struct cni_err ignored = { 0 };

	if (n < 2 || n > NETLINK_VF_N_ATTRS)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		which[i] = steps[i].attr;
	return netlink_vf_set_many(host, pf_ifindex, vf, which, n, &steps[n - 1].val, &ignored);
}

int vfcfg_apply(struct netlink *host, const struct vf_dev *vf, const struct sriov_conf *c,
		const struct vf_record *rec, struct cni_err *err)
{
	struct vfcfg_step steps[NETLINK_VF_N_ATTRS];
	size_t n = vfcfg_plan_apply(c, &rec->orig, steps), i = 0;
	bool tried = false, merged = false;
	char desc[96];
	int r;

	if (c->has_mac && !vf->dpdk && vf->ifindex > 0)
		preset_netdev_mac(host, vf, rec, c->mac);
	for (; i < n; i++) {
		/* The admin MAC alone and first: igb couples it with the netdev (restore_mac()). */
		if (!tried && steps[i].attr != NETLINK_VF_MAC) {
			tried = true;
			merged = set_merged(host, vf->pf_ifindex, vf->index, steps + i, n - i) == 0;
		}
		/* The error names the VF, the PF, the setting and the kernel's reason already. */
		r = merged ? 0 :
			     netlink_vf_set(host, vf->pf_ifindex, vf->index, steps[i].attr,
					    &steps[i].val, err);
		if (r < 0)
			return r;
		netlink_vf_attr_describe(steps[i].attr, &steps[i].val, desc, sizeof(desc));
		log_debug("VF %s: set %s", vf->pci, desc);
		fault_point(desc);
	}
	return 0;
}

int vfcfg_check(struct netlink *host, const struct vf_dev *vf, const struct sriov_conf *c,
		struct cni_err *err)
{
	struct vfcfg_step steps[NETLINK_VF_N_ATTRS];
	struct vf_info cur;
	char want_s[96], cur_s[96];
	int r;

	r = netlink_vf_get(host, vf->pf_ifindex, vf->index, &cur, err);
	if (r < 0)
		return err_wrap(err, "read VF %u of %s", vf->index, vf->pf_name);
	if (vfcfg_plan_apply(c, &cur, steps) == 0)
		return 0;
	netlink_vf_attr_describe(steps[0].attr, &steps[0].val, want_s, sizeof(want_s));
	netlink_vf_attr_describe(steps[0].attr, &cur, cur_s, sizeof(cur_s));
	return err_set(err, EINVAL, CNI_ERR_INTERNAL,
		       "VF %u of %s: configured %s but the PF reports %s", vf->index, vf->pf_name,
		       want_s, cur_s);
}

/*
 * Set a VF netdev's MAC. A PF-side admin MAC change resets the VF, and until igbvf (and
 * other VF drivers) have renegotiated with the PF their MAC request is refused
 * (EADDRNOTAVAIL) or busy. igbvf notices the reset in its watchdog, which runs every 2 s
 * (drivers/net/ethernet/intel/igbvf/netdev.c), so a wait shorter than that can miss it on a
 * loaded node: retry every 50 ms for up to 5 s, and only after a failure.
 */
static int set_mac_retry(struct netlink *nl, int ifindex, const uint8_t mac[6], struct cni_err *err)
{
	struct timespec step = { 0, 50 * 1000 * 1000 };
	int r;

	for (int tries = 0;; tries++) {
		r = netlink_link_set(nl, ifindex, &(struct netlink_link_change){ .mac = mac }, err);
		if (r == 0 || tries >= 100 ||
		    (r != -EADDRNOTAVAIL && r != -EBUSY && r != -EAGAIN && r != -EIO))
			return r;
		(void)nanosleep(&step, NULL);
	}
}

static void keep_first(struct cni_err *first, int *first_r, int r, const struct cni_err *e)
{
	if (r < 0 && *first_r == 0) {
		*first = *e;
		*first_r = r;
	}
	if (r < 0)
		log_error("%s%s%s", e->msg, e->details[0] ? ": " : "", e->details);
}

static int set_admin_mac(struct netlink *host, int pf_ifindex, const struct vf_record *rec,
			 const uint8_t mac[6], struct cni_err *err)
{
	struct vf_info v = rec->orig;
	int r;

	memcpy(v.mac, mac, 6);
	r = netlink_vf_set(host, pf_ifindex, rec->vf, NETLINK_VF_MAC, &v, err);
	if (r < 0)
		return err_wrap(err, "restore");
	fault_point("restore admin MAC");
	return 0;
}

/*
 * The MAC lives in two places, the PF's VF table and the VF netdev, and igb (like other PF
 * drivers) couples them: the table entry is also the VF's unicast filter; a MAC the VF sets
 * on its own is listed there; while an admin MAC is set an untrusted VF's MAC requests are
 * all refused, even for the same address; and clearing the admin MAC clears the filter. So:
 *   - table and netdev as recorded (or the table lists the netdev's own MAC): no write, the
 *     VF's filter stays as its driver registered it;
 *   - otherwise lift our pin (clear it, or set back a real admin MAC recorded before us),
 *     then have the netdev ask for its old MAC again, which re-registers its filter.
 * A table MAC equal to the netdev's own is taken as the VF's registration, not a pin: the
 * two look the same, and a pin would make igb refuse the next pod's MAC.
 * @l is the netdev in the host as last read, NULL when there is none (DPDK, or not home).
 */
static int restore_mac(struct netlink *host, const struct vf_record *rec, int pf_ifindex,
		       struct netlink_link *l, const struct vf_info *cur, struct cni_err *err)
{
	static const uint8_t zero[6];
	bool pinned = memcmp(rec->orig.mac, zero, 6) != 0 &&
		      (rec->dpdk || memcmp(rec->orig.mac, rec->orig_mac, 6) != 0);
	const uint8_t *admin = pinned ? rec->orig.mac : zero;
	bool netdev_ok = !l || l->mac_len != 6 || memcmp(l->mac, rec->orig_mac, 6) == 0;
	bool table_ok = memcmp(cur->mac, rec->orig.mac, 6) == 0 ||
			(!pinned && l && netdev_ok && memcmp(cur->mac, l->mac, 6) == 0);
	int r;

	if (netdev_ok && table_ok)
		return 0;
	if (memcmp(cur->mac, admin, 6) != 0) {
		r = set_admin_mac(host, pf_ifindex, rec, admin, err);
		if (r < 0)
			return r;
	}
	if (!l || l->mac_len != 6)
		return 0;
	r = set_mac_retry(host, l->ifindex, rec->orig_mac, err);
	if (r < 0)
		return err_wrap(err, "restore MAC of VF %s", rec->pci);
	memcpy(l->mac, rec->orig_mac, 6);
	return 0;
}

/* The PF-side settings, newest first; the MAC (applied first) last. */
static int restore_pf(struct netlink *host, const struct vf_record *rec, int pf_ifindex,
		      struct netlink_link *l, struct cni_err *err)
{
	struct vfcfg_step steps[NETLINK_VF_N_ATTRS];
	struct cni_err first = { 0 };
	struct vf_info cur;
	int r, first_r = 0;
	bool merged;
	size_t n;

	r = netlink_vf_get(host, pf_ifindex, rec->vf, &cur, err);
	if (r < 0)
		return err_wrap(err, "read VF %u of %s", rec->vf, rec->pf_name);
	n = vfcfg_plan_restore(&rec->orig, &cur, steps);
	merged = set_merged(host, pf_ifindex, rec->vf, steps, n) == 0;
	for (size_t i = 0; i < n; i++) {
		r = merged ? 0 :
			     netlink_vf_set(host, pf_ifindex, rec->vf, steps[i].attr, &steps[i].val,
					    err);
		if (r < 0)
			r = err_wrap(err, "restore");
		keep_first(&first, &first_r, r, err);
		fault_point("restore PF-side attribute");
	}
	r = restore_mac(host, rec, pf_ifindex, l, &cur, err);
	keep_first(&first, &first_r, r, err);
	if (first_r < 0)
		*err = first;
	return first_r;
}

/* Wait up to @ms for the kernel to hand the netdev back to the host after its netns died. */
static int wait_host_netdev(const char *pci, char name[IFNAMSIZ], int *ifindex, int ms)
{
	struct timespec step = { 0, 20 * 1000 * 1000 };

	for (int waited = 0;; waited += 20) {
		if (vf_host_netdev(pci, name, ifindex) == 0)
			return 0;
		if (waited >= ms)
			return -ENODEV;
		(void)nanosleep(&step, NULL);
	}
}

/*
 * Bring the netdev back into the host netns; *ret_ifindex is its host ifindex. When this moved
 * it, *ret is the link as the host then reports it and *ret_moved is true.
 */
static int bring_home(struct netlink *host, const struct vf_record *rec, const char *netns_path,
		      int *ret_ifindex, struct netlink_link *ret, bool *ret_moved,
		      struct cni_err *err)
{
	_cleanup_close_ int podfd = -1;
	int hostfd = -1;
	_cleanup_netlink_ struct netlink *pod = NULL;
	char name[IFNAMSIZ];
	int ifindex, r;

	if (vf_host_netdev(rec->pci, name, &ifindex) == 0) {
		*ret_ifindex = ifindex;
		return 0;
	}
	if (netns_path && *netns_path) {
		struct cni_err ignored = { 0 };

		r = netns_open(netns_path, &podfd, &ignored);
		if (r == 0 && vf_netdev_in_netns(podfd, rec->pci, rec->ifindex, rec->ifname,
						 &ifindex, name, &ignored) == 0) {
			r = netlink_open(podfd, &pod, err);
			if (r < 0)
				return err_wrap(err, "VF %s", rec->pci);
			r = netns_home(&hostfd, err);
			if (r < 0)
				return r;
			/*
			 * No "set down" first: the kernel closes a device it moves to another
			 * netns (__dev_change_net_namespace() calls dev_close()), so the VF
			 * arrives down, as one request fewer.
			 */
			r = netlink_link_move_get(pod, ifindex, hostfd, host, rec->orig_name, ret,
						  err);
			if (r < 0)
				return err_wrap(err, "move VF %s (%s) back to the host as %s",
						rec->pci, name, rec->orig_name);
			*ret_ifindex = ret->ifindex;
			*ret_moved = true;
			return 0;
		}
	}
	/*
	 * The pod netns is gone (or never got the VF): the kernel moves physical netdevs back
	 * to the initial netns asynchronously when a netns dies, so give it a moment.
	 */
	if (wait_host_netdev(rec->pci, name, &ifindex, 2000) == 0) {
		*ret_ifindex = ifindex;
		return 0;
	}
	return err_set(err, ENODEV, CNI_ERR_TRY_AGAIN,
		       "VF %s: netdev is neither in the host nor in netns %s", rec->pci,
		       netns_path && *netns_path ? netns_path : "(none)");
}

/*
 * Rename to the original name, dropping an altname that holds it (it would clash). *ret is
 * the netdev as it is then, for the steps after this one; with @known it is that already
 * (bring_home() just read it) and is not read again.
 */
static int restore_name(struct netlink *host, const struct vf_record *rec, int ifindex, bool known,
			struct netlink_link *ret, struct cni_err *err)
{
	struct netlink_link l;
	int r;

	if (known) {
		l = *ret;
	} else {
		r = netlink_link_get(host, ifindex, NULL, &l, err);
		if (r < 0)
			return r;
		*ret = l;
	}
	if (strcmp(l.name, rec->orig_name) == 0)
		return 0;
	for (int i = 0; i < l.n_altnames; i++)
		if (strcmp(l.altnames[i], rec->orig_name) == 0)
			(void)netlink_altname_del(host, ifindex, l.altnames[i], err);
	if ((l.flags & IFF_UP) &&
	    netlink_link_set(host, ifindex, &(struct netlink_link_change){ .up = -1 }, err) == 0)
		ret->flags &= ~(unsigned int)IFF_UP;
	r = netlink_link_set(host, ifindex, &(struct netlink_link_change){ .name = rec->orig_name },
			     err);
	if (r < 0)
		return err_wrap(err, "rename VF %s from %s back to %s", rec->pci, l.name,
				rec->orig_name);
	snprintf(ret->name, sizeof(ret->name), "%s", rec->orig_name);
	return 0;
}

/* MTU and up state of the netdev @l (as restore_name() left it). */
static int restore_netdev(struct netlink *host, const struct vf_record *rec,
			  const struct netlink_link *l, struct cni_err *err)
{
	int r, first_r = 0, ifindex = l->ifindex;
	struct cni_err first = { 0 };

	if (rec->orig_mtu > 0 && l->mtu != rec->orig_mtu) {
		r = netlink_link_set(host, ifindex,
				     &(struct netlink_link_change){ .mtu = rec->orig_mtu }, err);
		if (r < 0)
			r = err_wrap(err, "restore MTU of VF %s", rec->pci);
		keep_first(&first, &first_r, r, err);
	}
	if (!!(l->flags & IFF_UP) != rec->orig_up) {
		r = netlink_link_set(host, ifindex,
				     &(struct netlink_link_change){ .up = rec->orig_up ? 1 : -1 },
				     err);
		if (r < 0)
			r = err_wrap(err, "restore up state of VF %s", rec->pci);
		keep_first(&first, &first_r, r, err);
	}
	if (first_r < 0)
		*err = first;
	return first_r;
}

int vfcfg_restore(struct netlink *host, const struct vf_record *rec, const char *netns_path,
		  struct cni_err *err)
{
	struct cni_err first = { 0 };
	struct vf_record fixed;
	struct netlink_link l;
	struct vf_dev vf;
	int r, first_r = 0, ifindex = 0;
	bool home = false, moved = false;

	if (!vf_exists(rec->pci))
		return 0; /* the VF itself is gone (sriov_numvfs changed): nothing to give back */
	if (!rec->dpdk) {
		r = bring_home(host, rec, netns_path, &ifindex, &l, &moved, err);
		fault_point("restore: netdev home");
		if (r == 0)
			r = restore_name(host, rec, ifindex, moved, &l, err);
		fault_point("restore: netdev renamed");
		home = r == 0;
		keep_first(&first, &first_r, r, err);
	}
	r = vf_resolve_pf(rec->pci, &vf, err);
	if (r == 0 && vf.index != rec->vf) {
		/* The record is input: PF-side writes go to the VF that sysfs says @pci is. */
		log_warn("VF %s: its record says VF index %u, sysfs says %u: using %u", rec->pci,
			 rec->vf, vf.index, vf.index);
		fixed = *rec;
		fixed.vf = fixed.orig.vf = vf.index;
		rec = &fixed;
	}
	if (r == 0)
		r = restore_pf(host, rec, vf.pf_ifindex, home ? &l : NULL, err);
	keep_first(&first, &first_r, r, err);
	if (home) {
		r = restore_netdev(host, rec, &l, err);
		keep_first(&first, &first_r, r, err);
	}
	if (first_r < 0)
		*err = first;
	return first_r;
}

/* Have the kernel announce address and link changes; failing only means an older kernel. */
static void enable_notify(int netns_fd, const char *ifname)
{
	struct cni_err ignored;
	char v4[96], v6[96];
	const char *keys[] = { v4, v6 };

	snprintf(v4, sizeof(v4), "net/ipv4/conf/%s/arp_notify", ifname);
	snprintf(v6, sizeof(v6), "net/ipv6/conf/%s/ndisc_notify", ifname);
	(void)netns_sysctl_write_all(netns_fd, keys, 2, "1", &ignored);
}

int vfcfg_move_to_pod(struct netlink *host, struct netlink *pod, int netns_fd,
		      const struct netlink_link *vf, const char *ifname, const uint8_t *mac,
		      struct netlink_link *ret, struct cni_err *err)
{
	struct netlink_link probe;
	struct cni_err ignored;
	int r;

	/*
	 * Altnames share the name table with names: one equal to @ifname, or one already used
	 * in the pod netns, makes the move or the rename fail with EEXIST.
	 */
	for (int i = 0; i < vf->n_altnames; i++) {
		if (strcmp(vf->altnames[i], ifname) != 0 &&
		    netlink_link_get(pod, 0, vf->altnames[i], &probe, &ignored) != 0)
			continue;
		r = netlink_altname_del(host, vf->ifindex, vf->altnames[i], err);
		if (r < 0)
			return err_wrap(err, "drop clashing altname %s of %s", vf->altnames[i],
					vf->name);
	}
	r = fault_fail("move into the pod", err);
	if (r < 0) /* worded as netlink_link_move() words its own failures */
		return err_wrap(err, "move link %s into netns as %s", vf->name, ifname);
	r = netlink_link_move_get(host, vf->ifindex, netns_fd, pod, ifname, ret, err);
	if (r < 0)
		return r; /* "move link <name> into netns as <ifname>: <reason>" */
	fault_point("moved into the pod");
	if (mac && memcmp(ret->mac, mac, 6) != 0) {
		r = set_mac_retry(pod, ret->ifindex, mac, err);
		if (r < 0)
			return err_wrap(err, "set MAC of %s", ifname);
		memcpy(ret->mac, mac, 6);
		ret->mac_len = 6;
		fault_point("pod MAC set");
	}
	enable_notify(netns_fd, ifname);
	r = netlink_link_set(pod, ret->ifindex, &(struct netlink_link_change){ .up = 1 }, err);
	if (r < 0)
		return err_wrap(err, "bring %s up", ifname);
	ret->flags |= IFF_UP;
	return 0;
}

void vfcfg_safe_name(const char *pci, char ret[IFNAMSIZ])
{
	unsigned int dom = 0, bus = 0, dev = 0, fn = 0;

	/* "dddd:bb:dd.f", checked by the caller: 8 + 2 + 2 + 1 hex digits at most after "vf". */
	if (sscanf(pci, "%x:%x:%x.%x", &dom, &bus, &dev, &fn) != 4)
		dom = bus = dev = fn = 0;
	snprintf(ret, IFNAMSIZ, "vf%x%02x%02x%x", dom, bus & 0xff, dev & 0xff, fn & 0x7);
}

int vfcfg_recover_from_pod(const char *pci, const char *netns_path, const char *hint_ifname,
			   struct cni_err *err)
{
	_cleanup_close_ int podfd = -1;
	int hostfd = -1;
	_cleanup_netlink_ struct netlink *pod = NULL, *host = NULL;
	char name[IFNAMSIZ], safe[IFNAMSIZ];
	struct cni_err ignored = { 0 };
	int ifindex = 0, home = 0, r;

	if (!netns_path || !*netns_path || netns_open(netns_path, &podfd, &ignored) < 0)
		return 0; /* no pod netns: the kernel gives the VF back when it dies */
	if (vf_netdev_in_netns(podfd, pci, 0, hint_ifname, &ifindex, name, &ignored) < 0)
		return 0; /* not there: nothing of ours to bring home */
	vfcfg_safe_name(pci, safe);
	r = netlink_open(podfd, &pod, err);
	if (r < 0)
		return r;
	r = netns_home(&hostfd, err);
	if (r == 0)
		r = netlink_open(-1, &host, err);
	if (r < 0)
		return r;
	(void)netlink_link_set(pod, ifindex, &(struct netlink_link_change){ .up = -1 }, &ignored);
	r = netlink_link_move(pod, ifindex, hostfd, host, safe, &home, err);
	if (r < 0)
		return err_wrap(err, "move VF %s (%s) back to the host as %s", pci, name, safe);
	log_warn("VF %s: brought home from %s as %s (its original name and settings were in the "
		 "corrupt record)",
		 pci, netns_path, safe);
	return 0;
}
