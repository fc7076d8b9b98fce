/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vfcfg.h: configure a VF and give it back: PF-side settings (one attribute per request,
 * writes skipped when nothing changes), the netdev's trip into the pod netns and home again.
 */
#ifndef SRIOV_VFCFG_H
#define SRIOV_VFCFG_H

#include "sriov/conf.h"
#include "sriov/err.h"
#include "sriov/netlink.h"
#include "sriov/state.h"
#include "sriov/vf.h"

/* One PF-side write: attribute @attr set to its part of @val. */
struct vfcfg_step {
	enum netlink_vf_attr attr;
	struct vf_info val;
};

/*
 * ADD's PF-side writes for @c on a VF the PF reports as @now: each attribute @c sets to
 * something else, in the table's order (enum netlink_vf_attr); a step's @val is @now with
 * the steps before it applied. Returns the number of steps in @ret. Pure.
 */
size_t vfcfg_plan_apply(const struct sriov_conf *c, const struct vf_info *now,
			struct vfcfg_step ret[NETLINK_VF_N_ATTRS]);

/*
 * DEL's PF-side writes to give back @orig from @now, newest first (the table's order
 * reversed): each attribute that differs and that the PF reported in @orig. Not the MAC,
 * which vfcfg_restore() gives back last, together with the netdev's. Pure.
 */
size_t vfcfg_plan_restore(const struct vf_info *orig, const struct vf_info *now,
			  struct vfcfg_step ret[NETLINK_VF_N_ATTRS]);

/*
 * Apply the PF-side settings of @c to VF @vf (order: MAC, VLAN, spoofchk, trust, rate, link
 * state; vfcfg_plan_apply()), starting from @rec, the snapshot just taken (the PF's VF entry
 * and the netdev's MAC). The MAC is written alone, the rest in one request; if that fails,
 * they are written one by one, and the first failure stops it with the message
 * netlink_vf_set() wrote, naming the setting. The caller restores from the record, which
 * undoes the applied steps newest first.
 */
int vfcfg_apply(struct netlink *host, const struct vf_dev *vf, const struct sriov_conf *c,
		const struct vf_record *rec, struct cni_err *err);

/* Compare the PF-side settings with @c; the error names the first setting that differs. */
int vfcfg_check(struct netlink *host, const struct vf_dev *vf, const struct sriov_conf *c,
		struct cni_err *err);

/*
 * Give the VF of @rec back exactly as recorded, best effort, newest change first: bring the
 * netdev home from @netns_path (or wait for the kernel to return it when that netns is
 * gone) under its original name, restore the PF-side settings, then the netdev's MAC, MTU
 * and up state. Keeps going after a failure and returns the first error.
 */
int vfcfg_restore(struct netlink *host, const struct vf_record *rec, const char *netns_path,
		  struct cni_err *err);

/*
 * Move the VF netdev @vf (as read in the host before the PF-side settings: ifindex, name,
 * altnames, MAC) into @netns_fd as @ifname (after dropping altnames that would clash there),
 * set @mac if non-NULL and not already the netdev's, and bring it up. *@ret is the link as
 * it now is in the pod (its ifindex there, name @ifname, MAC, MTU, IFF_UP): the MAC is
 * compared with @mac as the move's reply gives it, after any admin MAC the PF set. On failure
 * the netdev may be in either netns; vfcfg_restore() finds it.
 */
int vfcfg_move_to_pod(struct netlink *host, struct netlink *pod, int netns_fd,
		      const struct netlink_link *vf, const char *ifname, const uint8_t *mac,
		      struct netlink_link *ret, struct cni_err *err);

/*
 * The name a VF gets when it must be brought home without knowing its original one:
 * "vf" + PCI domain (hex, no leading zeros) + bus + device + function, e.g. 0000:02:00.1 ->
 * "vf002001" (at most 15 bytes, unique per VF). @pci must be a valid PCI address.
 */
void vfcfg_safe_name(const char *pci, char ret[IFNAMSIZ]);

/*
 * Recovery without a record (it was corrupt): if the netdev of VF @pci is in @netns_path
 * (found by PCI bus-info; @hint_ifname tried first), set it down and move it to the host
 * under vfcfg_safe_name(). PF-side settings are left alone: their original values are lost.
 * 0 also when there is nothing to do (no such netns, VF not in it).
 */
int vfcfg_recover_from_pod(const char *pci, const char *netns_path, const char *hint_ifname,
			   struct cni_err *err);

#endif
