/* SPDX-License-Identifier: Apache-2.0 */
/* json.h: cJSON helpers shared by the parse/print files (lib/cni*.c, lib/conf.c, ipam/ipam_conf.c). */
#ifndef SRIOV_JSON_H
#define SRIOV_JSON_H

#include <stdbool.h>
#include <cjson/cJSON.h>

#include "sriov/err.h"

static inline void cleanup_cjsonp(cJSON **j)
{
	if (*j)
		cJSON_Delete(*j);
}
#define _cleanup_cjson_ __attribute__((cleanup(cleanup_cjsonp)))

/*
 * Go's encoding/json matches object keys case-insensitively (exact match preferred); so do
 * these lookups, which is what lets configs written for the Go plugins say "LogFile".
 * cJSON_GetObjectItem() is already case-insensitive; this one prefers an exact match and, with
 * duplicate keys, takes the last one as Go does.
 */
cJSON *json_get(const cJSON *obj, const char *key);

/*
 * Typed getters. Each returns 0 and leaves *ret untouched when @key is absent (or JSON null),
 * 1 when found and stored, or a negative errno with @err naming @what (e.g. "vlan") when the
 * value has the wrong type or range.
 */
int json_get_string(const cJSON *obj, const char *key, const char *what, const char **ret,
		    struct cni_err *err);
int json_get_int(const cJSON *obj, const char *key, const char *what, long long min, long long max,
		 long long *ret, struct cni_err *err);
int json_get_bool(const cJSON *obj, const char *key, const char *what, bool *ret,
		  struct cni_err *err);

/* Print compact JSON followed by a newline to @f. Returns 0 or -ENOMEM/-EIO. */
int json_print(FILE *f, const cJSON *j);

#endif
