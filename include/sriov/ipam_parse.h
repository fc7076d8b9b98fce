/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_parse.h: the "ipam" section's parser (ipam/ipam_conf.c), for lib/conf.c, which calls it
 * once per config, and for tests and fuzzing. The only IPAM header that sees cJSON.
 */
#ifndef SRIOV_IPAM_PARSE_H
#define SRIOV_IPAM_PARSE_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "sriov/err.h"
#include "sriov/ipam_conf.h"

/*
 * Read the ipam section of the network config @root (a JSON object) into @ret. A wrong
 * ipam.type (not a string, longer than IPAM_TYPE_MAX - 1) is an error here: code 7 naming
 * ipam.type, negative errno. Otherwise 0 with ret->type set and, for "host-local" or no type,
 * host-local's config parsed as its LoadIPAMConfig does, with @cni_version (the config's,
 * "0.1.0" when absent) and @cni_args (raw CNI_ARGS, may be NULL; its IP and IgnoreUnknown are
 * read as Go's types.LoadArgs reads them): ret->parse_r is 0, or the negative errno with
 * ret->parse_err (code 4 for CNI_ARGS, 7 naming the field in details otherwise).
 */
int ipam_section_parse(const cJSON *root, const char *cni_version, const char *cni_args,
		       struct ipam_conf *ret, struct cni_err *err);

#endif
