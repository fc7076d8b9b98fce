/* SPDX-License-Identifier: Apache-2.0 */
/* gojson.h: JSON text exactly as Go's encoding/json writes a map[string]interface{}. */
#ifndef SRIOV_GOJSON_H
#define SRIOV_GOJSON_H

#include <cjson/cJSON.h>

/*
 * Compact JSON of @j as Go's json.Marshal prints the same value decoded into
 * map[string]interface{} (encoding/json, encode.go): object keys in byte order at every
 * level (a duplicated key printed once, its last value), strings with Go's escapes (HTML
 * characters and U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD), integers in plain
 * digits. Other numbers get the shortest form that reads back, which is Go's for the values
 * a CNI config holds. malloc'ed text, NULL when out of memory. Also the writer of the VF
 * records (state.c): integers go out without printf's floating-point path.
 */
char *gojson_print(const cJSON *j);

#endif
