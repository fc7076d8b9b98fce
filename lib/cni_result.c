/* SPDX-License-Identifier: Apache-2.0 */
/* cni_result.c: CNI results as plain structs, rendered and parsed in the shape of each version. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"
#include "sriov/cni_json.h"
#include "sriov/text.h"

/* The three JSON layouts the spec has had; every version maps to one of them. */
enum result_shape {
	RESULT_SHAPE_020, /* 0.1.0, 0.2.0: ip4/ip6 objects */
	RESULT_SHAPE_040, /* 0.3.x, 0.4.0: interfaces/ips/routes, ips carry "version" */
	RESULT_SHAPE_100, /* 1.x: no "version" in ips, interface mtu and route extras */
};

static const struct {
	const char *version;
	enum result_shape shape;
} result_versions[] = {
	{ "0.1.0", RESULT_SHAPE_020 }, { "0.2.0", RESULT_SHAPE_020 }, { "0.3.0", RESULT_SHAPE_040 },
	{ "0.3.1", RESULT_SHAPE_040 }, { "0.4.0", RESULT_SHAPE_040 }, { "1.0.0", RESULT_SHAPE_100 },
	{ "1.1.0", RESULT_SHAPE_100 },
};

static int version_shape(const char *version, enum result_shape *ret)
{
	size_t i;

	if (!version)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(result_versions); i++) {
		if (strcmp(version, result_versions[i].version) == 0) {
			*ret = result_versions[i].shape;
			return 0;
		}
	}
	return -EINVAL;
}

void result_route_init(struct cni_route *r)
{
	memset(r, 0, sizeof(*r));
	r->mtu = -1;
	r->advmss = -1;
	r->priority = -1;
	r->table = -1;
	r->scope = -1;
}

bool result_dns_empty(const struct cni_dns *d)
{
	return d->n_nameservers == 0 && d->domain[0] == '\0' && d->n_search == 0 &&
	       d->n_options == 0;
}

/*
 * Rendering. Helpers return 0 or -ENOMEM; only the top level turns that into a cni_err, since
 * running out of memory is the one way they can fail.
 */

static int add_string(cJSON *obj, const char *key, const char *s)
{
	return cJSON_AddStringToObject(obj, key, s) ? 0 : -ENOMEM;
}

/* Optional integers: negative means unset and is left out. */
static int add_opt_int(cJSON *obj, const char *key, int v)
{
	if (v < 0)
		return 0;
	return cJSON_AddNumberToObject(obj, key, v) ? 0 : -ENOMEM;
}

static int add_addr(cJSON *obj, const char *key, const struct ipaddr *a)
{
	char buf[IPADDR_STRLEN];

	return add_string(obj, key, ipaddr_str(a, buf));
}

static int add_prefix(cJSON *obj, const char *key, const struct ipprefix *p)
{
	char buf[IPPREFIX_STRLEN];

	return add_string(obj, key, ipprefix_str(p, buf));
}

/* Append a new object to @arr; NULL when out of memory. */
static cJSON *append_object(cJSON *arr)
{
	cJSON *o = cJSON_CreateObject();

	if (o && !cJSON_AddItemToArray(arr, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static int add_string_list(cJSON *obj, const char *key, const char (*list)[RESULT_DNS_STRLEN],
			   int n)
{
	cJSON *arr;
	int i;

	if (n <= 0)
		return 0;
	arr = cJSON_AddArrayToObject(obj, key);
	if (!arr)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		cJSON *s = cJSON_CreateString(list[i]);

		if (!s || !cJSON_AddItemToArray(arr, s)) {
			cJSON_Delete(s);
			return -ENOMEM;
		}
	}
	return 0;
}

static int render_dns(cJSON *root, const struct cni_dns *d, bool always)
{
	cJSON *o;
	int r;

	/* 1.x drops an empty dns; older Go types print it as {} (struct omitempty is a no-op). */
	if (!always && result_dns_empty(d))
		return 0;
	o = cJSON_AddObjectToObject(root, "dns");
	if (!o)
		return -ENOMEM;
	r = add_string_list(o, "nameservers", d->nameservers, d->n_nameservers);
	if (r < 0)
		return r;
	if (d->domain[0]) {
		r = add_string(o, "domain", d->domain);
		if (r < 0)
			return r;
	}
	r = add_string_list(o, "search", d->search, d->n_search);
	if (r < 0)
		return r;
	return add_string_list(o, "options", d->options, d->n_options);
}

static int render_route(cJSON *arr, const struct cni_route *rt, bool extras)
{
	cJSON *o = append_object(arr);
	int r;

	if (!o)
		return -ENOMEM;
	r = add_prefix(o, "dst", &rt->dst);
	if (r == 0 && !ipaddr_is_unset(&rt->gw))
		r = add_addr(o, "gw", &rt->gw);
	if (r < 0 || !extras)
		return r;
	/* Go's Route carries these in every 0.3+ shape, 1.0.0 included. */
	r = add_opt_int(o, "mtu", rt->mtu);
	if (r == 0)
		r = add_opt_int(o, "advmss", rt->advmss);
	if (r == 0)
		r = add_opt_int(o, "priority", rt->priority);
	if (r == 0)
		r = add_opt_int(o, "table", rt->table);
	if (r == 0)
		r = add_opt_int(o, "scope", rt->scope);
	return r;
}

static int render_iface(cJSON *arr, const struct cni_iface *ifc, bool v1, bool v11)
{
	cJSON *o = append_object(arr);
	int r;

	if (!o)
		return -ENOMEM;
	r = add_string(o, "name", ifc->name);
	if (r == 0 && ifc->mac[0])
		r = add_string(o, "mac", ifc->mac);
	if (r == 0 && v1 && ifc->mtu > 0)
		r = add_opt_int(o, "mtu", ifc->mtu);
	if (r == 0 && ifc->sandbox[0])
		r = add_string(o, "sandbox", ifc->sandbox);
	if (r == 0 && v11 && ifc->socket_path[0])
		r = add_string(o, "socketPath", ifc->socket_path);
	if (r == 0 && v11 && ifc->pci_id[0])
		r = add_string(o, "pciID", ifc->pci_id);
	return r;
}

static int render_ip(cJSON *arr, const struct cni_ip *ip, bool with_version)
{
	cJSON *o = append_object(arr);
	int r = 0;

	if (!o)
		return -ENOMEM;
	if (with_version)
		r = add_string(o, "version", ip->address.addr.family == AF_INET ? "4" : "6");
	if (r == 0)
		r = add_opt_int(o, "interface", ip->iface);
	if (r == 0)
		r = add_prefix(o, "address", &ip->address);
	if (r == 0 && !ipaddr_is_unset(&ip->gateway))
		r = add_addr(o, "gateway", &ip->gateway);
	return r;
}

/* The 0.3.0 .. 1.1.0 layout. */
static int render_lists(cJSON *root, const struct cni_result *res, const char *version,
			enum result_shape shape)
{
	bool v1 = shape == RESULT_SHAPE_100;
	bool v11 = strcmp(version, "1.1.0") == 0;
	cJSON *arr;
	int i, r;

	if (res->n_ifaces > 0) {
		arr = cJSON_AddArrayToObject(root, "interfaces");
		if (!arr)
			return -ENOMEM;
		for (i = 0; i < res->n_ifaces; i++) {
			r = render_iface(arr, &res->ifaces[i], v1, v11);
			if (r < 0)
				return r;
		}
	}
	if (res->n_ips > 0) {
		arr = cJSON_AddArrayToObject(root, "ips");
		if (!arr)
			return -ENOMEM;
		for (i = 0; i < res->n_ips; i++) {
			r = render_ip(arr, &res->ips[i], !v1);
			if (r < 0)
				return r;
		}
	}
	if (res->n_routes > 0) {
		arr = cJSON_AddArrayToObject(root, "routes");
		if (!arr)
			return -ENOMEM;
		for (i = 0; i < res->n_routes; i++) {
			r = render_route(arr, &res->routes[i], true);
			if (r < 0)
				return r;
		}
	}
	return render_dns(root, &res->dns, !v1);
}

/*
 * The 0.1.0/0.2.0 layout holds one address per family. Like Go's down-conversion, keep the
 * first of each, put each route under the object of its destination's family (dst and gw
 * only), and drop routes of a family that has no address. A result without addresses gets no
 * ip4/ip6 at all, where Go refuses to convert it: the interface exists by then, and failing
 * the whole ADD over an output format helps nobody.
 */
static int render_020(cJSON *root, const struct cni_result *res)
{
	static const char *const keys[2] = { "ip4", "ip6" };
	const struct cni_ip *first[2] = { NULL, NULL };
	int i, f, r;

	for (i = 0; i < res->n_ips; i++) {
		f = res->ips[i].address.addr.family == AF_INET ? 0 : 1;
		if (!first[f])
			first[f] = &res->ips[i];
	}
	for (f = 0; f < 2; f++) {
		cJSON *o, *routes = NULL;

		if (!first[f])
			continue;
		o = cJSON_AddObjectToObject(root, keys[f]);
		if (!o)
			return -ENOMEM;
		r = add_prefix(o, "ip", &first[f]->address);
		if (r == 0 && !ipaddr_is_unset(&first[f]->gateway))
			r = add_addr(o, "gateway", &first[f]->gateway);
		if (r < 0)
			return r;
		for (i = 0; i < res->n_routes; i++) {
			const struct cni_route *rt = &res->routes[i];

			if ((rt->dst.addr.family == AF_INET ? 0 : 1) != f)
				continue;
			if (!routes)
				routes = cJSON_AddArrayToObject(o, "routes");
			if (!routes)
				return -ENOMEM;
			r = render_route(routes, rt, false);
			if (r < 0)
				return r;
		}
	}
	return render_dns(root, &res->dns, true);
}

static bool family_ok(int family)
{
	return family == AF_INET || family == AF_INET6;
}

/* Catch results the parser could never have produced before printing them. */
static int check_result(const struct cni_result *res, struct cni_err *err)
{
	int i;

	if (res->n_ifaces < 0 || res->n_ifaces > RESULT_MAX_IFACES || res->n_ips < 0 ||
	    res->n_ips > RESULT_MAX_IPS || res->n_routes < 0 || res->n_routes > RESULT_MAX_ROUTES ||
	    res->dns.n_nameservers < 0 || res->dns.n_nameservers > RESULT_MAX_DNS ||
	    res->dns.n_search < 0 || res->dns.n_search > RESULT_MAX_DNS || res->dns.n_options < 0 ||
	    res->dns.n_options > RESULT_MAX_DNS)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "result: entry count out of range");
	for (i = 0; i < res->n_ips; i++) {
		if (!family_ok(res->ips[i].address.addr.family))
			return err_set(err, EINVAL, CNI_ERR_INTERNAL, "result: ips[%d]: no address",
				       i);
	}
	for (i = 0; i < res->n_routes; i++) {
		if (!family_ok(res->routes[i].dst.addr.family))
			return err_set(err, EINVAL, CNI_ERR_INTERNAL,
				       "result: routes[%d]: no destination", i);
	}
	return 0;
}

cJSON *result_to_json(const struct cni_result *r, const char *version, struct cni_err *err)
{
	_cleanup_cjson_ cJSON *root = NULL;
	enum result_shape shape;
	int k;

	if (version_shape(version, &shape) < 0) {
		err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION,
			"cannot print a result for unsupported CNI version %s",
			QUOTE(version ? version : ""));
		return NULL;
	}
	if (check_result(r, err) < 0)
		return NULL;
	root = cJSON_CreateObject();
	if (!root) {
		err_set(err, ENOMEM, CNI_ERR_INTERNAL, "result: out of memory");
		return NULL;
	}
	k = add_string(root, "cniVersion", version);
	if (k == 0)
		k = shape == RESULT_SHAPE_020 ? render_020(root, r) :
						render_lists(root, r, version, shape);
	if (k < 0) {
		err_set(err, -k, CNI_ERR_INTERNAL, "result: out of memory");
		return NULL;
	}
	return TAKE_PTR(root);
}

/*
 * Parsing. Each helper names only the key it looked at; callers wrap the message with the
 * list position ("ips[2]: address: ..."). Type errors are code 6; values that decode but are
 * out of range or over a RESULT_MAX_* limit are code 7, like json_get_int().
 */

static int get_str_copy(const cJSON *obj, const char *key, char *buf, size_t size,
			struct cni_err *err)
{
	const char *s = NULL;
	size_t len;
	int r;

	r = json_get_string(obj, key, key, &s, err);
	if (r <= 0)
		return r;
	len = strlen(s);
	if (len >= size)
		return err_set(err, ENAMETOOLONG, CNI_ERR_INVALID_CONFIG,
			       "%s: %zu bytes long, at most %zu are supported", key, len, size - 1);
	memcpy(buf, s, len + 1);
	return 1;
}

static bool is_v4mapped(const struct ipaddr *a)
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return a->family == AF_INET6 && memcmp(a->a, prefix, sizeof(prefix)) == 0;
}

static int get_prefix(const cJSON *obj, const char *key, bool required, struct ipprefix *ret,
		      struct cni_err *err)
{
	const char *s = NULL;
	int r;

	r = json_get_string(obj, key, key, &s, err);
	if (r < 0)
		return r;
	if (r == 0)
		return required ? err_set(err, EINVAL, CNI_ERR_DECODE, "%s: missing", key) : 0;
	if (ipprefix_parse(s, ret) < 0 || !family_ok(ret->addr.family))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: invalid CIDR address %s", key,
			       QUOTE(s));
	/*
	 * "::ffff:10.1.1.1/120" would print as "10.1.1.1/120" (Go prints an unrelated IPv4
	 * prefix); no plugin means that, so refuse it rather than print nonsense.
	 */
	if (is_v4mapped(&ret->addr))
		return err_set(err, EINVAL, CNI_ERR_DECODE,
			       "%s: IPv4-mapped IPv6 prefix %s is not supported", key, QUOTE(s));
	return 1;
}

static int get_addr(const cJSON *obj, const char *key, struct ipaddr *ret, struct cni_err *err)
{
	const char *s = NULL;
	int r;

	r = json_get_string(obj, key, key, &s, err);
	if (r <= 0)
		return r;
	if (ipaddr_parse(s, ret) < 0 || !family_ok(ret->family))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: invalid IP address %s", key,
			       QUOTE(s));
	return 1;
}

/* Optional non-negative integer; @ret keeps its value when the key is absent. */
static int get_uint(const cJSON *obj, const char *key, int max, int *ret, struct cni_err *err)
{
	long long v;
	int r;

	r = json_get_int(obj, key, key, 0, max, &v, err);
	if (r == 1)
		*ret = (int)v;
	return r;
}

/*
 * Find the list @key in @obj: 0 when absent or null, 1 with *ret set. @used entries are taken
 * already (0.2.0 routes come from two lists), so at most @max - @used more fit.
 */
static int get_array(const cJSON *obj, const char *key, int max, int used, const cJSON **ret,
		     struct cni_err *err)
{
	const cJSON *a = json_get(obj, key);
	int n;

	if (!a || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be a list", key);
	n = cJSON_GetArraySize(a);
	if (n > max - used)
		return err_set(err, E2BIG, CNI_ERR_INVALID_CONFIG,
			       "%s: too many entries (%d), a result holds at most %d", key,
			       n + used, max);
	*ret = a;
	return 1;
}

/* Same for an object: 0 when absent or null. */
static int get_object(const cJSON *obj, const char *key, const cJSON **ret, struct cni_err *err)
{
	const cJSON *o = json_get(obj, key);

	if (!o || cJSON_IsNull(o))
		return 0;
	if (!cJSON_IsObject(o))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "%s: must be an object", key);
	*ret = o;
	return 1;
}

static int parse_string_list(const cJSON *obj, const char *key, char (*list)[RESULT_DNS_STRLEN],
			     int *ret_n, struct cni_err *err)
{
	const cJSON *arr = NULL, *it;
	int n = 0, r;

	r = get_array(obj, key, RESULT_MAX_DNS, 0, &arr, err);
	if (r <= 0)
		return r;
	cJSON_ArrayForEach(it, arr) {
		size_t len;

		if (!cJSON_IsString(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE, "%s[%d]: must be a string", key,
				       n);
		len = strlen(it->valuestring);
		if (len >= RESULT_DNS_STRLEN)
			return err_set(err, ENAMETOOLONG, CNI_ERR_INVALID_CONFIG,
				       "%s[%d]: %zu bytes long, at most %d are supported", key, n,
				       len, RESULT_DNS_STRLEN - 1);
		memcpy(list[n++], it->valuestring, len + 1);
	}
	*ret_n = n;
	return 1;
}

static int parse_dns(const cJSON *j, struct cni_dns *d, struct cni_err *err)
{
	const cJSON *o = NULL;
	int r;

	r = get_object(j, "dns", &o, err);
	if (r <= 0)
		return r;
	r = parse_string_list(o, "nameservers", d->nameservers, &d->n_nameservers, err);
	if (r >= 0)
		r = get_str_copy(o, "domain", d->domain, sizeof(d->domain), err);
	if (r >= 0)
		r = parse_string_list(o, "search", d->search, &d->n_search, err);
	if (r >= 0)
		r = parse_string_list(o, "options", d->options, &d->n_options, err);
	return r < 0 ? err_wrap(err, "dns") : 0;
}

/* Go's Route has the extras in every version, so they are read whatever the shape. */
static int parse_route(const cJSON *o, struct cni_route *rt, struct cni_err *err)
{
	int r;

	result_route_init(rt);
	r = get_prefix(o, "dst", true, &rt->dst, err);
	if (r >= 0)
		r = get_addr(o, "gw", &rt->gw, err);
	if (r >= 0)
		r = get_uint(o, "mtu", INT_MAX, &rt->mtu, err);
	if (r >= 0)
		r = get_uint(o, "advmss", INT_MAX, &rt->advmss, err);
	if (r >= 0)
		r = get_uint(o, "priority", INT_MAX, &rt->priority, err);
	if (r >= 0)
		r = get_uint(o, "table", INT_MAX, &rt->table, err);
	if (r >= 0)
		r = get_uint(o, "scope", UCHAR_MAX, &rt->scope, err); /* rtm_scope is a u8 */
	return r < 0 ? r : 0;
}

/* Append the routes listed under @obj's "routes" to @res. */
static int parse_routes(const cJSON *obj, struct cni_result *res, struct cni_err *err)
{
	const cJSON *arr = NULL, *it;
	int i = 0, r;

	r = get_array(obj, "routes", RESULT_MAX_ROUTES, res->n_routes, &arr, err);
	if (r <= 0)
		return r;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE, "routes[%d]: must be an object",
				       i);
		r = parse_route(it, &res->routes[res->n_routes], err);
		if (r < 0)
			return err_wrap(err, "routes[%d]", i);
		res->n_routes++;
		i++;
	}
	return 0;
}

static int parse_iface(const cJSON *o, enum result_shape shape, struct cni_iface *ifc,
		       struct cni_err *err)
{
	int r;

	r = get_str_copy(o, "name", ifc->name, sizeof(ifc->name), err);
	if (r >= 0)
		r = get_str_copy(o, "mac", ifc->mac, sizeof(ifc->mac), err);
	if (r >= 0)
		r = get_str_copy(o, "sandbox", ifc->sandbox, sizeof(ifc->sandbox), err);
	if (r < 0 || shape != RESULT_SHAPE_100)
		return r < 0 ? r : 0;
	r = get_uint(o, "mtu", INT_MAX, &ifc->mtu, err);
	if (r >= 0)
		r = get_str_copy(o, "socketPath", ifc->socket_path, sizeof(ifc->socket_path), err);
	if (r >= 0)
		r = get_str_copy(o, "pciID", ifc->pci_id, sizeof(ifc->pci_id), err);
	return r < 0 ? r : 0;
}

/*
 * An IPAM plugin's result has no interfaces, yet may carry an index that the interface plugin
 * will make true; only an index past the interfaces actually listed is an error.
 */
static int parse_ip(const cJSON *o, int n_ifaces, struct cni_ip *ip, struct cni_err *err)
{
	int r;

	ip->iface = -1;
	r = get_prefix(o, "address", true, &ip->address, err);
	if (r >= 0)
		r = get_addr(o, "gateway", &ip->gateway, err);
	if (r >= 0)
		r = get_uint(o, "interface", INT_MAX, &ip->iface, err);
	if (r < 0)
		return r;
	if (n_ifaces > 0 && ip->iface >= n_ifaces)
		return err_set(err, ERANGE, CNI_ERR_INVALID_CONFIG,
			       "interface: index %d is out of range, the result has %d interfaces",
			       ip->iface, n_ifaces);
	/* The "version" key of 0.3.x/0.4.0 is implied by the address and not read. */
	return 0;
}

static int parse_lists(const cJSON *j, enum result_shape shape, struct cni_result *res,
		       struct cni_err *err)
{
	const cJSON *arr = NULL, *it;
	int i, r;

	r = get_array(j, "interfaces", RESULT_MAX_IFACES, 0, &arr, err);
	if (r < 0)
		return r;
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE,
				       "interfaces[%d]: must be an object", i);
		if (parse_iface(it, shape, &res->ifaces[i], err) < 0)
			return err_wrap(err, "interfaces[%d]", i);
		res->n_ifaces = ++i;
	}

	arr = NULL;
	r = get_array(j, "ips", RESULT_MAX_IPS, 0, &arr, err);
	if (r < 0)
		return r;
	i = 0;
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsObject(it))
			return err_set(err, EINVAL, CNI_ERR_DECODE, "ips[%d]: must be an object",
				       i);
		if (parse_ip(it, res->n_ifaces, &res->ips[i], err) < 0)
			return err_wrap(err, "ips[%d]", i);
		res->n_ips = ++i;
	}

	return parse_routes(j, res, err);
}

static int parse_020(const cJSON *j, struct cni_result *res, struct cni_err *err)
{
	static const char *const keys[2] = { "ip4", "ip6" };
	int f, r;

	for (f = 0; f < 2; f++) {
		const cJSON *o = NULL;
		struct cni_ip *ip = &res->ips[res->n_ips];

		r = get_object(j, keys[f], &o, err);
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		ip->iface = -1;
		r = get_prefix(o, "ip", true, &ip->address, err);
		if (r >= 0)
			r = get_addr(o, "gateway", &ip->gateway, err);
		if (r >= 0)
			r = parse_routes(o, res, err);
		if (r < 0)
			return err_wrap(err, "%s", keys[f]);
		res->n_ips++;
	}
	return 0;
}

int result_from_json(const cJSON *j, const char *version, struct cni_result *ret,
		     struct cni_err *err)
{
	_cleanup_free_ struct cni_result *res = NULL;
	enum result_shape shape;
	const char *v = NULL;
	int r;

	if (!cJSON_IsObject(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "result: must be a JSON object");
	r = json_get_string(j, "cniVersion", "result: cniVersion", &v, err);
	if (r < 0)
		return r;
	/* The result knows its own shape best; the caller's version is only a fallback. */
	if (!v || !*v)
		v = version;
	if (!v || !*v)
		return err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION,
			       "result: no cniVersion given");
	if (version_shape(v, &shape) < 0)
		return err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION,
			       "result: unsupported cniVersion %s", QUOTE(v));

	/* Tens of KiB: too big for the stack of every caller. */
	res = calloc(1, sizeof(*res));
	if (!res)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "result: out of memory");
	r = shape == RESULT_SHAPE_020 ? parse_020(j, res, err) : parse_lists(j, shape, res, err);
	if (r >= 0)
		r = parse_dns(j, &res->dns, err);
	if (r < 0)
		return err_wrap(err, "result");
	memcpy(ret, res, sizeof(*res));
	return 0;
}
