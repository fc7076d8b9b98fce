/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam.h: IP address management for one attachment. "host-local" runs embedded (ipam/), with
 * the Go host-local's on-disk store; any other ipam.type is executed from CNI_PATH.
 */
#ifndef SRIOV_IPAM_H
#define SRIOV_IPAM_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/err.h"
#include "sriov/ipam_conf.h"
#include "sriov/result.h"

/*
 * Set in the environment of every delegated IPAM plugin (value: the delegating PID). The
 * sriov binary refuses to run when it finds it, so sriov -> delegate -> sriov ends at once
 * instead of recursing (see cmd/main.c).
 */
#define IPAM_DELEGATE_MARK "SRIOV_IPAM_DELEGATOR"
/* Longest a delegated IPAM plugin may run; then its whole process group is killed. */
#define IPAM_DELEGATE_TIMEOUT_MS 120000

struct ipam_request {
	const char *cni_version; /* the config's version ("0.1.0" when absent) */
	const char *network; /* network name, already validated */
	const char *container_id; /* validated; NULL for GC/STATUS */
	const char *ifname; /* validated; NULL for GC/STATUS */
	const char *netns; /* CNI_NETNS, may be NULL */
	const char *cni_args; /* raw CNI_ARGS, may be NULL */
	const char *cni_path; /* CNI_PATH, may be NULL */
	const struct ipam_conf *conf; /* the ipam section, parsed with the config (conf.h) */
	const char *conf_text; /* the config exactly as read from stdin: a delegate's stdin */
	size_t conf_len;
	const char *state_dir; /* private state root (e.g. /var/lib/cni/sriov) for an index
				    * outside the host-local store; NULL = no index */
	const struct ipam_attachment *valid; /* GC only */
	size_t n_valid;
	const char *const *data_roots; /* where dataDir may be; NULL (always, in the plugin):
					* /var/lib/cni and /run. Tests name a scratch root. */
};

/*
 * Every verb below refuses, with code 7 naming ipam.type, a type that is this plugin itself:
 * "sriov", or a CNI_PATH entry that is the running executable.
 *
 * Validate the IPAM config without touching anything (used before the VF is configured, so a
 * broken ipam section fails ADD early): host-local's parse error, if any, and its dataDir.
 * Delegated types are not inspected beyond the type. None of the verbs parses anything: an
 * error of the host-local section is the one req->conf->parse_err holds.
 */
int ipam_validate(const struct ipam_request *req, struct cni_err *err);

/* Allocate: fills ret->ips (iface -1), ret->routes and ret->dns. */
int ipam_add(const struct ipam_request *req, struct cni_result *ret, struct cni_err *err);
/* Release everything held by (container_id, ifname); nothing held is success. */
int ipam_del(const struct ipam_request *req, struct cni_err *err);
/* Succeed when (container_id, ifname) holds its leases. */
int ipam_check(const struct ipam_request *req, struct cni_err *err);
/* Release leases of this network whose owner is not in req->valid. */
int ipam_gc(const struct ipam_request *req, struct cni_err *err);
/* Can ADD be served (store writable, config valid, delegate's STATUS ok)? */
int ipam_status(const struct ipam_request *req, struct cni_err *err);

#endif
