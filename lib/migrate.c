/* SPDX-License-Identifier: Apache-2.0 */
/* migrate.c: DEL, CHECK, GC and ADD across a switch between sriov-cni v2.10 and sriov. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fault.h"
#include "sriov/log.h"
#include "sriov/migrate.h"
#include "sriov/netns.h"
#include "sriov/sriovcni.h"
#include "sriov/text.h"
#include "sriov/vfcfg.h"

/*
 * Does @path (read from a file, so input) name a network namespace that still exists? Only
 * a clean absolute path to a regular file is opened: an nsfs file, or /proc/<pid>/ns/net
 * behind its magic link, is one; a device or FIFO never is.
 */
static bool netns_alive(const char *path)
{
	_cleanup_close_ int fd = -1;
	struct cni_err ignored = { 0 };
	struct stat sb;

	return path && *path && text_path_clean_abs(path) && stat(path, &sb) == 0 &&
	       S_ISREG(sb.st_mode) && netns_open(path, &fd, &ignored) == 0;
}

/* Split a cache name "<containerID>-<ifname>" at the last '-' that gives a valid pair. */
static bool split_file(const char *file, char cid[CNI_ID_MAX + 1], char ifname[IFNAMSIZ])
{
	for (size_t n = strlen(file); n-- > 0;) {
		if (file[n] != '-' || n > CNI_ID_MAX || strlen(file + n + 1) >= IFNAMSIZ)
			continue;
		memcpy(cid, file, n);
		cid[n] = '\0';
		snprintf(ifname, IFNAMSIZ, "%s", file + n + 1);
		if (cni_valid_id(cid) && cni_valid_ifname(ifname))
			return true;
	}
	return false;
}

/*
 * Our record for the VF that cache @c describes, as vfcfg_restore() wants it. The cache is
 * input: PF-side writes go to the VF index sysfs gives for its deviceID (vfcfg_restore checks
 * that again), and settings the driver does not report now (spoofchk, trust, link state read
 * as -1; Go stored true/0 for those) are not written.
 */
static int cache_to_record(struct netlink *host, const struct sriovcni_cache *c,
			   const char *network, const char *cid, const char *ifname,
			   const char *netns, struct vf_record *ret, struct cni_err *err)
{
	struct vf_record rec = { 0 };
	struct vf_info cur;
	struct vf_dev vf;
	int r;

	snprintf(rec.network, sizeof(rec.network), "%s", network);
	snprintf(rec.container_id, sizeof(rec.container_id), "%s", cid);
	snprintf(rec.ifname, sizeof(rec.ifname), "%s", ifname);
	snprintf(rec.netns, sizeof(rec.netns), "%s", netns ? netns : "");
	snprintf(rec.pci, sizeof(rec.pci), "%s", c->device_id);
	snprintf(rec.pf_name, sizeof(rec.pf_name), "%s", c->master);
	rec.vf = c->vfid;
	rec.dpdk = !c->host_ifname[0];
	memcpy(rec.orig.mac, c->admin_mac, 6);
	rec.orig.vlan = c->vlan;
	rec.orig.qos = c->qos;
	/* As sriov-cni's ResetVFConfig: no protocol recorded means 802.1Q. */
	rec.orig.vlan_proto = c->vlan_proto ? c->vlan_proto : 0x8100;
	rec.orig.min_tx_rate = c->min_tx_rate;
	rec.orig.max_tx_rate = c->max_tx_rate;
	rec.orig.spoofchk = c->spoofchk;
	rec.orig.trust = c->has_trust ? c->trust : -1;
	rec.orig.link_state = (int)c->link_state;
	snprintf(rec.orig_name, sizeof(rec.orig_name), "%s", c->host_ifname);
	memcpy(rec.orig_mac, c->has_effective_mac ? c->effective_mac : c->admin_mac, 6);
	rec.orig_mtu = c->mtu;
	rec.orig_up = false; /* not recorded; sriov-cni's DEL leaves the VF down */
	if (!vf_exists(c->device_id)) {
		*ret = rec; /* vfcfg_restore() has nothing to give back */
		return 0;
	}
	r = vf_resolve(c->device_id, &vf, err);
	if (r < 0)
		return err_wrap(err, "sriov-cni cache of %s/%s", cid, ifname);
	snprintf(rec.pf_name, sizeof(rec.pf_name), "%s", vf.pf_name);
	rec.vf = rec.orig.vf = vf.index;
	/* Bound to a userspace driver now: there is no netdev to bring home, whatever it was. */
	if (vf.dpdk)
		rec.dpdk = true;
	if (rec.dpdk)
		rec.orig_name[0] = '\0';
	r = netlink_vf_get(host, vf.pf_ifindex, vf.index, &cur, err);
	if (r < 0)
		return err_wrap(err, "read VF %u of %s", vf.index, vf.pf_name);
	if (cur.spoofchk < 0)
		rec.orig.spoofchk = -1;
	if (cur.trust < 0)
		rec.orig.trust = -1;
	if (cur.link_state < 0)
		rec.orig.link_state = -1;
	*ret = rec;
	return 0;
}

enum owner {
	OWNER_US, /* the VF is this attachment's to give back */
	OWNER_OTHER, /* another pod holds it now: leave it alone */
};

/*
 * Whose is the VF that cache @c names? A late DEL must never touch the VF of the pod that
 * has it by then. @netns is the attachment's netns, NULL when unknown (GC). @ret_alloc gets
 * the allocation record's netns ("" when there is none or it is garbage).
 */
static int vf_owner(struct state *st, const struct sriovcni_cache *c, const char *netns,
		    char ret_alloc[PATH_MAX], enum owner *ret, struct cni_err *err)
{
	struct cni_err e = { 0 };
	struct vf_record rec;
	int r;

	ret_alloc[0] = '\0';
	r = state_record_load(st, c->device_id, &rec, &e);
	/* A pod of ours holds it (or did, with a record DEL will quarantine). */
	if (r == -EBADMSG || (r == 0 && netns_alive(rec.netns) && !migrate_released(st, &rec))) {
		*ret = OWNER_OTHER;
		return 0;
	}
	r = sriovcni_alloc_read(st, c->device_id, ret_alloc, &e);
	if (r == -ENOENT || r == -EBADMSG) {
		ret_alloc[0] = '\0';
		*ret = OWNER_US;
		return 0;
	}
	if (r < 0) {
		*err = e;
		return r;
	}
	if (netns && *netns)
		*ret = strcmp(ret_alloc, netns) == 0 ? OWNER_US : OWNER_OTHER;
	else
		*ret = netns_alive(ret_alloc) ? OWNER_OTHER : OWNER_US;
	return 0;
}

/*
 * Give the VF of cache @file back (if the attachment still owns it), run @ipam, then remove
 * the cache and the allocation record. @netns NULL: unknown (GC), then a VF whose allocation
 * record names a live netns is skipped and the cache kept (1 returned). Under both VF locks.
 */
static int release_cached(struct state *st, const char *file, const char *network, const char *cid,
			  const char *ifname, const char *netns, const struct ipam_request *ipam,
			  struct cni_err *err)
{
	_cleanup_close_ int vflock = -1, cnilock = -1;
	_cleanup_netlink_ struct netlink *host = NULL;
	struct sriovcni_cache c;
	struct vf_record rec;
	char alloc[PATH_MAX];
	struct cni_err first = { 0 };
	enum owner owner;
	int r, first_r = 0;

	r = sriovcni_cache_load(st, file, &c, err);
	if (r < 0)
		return r;
	r = state_lock(st, "vf", c.device_id, &vflock, err);
	if (r < 0)
		return r;
	r = sriovcni_lock(st, c.device_id, &cnilock, err);
	if (r < 0)
		return r;
	/* Again under the locks: a concurrent DEL may have finished it. */
	r = sriovcni_cache_load(st, file, &c, err);
	if (r < 0)
		return r;
	r = vf_owner(st, &c, netns, alloc, &owner, err);
	if (r < 0)
		return r;
	if (owner == OWNER_OTHER && !netns)
		return 1; /* GC: maybe its own pod still runs; a later GC decides */
	if (owner == OWNER_US) {
		r = netlink_open(-1, &host, err);
		if (r == 0)
			r = cache_to_record(host, &c, network, cid, ifname,
					    netns && *netns ? netns : alloc, &rec, err);
		if (r == 0) {
			log_info("VF %s: giving it back from sriov-cni's cache %s", c.device_id,
				 file);
			r = vfcfg_restore(host, &rec, rec.netns, err);
		}
		if (r < 0) {
			first = *err;
			first_r = r;
		} else {
			fault_point("del: VF restored from the sriov-cni cache");
		}
	} else {
		log_info("VF %s now belongs to the pod in netns %s: left alone", c.device_id,
			 alloc[0] ? alloc : "(one of ours)");
	}
	if (ipam) {
		r = ipam_del(ipam, err);
		if (r < 0 && first_r == 0) {
			first = *err;
			first_r = r;
		}
	}
	if (first_r < 0) {
		*err = first;
		return first_r; /* keep the cache: the runtime's retry finishes the job */
	}
	/* vf_owner() said the allocation record is this pod's, a dead one's, or none. */
	if (owner == OWNER_US && sriovcni_alloc_remove(st, c.device_id, err) < 0)
		return err_ret(err);
	return sriovcni_cache_remove(st, file, err) < 0 ? err_ret(err) : 1;
}

/* A corrupt cache of this attachment: keep it aside, bring the VF home if it is in the pod. */
static void del_corrupt_cache(struct state *st, const struct migrate_attachment *a,
			      const char *file)
{
	_cleanup_close_ int vflock = -1, cnilock = -1;
	char moved[PATH_MAX];
	struct cni_err e = { 0 };
	struct vf_record ours;

	if (sriovcni_cache_quarantine(st, file, moved, &e) == 0)
		log_warn("sriov-cni cache %s is corrupt: moved to %s/%s", file, st->root, moved);
	else if (e.msg[0])
		log_error("%s", e.msg);
	if (!a->device_id || !conf_valid_pci(a->device_id))
		return;
	if (state_lock(st, "vf", a->device_id, &vflock, &e) < 0 ||
	    sriovcni_lock(st, a->device_id, &cnilock, &e) < 0) {
		log_error("%s", e.msg);
		return;
	}
	/* A live pod of ours holds that VF: it is not in this pod, nothing to bring home. */
	if (state_record_load(st, a->device_id, &ours, &e) == 0 && netns_alive(ours.netns))
		return;
	if (vfcfg_recover_from_pod(a->device_id, a->netns, a->ifname, &e) < 0)
		log_error("VF %s: %s%s%s", a->device_id, e.msg, e.details[0] ? ": " : "",
			  e.details);
	migrate_forget_alloc(st, a->device_id, a->netns);
}

int migrate_del(struct state *st, const struct migrate_attachment *a,
		const struct ipam_request *ipam, struct cni_err *err)
{
	char file[NAME_MAX + 1];
	struct sriovcni_cache c;
	struct cni_err e = { 0 };
	int r;

	if (!sriovcni_cache_file(a->container_id, a->ifname, file))
		return 0;
	r = sriovcni_cache_load(st, file, &c, &e);
	if (r == -ENOENT)
		return 0;
	if (r == -EBADMSG) {
		del_corrupt_cache(st, a, file);
		return 0;
	}
	if (r < 0) {
		*err = e;
		return r;
	}
	/* sriov-cni keys caches without the network: one of another network is that network's. */
	if (c.name[0] && strcmp(c.name, a->network) != 0) {
		log_info("sriov-cni cache %s belongs to network %s: left alone", file, c.name);
		return 0;
	}
	r = release_cached(st, file, a->network, a->container_id, a->ifname,
			   a->netns ? a->netns : "", ipam, err);
	return r == -ENOENT ? 0 : r;
}

int migrate_check(struct state *st, const struct migrate_attachment *a, struct vf_record *ret,
		  struct cni_err *err)
{
	char file[NAME_MAX + 1];
	struct sriovcni_cache c;
	struct cni_err e = { 0 };
	struct vf_dev vf;
	int r;

	if (!sriovcni_cache_file(a->container_id, a->ifname, file))
		return -ENOENT;
	r = sriovcni_cache_load(st, file, &c, &e);
	if (r < 0 || (c.name[0] && strcmp(c.name, a->network) != 0) ||
	    strcmp(c.device_id, a->device_id) != 0)
		return -ENOENT;
	memset(ret, 0, sizeof(*ret));
	snprintf(ret->network, sizeof(ret->network), "%s", a->network);
	snprintf(ret->container_id, sizeof(ret->container_id), "%s", a->container_id);
	snprintf(ret->ifname, sizeof(ret->ifname), "%s", a->ifname);
	snprintf(ret->netns, sizeof(ret->netns), "%s", a->netns ? a->netns : "");
	snprintf(ret->pci, sizeof(ret->pci), "%s", c.device_id);
	r = vf_resolve(c.device_id, &vf, err);
	if (r < 0)
		return r;
	ret->dpdk = vf.dpdk || !c.host_ifname[0];
	ret->vf = vf.index;
	return 0;
}

struct gc_ctx {
	struct state *st;
	const char *network;
	const struct ipam_attachment *valid;
	size_t n_valid;
	struct cni_err first;
	int first_r;
};

static int gc_cache(const char *file, const struct sriovcni_cache *c, void *data)
{
	struct gc_ctx *g = data;
	char cid[CNI_ID_MAX + 1], ifname[IFNAMSIZ], name[NAME_MAX + 1];
	struct cni_err e = { 0 };
	int r;

	if (strcmp(c->name, g->network) != 0)
		return 0;
	/* The file name is the join; a valid attachment whose join matches keeps it. */
	for (size_t i = 0; i < g->n_valid; i++)
		if (sriovcni_cache_file(g->valid[i].container_id, g->valid[i].ifname, name) &&
		    strcmp(name, file) == 0)
			return 0;
	if (!split_file(file, cid, ifname))
		return 0;
	log_info("GC: sriov-cni cache %s of network %s", file, g->network);
	r = release_cached(g->st, file, g->network, cid, ifname, NULL, NULL, &e);
	if (r < 0 && r != -ENOENT && g->first_r == 0) {
		g->first = e;
		g->first_r = r;
	}
	return 0;
}

int migrate_gc(struct state *st, const char *network, const struct ipam_attachment *valid,
	       size_t n_valid, struct cni_err *err)
{
	struct gc_ctx g = { .st = st, .network = network, .valid = valid, .n_valid = n_valid };
	int r;

	r = sriovcni_cache_foreach(st, gc_cache, &g, err);
	if (r < 0)
		return r;
	if (g.first_r < 0) {
		*err = g.first;
		return g.first_r;
	}
	return 0;
}

struct find_dev {
	const char *pci;
	char file[NAME_MAX + 1];
	int n;
};

static int find_dev_cb(const char *file, const struct sriovcni_cache *c, void *data)
{
	struct find_dev *f = data;

	if (strcmp(c->device_id, f->pci) != 0)
		return 0;
	snprintf(f->file, sizeof(f->file), "%s", file);
	f->n++;
	return 0;
}

int migrate_add_claim(struct state *st, struct netlink *host, struct vf_dev *vf, int *ret_lockfd,
		      struct cni_err *err)
{
	struct find_dev f = { .pci = vf->pci };
	char ns[PATH_MAX] = "";
	struct cni_err e = { 0 };
	struct vf_record ours;
	int r;

	r = sriovcni_lock(st, vf->pci, ret_lockfd, err);
	if (r < 0)
		return r;
	r = sriovcni_alloc_read(st, vf->pci, ns, &e);
	if (r == -ENOENT)
		return 0;
	if (r < 0 && r != -EBADMSG) {
		*err = e;
		return r;
	}
	if (r == 0 && netns_alive(ns)) {
		/* Ours (we write one too): claim_vf() judges our own record. */
		if (state_record_load(st, vf->pci, &ours, &e) == 0 && strcmp(ours.netns, ns) == 0)
			return 0;
		return err_set(
			err, EBUSY, CNI_ERR_INTERNAL,
			"deviceID: VF %s is in use by the pod in netns %s (sriov-cni allocation record %s/%s/%s)",
			vf->pci, ns, st->root, SRIOVCNI_ALLOC_DIR, vf->pci);
	}
	/*
	 * Stale: the pod it names is gone. sriov-cni drops the record and takes the VF as it
	 * is, so the dead pod's settings (and its name for the netdev) become the next pod's
	 * "original". First give the VF back from that pod's cache when exactly one names it.
	 */
	r = sriovcni_cache_foreach(st, find_dev_cb, &f, err);
	if (r < 0)
		return r;
	if (f.n == 1) {
		struct sriovcni_cache c;
		struct vf_record rec;
		char cid[CNI_ID_MAX + 1], ifname[IFNAMSIZ];

		if (sriovcni_cache_load(st, f.file, &c, &e) == 0 &&
		    split_file(f.file, cid, ifname)) {
			r = cache_to_record(host, &c, c.name[0] ? c.name : "unknown", cid, ifname,
					    ns, &rec, err);
			if (r == 0)
				r = vfcfg_restore(host, &rec, ns, err);
			if (r < 0)
				return err_wrap(
					err, "VF %s: restore from sriov-cni cache %s before reuse",
					vf->pci, f.file);
			log_info("VF %s: given back from the stale sriov-cni cache %s", vf->pci,
				 f.file);
			(void)sriovcni_cache_remove(st, f.file, &e);
		}
	}
	r = sriovcni_alloc_remove(st, vf->pci, err);
	if (r < 0)
		return r;
	return vf_resolve(vf->pci, vf, err);
}

int migrate_add_save(struct state *st, struct netlink *host, const struct sriov_conf *c,
		     const struct vf_record *rec, const struct vf_dev *vf, struct cni_err *err)
{
	_cleanup_free_ char *text = NULL;
	char file[NAME_MAX + 1];
	struct sriovcni_cache old;
	struct cni_err e = { 0 };
	int r, mtu = rec->orig_mtu;

	if (rec->dpdk) {
		/* sriov-cni reports the PF's MTU for a VF without a netdev. */
		struct netlink_link pf;

		mtu = netlink_link_get(host, vf->pf_ifindex, NULL, &pf, &e) == 0 ? pf.mtu : 0;
	}
	if (!sriovcni_cache_file(rec->container_id, rec->ifname, file)) {
		log_warn("no sriov-cni cache for %s/%s: the name would be too long",
			 rec->container_id, rec->ifname);
	} else if (sriovcni_cache_load(st, file, &old, &e) == 0 && old.name[0] &&
		   strcmp(old.name, rec->network) != 0) {
		log_warn("sriov-cni cache %s belongs to network %s: not replaced", file, old.name);
	} else {
		text = sriovcni_cache_format(c, rec, mtu);
		if (!text)
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "encode the sriov-cni cache");
		r = sriovcni_cache_save(st, file, text, err);
		if (r < 0)
			return r;
		fault_point("add: sriov-cni cache written");
	}
	return sriovcni_alloc_write(st, rec->pci, rec->netns, err);
}

void migrate_forget(struct state *st, const struct vf_record *rec,
		    const struct migrate_alloc *alloc)
{
	char file[NAME_MAX + 1];
	struct migrate_alloc fresh;
	struct sriovcni_cache c;
	struct cni_err e = { 0 };

	if (sriovcni_cache_file(rec->container_id, rec->ifname, file) &&
	    sriovcni_cache_load(st, file, &c, &e) == 0 && strcmp(c.device_id, rec->pci) == 0 &&
	    (!c.name[0] || strcmp(c.name, rec->network) == 0) &&
	    sriovcni_cache_remove(st, file, &e) < 0)
		log_error("%s", e.msg);
	if (!alloc) {
		fresh.r = sriovcni_alloc_read(st, rec->pci, fresh.netns, &e);
		alloc = &fresh;
	}
	if (alloc->r == 0 &&
	    (strcmp(alloc->netns, rec->netns) == 0 || !netns_alive(alloc->netns)) &&
	    sriovcni_alloc_remove(st, rec->pci, &e) < 0)
		log_error("%s", e.msg);
}

bool migrate_taken_over(struct state *st, const struct vf_record *rec, struct migrate_alloc *ret)
{
	struct cni_err e = { 0 };

	ret->r = sriovcni_alloc_read(st, rec->pci, ret->netns, &e);
	return ret->r == 0 && strcmp(ret->netns, rec->netns) != 0 && netns_alive(ret->netns);
}

bool migrate_released(struct state *st, const struct vf_record *rec)
{
	char ns[PATH_MAX];
	struct cni_err e = { 0 };

	int r;

	if (!rec->sriovcni)
		return false;
	r = sriovcni_alloc_read(st, rec->pci, ns, &e);
	return r == -ENOENT || (r == 0 && strcmp(ns, rec->netns) != 0);
}

void migrate_forget_alloc(struct state *st, const char *pci, const char *netns)
{
	char ns[PATH_MAX];
	struct cni_err e = { 0 };

	if (netns && *netns && sriovcni_alloc_read(st, pci, ns, &e) == 0 &&
	    strcmp(ns, netns) == 0 && sriovcni_alloc_remove(st, pci, &e) < 0)
		log_error("%s", e.msg);
}
