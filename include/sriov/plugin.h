/* SPDX-License-Identifier: Apache-2.0 */
/* plugin.h: the CNI verbs for SR-IOV VFs, on top of conf, vf, vfcfg, state, ipam and netlink. */
#ifndef SRIOV_PLUGIN_H
#define SRIOV_PLUGIN_H

#include <stddef.h>

#include "sriov/cni.h"
#include "sriov/conf.h"
#include "sriov/err.h"
#include "sriov/ipam.h"
#include "sriov/result.h"
#include "sriov/state.h"

struct plugin_call {
	const struct cni_env *env;
	const struct sriov_conf *conf; /* the whole config, parsed (conf_parse) */
	const char *text; /* the config as read: a delegated IPAM plugin's stdin */
	size_t len;
};

/* The IPAM request of @call; with @st (opened) the index lives below its root. */
static inline struct ipam_request plugin_ipam_req(const struct plugin_call *call,
						  const struct state *st)
{
	const struct cni_env *env = call->env;

	return (struct ipam_request){
		.cni_version = call->conf->cni_version,
		.network = call->conf->name,
		.container_id = env->container_id,
		.ifname = env->ifname,
		.netns = env->netns,
		.cni_args = env->args,
		.cni_path = env->path,
		.conf = &call->conf->ipam,
		.conf_text = call->text,
		.conf_len = call->len,
		.state_dir = st && st->dirfd >= 0 ? st->root : NULL,
	};
}

/* The IPAM config's own checks (ipam_validate()), when there is IPAM: 0 or its error. */
static inline int plugin_ipam_checked(const struct plugin_call *call, struct cni_err *err)
{
	struct ipam_request req = plugin_ipam_req(call, NULL);

	return call->conf->ipam.type[0] ? ipam_validate(&req, err) : 0;
}

/*
 * Refuse to run as somebody's delegated IPAM plugin: when IPAM_DELEGATE_MARK (ipam.h) is in
 * the environment, a sriov process delegated into this binary again (ipam.type naming a copy
 * of it, or a delegate that runs it). Code 7 naming ipam.type; 0 otherwise. Called before any
 * verb but VERSION.
 */
int plugin_refuse_delegated(struct cni_err *err);

/*
 * Does a VF record of (@network, env's containerID, env's ifname) exist? @network NULL: of any
 * network. 1 yes, 0 no, negative errno when the state cannot be read (counts as yes).
 */
int plugin_del_holds(const struct cni_env *env, const char *network, struct cni_err *err);

/*
 * The verbs (CHECK: plugin_check.h). DEL succeeds when nothing of this attachment is
 * recorded, even if the IPAM release fails (logged); with a record, an IPAM failure fails DEL
 * and keeps the record so that the retry finishes. A corrupt record is moved to the state's
 * quarantine directory.
 */
int plugin_add(const struct plugin_call *call, struct cni_result *ret, struct cni_err *err);
int plugin_del(const struct plugin_call *call, struct cni_err *err);
int plugin_gc(const struct plugin_call *call, struct cni_err *err);
int plugin_status(const struct plugin_call *call, struct cni_err *err);

#endif
