/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cni_json.h: the CNI protocol's JSON, for the files that print or parse it (cmd/main.c,
 * lib/cni*.c, lib/conf.c, ipam/): VERSION and error replies, results. Every other module sees
 * the plain structs of cni.h and result.h only.
 */
#ifndef SRIOV_CNI_JSON_H
#define SRIOV_CNI_JSON_H

#include <cjson/cJSON.h>

#include "sriov/cni.h"
#include "sriov/err.h"
#include "sriov/result.h"

/* {"cniVersion":...,"supportedVersions":[...]} echoing @cni_version (NULL: newest). */
cJSON *cni_version_json(const char *cni_version);
/* {"cniVersion":...,"code":N,"msg":"...","details":"..."}. */
cJSON *cni_error_json(const struct cni_err *e, const char *cni_version);

/*
 * Render @r in the shape of CNI version @version ("0.3.0" .. "1.1.0"; 0.1.0/0.2.0 get the
 * ip4/ip6 shape). Returns a new cJSON tree or NULL with @err set.
 */
cJSON *result_to_json(const struct cni_result *r, const char *version, struct cni_err *err);
/* Parse a result of any version (e.g. a delegated IPAM plugin's or a prevResult) into @ret. */
int result_from_json(const cJSON *j, const char *version, struct cni_result *ret,
		     struct cni_err *err);

#endif
