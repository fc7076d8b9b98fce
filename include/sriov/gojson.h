/* SPDX-License-Identifier: Apache-2.0 */
/* gojson.h: JSON text exactly as Go's encoding/json writes a map[string]interface{}. */
#ifndef SRIOV_GOJSON_H
#define SRIOV_GOJSON_H

#include <cjson/cJSON.h>

/*
 * Compact JSON of @j as Go's json.Marshal prints the same value decoded into
 * map[string]interface{} (encoding/json, encode.go): object keys in byte order at every
 * level (a duplicated key printed once, its last value), strings with Go's escapes (HTML
 * characters and U+2028/U+2029 escaped, invalid UTF-8 replaced by U+FFFD), numbers in the
 * shortest digits that read back, plain from 1e-6 to below 1e21, else with an exponent
 * (tests/gocompat/test_numbers.sh holds them against Go's). malloc'ed text, NULL when out of
 * memory. Not for bytes that must come back as they were: the U+FFFD replacement loses them.
 */
char *gojson_print(const cJSON *j);

#endif
