/* SPDX-License-Identifier: Apache-2.0 */
/* plugin.c: ADD, DEL, GC and STATUS for SR-IOV VFs; each step recorded before it runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "sriov/announce.h"
#include "sriov/cleanup.h"
#include "sriov/fault.h"
#include "sriov/ipam.h"
#include "sriov/log.h"
#include "sriov/migrate.h"
#include "sriov/netlink.h"
#include "sriov/netns.h"
#include "sriov/plugin.h"
#include "sriov/podnet.h"
#include "sriov/sriovcni.h"
#include "sriov/state.h"
#include "sriov/vf.h"
#include "sriov/vfcfg.h"

int plugin_refuse_delegated(struct cni_err *err)
{
	const char *who = getenv(IPAM_DELEGATE_MARK);
	int r;

	if (!who)
		return 0;
	r = err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
		    "ipam.type: sriov was started as the IPAM plugin of process %.32s (%s is set); "
		    "sriov is not an IPAM plugin",
		    who, IPAM_DELEGATE_MARK);
	err_details(err, "ipam.type");
	return r;
}

struct holds_ctx {
	const struct cni_env *env;
	bool found;
};

static int holds_cb(const struct vf_record *rec, void *data)
{
	struct holds_ctx *h = data;

	if (strcmp(rec->container_id, h->env->container_id) != 0 ||
	    strcmp(rec->ifname, h->env->ifname) != 0)
		return 0;
	h->found = true;
	return -1; /* stop */
}

int plugin_del_holds(const struct cni_env *env, const char *network, struct cni_err *err)
{
	_cleanup_state_ struct state st = { -1, -1, "" };
	struct holds_ctx h = { env, false };
	int r;

	if (!env->container_id || !env->ifname)
		return 1;
	r = state_open(&st, err);
	if (r < 0)
		return r;
	r = state_record_foreach(&st, network && cni_valid_id(network) ? network : NULL, holds_cb,
				 &h, err);
	if (h.found)
		return 1;
	return r < 0 && r != -1 ? r : 0;
}

/* Is the netns that @rec's owner lives in still there? */
static bool owner_alive(const struct vf_record *rec)
{
	_cleanup_close_ int fd = -1;
	struct cni_err ignored = { 0 };

	return rec->netns[0] && netns_open(rec->netns, &fd, &ignored) == 0;
}

/* Snapshot the VF before anything changes, as the record that DEL and rollback restore. */
static int snapshot(struct netlink *host, const struct plugin_call *call, const struct vf_dev *vf,
		    struct vf_record *rec, struct netlink_link *ret_link, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	struct netlink_link *l = ret_link;
	int r;

	memset(rec, 0, sizeof(*rec));
	snprintf(rec->network, sizeof(rec->network), "%s", call->conf->name);
	snprintf(rec->container_id, sizeof(rec->container_id), "%s", env->container_id);
	snprintf(rec->ifname, sizeof(rec->ifname), "%s", env->ifname);
	snprintf(rec->netns, sizeof(rec->netns), "%s", env->netns ? env->netns : "");
	snprintf(rec->pci, sizeof(rec->pci), "%s", vf->pci);
	snprintf(rec->pf_name, sizeof(rec->pf_name), "%s", vf->pf_name);
	rec->vf = vf->index;
	rec->dpdk = vf->dpdk;
	rec->sriovcni = true; /* migrate_add_save() follows the record */
	r = netlink_vf_get(host, vf->pf_ifindex, vf->index, &rec->orig, err);
	if (r < 0)
		return err_wrap(err, "read VF %u of %s", vf->index, vf->pf_name);
	if (vf->dpdk)
		return 0;
	r = netlink_link_get(host, vf->ifindex, NULL, l, err);
	if (r < 0)
		return err_wrap(err, "read VF netdev %s", vf->netdev);
	snprintf(rec->orig_name, sizeof(rec->orig_name), "%s", l->name);
	memcpy(rec->orig_mac, l->mac, l->mac_len == 6 ? 6 : 0);
	rec->orig_mtu = l->mtu;
	rec->orig_up = l->flags & IFF_UP;
	rec->ifindex = l->ifindex;
	return 0;
}

/*
 * Take the VF for this attachment: an existing record of a live owner means busy; a record
 * of a dead owner, or our own from an ADD that never finished, is restored first so that
 * the snapshot we take is the VF's real original state.
 */
static int claim_vf(struct state *st, struct netlink *host, const struct plugin_call *call,
		    struct vf_dev *vf, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	struct vf_record old;
	int r;

	r = state_record_load(st, vf->pci, &old, err);
	if (r == -ENOENT)
		return 0;
	if (r == -EBADMSG) {
		char moved[NAME_MAX];

		/* Nothing in it can be trusted: keep it for diagnosis and take the VF as it is. */
		r = state_record_quarantine(st, vf->pci, moved, err);
		if (r < 0 && r != -ENOENT)
			return r;
		log_warn("VF %s: corrupt record moved to %s/%s", vf->pci, st->root, moved);
		return 0;
	}
	if (r < 0)
		return r;
	if (!state_record_owned_by(&old, call->conf->name, env->container_id, env->ifname) &&
	    owner_alive(&old) && !migrate_released(st, &old))
		return err_set(err, EBUSY, CNI_ERR_INTERNAL,
			       "deviceID: VF %s is already in use by container %s (%s, network %s)",
			       vf->pci, old.container_id, old.ifname, old.network);
	log_info("VF %s: reclaiming from %s/%s/%s", vf->pci, old.network, old.container_id,
		 old.ifname);
	r = vfcfg_restore(host, &old, old.netns, err);
	if (r < 0)
		return err_wrap(err, "VF %s: restore before reuse", vf->pci);
	if (state_record_owned_by(&old, call->conf->name, env->container_id, env->ifname)) {
		struct ipam_request req = plugin_ipam_req(call, st);
		struct cni_err ignored = { 0 };

		if (call->conf->ipam.type[0])
			(void)ipam_del(&req, &ignored);
	}
	migrate_forget(st, &old, NULL);
	r = state_record_remove(st, vf->pci, err);
	if (r < 0)
		return r;
	return vf_resolve(vf->pci, vf, err);
}

struct add_ctx {
	struct state st;
	struct netlink *host;
	struct netlink *pod;
	int podfd;
	struct vf_dev vf;
	struct netlink_link vf_link; /* the VF netdev in the host, as the snapshot read it */
	struct vf_record rec;
	bool recorded;
	bool ipam_done;
};

/* Roll back a failed ADD: release IPAM, give the VF back, drop the record. */
static void add_rollback(struct add_ctx *c, const struct plugin_call *call)
{
	struct cni_err e = { 0 };

	if (c->ipam_done) {
		struct ipam_request req = plugin_ipam_req(call, &c->st);

		if (ipam_del(&req, &e) < 0)
			log_error("rollback: release IPAM: %s", e.msg);
	}
	if (!c->recorded)
		return;
	if (vfcfg_restore(c->host, &c->rec, call->env->netns, &e) < 0) {
		/* Keep the record: a later DEL or GC finishes the job. */
		log_error("rollback: %s %s", e.msg, e.details);
		return;
	}
	migrate_forget(&c->st, &c->rec, NULL);
	if (state_record_remove(&c->st, c->rec.pci, &e) < 0)
		log_error("rollback: %s", e.msg);
}

static int add_steps(struct add_ctx *c, const struct plugin_call *call, struct cni_result *res,
		     struct cni_err *err)
{
	const struct cni_env *env = call->env;
	const struct sriov_conf *conf = call->conf;
	struct ipam_request req = plugin_ipam_req(call, &c->st);
	_cleanup_close_ int pflock = -1;
	struct netlink_link l;
	int r;

	if (!c->vf.dpdk) {
		r = netlink_link_get(c->pod, 0, env->ifname, &l, err);
		if (r == 0)
			return err_set(err, EEXIST, CNI_ERR_INTERNAL,
				       "CNI_IFNAME: interface %s already exists in netns %s",
				       env->ifname, env->netns);
		if (r != -ENODEV)
			return r;
	}
	/* Record first: from here on a crash leaves enough for DEL or GC to undo everything. */
	r = snapshot(c->host, call, &c->vf, &c->rec, &c->vf_link, err);
	if (r < 0)
		return r;
	r = state_record_save(&c->st, &c->rec, err);
	if (r < 0)
		return r;
	c->recorded = true;
	fault_point("add: VF recorded");
	r = migrate_add_save(&c->st, c->host, conf, &c->rec, &c->vf, err);
	if (r < 0)
		return r;

	/* Some PF drivers mishandle concurrent VF requests: serialise PF writes per PF. */
	r = state_lock(&c->st, "pf", c->vf.pf_pci, &pflock, err);
	if (r < 0)
		return r;
	r = vfcfg_apply(c->host, &c->vf, conf, &c->rec, err);
	if (r < 0)
		return r;
	(void)close(TAKE_FD(pflock));

	if (!c->vf.dpdk) {
		r = vfcfg_move_to_pod(c->host, c->pod, c->podfd, &c->vf_link, env->ifname,
				      conf->has_mac ? conf->mac : NULL, &l, err);
		if (r < 0)
			return r;
	}

	memset(res, 0, sizeof(*res));
	if (conf->ipam.type[0]) {
		r = ipam_add(&req, res, err);
		if (r < 0)
			return err_wrap(err, "IPAM %s", conf->ipam.type);
		c->ipam_done = true;
		fault_point("add: IPAM done");
		if (res->n_ips == 0)
			return err_set(err, EINVAL, CNI_ERR_INTERNAL,
				       "IPAM plugin returned missing IP config");
	}
	res->n_ifaces = 1;
	snprintf(res->ifaces[0].name, sizeof(res->ifaces[0].name), "%s", env->ifname);
	snprintf(res->ifaces[0].sandbox, sizeof(res->ifaces[0].sandbox), "%s", env->netns);
	snprintf(res->ifaces[0].pci_id, sizeof(res->ifaces[0].pci_id), "%s", c->vf.pci);
	for (int i = 0; i < res->n_ips; i++)
		res->ips[i].iface = 0;

	if (c->vf.dpdk) {
		/* No netdev: report the MAC the VF will use, and configure nothing in the pod. */
		struct vf_info now;

		if (conf->has_mac)
			conf_mac_str(conf->mac, res->ifaces[0].mac);
		else if (netlink_vf_get(c->host, c->vf.pf_ifindex, c->vf.index, &now, err) == 0 &&
			 (now.mac[0] | now.mac[1] | now.mac[2] | now.mac[3] | now.mac[4] |
			  now.mac[5]))
			conf_mac_str(now.mac, res->ifaces[0].mac);
		return 0;
	}

	conf_mac_str(l.mac, res->ifaces[0].mac);
	res->ifaces[0].mtu = l.mtu;
	r = podnet_configure(c->pod, l.ifindex, c->podfd, env->ifname, res, err);
	if (r < 0)
		return r;
	fault_point("add: addresses and routes set");
	if (res->n_ips) {
		struct cni_err e = { 0 };

		if (announce_addresses(c->pod, c->podfd, &l, res, &e) < 0)
			log_warn("announce addresses on %s: %s", env->ifname, e.msg);
	}
	return 0;
}

static void add_ctx_done(struct add_ctx *c)
{
	if (c->pod)
		netlink_close(c->pod);
	if (c->host)
		netlink_close(c->host);
	if (c->podfd >= 0)
		(void)close(c->podfd);
	state_close(&c->st);
}

int plugin_add(const struct plugin_call *call, struct cni_result *ret, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	_cleanup_(add_ctx_done) struct add_ctx c = { .st = { -1, -1, "" }, .podfd = -1 };
	_cleanup_close_ int vflock = -1, cnilock = -1;
	int r;

	/* A broken ipam section (or one naming this plugin) fails before anything is locked. */
	r = plugin_ipam_checked(call, err);
	if (r < 0)
		return r;
	r = state_open(&c.st, err);
	if (r < 0)
		return r;
	r = vf_resolve(call->conf->device_id, &c.vf, err);
	if (r < 0)
		return r;
	r = state_lock(&c.st, "vf", c.vf.pci, &vflock, err);
	if (r < 0)
		return r;
	r = netlink_open(-1, &c.host, err);
	if (r < 0)
		return r;
	r = migrate_add_claim(&c.st, c.host, &c.vf, &cnilock, err);
	if (r < 0)
		return r;
	r = claim_vf(&c.st, c.host, call, &c.vf, err);
	if (r < 0)
		return r;
	if (!c.vf.dpdk && !c.vf.netdev[0])
		return err_set(
			err, ENODEV, CNI_ERR_INTERNAL,
			"deviceID: VF %s has no netdev in the host and no userspace driver (driver \"%s\")",
			c.vf.pci, c.vf.driver);
	r = netns_open(env->netns, &c.podfd, err);
	if (r < 0)
		return err_wrap(err, "CNI_NETNS: failed to open netns %s", env->netns);
	/* The VF would be renamed and addressed in the host: a pod never runs there. */
	if (netns_is_current(c.podfd))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "CNI_NETNS: %s is the host's network namespace, not a pod's",
			       env->netns);
	r = netlink_open(c.podfd, &c.pod, err);
	if (r < 0)
		return r;
	r = add_steps(&c, call, ret, err);
	if (r < 0)
		add_rollback(&c, call);
	return r;
}

/*
 * Find this attachment's record: by deviceID when given, else by owner. -EBADMSG when the
 * record of deviceID is corrupt.
 */
static int find_record(struct state *st, const struct plugin_call *call, struct vf_record *ret,
		       struct cni_err *err)
{
	const struct cni_env *env = call->env;
	int r;

	if (call->conf->device_id[0]) {
		r = state_record_load(st, call->conf->device_id, ret, err);
		if (r < 0 && r != -ENOENT)
			return r;
		if (r == 0 &&
		    state_record_owned_by(ret, call->conf->name, env->container_id, env->ifname))
			return 0;
	}
	return state_record_find_owner(st, call->conf->name, env->container_id, env->ifname, ret,
				       err);
}

/* release_vf() once both locks are held and @now, read under them, is this attachment's. */
static int release_held(struct state *st, struct netlink *host, const struct vf_record *now,
			const char *netns_path, const struct ipam_request *ipam,
			struct cni_err *err)
{
	struct cni_err first = { 0 };
	struct migrate_alloc alloc;
	int r, first_r = 0;

	if (migrate_taken_over(st, now, &alloc)) {
		log_info("VF %s now belongs to a pod set up by sriov-cni: left alone", now->pci);
		r = 0;
	} else {
		r = vfcfg_restore(host, now, netns_path, err);
	}
	if (r < 0) {
		first = *err;
		first_r = r;
	} else {
		fault_point("del: VF restored");
	}
	if (ipam) {
		r = ipam_del(ipam, err);
		if (r < 0 && first_r == 0) {
			first = *err;
			first_r = r;
		}
		if (r == 0)
			fault_point("del: IPAM released");
	}
	if (first_r < 0) {
		*err = first;
		return first_r; /* keep the record so that the next DEL or GC can finish */
	}
	migrate_forget(st, now, &alloc);
	return state_record_remove(st, now->pci, err);
}

/*
 * Give back the VF of @rec if this attachment still owns it. The lock is taken and the
 * record re-read under it, so a late DEL can never touch a VF that another pod got since.
 * With @ipam (DEL), IPAM is released too, before the record goes: the record is dropped only
 * when both worked, so that the runtime's retry finishes whatever failed. *ret_held says
 * whether the record was still ours (and @ipam was run).
 */
static int release_vf(struct state *st, struct netlink *host, const struct vf_record *rec,
		      const char *netns_path, const struct ipam_request *ipam, bool *ret_held,
		      struct cni_err *err)
{
	_cleanup_close_ int vflock = -1, cnilock = -1;
	struct vf_record now;
	int r;

	*ret_held = false;
	r = state_lock(st, "vf", rec->pci, &vflock, err);
	if (r == 0)
		r = sriovcni_lock(st, rec->pci, &cnilock, err);
	if (r < 0)
		return r;
	r = state_record_load(st, rec->pci, &now, err);
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (!state_record_owned_by(&now, rec->network, rec->container_id, rec->ifname)) {
		log_info("VF %s now belongs to %s/%s: left alone", rec->pci, now.container_id,
			 now.ifname);
		return 0;
	}
	*ret_held = true;
	return release_held(st, host, &now, netns_path, ipam, err);
}

/*
 * DEL's usual case, a record of this attachment under deviceID, with the record read once:
 * the VF lock is taken first, without waiting, and the record read under it (release_vf()
 * reads it before locking and again under the lock). 1 when it is not done here: no file by
 * that name, the lock busy (a holder is waited for the usual way), or no valid record of this
 * attachment under it; the caller then goes the usual way. Otherwise as release_vf().
 */
static int release_device(struct state *st, const struct plugin_call *call, struct netlink **host,
			  const struct ipam_request *ipam, bool *ret_held, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	const char *pci = call->conf->device_id;
	_cleanup_close_ int vflock = -1, cnilock = -1;
	struct cni_err ignored = { 0 };
	struct vf_record rec;
	int r;

	*ret_held = false;
	if (!state_record_exists(st, pci) || state_trylock(st, "vf", pci, &vflock, &ignored) < 0)
		return 1;
	/* Only we write our records, under the VF lock: sriov-cni's lock is for what follows. */
	if (state_record_load(st, pci, &rec, &ignored) < 0 ||
	    !state_record_owned_by(&rec, call->conf->name, env->container_id, env->ifname))
		return 1;
	r = sriovcni_lock(st, pci, &cnilock, err);
	if (r == 0)
		r = netlink_open(-1, host, err);
	if (r < 0)
		return r;
	*ret_held = true;
	return release_held(st, *host, &rec, env->netns, ipam, err);
}

/*
 * The record of deviceID is corrupt: under the VF lock, move it aside and bring the VF home
 * from this pod's netns (found by PCI bus-info) under its safe name. 0 with @ret when a valid
 * record appeared meanwhile; -ENOENT when there is no record (any more).
 */
static int del_corrupt(struct state *st, const struct plugin_call *call, struct vf_record *ret,
		       struct cni_err *err)
{
	const char *pci = call->conf->device_id;
	_cleanup_close_ int vflock = -1;
	char moved[NAME_MAX];
	struct cni_err e = { 0 };
	int r;

	r = state_lock(st, "vf", pci, &vflock, err);
	if (r < 0)
		return r;
	r = state_record_load(st, pci, ret, err);
	if (r != -EBADMSG)
		return r;
	r = state_record_quarantine(st, pci, moved, err);
	if (r < 0)
		return r;
	log_warn("VF %s: corrupt record moved to %s/%s", pci, st->root, moved);
	if (vfcfg_recover_from_pod(pci, call->env->netns, call->env->ifname, &e) < 0)
		log_error("VF %s: %s%s%s", pci, e.msg, e.details[0] ? ": " : "", e.details);
	migrate_forget_alloc(st, pci, call->env->netns);
	return -ENOENT;
}

int plugin_del(const struct plugin_call *call, struct cni_err *err)
{
	const struct cni_env *env = call->env;
	_cleanup_state_ struct state st = { -1, -1, "" };
	_cleanup_netlink_ struct netlink *host = NULL;
	struct ipam_request req;
	struct vf_record rec;
	bool held = false;
	int r;

	r = state_open(&st, err);
	if (r < 0)
		return r;
	req = plugin_ipam_req(call, &st);
	r = call->conf->device_id[0] ?
		    release_device(&st, call, &host, call->conf->ipam.type[0] ? &req : NULL, &held,
				   err) :
		    1;
	if (r == 1) {
		r = find_record(&st, call, &rec, err);
		if (r == -EBADMSG)
			r = del_corrupt(&st, call, &rec, err);
		if (r == 0)
			r = netlink_open(-1, &host, err);
		if (r == 0)
			r = release_vf(&st, host, &rec, env->netns,
				       call->conf->ipam.type[0] ? &req : NULL, &held, err);
		else if (r == -ENOENT)
			r = 0; /* nothing held: a second DEL, or a DEL without ADD */
	}
	if (!held && r == 0) {
		/* No record of ours: a pod that sriov-cni set up has its cache. */
		struct migrate_attachment a = { call->conf->name, env->container_id, env->ifname,
						env->netns, call->conf->device_id };

		r = migrate_del(&st, &a, call->conf->ipam.type[0] ? &req : NULL, err);
		if (r != 0)
			return r < 0 ? r : 0;
	}
	/*
	 * A failure before we knew whether the record is still ours (its lock, the state
	 * directory) keeps the lease too: the VF may still be in the pod with that address, and
	 * the runtime's retry releases both.
	 */
	if (held || r < 0 || !call->conf->ipam.type[0])
		return r;
	/*
	 * No record of ours: a delegate may still hold something, so IPAM DEL runs, but its
	 * failure (no such binary, a config it cannot parse, its own error) cannot be fixed by a
	 * retry of a DEL that holds nothing: logged, and DEL succeeds.
	 */
	{
		struct cni_err e = { 0 };

		if (ipam_del(&req, &e) < 0)
			log_warn(
				"DEL %s/%s/%s holds no VF record; IPAM %s release failed, ignored: "
				"%s%s%s",
				call->conf->name, env->container_id, env->ifname,
				call->conf->ipam.type, e.msg, e.details[0] ? ": " : "", e.details);
		else
			fault_point("del: IPAM released");
	}
	return r;
}

struct gc_ctx {
	struct state *st;
	struct netlink *host;
	const struct ipam_attachment *valid;
	size_t n_valid;
	struct cni_err first;
	int first_r;
};

static int gc_one(const struct vf_record *rec, void *data)
{
	struct gc_ctx *g = data;
	struct cni_err e = { 0 };
	bool held;
	int r;

	for (size_t i = 0; i < g->n_valid; i++)
		if (strcmp(g->valid[i].container_id, rec->container_id) == 0 &&
		    strcmp(g->valid[i].ifname, rec->ifname) == 0)
			return 0;
	log_info("GC: releasing VF %s of %s/%s", rec->pci, rec->container_id, rec->ifname);
	/* GC may assume the netns of a stale attachment is gone, but try it in case it is not. */
	r = release_vf(g->st, g->host, rec, rec->netns, NULL, &held, &e);
	if (r < 0 && g->first_r == 0) {
		g->first = e;
		g->first_r = r;
	}
	return 0; /* keep going: GC reports errors but collects everything it can */
}

int plugin_gc(const struct plugin_call *call, struct cni_err *err)
{
	_cleanup_state_ struct state st = { -1, -1, "" };
	_cleanup_netlink_ struct netlink *host = NULL;
	const struct sriov_conf *conf = call->conf; /* conf->valid: cni.dev/valid-attachments */
	struct gc_ctx g = { 0 };
	struct cni_err e = { 0 };
	int r;

	r = state_open(&st, err);
	if (r < 0)
		return r;
	r = netlink_open(-1, &host, err);
	if (r < 0)
		return r;
	g = (struct gc_ctx){
		.st = &st, .host = host, .valid = conf->valid, .n_valid = conf->n_valid
	};
	r = state_record_foreach(&st, conf->name, gc_one, &g, err);
	if (r < 0)
		return r;
	r = migrate_gc(&st, conf->name, conf->valid, conf->n_valid, &e);
	if (r < 0 && g.first_r == 0) {
		g.first = e;
		g.first_r = r;
	}
	if (conf->ipam.type[0]) {
		struct ipam_request req = plugin_ipam_req(call, &st);

		req.valid = conf->valid;
		req.n_valid = conf->n_valid;
		r = ipam_gc(&req, err);
		if (r < 0 && g.first_r == 0)
			return r;
	}
	if (g.first_r < 0) {
		*err = g.first;
		return g.first_r;
	}
	return 0;
}

int plugin_status(const struct plugin_call *call, struct cni_err *err)
{
	_cleanup_state_ struct state st = { -1, -1, "" };
	int r;

	r = state_open(&st, err);
	if (r < 0) {
		err->code = CNI_ERR_NOT_AVAILABLE;
		return err_wrap(err, "state directory unusable");
	}
	if (faccessat(st.dirfd, ".", W_OK, AT_EACCESS) < 0) {
		err_set(err, errno, CNI_ERR_NOT_AVAILABLE, "state directory %s is not writable",
			st.root);
		return err_ret(err);
	}
	if (call->conf->ipam.type[0]) {
		struct ipam_request req = plugin_ipam_req(call, &st);

		r = ipam_status(&req, err);
		if (r < 0) {
			if (err->code != CNI_ERR_LIMITED_CONNECTIVITY)
				err->code = CNI_ERR_NOT_AVAILABLE;
			return r;
		}
	}
	return 0;
}
