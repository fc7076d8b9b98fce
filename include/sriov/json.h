/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json.h: the one JSON layer of lib/ and ipam/: parsing as Go's encoding/json does, typed getters
 * and printing. Every reader of JSON (config, results, state records, sriov-cni's files, the
 * device plugin's config) takes its values through these getters.
 */
#ifndef SRIOV_JSON_H
#define SRIOV_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"

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

/*
 * The same contract for containers: @what: "must be a list" / "must be an object" (code 6)
 * when a non-null occurrence has another type; *@ret is the last non-null one.
 */
int json_get_array(const cJSON *obj, const char *key, const char *what, const cJSON **ret,
		   struct cni_err *err);
int json_get_object(const cJSON *obj, const char *key, const char *what, const cJSON **ret,
		    struct cni_err *err);

/*
 * A string copied into @buf (@size bytes with its NUL). Longer: code 7 (ENAMETOOLONG)
 * "<what>: N bytes long, at most M are supported", @buf untouched.
 */
int json_get_strbuf(const cJSON *obj, const char *key, const char *what, char *buf, size_t size,
		    struct cni_err *err);

/*
 * A list of at most @max_n strings, each shorter than @size bytes; *@ret is the list node.
 * Not a list or an entry not a string: code 6 ("<what>[i]: must be a string"); too many
 * entries or one too long: code 7 (E2BIG, ENAMETOOLONG), the entry named.
 */
int json_get_string_list(const cJSON *obj, const char *key, const char *what, int max_n,
			 size_t size, const cJSON **ret, struct cni_err *err);

/*
 * A MAC address in the text net.HardwareAddr.String() prints ("0a:1B:..", six bytes, either
 * case) into @mac. "" is what Go prints for no address: it returns 0 like an absent key.
 * Anything else: code 6 "<what>: invalid MAC address %q".
 */
int json_get_mac(const cJSON *obj, const char *key, const char *what, uint8_t mac[6],
		 struct cni_err *err);

/*
 * How json_get_ipaddr() and json_get_prefix() word text that does not parse (code 6 both):
 *   JSON_NET_QUOTED: "<what>: invalid IP address \"x\"" (results read back: the field named,
 *     the value Go-%q quoted);
 *   JSON_NET_GO: Go's net.ParseError text, "invalid IP address: x", with <what> in the
 *     details: host-local's config errors, which tests/ipam compares with the Go plugin's
 *     byte for byte (encoding/json returns an UnmarshalText error without the field name).
 */
enum json_net_words {
	JSON_NET_QUOTED,
	JSON_NET_GO,
};

/*
 * A net.IP as Go decodes it (UnmarshalText): "" is no address and returns 0 like an absent
 * key; else ipaddr_parse() must read it (so "::ffff:1.2.3.4" is IPv4, as net.ParseIP says).
 */
int json_get_ipaddr(const cJSON *obj, const char *key, const char *what, enum json_net_words words,
		    struct ipaddr *ret, struct cni_err *err);

/*
 * A types.IPNet as net.ParseCIDR reads it, host bits kept; "" is an error as in Go. An
 * IPv4-mapped IPv6 prefix comes back as it is (ipaddr_is_v4mapped()): callers differ on it.
 */
int json_get_prefix(const cJSON *obj, const char *key, const char *what, enum json_net_words words,
		    struct ipprefix *ret, struct cni_err *err);

/*
 * For readers whose contract makes every error in a decodable document a config error (the
 * host-local config, the device plugin's config): a getter's failure @r < 0 becomes code 7
 * (CNI_ERR_INVALID_CONFIG), with @path, when not NULL, in the details. Returns @r.
 */
int json_config_err(int r, const char *path, struct cni_err *err);

/* Compact JSON and a newline to @f's fd in one write(2), after fflush(@f). 0, -ENOMEM, -EIO. */
int json_print(FILE *f, const cJSON *j);

#endif
