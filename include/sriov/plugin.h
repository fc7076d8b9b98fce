/* SPDX-License-Identifier: Apache-2.0 */
/* plugin.h: the CNI verbs for SR-IOV VFs, on top of conf, vf, vfcfg, state, ipam and netlink. */
#ifndef SRIOV_PLUGIN_H
#define SRIOV_PLUGIN_H

#include <stddef.h>

#include "sriov/cni.h"
#include "sriov/conf.h"
#include "sriov/err.h"
#include "sriov/result.h"

struct plugin_call {
	const struct cni_env *env;
	const struct sriov_conf *conf; /* the whole config, parsed (conf_parse) */
	const char *text; /* the config as read: a delegated IPAM plugin's stdin, and the keys */
	size_t len; /* sriov-cni's cache keeps verbatim (sriovcni_cache_format) */
};

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
 * The verbs. DEL succeeds when nothing of this attachment is recorded, even if the IPAM
 * release fails (logged); with a record, an IPAM failure fails DEL and keeps the record so
 * that the retry finishes. A corrupt record is moved to the state's quarantine directory.
 */
int plugin_add(const struct plugin_call *call, struct cni_result *ret, struct cni_err *err);
int plugin_del(const struct plugin_call *call, struct cni_err *err);
int plugin_check(const struct plugin_call *call, struct cni_err *err);
int plugin_gc(const struct plugin_call *call, struct cni_err *err);
int plugin_status(const struct plugin_call *call, struct cni_err *err);

#endif
