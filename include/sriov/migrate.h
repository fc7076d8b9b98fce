/* SPDX-License-Identifier: Apache-2.0 */
/*
 * migrate.h: a node switched between sriov-cni v2.10 and sriov while pods run. DEL, CHECK and
 * GC of a pod that sriov-cni set up use its cache; ADD honours sriov-cni's allocation record
 * and lock, and leaves a cache and an allocation record that sriov-cni's DEL can use after a
 * rollback. Our own record (state.h) stays the source of truth for the pods we set up.
 */
#ifndef SRIOV_MIGRATE_H
#define SRIOV_MIGRATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "sriov/conf.h"
#include "sriov/err.h"
#include "sriov/ipam.h"
#include "sriov/netlink.h"
#include "sriov/state.h"
#include "sriov/vf.h"

/* The attachment a verb is about, from CNI_* and the config. */
struct migrate_attachment {
	const char *network;
	const char *container_id;
	const char *ifname;
	const char *netns; /* CNI_NETNS; NULL or "" when not given */
	const char *device_id; /* the config's deviceID; "" when absent */
};

/*
 * DEL of an attachment that has no record of ours. With a sriov-cni cache for (containerID,
 * ifname) of this network: under our VF lock and sriov-cni's, if the VF is still this pod's
 * (no live pod of ours holds it, and sriov-cni's allocation record names this netns, a dead
 * one, or nothing), give it back as its cache's OrigVfState recorded it with vfcfg_restore
 * (home under its own name also when the netns is gone, MAC always, DPDK VFs PF-side only);
 * release IPAM with @ipam (NULL: none); then remove the cache and the allocation record.
 * 1 when a cache was handled; 0 when there is none of this network (nothing done; a corrupt
 * one is quarantined and the VF brought home from the pod under its safe name first);
 * negative errno when restoring or IPAM failed, the cache then kept so that a retry finishes.
 */
int migrate_del(struct state *st, const struct migrate_attachment *a,
		const struct ipam_request *ipam, struct cni_err *err);

/*
 * CHECK of an attachment without a record of ours: 0 and @ret (owner = the attachment, the
 * VF as the cache names it) when a valid sriov-cni cache of this network names VF
 * @a->device_id; -ENOENT otherwise.
 */
int migrate_check(struct state *st, const struct migrate_attachment *a, struct vf_record *ret,
		  struct cni_err *err);

/*
 * GC: every valid sriov-cni cache of @network whose attachment is not in @valid is handled
 * as migrate_del() would, without IPAM (the caller's IPAM GC releases the leases). A cache
 * whose allocation record names a live netns is kept for a later GC. Keeps going; returns the
 * first error.
 */
int migrate_gc(struct state *st, const char *network, const struct ipam_attachment *valid,
	       size_t n_valid, struct cni_err *err);

/*
 * ADD, under our VF lock and before our own record is looked at: take sriov-cni's VF lock
 * (*ret_lockfd, held for the whole ADD), then honour its allocation record. One naming a
 * netns that still exists and is not one of our pods': "in use" (code 999), nothing touched.
 * A stale one (netns gone, or unreadable) is removed, as sriov-cni does; first, if exactly one
 * sriov-cni cache names the VF, the VF is given back from it and the cache removed, so that
 * our snapshot is the VF's own state. @vf is resolved again afterwards.
 */
int migrate_add_claim(struct state *st, struct netlink *host, struct vf_dev *vf, int *ret_lockfd,
		      struct cni_err *err);

/*
 * ADD, right after our record @rec is saved and before the VF is changed: write the cache
 * sriov-cni v2.10 would write for this attachment (sriovcni_cache_format(), from @c as
 * conf_parse() read it for ADD) and its allocation record, so that after a rollback to
 * sriov-cni its DEL gives the VF back. A cache of another network under the same
 * (containerID, ifname) is left alone.
 */
int migrate_add_save(struct state *st, struct netlink *host, const struct sriov_conf *c,
		     const struct vf_record *rec, const struct vf_dev *vf, struct cni_err *err);

/* sriov-cni's allocation record of a VF as read once under its lock (migrate_taken_over()). */
struct migrate_alloc {
	int r; /* sriovcni_alloc_read(): 0 with @netns, -ENOENT, -EBADMSG or another errno */
	char netns[PATH_MAX];
};

/*
 * Our record @rec is going away (DEL, GC, rollback, reclaim): remove the cache of its
 * attachment when it names the same VF and network, and the allocation record when it names
 * the record's netns or a netns that is gone. @alloc: that record as already read under
 * sriov-cni's lock, or NULL to read it here. Best effort.
 */
void migrate_forget(struct state *st, const struct vf_record *rec,
		    const struct migrate_alloc *alloc);

/*
 * A VF whose record (ours, or sriov-cni's cache) was corrupt has been brought home from the pod
 * in @netns: remove its allocation record if it names that netns. Best effort.
 */
void migrate_forget_alloc(struct state *st, const char *pci, const char *netns);

/*
 * Did a pod set up by sriov-cni take the VF of our record @rec since (its owner died, the
 * node was rolled back, sriov-cni reclaimed the VF)? True when the allocation record names
 * another netns that is alive: then the VF must not be touched for @rec. *ret gets the
 * allocation record as read, for migrate_forget().
 */
bool migrate_taken_over(struct state *st, const struct vf_record *rec, struct migrate_alloc *ret);

/*
 * Did sriov-cni's DEL release the VF of our record @rec (the node was rolled back, the pod
 * deleted, and its netns not yet)? True when @rec says ADD wrote an allocation record and
 * that is gone or names another netns: the record is stale though its owner's netns lives.
 */
bool migrate_released(struct state *st, const struct vf_record *rec);

#endif
