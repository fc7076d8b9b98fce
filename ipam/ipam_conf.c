/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_conf.c: host-local config (ipam, runtimeConfig, args, CNI_ARGS) into struct ipam_conf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/json.h"
#include "sriov/text.h"
#include "ipam_int.h"

#define PATH_LABEL 64

/* One range as decoded, before Canonicalize(). */
struct raw_range {
	struct ipprefix subnet;
	bool has_subnet;
	bool subnet_v4mapped;
	struct ipaddr start, end, gw;
};

/* Decoding state: ranges in final set order plus where each set came from (for details). */
struct parse_ctx {
	struct ipam_conf *c;
	struct raw_range raw[IPAM_MAX_RANGES];
	char label[IPAM_MAX_SETS][PATH_LABEL];
};

static int conf_err(struct cni_err *err, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int conf_err(struct cni_err *err, const char *path, const char *fmt, ...)
{
	char msg[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s", msg);
	if (path)
		err_details(err, "%s", path);
	return err_ret(err);
}

static int decode_range(const cJSON *o, const char *path, struct raw_range *ret,
			struct cni_err *err)
{
	char p[PATH_LABEL + 16];
	int r;

	memset(ret, 0, sizeof(*ret));
	if (!cJSON_IsObject(o))
		return conf_err(err, path, "%s: must be an object", path);
	snprintf(p, sizeof(p), "%s.subnet", path);
	r = json_config_err(json_get_prefix(o, "subnet", p, JSON_NET_GO, &ret->subnet, err), p,
			    err);
	if (r < 0)
		return r;
	ret->has_subnet = r > 0;
	ret->subnet_v4mapped = r > 0 && ipaddr_is_v4mapped(&ret->subnet.addr);
	if (ret->subnet_v4mapped) {
		/* Go's canonicalizeIP() turns the address into IPv4 but keeps the 16-byte mask. */
		memmove(ret->subnet.addr.a, ret->subnet.addr.a + 12, 4);
		memset(ret->subnet.addr.a + 4, 0, 12);
		ret->subnet.addr.family = AF_INET;
	}
	snprintf(p, sizeof(p), "%s.rangeStart", path);
	r = json_config_err(json_get_ipaddr(o, "rangeStart", p, JSON_NET_GO, &ret->start, err), p,
			    err);
	if (r < 0)
		return r;
	snprintf(p, sizeof(p), "%s.rangeEnd", path);
	r = json_config_err(json_get_ipaddr(o, "rangeEnd", p, JSON_NET_GO, &ret->end, err), p, err);
	if (r < 0)
		return r;
	snprintf(p, sizeof(p), "%s.gateway", path);
	r = json_config_err(json_get_ipaddr(o, "gateway", p, JSON_NET_GO, &ret->gw, err), p, err);
	return r < 0 ? r : 0;
}

/* Append a list of range sets (ipam.ranges or runtimeConfig.ipRanges) to the context. */
static int decode_sets(struct parse_ctx *x, const cJSON *list, const char *path,
		       struct cni_err *err)
{
	struct ipam_conf *c = x->c;
	const cJSON *set;
	int si = 0;

	cJSON_ArrayForEach(set, list) {
		char p[PATH_LABEL];
		const cJSON *rj;
		int ri = 0;

		snprintf(p, sizeof(p), "%s[%d]", path, si);
		if (c->n_sets >= IPAM_MAX_SETS)
			return conf_err(err, p, "%s: too many range sets (at most %d)", path,
					IPAM_MAX_SETS);
		if (!cJSON_IsArray(set) && !cJSON_IsNull(set))
			return conf_err(err, p, "%s: must be a list of ranges", p);
		c->sets[c->n_sets].first = c->n_ranges;
		c->sets[c->n_sets].n = 0;
		snprintf(x->label[c->n_sets], PATH_LABEL, "%s", p);
		cJSON_ArrayForEach(rj, set) {
			char rp[PATH_LABEL + 16];
			int r;

			snprintf(rp, sizeof(rp), "%s[%d]", p, ri);
			if (c->n_ranges >= IPAM_MAX_RANGES)
				return conf_err(err, rp, "too many ranges (at most %d)",
						IPAM_MAX_RANGES);
			r = decode_range(rj, rp, &x->raw[c->n_ranges], err);
			if (r < 0)
				return r;
			if (!x->raw[c->n_ranges].has_subnet)
				return conf_err(err, rp, "%s.subnet: missing", rp);
			c->n_ranges++;
			c->sets[c->n_sets].n++;
			ri++;
		}
		c->n_sets++;
		si++;
	}
	return 0;
}

/* ip.IP text: "addr" or "addr/len" (the prefix is checked, then dropped). */
static int parse_req_ip(const char *s, struct ipaddr *ret)
{
	const char *slash = strchr(s, '/');

	if (slash) {
		struct ipprefix p;

		if (ipprefix_parse(s, &p) < 0)
			return -EINVAL;
		/* Go's ToIP() maps an IPv4-mapped address to IPv4. */
		char buf[IPADDR_STRLEN];

		return ipaddr_parse(ipaddr_str(&p.addr, buf), ret);
	}
	return ipaddr_parse(s, ret);
}

static int add_req_ip(struct ipam_conf *c, const struct ipaddr *ip, struct cni_err *err)
{
	for (int i = 0; i < c->n_req_ips; i++) {
		if (ipaddr_eq(&c->req_ips[i], ip))
			return 0; /* host-local keys requests by their text */
	}
	if (c->n_req_ips >= IPAM_MAX_REQ_IPS)
		return conf_err(err, NULL, "too many requested IPs (at most %d)", IPAM_MAX_REQ_IPS);
	c->req_ips[c->n_req_ips++] = *ip;
	return 0;
}

static int decode_ip_list(struct ipam_conf *c, const cJSON *list, const char *path,
			  struct cni_err *err)
{
	const cJSON *it;
	int i = 0;

	cJSON_ArrayForEach(it, list) {
		char p[PATH_LABEL];
		struct ipaddr ip;
		int r;

		snprintf(p, sizeof(p), "%s[%d]", path, i++);
		if (!cJSON_IsString(it))
			return conf_err(err, p, "%s: must be a string", p);
		if (!*it->valuestring)
			return conf_err(err, p, "cannot understand ip: IP <nil> not v4 nor v6");
		if (parse_req_ip(it->valuestring, &ip) < 0)
			return conf_err(err, p, "invalid IP address %s", ESCAPED(it->valuestring));
		r = add_req_ip(c, &ip, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int decode_routes(struct ipam_conf *c, const cJSON *list, struct cni_err *err)
{
	const cJSON *it;
	int i = 0;

	cJSON_ArrayForEach(it, list) {
		static const char *const extra[] = { "mtu", "advmss", "priority", "table",
						     "scope" };
		char p[PATH_LABEL], q[PATH_LABEL + 16];
		struct cni_route *rt;
		int r;

		snprintf(p, sizeof(p), "ipam.routes[%d]", i++);
		if (!cJSON_IsObject(it))
			return conf_err(err, p, "%s: must be an object", p);
		if (c->n_routes >= RESULT_MAX_ROUTES)
			return conf_err(err, p, "too many routes (at most %d)", RESULT_MAX_ROUTES);
		rt = &c->routes[c->n_routes];
		result_route_init(rt);
		snprintf(q, sizeof(q), "%s.dst", p);
		r = json_config_err(json_get_prefix(it, "dst", q, JSON_NET_GO, &rt->dst, err), q,
				    err);
		if (r < 0)
			return r;
		if (r == 0)
			return conf_err(err, q, "%s: missing", q);
		snprintf(q, sizeof(q), "%s.gw", p);
		r = json_config_err(json_get_ipaddr(it, "gw", q, JSON_NET_GO, &rt->gw, err), q,
				    err);
		if (r < 0)
			return r;
		for (size_t k = 0; k < ARRAY_SIZE(extra); k++) {
			int *dst[] = { &rt->mtu, &rt->advmss, &rt->priority, &rt->table,
				       &rt->scope };
			long long v;

			snprintf(q, sizeof(q), "%s.%s", p, extra[k]);
			r = json_config_err(json_get_int(it, extra[k], q, 0, INT32_MAX, &v, err), q,
					    err);
			if (r < 0)
				return r;
			if (r > 0)
				*dst[k] = (int)v;
		}
		c->n_routes++;
	}
	return 0;
}

/*
 * A CNI_ARGS pair Go-%q quoted into @buf as host-local prints it, with the shared quoting of
 * text.c: up to what @size holds (every byte may take 4), then "...".
 */
#define QUOTE_PAIR(pair, n, buf) \
	text_escape((pair), (n), (sizeof(buf) - 8) / 4, true, (buf), sizeof(buf))

struct args_ctx {
	struct cni_err *err; /* set by args_one(), which then returns < 0 */
	bool failed;
	struct ipaddr ip;
	bool has_ip, ignore;
	char unknown[sizeof(((struct cni_err *)0)->msg)];
	size_t uo;
};

/* One pair as LoadArgs reads it into host-local's {types.CommonArgs; IP net.IP}. */
static int args_one(const struct cni_arg *a, void *ctx)
{
	struct args_ctx *x = ctx;
	char q[512];

	QUOTE_PAIR(a->pair, a->plen, q);
	x->failed = true;
	if (a->klen == 2 && memcmp(a->key, "IP", 2) == 0) {
		char val[IPADDR_STRLEN + 8];

		if (a->vlen == 0) {
			x->has_ip = false; /* an empty IP= is the zero value: no request */
		} else if (a->vlen >= sizeof(val)) {
			return err_set(
				x->err, EINVAL, CNI_ERR_INVALID_ENV,
				"ARGS: error parsing value of pair %s: invalid IP address %s", q,
				ESCAPED_N(a->val, a->vlen));
		} else {
			memcpy(val, a->val, a->vlen);
			val[a->vlen] = '\0';
			if (parse_req_ip(val, &x->ip) < 0)
				return err_set(
					x->err, EINVAL, CNI_ERR_INVALID_ENV,
					"ARGS: error parsing value of pair %s: invalid IP address %s",
					q, ESCAPED(val));
			x->has_ip = true;
		}
	} else if (a->klen == 13 && memcmp(a->key, "IgnoreUnknown", 13) == 0) {
		if (cni_args_bool(a->val, a->vlen, &x->ignore) < 0) {
			char low[64];
			size_t n = a->vlen < sizeof(low) - 1 ? a->vlen : sizeof(low) - 1;

			for (size_t i = 0; i < n; i++)
				low[i] = (char)(a->val[i] >= 'A' && a->val[i] <= 'Z' ?
							a->val[i] + 32 :
							a->val[i]);
			low[n] = '\0';
			return err_set(
				x->err, EINVAL, CNI_ERR_INVALID_ENV,
				"ARGS: error parsing value of pair %s: boolean unmarshal error: invalid input %s",
				q, ESCAPED(low));
		}
	} else if (a->klen == 10 && memcmp(a->key, "CommonArgs", 10) == 0) {
		/* Go finds the embedded struct by that name; it cannot take text. */
		return err_set(
			x->err, EINVAL, CNI_ERR_INVALID_ENV,
			"ARGS: cannot unmarshal into field 'CommonArgs' - type '*types.CommonArgs' does not implement encoding.TextUnmarshaler");
	} else if (x->uo + strlen(q) + 2 < sizeof(x->unknown)) {
		x->uo += (size_t)snprintf(x->unknown + x->uo, sizeof(x->unknown) - x->uo, "%s%s",
					  x->uo ? " " : "", q);
	} else {
		x->uo = sizeof(x->unknown) - 1; /* still non-empty; the list is cut */
	}
	x->failed = false;
	return 0;
}

int ipam_args_parse(const char *args, struct ipaddr *ret_ip, bool *ret_has_ip, struct cni_err *err)
{
	struct args_ctx x = { .err = err };
	struct cni_arg bad;
	int r = cni_args_walk(args, args_one, &x, &bad);

	if (r < 0 && !x.failed) {
		char q[512];

		QUOTE_PAIR(bad.pair, bad.plen, q);
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "ARGS: invalid pair %s", q);
	}
	if (r < 0)
		return r;
	if (x.uo && !x.ignore)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "ARGS: unknown args [%s]",
			       x.unknown);
	*ret_has_ip = x.has_ip;
	if (x.has_ip)
		*ret_ip = x.ip;
	return 0;
}

/* Phase 2: host-local's LoadIPAMConfig checks after the JSON decode, in its order. */
static int check_sets(struct parse_ctx *x, const char *cni_version, struct cni_err *err)
{
	struct ipam_conf *c = x->c;
	int n4 = 0, n6 = 0;

	if (c->n_sets == 0)
		return conf_err(err, "ipam.ranges", "no IP ranges specified");
	for (int s = 0; s < c->n_sets; s++) {
		const struct ipam_set *set = &c->sets[s];
		int r = 0;

		if (set->n == 0)
			return conf_err(err, x->label[s], "invalid range set %d: empty range set",
					s);
		for (int i = 0; i < set->n && r >= 0; i++) {
			struct raw_range *raw = &x->raw[set->first + i];
			struct ipam_range *rg = &c->ranges[set->first + i];

			rg->subnet = raw->subnet;
			r = ipam_range_canonicalize(rg, &raw->start, &raw->end, &raw->gw,
						    raw->subnet_v4mapped, err);
			if (r < 0)
				err_details(err, "%s[%d]", x->label[s], i);
		}
		if (r >= 0) {
			r = ipam_set_check(c, s, err);
			if (r < 0)
				err_details(err, "%s", x->label[s]);
		}
		if (r < 0)
			return err_wrap(err, "invalid range set %d", s);
		if (ipam_set_family(c, s) == AF_INET)
			n4++;
		else
			n6++;
	}
	if ((n4 > 1 || n6 > 1) && !ipam_version_ge(cni_version, "0.3.0"))
		return conf_err(err, "cniVersion",
				"CNI version %s does not support more than 1 address per family",
				ESCAPED(cni_version ? cni_version : ""));
	for (int i = 0; i < c->n_sets - 1; i++) {
		for (int j = i + 1; j < c->n_sets; j++) {
			for (int a = 0; a < c->sets[i].n; a++) {
				for (int b = 0; b < c->sets[j].n; b++) {
					if (ipam_range_overlaps(&c->ranges[c->sets[i].first + a],
								&c->ranges[c->sets[j].first + b]))
						return conf_err(err, x->label[j],
								"range set %d overlaps with %d", i,
								j);
				}
			}
		}
	}
	return 0;
}

static int decode_conf(struct parse_ctx *x, const cJSON *conf, const char *cni_args,
		       struct cni_err *err)
{
	struct ipam_conf *c = x->c;
	const cJSON *ipam = NULL, *rc = NULL, *args = NULL, *list = NULL;
	const char *s = NULL;
	struct raw_range legacy;
	struct ipaddr arg_ip;
	bool has_arg_ip = false;
	int r;

	if (!cJSON_IsObject(conf))
		return conf_err(err, NULL, "network config must be a JSON object");
	r = json_config_err(json_get_object(conf, "ipam", "ipam", &ipam, err), "ipam", err);
	if (r < 0)
		return r;
	if (r == 0)
		return conf_err(err, "ipam", "IPAM config missing 'ipam' key");

	r = json_config_err(json_get_string(ipam, "type", "ipam.type", &s, err), "ipam.type", err);
	if (r < 0)
		return r;
	snprintf(c->type, sizeof(c->type), "%s", r > 0 ? s : "");
	r = json_config_err(json_get_string(ipam, "dataDir", "ipam.dataDir", &s, err),
			    "ipam.dataDir", err);
	if (r < 0)
		return r;
	if (r > 0 && *s) {
		if (strlen(s) >= sizeof(c->data_dir))
			return conf_err(err, "ipam.dataDir", "ipam.dataDir: path too long");
		if (!text_path_clean_abs(s))
			return conf_err(err, "ipam.dataDir",
					"ipam.dataDir: %s must be an absolute path without '..'",
					QUOTE(s));
		snprintf(c->data_dir, sizeof(c->data_dir), "%s", s);
	} else {
		snprintf(c->data_dir, sizeof(c->data_dir), "%s", IPAM_DEFAULT_DATA_DIR);
	}
	r = json_config_err(json_get_string(ipam, "resolvConf", "ipam.resolvConf", &s, err),
			    "ipam.resolvConf", err);
	if (r < 0)
		return r;
	if (r > 0) {
		if (strlen(s) >= sizeof(c->resolv_conf))
			return conf_err(err, "ipam.resolvConf", "ipam.resolvConf: path too long");
		snprintf(c->resolv_conf, sizeof(c->resolv_conf), "%s", s);
	}
	r = json_config_err(json_get_array(ipam, "routes", "ipam.routes", &list, err),
			    "ipam.routes", err);
	if (r < 0)
		return r;
	if (r > 0) {
		r = decode_routes(c, list, err);
		if (r < 0)
			return r;
	}

	/* Set order: runtimeConfig.ipRanges, then the legacy range, then ipam.ranges. */
	r = json_config_err(json_get_object(conf, "runtimeConfig", "runtimeConfig", &rc, err),
			    "runtimeConfig", err);
	if (r < 0)
		return r;
	if (rc) {
		r = json_config_err(json_get_array(rc, "ipRanges", "runtimeConfig.ipRanges", &list,
						   err),
				    "runtimeConfig.ipRanges", err);
		if (r < 0)
			return r;
		if (r > 0) {
			r = decode_sets(x, list, "runtimeConfig.ipRanges", err);
			if (r < 0)
				return r;
		}
	}
	r = decode_range(ipam, "ipam", &legacy, err);
	if (r < 0)
		return r;
	if (legacy.has_subnet) {
		if (c->n_sets >= IPAM_MAX_SETS || c->n_ranges >= IPAM_MAX_RANGES)
			return conf_err(err, "ipam", "too many ranges");
		c->sets[c->n_sets].first = c->n_ranges;
		c->sets[c->n_sets].n = 1;
		snprintf(x->label[c->n_sets], PATH_LABEL, "ipam");
		x->raw[c->n_ranges++] = legacy;
		c->n_sets++;
	}
	r = json_config_err(json_get_array(ipam, "ranges", "ipam.ranges", &list, err),
			    "ipam.ranges", err);
	if (r < 0)
		return r;
	if (r > 0) {
		r = decode_sets(x, list, "ipam.ranges", err);
		if (r < 0)
			return r;
	}

	/* Requested IPs: CNI_ARGS first, then args.cni.ips, then runtimeConfig.ips. */
	r = ipam_args_parse(cni_args, &arg_ip, &has_arg_ip, err);
	if (r < 0)
		return r;
	if (has_arg_ip) {
		r = add_req_ip(c, &arg_ip, err);
		if (r < 0)
			return r;
	}
	r = json_config_err(json_get_object(conf, "args", "args", &args, err), "args", err);
	if (r < 0)
		return r;
	if (args) {
		const cJSON *cni = NULL;

		r = json_config_err(json_get_object(args, "cni", "args.cni", &cni, err), "args.cni",
				    err);
		if (r < 0)
			return r;
		if (cni) {
			r = json_config_err(json_get_array(cni, "ips", "args.cni.ips", &list, err),
					    "args.cni.ips", err);
			if (r < 0)
				return r;
			if (r > 0) {
				r = decode_ip_list(c, list, "args.cni.ips", err);
				if (r < 0)
					return r;
			}
		}
	}
	if (rc) {
		r = json_config_err(json_get_array(rc, "ips", "runtimeConfig.ips", &list, err),
				    "runtimeConfig.ips", err);
		if (r < 0)
			return r;
		if (r > 0) {
			r = decode_ip_list(c, list, "runtimeConfig.ips", err);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

unsigned int ipam_conf_parses;

/* ipam_conf_parse() into @c, zeroed by the caller. */
static int conf_parse_into(const cJSON *conf, const char *cni_version, const char *cni_args,
			   struct ipam_conf *c, struct cni_err *err)
{
	_cleanup_free_ struct parse_ctx *x = calloc(1, sizeof(*x));
	const char *raw_version = NULL;
	int r;

	if (!x)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	x->c = c;
	ipam_conf_parses++;
	snprintf(c->cni_version, sizeof(c->cni_version), "%s", cni_version ? cni_version : "");
	r = decode_conf(x, conf, cni_args, err);
	if (r < 0)
		return r;
	/* host-local compares the raw cniVersion: an absent one is "" there, not "0.1.0". */
	if (json_config_err(json_get_string(conf, "cniVersion", "cniVersion", &raw_version, err),
			    "cniVersion", err) < 0)
		return err_ret(err);
	return check_sets(x, raw_version ? raw_version : "", err);
}

int ipam_conf_parse(const cJSON *conf, const char *cni_version, const char *cni_args,
		    struct ipam_conf **ret, struct cni_err *err)
{
	_cleanup_ipam_conf_ struct ipam_conf *c = calloc(1, sizeof(*c));
	int r;

	if (!c)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	r = conf_parse_into(conf, cni_version, cni_args, c, err);
	if (r < 0)
		return r;
	*ret = TAKE_PTR(c);
	return 0;
}

int ipam_conf_parse_text(const char *text, size_t len, const char *cni_args, struct ipam_conf **ret,
			 struct cni_err *err)
{
	_cleanup_cjson_ cJSON *j = NULL;
	const char *v = NULL;

	if (json_parse(text, len, "error unmarshall network config", &j, err) < 0)
		return err_ret(err);
	if (json_config_err(json_get_string(j, "cniVersion", "cniVersion", &v, err), "cniVersion",
			    err) < 0)
		return err_ret(err);
	return ipam_conf_parse(j, v && *v ? v : "0.1.0", cni_args, ret, err);
}

void ipam_conf_free(struct ipam_conf *c)
{
	free(c);
}

int ipam_type(const cJSON *conf, char buf[IPAM_TYPE_MAX], struct cni_err *err)
{
	const cJSON *ipam = NULL;
	const char *t = NULL;
	int r;

	buf[0] = '\0';
	if (!cJSON_IsObject(conf))
		return conf_err(err, NULL, "network config must be a JSON object");
	r = json_config_err(json_get_object(conf, "ipam", "ipam", &ipam, err), "ipam", err);
	if (r <= 0)
		return r;
	r = json_config_err(json_get_string(ipam, "type", "ipam.type", &t, err), "ipam.type", err);
	if (r <= 0)
		return r;
	if (strlen(t) >= IPAM_TYPE_MAX)
		return conf_err(err, "ipam.type", "ipam.type: too long (at most %d bytes)",
				IPAM_TYPE_MAX - 1);
	snprintf(buf, IPAM_TYPE_MAX, "%s", t);
	return 0;
}

int ipam_section_parse(const cJSON *root, const char *cni_version, const char *cni_args,
		       struct ipam_conf *ret, struct cni_err *err)
{
	char type[IPAM_TYPE_MAX];
	int r = ipam_type(root, type, err);

	if (r < 0)
		return r;
	memset(ret, 0, sizeof(*ret));
	/* Without a type, ADD answers with host-local's own complaint ("missing 'ipam' key"). */
	if (!type[0] || strcmp(type, "host-local") == 0) {
		struct cni_err e = { 0 };

		r = conf_parse_into(root, cni_version, cni_args, ret, &e);
		if (r < 0) {
			/* What parsed before the error is dropped, as before: only the error stays. */
			memset(ret, 0, sizeof(*ret));
			ret->parse_err = e;
			ret->parse_r = r;
		}
	}
	snprintf(ret->type, sizeof(ret->type), "%s", type);
	return 0;
}

/*
 * What invoke.ExecPlugin makes of a plugin's stdout: on failure an error object (or a message
 * saying there was none); on success a result in any version.
 */
int ipam_conf_parse_delegate_output(const char *out, size_t len, bool failed, const char *exit_desc,
				    const char *cni_version, struct cni_result *ret,
				    struct cni_err *err)
{
	_cleanup_cjson_ cJSON *j = NULL;
	struct cni_err perr = { 0 };
	int shown = len > 300 ? 300 : (int)len;

	if (failed && len == 0)
		return err_set(err, EIO, CNI_ERR_INTERNAL,
			       "netplugin failed with no error message: %s", exit_desc);
	/* Output that is not JSON as json_parse() reads it counts as no JSON at all. */
	(void)json_parse(out, len, "IPAM plugin output", &j, &perr);
	if (failed) {
		const char *msg = NULL, *details = NULL;
		long long code = 0;

		/* invoke decodes a types.Error {code uint, msg, details string}. */
		if (!cJSON_IsObject(j) ||
		    json_get_int(j, "code", "code", 0, UINT32_MAX, &code, &perr) < 0 ||
		    json_get_string(j, "msg", "msg", &msg, &perr) < 0 ||
		    json_get_string(j, "details", "details", &details, &perr) < 0)
			return err_set(
				err, EIO, CNI_ERR_INTERNAL,
				"netplugin failed but error parsing its diagnostic message %s",
				ESCAPED_N(out, (size_t)shown));
		err_set(err, EIO,
			code >= 1 && code < 1000000 ? (unsigned int)code : CNI_ERR_INTERNAL, "%s",
			msg && *msg ? msg : exit_desc);
		if (details)
			err_details(err, "%s", details);
		return err_ret(err);
	}
	if (!ret)
		return 0;
	if (!cJSON_IsObject(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE,
			       "failed to parse the IPAM plugin's result %s",
			       ESCAPED_N(out, (size_t)shown));
	return result_from_json(j, cni_version, ret, err);
}
