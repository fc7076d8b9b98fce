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

/*
 * Apply the PF-side settings of @c to VF @vf (order: MAC, VLAN, spoofchk, trust, rate, link
 * state), starting from @now, what the PF reported for it (the snapshot just taken).
 * Stops at the first failure; the caller restores from the record, which undoes the
 * applied steps newest first.
 */
int vfcfg_apply(struct netlink *host, const struct vf_dev *vf, const struct sriov_conf *c,
		const struct vf_info *now, struct cni_err *err);

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
 * Move the VF netdev @ifindex into @netns_fd as @ifname (after dropping altnames that
 * would clash there), set @mac if non-NULL, and bring it up. *ret_ifindex is its ifindex in
 * the pod. On failure the netdev may be in either netns; vfcfg_restore() finds it.
 */
int vfcfg_move_to_pod(struct netlink *host, struct netlink *pod, int netns_fd, int ifindex,
		      const char *ifname, const uint8_t *mac, int *ret_ifindex,
		      struct cni_err *err);

#endif
