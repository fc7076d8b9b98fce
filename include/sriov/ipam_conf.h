/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_conf.h: the config's "ipam" section as plain structs, parsed once with the rest of the
 * config (conf_parse() calls ipam_conf_parse(), ipam_parse.h) and read by the IPAM verbs
 * (ipam.h). For the embedded host-local it holds host-local's whole config after its
 * LoadIPAMConfig (ranges canonicalised, routes, dataDir, resolvConf, the requested IPs of
 * CNI_ARGS, args and runtimeConfig), or the error host-local gives for it.
 */
#ifndef SRIOV_IPAM_CONF_H
#define SRIOV_IPAM_CONF_H

#include <limits.h>
#include <stddef.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"
#include "sriov/route.h"

#define IPAM_TYPE_MAX 64
#define IPAM_MAX_SETS 32 /* RESULT_MAX_IPS: one address per set */
#define IPAM_MAX_RANGES 256
#define IPAM_MAX_REQ_IPS 64
#define IPAM_MAX_ROUTES 128 /* RESULT_MAX_ROUTES */

/* One (containerID, ifname) pair from cni.dev/valid-attachments (GC). */
struct ipam_attachment {
	const char *container_id;
	const char *ifname;
};

/* One range after host-local's Canonicalize(): every field is filled in. */
struct ipam_range {
	struct ipprefix subnet; /* network address and prefix length */
	struct ipaddr start; /* inclusive */
	struct ipaddr end; /* inclusive */
	struct ipaddr gw;
};

/* A range set: ranges[first .. first + n - 1] of struct ipam_conf. One IP is taken per set. */
struct ipam_set {
	int first;
	int n;
};

struct ipam_conf {
	char type[IPAM_TYPE_MAX]; /* ipam.type; "" = no IPAM */
	/*
	 * For "host-local" (and no type, where host-local's own complaint is the answer): 0 and
	 * the fields below, or the negative errno and error host-local's parse gave, which the
	 * IPAM verbs return where they need the config. Unused for a delegated type.
	 */
	int parse_r;
	struct cni_err parse_err;

	char cni_version[32];
	char data_dir[PATH_MAX];
	char resolv_conf[PATH_MAX];
	struct ipam_range ranges[IPAM_MAX_RANGES];
	int n_ranges;
	struct ipam_set sets[IPAM_MAX_SETS];
	int n_sets;
	struct cni_route routes[IPAM_MAX_ROUTES];
	int n_routes;
	struct ipaddr req_ips[IPAM_MAX_REQ_IPS]; /* CNI_ARGS IP, args.cni.ips, runtimeConfig.ips */
	int n_req_ips;
};

#endif
