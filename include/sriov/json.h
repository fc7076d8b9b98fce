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

#define JSON_MAX_DEPTH 128 /* nested objects/arrays (Go allows 10000, cJSON 1000) */
#define JSON_MAX_NUMBER_LEN 63 /* characters of a number literal cJSON can read */

/*
 * Parse @len bytes of @text (the plugin's stdin, a delegate's output, a prevResult) into
 * *@ret, accepting what Go's encoding/json accepts, except where Go's reading could differ
 * from ours or from C's:
 *   - a string (value or key) holding \u0000 (C strings would stop there), a lone UTF-16
 *     surrogate, or bytes that are not UTF-8 (Go would read U+FFFD instead);
 *   - nesting deeper than JSON_MAX_DEPTH, a number literal longer than JSON_MAX_NUMBER_LEN.
 * Like Go it refuses control characters in strings, anything after the value, and
 * non-JSON whitespace. Every number node keeps its literal in valuestring, for
 * json_get_int(). Code 6 "<what>: <why> at byte N" on failure, 999 when out of memory.
 */
int json_parse(const char *text, size_t len, const char *what, cJSON **ret, struct cni_err *err);

/*
 * The check json_parse() makes before it builds anything, alone: 0 when @text is one JSON
 * value json_parse() would accept (nested at most JSON_MAX_DEPTH deep), else its error.
 */
int json_validate(const char *text, size_t len, const char *what, struct cni_err *err);

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
 * value has the wrong type or range. With duplicate keys, as in Go, every occurrence must
 * have the type and the last one that is not null wins. json_get_int() takes what Go's
 * strconv.ParseInt takes from the literal: "5.0", "1e3", "1e-400" are code 6, values outside
 * @min..@max code 7.
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
