/* SPDX-License-Identifier: Apache-2.0 */
/* test_result.c: CNI result rendering per version, parsing, limits and the round-trip property. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/json.h"
#include "sriov/cni_json.h"

static const char *const all_versions[] = { "0.1.0", "0.2.0", "0.3.0", "0.3.1",
					    "0.4.0", "1.0.0", "1.1.0" };

static struct cni_result *new_result(void)
{
	struct cni_result *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	return r;
}

static void add_iface(struct cni_result *r, const char *name, const char *mac, int mtu,
		      const char *sandbox, const char *pci, const char *sock)
{
	struct cni_iface *i = &r->ifaces[r->n_ifaces++];

	snprintf(i->name, sizeof(i->name), "%s", name);
	snprintf(i->mac, sizeof(i->mac), "%s", mac);
	i->mtu = mtu;
	snprintf(i->sandbox, sizeof(i->sandbox), "%s", sandbox);
	snprintf(i->pci_id, sizeof(i->pci_id), "%s", pci);
	snprintf(i->socket_path, sizeof(i->socket_path), "%s", sock);
}

static void add_ip(struct cni_result *r, const char *cidr, const char *gw, int iface)
{
	struct cni_ip *ip = &r->ips[r->n_ips++];

	memset(ip, 0, sizeof(*ip));
	assert_int_equal(ipprefix_parse(cidr, &ip->address), 0);
	if (gw)
		assert_int_equal(ipaddr_parse(gw, &ip->gateway), 0);
	ip->iface = iface;
}

static struct cni_route *add_route(struct cni_result *r, const char *dst, const char *gw)
{
	struct cni_route *rt = &r->routes[r->n_routes++];

	result_route_init(rt);
	assert_int_equal(ipprefix_parse(dst, &rt->dst), 0);
	if (gw)
		assert_int_equal(ipaddr_parse(gw, &rt->gw), 0);
	return rt;
}

/* Every field in use, in both families, with an IPv6 address first. */
static struct cni_result *full_result(void)
{
	struct cni_result *r = new_result();
	struct cni_route *rt;

	add_iface(r, "net1", "aa:bb:cc:dd:ee:01", 9000, "/var/run/netns/pod", "0000:3b:02.1",
		  "/run/vhost.sock");
	add_iface(r, "net2", "", 0, "", "", "");
	add_ip(r, "2001:db8::5/64", "2001:db8::1", 0);
	add_ip(r, "10.1.2.3/24", "10.1.2.1", 0);
	add_ip(r, "10.9.9.9/16", NULL, 1);
	add_ip(r, "fd00::9/48", NULL, -1);
	add_route(r, "0.0.0.0/0", "10.1.2.1");
	rt = add_route(r, "2001:db8:1::/48", NULL);
	rt->mtu = 1400;
	rt->advmss = 1360;
	rt->priority = 100;
	rt->table = 0;
	rt->scope = 253;
	rt = add_route(r, "192.168.0.0/16", "10.1.2.254");
	rt->table = 42;
	snprintf(r->dns.nameservers[r->dns.n_nameservers++], RESULT_DNS_STRLEN, "10.0.0.53");
	snprintf(r->dns.nameservers[r->dns.n_nameservers++], RESULT_DNS_STRLEN, "2001:db8::53");
	snprintf(r->dns.domain, RESULT_DNS_STRLEN, "example.com");
	snprintf(r->dns.search[r->dns.n_search++], RESULT_DNS_STRLEN, "svc.example.com");
	snprintf(r->dns.options[r->dns.n_options++], RESULT_DNS_STRLEN, "ndots:5");
	snprintf(r->dns.options[r->dns.n_options++], RESULT_DNS_STRLEN, "edns0");
	return r;
}

static char *render(const struct cni_result *r, const char *version)
{
	_cleanup_cjson_ cJSON *j = NULL;
	struct cni_err err = { 0 };
	char *s;

	j = result_to_json(r, version, &err);
	if (!j)
		fail_msg("result_to_json(%s): %s", version, err.msg);
	s = cJSON_PrintUnformatted(j);
	assert_non_null(s);
	return s;
}

static void assert_render(const struct cni_result *r, const char *version, const char *want)
{
	_cleanup_free_ char *got = render(r, version);

	if (strcmp(got, want) != 0)
		fail_msg("version %s\n got: %s\nwant: %s", version, got, want);
}

/* Parse @text; returns the result code and fills @ret / @err. */
static int parse_text(const char *text, const char *version, struct cni_result *ret,
		      struct cni_err *err)
{
	_cleanup_cjson_ cJSON *j = cJSON_Parse(text);

	assert_non_null(j);
	return result_from_json(j, version, ret, err);
}

static void expect_parse_error(const char *text, const char *version, unsigned int code,
			       const char *needle)
{
	_cleanup_free_ struct cni_result *r = new_result();
	struct cni_err err = { 0 };
	int k;

	r->n_ips = 12345; /* must survive a failed parse */
	k = parse_text(text, version, r, &err);
	if (k >= 0)
		fail_msg("parsed, but wanted an error containing \"%s\": %s", needle, text);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, needle);
	assert_int_equal(r->n_ips, 12345);
}

static void assert_addr_eq(const struct ipaddr *a, const struct ipaddr *b, const char *what, int i)
{
	char x[IPADDR_STRLEN], y[IPADDR_STRLEN];

	if (a->family != b->family || memcmp(a->a, b->a, sizeof(a->a)) != 0)
		fail_msg("%s[%d]: %s != %s", what, i, ipaddr_str(a, x), ipaddr_str(b, y));
}

static void assert_prefix_eq(const struct ipprefix *a, const struct ipprefix *b, const char *what,
			     int i)
{
	assert_addr_eq(&a->addr, &b->addr, what, i);
	if (a->len != b->len)
		fail_msg("%s[%d]: /%d != /%d", what, i, a->len, b->len);
}

static void assert_strs_eq(const char (*a)[RESULT_DNS_STRLEN], int na,
			   const char (*b)[RESULT_DNS_STRLEN], int nb)
{
	int i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

/* Field-wise equality over the entries in use. */
static void assert_result_eq(const struct cni_result *a, const struct cni_result *b)
{
	int i;

	assert_int_equal(a->n_ifaces, b->n_ifaces);
	for (i = 0; i < a->n_ifaces; i++) {
		assert_string_equal(a->ifaces[i].name, b->ifaces[i].name);
		assert_string_equal(a->ifaces[i].mac, b->ifaces[i].mac);
		assert_int_equal(a->ifaces[i].mtu, b->ifaces[i].mtu);
		assert_string_equal(a->ifaces[i].sandbox, b->ifaces[i].sandbox);
		assert_string_equal(a->ifaces[i].pci_id, b->ifaces[i].pci_id);
		assert_string_equal(a->ifaces[i].socket_path, b->ifaces[i].socket_path);
	}
	assert_int_equal(a->n_ips, b->n_ips);
	for (i = 0; i < a->n_ips; i++) {
		assert_prefix_eq(&a->ips[i].address, &b->ips[i].address, "ips", i);
		assert_addr_eq(&a->ips[i].gateway, &b->ips[i].gateway, "ips.gateway", i);
		assert_int_equal(a->ips[i].iface, b->ips[i].iface);
	}
	assert_int_equal(a->n_routes, b->n_routes);
	for (i = 0; i < a->n_routes; i++) {
		const struct cni_route *x = &a->routes[i], *y = &b->routes[i];

		assert_prefix_eq(&x->dst, &y->dst, "routes", i);
		assert_addr_eq(&x->gw, &y->gw, "routes.gw", i);
		assert_int_equal(x->mtu, y->mtu);
		assert_int_equal(x->advmss, y->advmss);
		assert_int_equal(x->priority, y->priority);
		assert_int_equal(x->table, y->table);
		assert_int_equal(x->scope, y->scope);
	}
	assert_strs_eq(a->dns.nameservers, a->dns.n_nameservers, b->dns.nameservers,
		       b->dns.n_nameservers);
	assert_string_equal(a->dns.domain, b->dns.domain);
	assert_strs_eq(a->dns.search, a->dns.n_search, b->dns.search, b->dns.n_search);
	assert_strs_eq(a->dns.options, a->dns.n_options, b->dns.options, b->dns.n_options);
}

/*
 * What of @r version @v can carry, as the model the round trip is checked against.
 * 0.1.0/0.2.0: the first address of each family (IPv4 object first), no interface index, and
 * only dst/gw of routes whose family has an address (IPv4 routes first).
 */
static void project(struct cni_result *r, const char *v)
{
	int i, n;

	if (v[0] == '0' && v[2] < '3') {
		struct cni_ip ips[2];
		struct cni_route routes[RESULT_MAX_ROUTES];
		int f, have[2] = { 0, 0 };

		for (i = 0; i < r->n_ips; i++) {
			f = r->ips[i].address.addr.family == AF_INET ? 0 : 1;
			if (!have[f]) {
				ips[f] = r->ips[i];
				ips[f].iface = -1;
				have[f] = 1;
			}
		}
		n = 0;
		for (f = 0; f < 2; f++) {
			if (have[f])
				r->ips[n++] = ips[f];
		}
		r->n_ips = n;
		n = 0;
		for (f = 0; f < 2; f++) {
			for (i = 0; i < r->n_routes && have[f]; i++) {
				if ((r->routes[i].dst.addr.family == AF_INET ? 0 : 1) != f)
					continue;
				result_route_init(&routes[n]);
				routes[n].dst = r->routes[i].dst;
				routes[n].gw = r->routes[i].gw;
				n++;
			}
		}
		memcpy(r->routes, routes, n * sizeof(routes[0]));
		r->n_routes = n;
		r->n_ifaces = 0;
		return;
	}
	for (i = 0; i < r->n_ifaces; i++) {
		if (strcmp(v, "1.1.0") != 0) {
			r->ifaces[i].pci_id[0] = '\0';
			r->ifaces[i].socket_path[0] = '\0';
		}
		if (v[0] == '0')
			r->ifaces[i].mtu = 0;
	}
}

static void roundtrip(const struct cni_result *orig, const char *version)
{
	_cleanup_free_ struct cni_result *want = new_result();
	_cleanup_free_ struct cni_result *got = new_result();
	_cleanup_free_ struct cni_result *again = new_result();
	_cleanup_free_ char *text = render(orig, version);
	_cleanup_free_ char *text2 = NULL;
	struct cni_err err = { 0 };

	memcpy(want, orig, sizeof(*want));
	project(want, version);
	if (parse_text(text, version, got, &err) < 0)
		fail_msg("%s: %s\n%s", version, err.msg, text);
	assert_result_eq(got, want);
	/* The projection is representable, so it must survive unchanged ... */
	text2 = render(want, version);
	if (parse_text(text2, version, again, &err) < 0)
		fail_msg("%s: %s", version, err.msg);
	assert_result_eq(again, want);
	/* ... and print the same text; the result's cniVersion steers parsing, not the caller. */
	assert_string_equal(text, text2);
	assert_int_equal(parse_text(text, "0.1.0", again, &err), 0);
	assert_result_eq(again, want);
}

static void test_route_init_dns_empty(void **state)
{
	struct cni_route rt;
	struct cni_dns *d = calloc(1, sizeof(*d));

	memset(&rt, 0x55, sizeof(rt));
	result_route_init(&rt);
	assert_true(ipaddr_is_unset(&rt.dst.addr));
	assert_int_equal(rt.dst.len, 0);
	assert_true(ipaddr_is_unset(&rt.gw));
	assert_int_equal(rt.mtu, -1);
	assert_int_equal(rt.advmss, -1);
	assert_int_equal(rt.priority, -1);
	assert_int_equal(rt.table, -1);
	assert_int_equal(rt.scope, -1);

	assert_non_null(d);
	assert_true(result_dns_empty(d));
	d->domain[0] = 'x';
	assert_false(result_dns_empty(d));
	d->domain[0] = '\0';
	d->n_search = 1;
	assert_false(result_dns_empty(d));
	d->n_search = 0;
	d->n_options = 1;
	assert_false(result_dns_empty(d));
	d->n_options = 0;
	d->n_nameservers = 1;
	assert_false(result_dns_empty(d));
	free(d);
}

static void test_render_110(void **state)
{
	_cleanup_free_ struct cni_result *r = full_result();

	assert_render(
		r, "1.1.0",
		"{\"cniVersion\":\"1.1.0\","
		"\"interfaces\":[{\"name\":\"net1\",\"mac\":\"aa:bb:cc:dd:ee:01\",\"mtu\":9000,"
		"\"sandbox\":\"/var/run/netns/pod\",\"socketPath\":\"/run/vhost.sock\","
		"\"pciID\":\"0000:3b:02.1\"},{\"name\":\"net2\"}],"
		"\"ips\":[{\"interface\":0,\"address\":\"2001:db8::5/64\","
		"\"gateway\":\"2001:db8::1\"},"
		"{\"interface\":0,\"address\":\"10.1.2.3/24\",\"gateway\":\"10.1.2.1\"},"
		"{\"interface\":1,\"address\":\"10.9.9.9/16\"},{\"address\":\"fd00::9/48\"}],"
		"\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.2.1\"},"
		"{\"dst\":\"2001:db8:1::/48\",\"mtu\":1400,\"advmss\":1360,\"priority\":100,"
		"\"table\":0,\"scope\":253},"
		"{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.2.254\",\"table\":42}],"
		"\"dns\":{\"nameservers\":[\"10.0.0.53\",\"2001:db8::53\"],"
		"\"domain\":\"example.com\",\"search\":[\"svc.example.com\"],"
		"\"options\":[\"ndots:5\",\"edns0\"]}}");
}

static void test_render_100(void **state)
{
	_cleanup_free_ struct cni_result *r = full_result();

	r->n_ips = 1;
	r->n_routes = 2;
	memset(&r->dns, 0, sizeof(r->dns));
	/* No socketPath/pciID before 1.1.0; interface mtu and route extras stay (as in Go). */
	assert_render(
		r, "1.0.0",
		"{\"cniVersion\":\"1.0.0\","
		"\"interfaces\":[{\"name\":\"net1\",\"mac\":\"aa:bb:cc:dd:ee:01\",\"mtu\":9000,"
		"\"sandbox\":\"/var/run/netns/pod\"},{\"name\":\"net2\"}],"
		"\"ips\":[{\"interface\":0,\"address\":\"2001:db8::5/64\","
		"\"gateway\":\"2001:db8::1\"}],"
		"\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.2.1\"},"
		"{\"dst\":\"2001:db8:1::/48\",\"mtu\":1400,\"advmss\":1360,\"priority\":100,"
		"\"table\":0,\"scope\":253}]}");
}

static void test_render_040(void **state)
{
	_cleanup_free_ struct cni_result *r = full_result();
	const char *const v[] = { "0.3.0", "0.3.1", "0.4.0" };
	size_t i;

	r->n_ips = 3;
	r->n_routes = 1;
	memset(&r->dns, 0, sizeof(r->dns));
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		char want[1024];

		snprintf(want, sizeof(want),
			 "{\"cniVersion\":\"%s\","
			 "\"interfaces\":[{\"name\":\"net1\",\"mac\":\"aa:bb:cc:dd:ee:01\","
			 "\"sandbox\":\"/var/run/netns/pod\"},{\"name\":\"net2\"}],"
			 "\"ips\":[{\"version\":\"6\",\"interface\":0,"
			 "\"address\":\"2001:db8::5/64\",\"gateway\":\"2001:db8::1\"},"
			 "{\"version\":\"4\",\"interface\":0,"
			 "\"address\":\"10.1.2.3/24\",\"gateway\":\"10.1.2.1\"},"
			 "{\"version\":\"4\",\"interface\":1,\"address\":\"10.9.9.9/16\"}],"
			 "\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.2.1\"}],\"dns\":{}}",
			 v[i]);
		assert_render(r, v[i], want);
	}
}

static void test_render_020(void **state)
{
	_cleanup_free_ struct cni_result *r = full_result();

	/* First address per family; routes of each family under it, without the extras. */
	assert_render(r, "0.2.0",
		      "{\"cniVersion\":\"0.2.0\","
		      "\"ip4\":{\"ip\":\"10.1.2.3/24\",\"gateway\":\"10.1.2.1\",\"routes\":["
		      "{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.2.1\"},"
		      "{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.2.254\"}]},"
		      "\"ip6\":{\"ip\":\"2001:db8::5/64\",\"gateway\":\"2001:db8::1\",\"routes\":["
		      "{\"dst\":\"2001:db8:1::/48\"}]},"
		      "\"dns\":{\"nameservers\":[\"10.0.0.53\",\"2001:db8::53\"],"
		      "\"domain\":\"example.com\",\"search\":[\"svc.example.com\"],"
		      "\"options\":[\"ndots:5\",\"edns0\"]}}");

	/* An IPv6 route is dropped when there is no IPv6 address to hang it on. */
	r->n_ips = 0;
	add_ip(r, "10.1.2.3/24", NULL, 0);
	memset(&r->dns, 0, sizeof(r->dns));
	assert_render(r, "0.1.0",
		      "{\"cniVersion\":\"0.1.0\",\"ip4\":{\"ip\":\"10.1.2.3/24\",\"routes\":["
		      "{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.2.1\"},"
		      "{\"dst\":\"192.168.0.0/16\",\"gw\":\"10.1.2.254\"}]},\"dns\":{}}");
}

static void test_render_empty(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();

	assert_render(r, "1.1.0", "{\"cniVersion\":\"1.1.0\"}");
	assert_render(r, "1.0.0", "{\"cniVersion\":\"1.0.0\"}");
	assert_render(r, "0.4.0", "{\"cniVersion\":\"0.4.0\",\"dns\":{}}");
	assert_render(r, "0.3.0", "{\"cniVersion\":\"0.3.0\",\"dns\":{}}");
	assert_render(r, "0.2.0", "{\"cniVersion\":\"0.2.0\",\"dns\":{}}");

	/* Only an interface: no ips/routes keys, an empty interface mtu left out. */
	add_iface(r, "eth0", "", 0, "", "", "");
	assert_render(r, "1.1.0",
		      "{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"eth0\"}]}");
	assert_render(r, "0.2.0", "{\"cniVersion\":\"0.2.0\",\"dns\":{}}");
}

static void test_render_bad(void **state)
{
	_cleanup_free_ struct cni_result *r = full_result();
	struct cni_err err = { 0 };
	const char *const bad[] = { "9.9.9", "", "1.1", "1.1.0 ", "v1.0.0" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		err_clear(&err);
		assert_null(result_to_json(r, bad[i], &err));
		assert_int_equal(err.code, CNI_ERR_INCOMPATIBLE_VERSION);
		assert_non_null(strstr(err.msg, "unsupported CNI version"));
	}
	err_clear(&err);
	assert_null(result_to_json(r, NULL, &err));
	assert_int_equal(err.code, CNI_ERR_INCOMPATIBLE_VERSION);

	/* Structs the parser cannot produce are refused, not printed. */
	r->n_ips = RESULT_MAX_IPS + 1;
	err_clear(&err);
	assert_null(result_to_json(r, "1.1.0", &err));
	assert_int_equal(err.code, CNI_ERR_INTERNAL);
	r->n_ips = 1;
	r->ips[0].address.addr.family = 0;
	err_clear(&err);
	assert_null(result_to_json(r, "1.1.0", &err));
	assert_int_equal(err.code, CNI_ERR_INTERNAL);
}

static void test_roundtrip_all_versions(void **state)
{
	_cleanup_free_ struct cni_result *full = full_result();
	_cleanup_free_ struct cni_result *empty = new_result();
	_cleanup_free_ struct cni_result *v6only = new_result();
	size_t i;

	add_ip(v6only, "2001:db8::7/128", NULL, -1);
	add_route(v6only, "::/0", "fe80::1");
	add_route(v6only, "10.0.0.0/8", NULL); /* no IPv4 address: lost in 0.2.0 */
	for (i = 0; i < ARRAY_SIZE(all_versions); i++) {
		roundtrip(full, all_versions[i]);
		roundtrip(empty, all_versions[i]);
		roundtrip(v6only, all_versions[i]);
	}
}

/* @prefix "@key":[@item x @n]@suffix */
static char *list_json(const char *prefix, const char *key, const char *item, int n,
		       const char *suffix)
{
	size_t cap =
		strlen(prefix) + strlen(key) + strlen(suffix) + 8 + (size_t)n * (strlen(item) + 1);
	char *s = malloc(cap);
	size_t off;
	int i;

	assert_non_null(s);
	off = (size_t)snprintf(s, cap, "%s\"%s\":[", prefix, key);
	for (i = 0; i < n; i++)
		off += (size_t)snprintf(s + off, cap - off, "%s%s", i ? "," : "", item);
	snprintf(s + off, cap - off, "]%s", suffix);
	return s;
}

/* Limits: exactly RESULT_MAX_* entries are fine, one more is refused. */
static void check_limit(const char *prefix, const char *key, const char *item, int max,
			const char *suffix)
{
	_cleanup_free_ struct cni_result *r = new_result();
	_cleanup_free_ char *ok = list_json(prefix, key, item, max, suffix);
	_cleanup_free_ char *over = list_json(prefix, key, item, max + 1, suffix);
	struct cni_err err = { 0 };

	if (parse_text(ok, NULL, r, &err) < 0)
		fail_msg("%s x%d: %s", key, max, err.msg);
	expect_parse_error(over, NULL, CNI_ERR_INVALID_CONFIG, "too many entries");
}

static void test_limits(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();
	char name[64], dns[RESULT_DNS_STRLEN + 40], longstr[RESULT_DNS_STRLEN + 2];
	char *s;
	struct cni_err err = { 0 };

	const char *top = "{\"cniVersion\":\"1.1.0\",";
	const char *in_dns = "{\"cniVersion\":\"1.1.0\",\"dns\":{";
	const char *ip4 = "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.0.0.2/8\",";

	check_limit(top, "interfaces", "{\"name\":\"eth0\"}", RESULT_MAX_IFACES, "}");
	check_limit(top, "ips", "{\"address\":\"10.0.0.1/8\"}", RESULT_MAX_IPS, "}");
	check_limit(top, "routes", "{\"dst\":\"10.0.0.0/8\"}", RESULT_MAX_ROUTES, "}");
	check_limit(in_dns, "nameservers", "\"1.1.1.1\"", RESULT_MAX_DNS, "}}");
	check_limit(in_dns, "search", "\"a.example\"", RESULT_MAX_DNS, "}}");
	check_limit(in_dns, "options", "\"ndots:1\"", RESULT_MAX_DNS, "}}");
	check_limit(ip4, "routes", "{\"dst\":\"10.0.0.0/8\"}", RESULT_MAX_ROUTES, "}}");

	/* 0.2.0 routes from ip4 and ip6 share one limit. */
	s = list_json(ip4, "routes", "{\"dst\":\"10.0.0.0/8\"}", RESULT_MAX_ROUTES,
		      "},\"ip6\":{\"ip\":\"fd00::2/64\",\"routes\":[{\"dst\":\"::/0\"}]}}");
	expect_parse_error(
		s, NULL, CNI_ERR_INVALID_CONFIG,
		"result: ip6: routes: too many entries (129), a result holds at most 128");
	free(s);
	s = list_json(in_dns, "search", "\"a\"", RESULT_MAX_DNS + 1, "}}");
	expect_parse_error(s, NULL, CNI_ERR_INVALID_CONFIG, "result: dns: search: too many");
	free(s);

	/* Strings longer than their buffers are refused, never cut short. */
	snprintf(name, sizeof(name), "{\"interfaces\":[{\"name\":\"%s\"}]}", "abcdefghijklmnop");
	expect_parse_error(name, "1.1.0", CNI_ERR_INVALID_CONFIG,
			   "interfaces[0]: name: 16 bytes long, at most 15");
	snprintf(name, sizeof(name), "{\"interfaces\":[{\"name\":\"%s\"}]}", "abcdefghijklmno");
	assert_int_equal(parse_text(name, "1.1.0", r, &err), 0);
	assert_string_equal(r->ifaces[0].name, "abcdefghijklmno");
	expect_parse_error("{\"interfaces\":[{\"name\":\"a\",\"mac\":"
			   "\"00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00\"}]}",
			   "1.1.0", CNI_ERR_INVALID_CONFIG, "mac: 59 bytes long");
	memset(longstr, 'x', sizeof(longstr) - 1);
	longstr[RESULT_DNS_STRLEN] = '\0';
	snprintf(dns, sizeof(dns), "{\"dns\":{\"domain\":\"%s\"}}", longstr);
	expect_parse_error(dns, "1.1.0", CNI_ERR_INVALID_CONFIG, "dns: domain: 256 bytes long");
	snprintf(dns, sizeof(dns), "{\"dns\":{\"options\":[\"%s\"]}}", longstr);
	expect_parse_error(dns, "1.1.0", CNI_ERR_INVALID_CONFIG, "dns: options[0]: 256 bytes");
	longstr[RESULT_DNS_STRLEN - 1] = '\0';
	snprintf(dns, sizeof(dns), "{\"dns\":{\"options\":[\"%s\"]}}", longstr);
	assert_int_equal(parse_text(dns, "1.1.0", r, &err), 0);
	assert_int_equal(strlen(r->dns.options[0]), RESULT_DNS_STRLEN - 1);
}

static void test_parse_errors(void **state)
{
	/* Not decodable: code 6. */
	expect_parse_error("[]", "1.1.0", CNI_ERR_DECODE, "must be a JSON object");
	expect_parse_error("{\"cniVersion\":1}", "1.1.0", CNI_ERR_DECODE, "cniVersion");
	expect_parse_error("{\"ips\":{}}", "1.1.0", CNI_ERR_DECODE, "ips: must be a list");
	expect_parse_error("{\"ips\":[1]}", "1.1.0", CNI_ERR_DECODE, "ips[0]: must be an object");
	expect_parse_error("{\"ips\":[null]}", "1.1.0", CNI_ERR_DECODE, "ips[0]");
	expect_parse_error("{\"ips\":[{}]}", "1.1.0", CNI_ERR_DECODE, "ips[0]: address: missing");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1\"}]}", "1.1.0", CNI_ERR_DECODE,
			   "invalid CIDR address \"10.0.0.1\"");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/33\"}]}", "1.1.0", CNI_ERR_DECODE,
			   "ips[0]: address: invalid CIDR");
	expect_parse_error("{\"ips\":[{\"address\":\"::ffff:10.0.0.1/120\"}]}", "1.1.0",
			   CNI_ERR_DECODE, "IPv4-mapped");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/8\",\"gateway\":\"10.0.0.256\"}]}",
			   "1.1.0", CNI_ERR_DECODE, "ips[0]: gateway: invalid IP address");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/8\",\"gateway\":5}]}", "1.1.0",
			   CNI_ERR_DECODE, "gateway: must be a string");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/8\",\"interface\":\"0\"}]}", "1.1.0",
			   CNI_ERR_DECODE, "interface: must be a number");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/8\",\"interface\":0.5}]}", "1.1.0",
			   CNI_ERR_DECODE, "interface: must be an integer");
	expect_parse_error("{\"routes\":[{\"gw\":\"10.0.0.1\"}]}", "1.1.0", CNI_ERR_DECODE,
			   "routes[0]: dst: missing");
	expect_parse_error("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"x\"}]}", "0.4.0",
			   CNI_ERR_DECODE, "routes[0]: gw: invalid IP address \"x\"");
	expect_parse_error("{\"interfaces\":[\"eth0\"]}", "1.1.0", CNI_ERR_DECODE,
			   "interfaces[0]: must be an object");
	expect_parse_error("{\"interfaces\":[{\"name\":1}]}", "1.1.0", CNI_ERR_DECODE,
			   "interfaces[0]: name: must be a string");
	expect_parse_error("{\"dns\":[]}", "1.1.0", CNI_ERR_DECODE, "dns: must be an object");
	expect_parse_error("{\"dns\":{\"nameservers\":[1]}}", "1.1.0", CNI_ERR_DECODE,
			   "dns: nameservers[0]: must be a string");
	expect_parse_error("{\"ip4\":[]}", "0.2.0", CNI_ERR_DECODE, "ip4: must be an object");
	expect_parse_error("{\"ip6\":{\"gateway\":\"::1\"}}", "0.2.0", CNI_ERR_DECODE,
			   "ip6: ip: missing");
	expect_parse_error("{\"ip4\":{\"ip\":\"10.0.0.2/8\",\"routes\":[{\"dst\":\"x\"}]}}",
			   "0.2.0", CNI_ERR_DECODE, "result: ip4: routes[0]: dst: invalid CIDR");

	/* Decodable but out of range: code 7. */
	expect_parse_error(
		"{\"interfaces\":[{\"name\":\"a\"}],\"ips\":[{\"address\":\"10.0.0.1/8\","
		"\"interface\":1}]}",
		"1.1.0", CNI_ERR_INVALID_CONFIG,
		"ips[0]: interface: index 1 is out of range, the result has 1");
	expect_parse_error("{\"ips\":[{\"address\":\"10.0.0.1/8\",\"interface\":-1}]}", "1.1.0",
			   CNI_ERR_INVALID_CONFIG, "interface: -1 is out of range");
	expect_parse_error("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"scope\":256}]}", "1.1.0",
			   CNI_ERR_INVALID_CONFIG, "routes[0]: scope: 256 is out of range");
	expect_parse_error("{\"routes\":[{\"dst\":\"0.0.0.0/0\",\"mtu\":-5}]}", "1.1.0",
			   CNI_ERR_INVALID_CONFIG, "routes[0]: mtu");
	expect_parse_error("{\"interfaces\":[{\"name\":\"a\",\"mtu\":1e12}]}", "1.0.0",
			   CNI_ERR_INVALID_CONFIG, "interfaces[0]: mtu");

	/* Versions: code 1. */
	expect_parse_error("{}", NULL, CNI_ERR_INCOMPATIBLE_VERSION, "no cniVersion");
	expect_parse_error("{\"cniVersion\":\"\"}", "", CNI_ERR_INCOMPATIBLE_VERSION,
			   "no cniVersion");
	expect_parse_error("{\"cniVersion\":\"9.9.9\"}", "1.1.0", CNI_ERR_INCOMPATIBLE_VERSION,
			   "unsupported cniVersion \"9.9.9\"");
	expect_parse_error("{}", "2.0.0", CNI_ERR_INCOMPATIBLE_VERSION, "unsupported cniVersion");
}

/* What a delegated host-local (1.x) prints: no interfaces, yet an index. */
static void test_parse_ipam_result(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();
	struct cni_err err = { 0 };
	char buf[IPPREFIX_STRLEN];

	assert_int_equal(
		parse_text("{\n    \"cniVersion\": \"1.0.0\",\n    \"ips\": [\n"
			   "        {\n            \"interface\": 2,\n"
			   "            \"address\": \"10.56.217.70/24\",\n"
			   "            \"gateway\": \"10.56.217.1\"\n        }\n    ],\n"
			   "    \"routes\": [\n        {\n            \"dst\": \"0.0.0.0/0\"\n"
			   "        }\n    ],\n    \"dns\": {}\n}",
			   "0.3.1", r, &err),
		0);
	assert_int_equal(r->n_ifaces, 0);
	assert_int_equal(r->n_ips, 1);
	assert_int_equal(r->ips[0].iface, 2);
	assert_string_equal(ipprefix_str(&r->ips[0].address, buf), "10.56.217.70/24");
	assert_string_equal(ipaddr_str(&r->ips[0].gateway, buf), "10.56.217.1");
	assert_int_equal(r->n_routes, 1);
	assert_true(ipaddr_is_unset(&r->routes[0].gw));
	assert_int_equal(r->routes[0].mtu, -1);
	assert_int_equal(r->routes[0].table, -1);
	assert_true(result_dns_empty(&r->dns));
}

/* A 0.4.0 prevResult as sriov-cni prints it, with keys in odd case and unknown keys. */
static void test_parse_prevresult_040(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();
	struct cni_err err = { 0 };
	char buf[IPPREFIX_STRLEN];

	assert_int_equal(
		parse_text("{\"cniVersion\":\"0.4.0\",\"interfaces\":[{\"name\":\"net1\","
			   "\"mac\":\"2e:3f:6b:1c:7a:10\",\"mtu\":1500,\"socketPath\":\"/x\","
			   "\"sandbox\":\"/proc/4242/ns/net\",\"vendor\":\"igb\"}],"
			   "\"IPs\":[{\"version\":\"4\",\"interface\":0,"
			   "\"Address\":\"192.168.1.5/24\",\"gateway\":null}],"
			   "\"routes\":null,\"DNS\":{\"nameservers\":[\"192.168.1.1\"],"
			   "\"domain\":null},\"extra\":{\"deep\":[1,2,3]}}",
			   "1.1.0", r, &err),
		0);
	assert_int_equal(r->n_ifaces, 1);
	assert_string_equal(r->ifaces[0].name, "net1");
	assert_string_equal(r->ifaces[0].mac, "2e:3f:6b:1c:7a:10");
	assert_string_equal(r->ifaces[0].sandbox, "/proc/4242/ns/net");
	/* 0.4.0 interfaces have no mtu or socketPath; they are not read. */
	assert_int_equal(r->ifaces[0].mtu, 0);
	assert_string_equal(r->ifaces[0].socket_path, "");
	assert_int_equal(r->n_ips, 1);
	assert_int_equal(r->ips[0].iface, 0);
	assert_string_equal(ipprefix_str(&r->ips[0].address, buf), "192.168.1.5/24");
	assert_true(ipaddr_is_unset(&r->ips[0].gateway));
	assert_int_equal(r->n_routes, 0);
	assert_int_equal(r->dns.n_nameservers, 1);
	assert_string_equal(r->dns.nameservers[0], "192.168.1.1");
	assert_string_equal(r->dns.domain, "");
}

/* The result's own cniVersion decides the layout, whatever the caller expected. */
static void test_parse_version_precedence(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();
	struct cni_err err = { 0 };
	const char *v020 =
		"{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.0.0.2/8\","
		"\"gateway\":\"10.0.0.1\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]},"
		"\"ip6\":{\"ip\":\"fd00::2/64\"},\"ips\":[{\"address\":\"1.1.1.1/32\"}]}";

	assert_int_equal(parse_text(v020, "1.1.0", r, &err), 0);
	assert_int_equal(r->n_ips, 2);
	assert_int_equal(r->ips[0].address.addr.family, AF_INET);
	assert_int_equal(r->ips[0].iface, -1);
	assert_int_equal(r->ips[1].address.addr.family, AF_INET6);
	assert_int_equal(r->n_routes, 1);

	/* Without its own cniVersion the caller's applies: ips is then ignored in 0.2.0 ... */
	assert_int_equal(parse_text("{\"ips\":[{\"address\":\"1.1.1.1/32\"}],"
				    "\"ip4\":{\"ip\":\"10.0.0.2/8\"}}",
				    "0.1.0", r, &err),
			 0);
	assert_int_equal(r->n_ips, 1);
	assert_int_equal(r->ips[0].address.len, 8);
	/* ... and ip4 in 1.x. */
	assert_int_equal(parse_text("{\"ips\":[{\"address\":\"1.1.1.1/32\"}],"
				    "\"ip4\":{\"ip\":\"10.0.0.2/8\"}}",
				    "1.1.0", r, &err),
			 0);
	assert_int_equal(r->n_ips, 1);
	assert_int_equal(r->ips[0].address.len, 32);
	/* An empty cniVersion counts as absent, as in Go. */
	assert_int_equal(parse_text("{\"cniVersion\":\"\"}", "0.4.0", r, &err), 0);
}

/* Go keeps the last of duplicate keys; parsing a 1.1.0 result reads every 1.1 field. */
static void test_parse_110_fields(void **state)
{
	_cleanup_free_ struct cni_result *r = new_result();
	struct cni_err err = { 0 };

	assert_int_equal(parse_text("{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"a\","
				    "\"name\":\"b\",\"mtu\":1450,\"pciID\":\"0000:00:01.0\","
				    "\"socketPath\":\"/s\"}],\"routes\":[{\"dst\":\"fd00::/8\","
				    "\"advmss\":0,\"priority\":7,\"table\":254,\"scope\":0}]}",
				    NULL, r, &err),
			 0);
	assert_string_equal(r->ifaces[0].name, "b");
	assert_int_equal(r->ifaces[0].mtu, 1450);
	assert_string_equal(r->ifaces[0].pci_id, "0000:00:01.0");
	assert_string_equal(r->ifaces[0].socket_path, "/s");
	assert_int_equal(r->routes[0].mtu, -1);
	assert_int_equal(r->routes[0].advmss, 0);
	assert_int_equal(r->routes[0].priority, 7);
	assert_int_equal(r->routes[0].table, 254);
	assert_int_equal(r->routes[0].scope, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route_init_dns_empty),
		cmocka_unit_test(test_render_110),
		cmocka_unit_test(test_render_100),
		cmocka_unit_test(test_render_040),
		cmocka_unit_test(test_render_020),
		cmocka_unit_test(test_render_empty),
		cmocka_unit_test(test_render_bad),
		cmocka_unit_test(test_roundtrip_all_versions),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_ipam_result),
		cmocka_unit_test(test_parse_prevresult_040),
		cmocka_unit_test(test_parse_version_precedence),
		cmocka_unit_test(test_parse_110_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
