/* SPDX-License-Identifier: Apache-2.0 */
/* test_ipam.c: embedded host-local: config, CNI_ARGS, range walk, ADD/DEL, resolvConf, delegation. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/ipam.h"
#include "sriov/json.h"

#include "ipam_fixture.h"

/* --- configuration --- */

static const struct {
	const char *version;
	const char *ipam;
	const char *top;
	const char *args;
	unsigned int code;
	const char *msg;
	const char *details; /* NULL: not checked */
} conf_errors[] = {
	{ "0.4.0", "", NULL, NULL, 7, "no IP ranges specified", "ipam.ranges" },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/31\"", NULL, NULL, 7,
	  "invalid range set 0: Network 10.0.0.0/31 too small to allocate from", "ipam[0]" },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/32\"", NULL, NULL, 7,
	  "invalid range set 0: Network 10.0.0.0/32 too small to allocate from", NULL },
	{ "0.4.0", "\"subnet\":\"fd00::/127\"", NULL, NULL, 7,
	  "invalid range set 0: Network fd00::/127 too small to allocate from", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.1/24\"", NULL, NULL, 7,
	  "invalid range set 0: Network has host bits set. For a subnet mask of length 24 the network address is 10.0.0.0",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.1.1\"", NULL, NULL, 7,
	  "invalid range set 0: RangeStart 10.0.1.1 not in network 10.0.0.0/24", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\",\"rangeEnd\":\"10.0.1.1\"", NULL, NULL, 7,
	  "invalid range set 0: RangeEnd 10.0.1.1 not in network 10.0.0.0/24", NULL },
	{ "0.4.0",
	  "\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.9\",\"rangeEnd\":\"10.0.0.8\"", NULL,
	  NULL, 7, "invalid range set 0: RangeStart 10.0.0.9 not in network 10.0.0.0/24", NULL },
	{ "0.4.0", "\"subnet\":\"::ffff:10.0.0.0/104\"", NULL, NULL, 7,
	  "invalid range set 0: IPNet IP and Mask version mismatch", NULL },
	{ "0.4.0", "\"ranges\":[[]]", NULL, NULL, 7, "invalid range set 0: empty range set",
	  "ipam.ranges[0]" },
	{ "0.4.0", "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"},{\"subnet\":\"fd00::/64\"}]]", NULL,
	  NULL, 7, "invalid range set 0: mixed address families", "ipam.ranges[0]" },
	{ "0.4.0", "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"},{\"subnet\":\"10.0.0.0/25\"}]]", NULL,
	  NULL, 7,
	  "invalid range set 0: subnets 10.0.0.1-10.0.0.254 and 10.0.0.1-10.0.0.126 overlap",
	  NULL },
	{ "0.4.0", "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}],[{\"subnet\":\"10.0.0.0/16\"}]]",
	  NULL, NULL, 7, "range set 0 overlaps with 1", "ipam.ranges[1]" },
	{ "0.2.0", "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}],[{\"subnet\":\"10.1.0.0/16\"}]]",
	  NULL, NULL, 7, "CNI version 0.2.0 does not support more than 1 address per family",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/33\"", NULL, NULL, 7, "invalid CIDR address: 10.0.0.0/33",
	  "ipam.subnet" },
	{ "0.4.0", "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\",\"gateway\":\"x\"}]]", NULL, NULL, 7,
	  "invalid IP address: x", "ipam.ranges[0][0].gateway" },
	{ "0.4.0", "\"ranges\":[[{\"rangeStart\":\"10.0.0.1\"}]]", NULL, NULL, 7,
	  "ipam.ranges[0][0].subnet: missing", NULL },
	{ "0.4.0", "\"ranges\":{}", NULL, NULL, 7, "ipam.ranges: must be a list", NULL },
	{ "0.4.0", "\"subnet\":5", NULL, NULL, 7, "ipam.subnet: must be a string", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\",\"routes\":[{\"gw\":\"10.0.0.1\"}]", NULL, NULL, 7,
	  "ipam.routes[0].dst: missing", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\",\"routes\":[{\"dst\":\"x\"}]", NULL, NULL, 7,
	  "invalid CIDR address: x", "ipam.routes[0].dst" },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", "\"runtimeConfig\":{\"ips\":[\"\"]}", NULL, 7,
	  "cannot understand ip: IP <nil> not v4 nor v6", "runtimeConfig.ips[0]" },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", "\"args\":{\"cni\":{\"ips\":[\"1.2.3\"]}}", NULL,
	  7, "invalid IP address 1.2.3", "args.cni.ips[0]" },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"",
	  "\"runtimeConfig\":{\"ipRanges\":[[{\"subnet\":\"10.0.0.0/25\"}]]}", NULL, 7,
	  "range set 0 overlaps with 1", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "FOO=1", 4, "ARGS: unknown args [\"FOO=1\"]",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "IgnoreUnknown=1;FOO", 4,
	  "ARGS: invalid pair \"FOO\"", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "IgnoreUnknown=1;", 4,
	  "ARGS: invalid pair \"\"", NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "A=b=c", 4, "ARGS: invalid pair \"A=b=c\"",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "IgnoreUnknown=Yes", 4,
	  "ARGS: error parsing value of pair \"IgnoreUnknown=Yes\": boolean unmarshal error: invalid input yes",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "IP=1.2.3.4/40", 4,
	  "ARGS: error parsing value of pair \"IP=1.2.3.4/40\": invalid IP address 1.2.3.4/40",
	  NULL },
	{ "0.4.0", "\"subnet\":\"10.0.0.0/24\"", NULL, "IgnoreUnknown=0;A=1;B=2", 4,
	  "ARGS: unknown args [\"A=1\" \"B=2\"]", NULL },
};

static void test_conf_errors(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < ARRAY_SIZE(conf_errors); i++) {
		_cleanup_ipam_conf_ struct ipam_conf *c = NULL;
		int r;

		conf_set(f, conf_errors[i].version, conf_errors[i].ipam, conf_errors[i].top);
		err_clear(&f->err);
		r = ipam_conf_parse(f->conf, conf_errors[i].version, conf_errors[i].args, &c,
				    &f->err);
		if (r >= 0)
			fail_msg("case %zu (%s) parsed", i, conf_errors[i].ipam);
		if (strcmp(f->err.msg, conf_errors[i].msg) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, f->err.msg,
				 conf_errors[i].msg);
		assert_int_equal(f->err.code, conf_errors[i].code);
		if (conf_errors[i].details)
			assert_string_equal(f->err.details, conf_errors[i].details);
		/* ADD refuses the same config before touching the store. */
		f->req.cni_args = conf_errors[i].args;
		f->req.conf = section(f, conf_errors[i].version, conf_errors[i].args);
		assert_true(add(f, "ctr1", "eth0", NULL, 0) < 0);
		assert_string_equal(f->err.msg, conf_errors[i].msg);
		assert_true(ipam_validate(&f->req, &f->err) < 0);
	}
	assert_int_not_equal(access(f->data, F_OK), 0);
}

static void test_conf_paths_and_type(void **state)
{
	struct fixture *f = *state;
	_cleanup_ipam_conf_ struct ipam_conf *c = NULL;
	_cleanup_cjson_ cJSON *j = NULL;
	char type[IPAM_TYPE_MAX];
	static const char *const bad_dirs[] = { "relative/dir", "/a/../b", "/a/..", "" };

	for (size_t i = 0; i < ARRAY_SIZE(bad_dirs); i++) {
		char t[512];

		snprintf(
			t, sizeof(t),
			"{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"ipam\":{\"type\":\"host-local\","
			"\"subnet\":\"10.0.0.0/24\",\"dataDir\":\"%s\"}}",
			bad_dirs[i]);
		err_clear(&f->err);
		if (!bad_dirs[i][0]) {
			/* empty: the default */
			assert_int_equal(ipam_conf_parse_text(t, strlen(t), NULL, &c, &f->err), 0);
			assert_string_equal(c->data_dir, "/var/lib/cni/networks");
			continue;
		}
		assert_true(ipam_conf_parse_text(t, strlen(t), NULL, &c, &f->err) < 0);
		assert_int_equal(f->err.code, CNI_ERR_INVALID_CONFIG);
		assert_string_equal(f->err.details, "ipam.dataDir");
	}

	j = cJSON_Parse("{\"name\":\"n\"}");
	assert_int_equal(ipam_type(j, type, &f->err), 0);
	assert_string_equal(type, "");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"ipam\":{}}");
	assert_int_equal(ipam_type(j, type, &f->err), 0);
	assert_string_equal(type, "");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"ipam\":null}");
	assert_int_equal(ipam_type(j, type, &f->err), 0);
	assert_string_equal(type, "");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"IPAM\":{\"Type\":\"whereabouts\"}}");
	assert_int_equal(ipam_type(j, type, &f->err), 0);
	assert_string_equal(type, "whereabouts");
	cJSON_Delete(j);
	j = cJSON_Parse("{\"ipam\":{\"type\":3}}");
	assert_true(ipam_type(j, type, &f->err) < 0);
	assert_int_equal(f->err.code, CNI_ERR_INVALID_CONFIG);
	cJSON_Delete(j);
	j = cJSON_Parse("{\"ipam\":\"host-local\"}");
	assert_true(ipam_type(j, type, &f->err) < 0);
}

static void test_conf_defaults(void **state)
{
	struct fixture *f = *state;
	_cleanup_ipam_conf_ struct ipam_conf *c = NULL;
	char b[IPADDR_STRLEN];

	conf_set(
		f, "1.0.0",
		"\"subnet\":\"10.1.0.0/16\",\"ranges\":[[{\"subnet\":\"fd00::/64\"}]],"
		"\"routes\":[{\"dst\":\"10.9.0.5/8\",\"gw\":\"10.1.0.9\",\"priority\":5}],"
		"\"ROUTES\":[{\"dst\":\"0.0.0.0/0\"}]",
		"\"runtimeConfig\":{\"ipRanges\":[[{\"subnet\":\"192.168.0.0/24\",\"gateway\":\"192.168.0.100\"}]]}");
	assert_int_equal(ipam_conf_parse(f->conf, "1.0.0", NULL, &c, &f->err), 0);
	assert_int_equal(c->n_sets, 3);
	/* runtimeConfig.ipRanges first, then the legacy range, then ipam.ranges */
	assert_string_equal(ipaddr_str(&c->ranges[0].start, b), "192.168.0.1");
	assert_string_equal(ipaddr_str(&c->ranges[0].end, b), "192.168.0.254");
	assert_string_equal(ipaddr_str(&c->ranges[0].gw, b), "192.168.0.100");
	assert_string_equal(ipaddr_str(&c->ranges[1].start, b), "10.1.0.1");
	assert_string_equal(ipaddr_str(&c->ranges[1].end, b), "10.1.255.254");
	assert_string_equal(ipaddr_str(&c->ranges[1].gw, b), "10.1.0.1");
	assert_string_equal(ipaddr_str(&c->ranges[2].end, b), "fd00::ffff:ffff:ffff:ffff");
	/* keys match case-insensitively and the last duplicate wins, as in Go */
	assert_int_equal(c->n_routes, 1);
	assert_int_equal(c->routes[0].dst.len, 0);
	assert_string_equal(c->data_dir, f->data);
}

static void test_args(void **state)
{
	struct fixture *f = *state;
	struct ipaddr ip;
	bool has = true;
	char b[IPADDR_STRLEN];

	assert_int_equal(ipam_args_parse(NULL, &ip, &has, &f->err), 0);
	assert_false(has);
	assert_int_equal(ipam_args_parse("", &ip, &has, &f->err), 0);
	assert_false(has);
	assert_int_equal(ipam_args_parse("IP=10.0.0.5", &ip, &has, &f->err), 0);
	assert_true(has);
	assert_string_equal(ipaddr_str(&ip, b), "10.0.0.5");
	assert_int_equal(ipam_args_parse("IgnoreUnknown=1;K8S_POD_NAME=x;IP=fd00::5/64", &ip, &has,
					 &f->err),
			 0);
	assert_string_equal(ipaddr_str(&ip, b), "fd00::5");
	/* Multus repeats keys: the last value wins */
	assert_int_equal(
		ipam_args_parse("IgnoreUnknown=true;IP=10.0.0.1;IgnoreUnknown=1;IP=10.0.0.2", &ip,
				&has, &f->err),
		0);
	assert_string_equal(ipaddr_str(&ip, b), "10.0.0.2");
	assert_int_equal(ipam_args_parse("IP=::ffff:10.0.0.7", &ip, &has, &f->err), 0);
	assert_int_equal(ip.family, AF_INET);
	assert_int_equal(ipam_args_parse("IgnoreUnknown=1;IP=", &ip, &has, &f->err), 0);
	assert_false(has);
	assert_true(ipam_args_parse("IgnoreUnknown=1;CommonArgs=x", &ip, &has, &f->err) < 0);
	assert_int_equal(f->err.code, CNI_ERR_INVALID_ENV);
	assert_true(ipam_args_parse("ip=10.0.0.1", &ip, &has, &f->err) < 0); /* case-sensitive */
	assert_true(ipam_args_parse("IP=\"x\"", &ip, &has, &f->err) < 0);
	assert_string_equal(
		f->err.msg,
		"ARGS: error parsing value of pair \"IP=\\\"x\\\"\": invalid IP address \"x\"");
}

static void test_version_ge(void **state)
{
	assert_true(ipam_version_ge("0.3.0", "0.3.0"));
	assert_true(ipam_version_ge("1.0.0", "0.3.0"));
	assert_true(ipam_version_ge("0.10.0", "0.3.0"));
	assert_false(ipam_version_ge("0.2.0", "0.3.0"));
	assert_false(ipam_version_ge("", "0.3.0"));
	assert_false(ipam_version_ge("0.3", "0.3.0"));
	assert_false(ipam_version_ge("x.y.z", "0.3.0"));
}

/* --- range walk --- */

static void walk(const struct ipam_conf *c, int set, const char *last, int n, char *out,
		 size_t size)
{
	struct ipam_iter it;
	struct ipaddr l = { 0 }, ip;
	size_t o = 0;

	if (last)
		assert_int_equal(ipaddr_parse(last, &l), 0);
	ipam_iter_init(&it, c, set, &l);
	out[0] = '\0';
	for (int i = 0; i < n && ipam_iter_next(&it, &ip, NULL); i++) {
		char b[IPADDR_STRLEN];

		o += (size_t)snprintf(out + o, size - o, "%s%s", i ? " " : "", ipaddr_str(&ip, b));
	}
}

static void test_iter(void **state)
{
	_cleanup_ipam_conf_ struct ipam_conf *c = NULL;
	struct cni_err err = { 0 };
	char out[1024];
	const char *t =
		"{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"ipam\":{\"ranges\":["
		"[{\"subnet\":\"10.0.0.0/29\"},{\"subnet\":\"10.0.1.0/24\",\"rangeStart\":\"10.0.1.5\","
		"\"rangeEnd\":\"10.0.1.6\",\"gateway\":\"10.0.1.6\"}],"
		"[{\"subnet\":\"fd00::/126\"}]]}}";

	assert_int_equal(ipam_conf_parse_text(t, strlen(t), NULL, &c, &err), 0);
	walk(c, 0, NULL, 100, out, sizeof(out));
	assert_string_equal(out, "10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.1.5");
	walk(c, 0, "10.0.0.5", 100, out, sizeof(out));
	assert_string_equal(out, "10.0.0.6 10.0.1.5 10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5");
	walk(c, 0, "10.0.1.5", 100, out, sizeof(out));
	assert_string_equal(out, "10.0.0.2 10.0.0.3 10.0.0.4 10.0.0.5 10.0.0.6 10.0.1.5");
	/* a last reserved IP outside the set restarts at the first rangeStart */
	walk(c, 0, "192.168.0.1", 2, out, sizeof(out));
	assert_string_equal(out, "10.0.0.2 10.0.0.3");
	walk(c, 1, NULL, 100, out, sizeof(out));
	assert_string_equal(out, "fd00::2 fd00::3");
	walk(c, 1, "fd00::3", 100, out, sizeof(out));
	assert_string_equal(out, "fd00::2 fd00::3");
	assert_int_equal(ipam_set_family(c, 1), AF_INET6);
	ipam_set_str(c, 0, out, sizeof(out));
	assert_string_equal(out, "10.0.0.1-10.0.0.6,10.0.1.5-10.0.1.6");
}

/* --- allocation and the store --- */

static void test_add_order_and_files(void **state)
{
	struct fixture *f = *state;
	char ips[512], buf[256], p[512];
	struct stat st;

	conf_set(f, "0.4.0", "\"subnet\":\"10.2.0.0/29\"", NULL);
	assert_int_equal(add(f, "ctr1", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.2.0.2/29(10.2.0.1)");
	assert_int_equal(add(f, "ctr2", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.2.0.3/29(10.2.0.1)");
	assert_int_equal(add(f, "ctr2", "net1", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.2.0.4/29(10.2.0.1)");

	snprintf(p, sizeof(p), "%s/net1/10.2.0.3", f->data);
	read_file(p, buf, sizeof(buf));
	assert_string_equal(buf, "ctr2\r\neth0");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600 & ~0022u);
	snprintf(p, sizeof(p), "%s/net1/last_reserved_ip.0", f->data);
	read_file(p, buf, sizeof(buf));
	assert_string_equal(buf, "10.2.0.4");
	assert_true(exists(f, "lock"));
	snprintf(p, sizeof(p), "%s/net1", f->data);
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));

	/* duplicate allocation */
	assert_true(add(f, "ctr1", "eth0", NULL, 0) < 0);
	assert_string_equal(
		f->err.msg,
		"failed to allocate for range 0: 10.2.0.2 has been allocated to ctr1, duplicate allocation is not allowed");

	/* exhaustion: .5 and .6 left */
	assert_int_equal(add(f, "ctr3", "eth0", NULL, 0), 0);
	assert_int_equal(add(f, "ctr4", "eth0", NULL, 0), 0);
	assert_true(add(f, "ctr5", "eth0", NULL, 0) < 0);
	assert_string_equal(
		f->err.msg,
		"failed to allocate for range 0: no IP addresses available in range set: 10.2.0.1-10.2.0.6");

	/* round-robin continues after the last reserved IP, wrapping */
	assert_int_equal(del(f, "ctr2", "eth0"), 0);
	assert_int_equal(del(f, "ctr1", "eth0"), 0);
	assert_int_equal(add(f, "ctr6", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.2.0.2/29(10.2.0.1)");
	assert_int_equal(add(f, "ctr7", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.2.0.3/29(10.2.0.1)");
}

static void test_dual_stack_rollback(void **state)
{
	struct fixture *f = *state;
	char ips[512];

	conf_set(f, "1.0.0",
		 "\"ranges\":[[{\"subnet\":\"10.3.0.0/24\"}],[{\"subnet\":\"fd00:3::/126\"}]],"
		 "\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\",\"gw\":\"fd00:3::1\"}]",
		 NULL);
	assert_int_equal(add(f, "a", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.3.0.2/24(10.3.0.1) fd00:3::2/126(fd00:3::1)");
	assert_int_equal(f->res.n_routes, 2);
	assert_int_equal(add(f, "b", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.3.0.3/24(10.3.0.1) fd00:3::3/126(fd00:3::1)");
	/* v6 exhausted: the v4 lease taken in the same ADD is released again */
	assert_true(add(f, "c", "eth0", NULL, 0) < 0);
	assert_string_equal(
		f->err.msg,
		"failed to allocate for range 1: no IP addresses available in range set: fd00:3::1-fd00:3::3");
	assert_false(exists(f, "10.3.0.4"));
	assert_true(exists(f, "10.3.0.2"));
	assert_int_equal(del(f, "a", "eth0"), 0);
	assert_false(exists(f, "10.3.0.2"));
	assert_false(exists(f, "fd00:3::2"));
	assert_true(exists(f, "fd00:3::3"));
}

static void test_requested(void **state)
{
	struct fixture *f = *state;
	char ips[512];

	conf_set(
		f, "1.0.0",
		"\"ranges\":[[{\"subnet\":\"10.4.0.0/24\"}],[{\"subnet\":\"fd00:4::/64\"}]]",
		"\"runtimeConfig\":{\"ips\":[\"fd00:4::99/64\"]},\"args\":{\"cni\":{\"ips\":[\"10.4.0.50\"]}}");
	assert_int_equal(add(f, "a", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.4.0.50/24(10.4.0.1) fd00:4::99/64(fd00:4::1)");
	/* the same request again: taken */
	assert_true(add(f, "b", "eth0", NULL, 0) < 0);
	assert_string_equal(
		f->err.msg,
		"failed to allocate for range 0: requested IP address 10.4.0.50 is not available in range set 10.4.0.1-10.4.0.254");

	conf_set(f, "1.0.0", "\"subnet\":\"10.4.0.0/24\"", NULL);
	f->req.cni_args = "IgnoreUnknown=1;K8S_POD_NAME=x;IP=10.4.0.1";
	f->req.conf = section(f, "1.0.0", f->req.cni_args); /* CNI_ARGS: part of the parse */
	assert_true(add(f, "c", "eth0", NULL, 0) < 0);
	assert_string_equal(
		f->err.msg,
		"failed to allocate for range 0: requested ip 10.4.0.1 is subnet's gateway");
	f->req.cni_args = "IP=10.5.0.1";
	f->req.conf = section(f, "1.0.0", f->req.cni_args); /* CNI_ARGS: part of the parse */
	assert_true(add(f, "c", "eth0", NULL, 0) < 0);
	assert_string_equal(f->err.msg, "failed to allocate all requested IPs: 10.5.0.1");
	assert_false(exists(f, "10.4.0.2")); /* the automatic one was rolled back */
	f->req.cni_args = "IP=10.4.0.51";
	f->req.conf = section(f, "1.0.0", f->req.cni_args); /* CNI_ARGS: part of the parse */
	assert_int_equal(add(f, "c", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.4.0.51/24(10.4.0.1)");
}

static void test_bad_request(void **state)
{
	struct fixture *f = *state;

	conf_set(f, "1.0.0", "\"subnet\":\"10.9.0.0/24\"", NULL);
	assert_true(add(f, "../../etc", "eth0", NULL, 0) < 0);
	assert_int_equal(f->err.code, CNI_ERR_INVALID_ENV);
	f->req.network = "../evil";
	assert_true(add(f, "ok", "eth0", NULL, 0) < 0);
	assert_int_equal(f->err.code, CNI_ERR_INVALID_CONFIG);
	assert_int_not_equal(access(f->data, F_OK), 0);
}

static void test_resolv_conf(void **state)
{
	struct fixture *f = *state;
	struct cni_dns d;
	char p[256];

	/* Only a file every user may read is used: the temporary root must be searchable. */
	assert_int_equal(chmod(f->dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/resolv.conf", f->dir);
	write_file(p, "# c\n;c\nnameserver 1.1.1.1\nnameserver  fd00::53 # x\ndomain a.b\n"
		      "search x.y z.w\noptions ndots:3\nbogus\nsearch q\n");
	assert_int_equal(chmod(p, 0644), 0);
	assert_int_equal(ipam_resolv_conf_parse(p, &d, &f->err), 0);
	assert_int_equal(d.n_nameservers, 2);
	assert_string_equal(d.nameservers[1], "fd00::53");
	assert_string_equal(d.domain, "a.b");
	assert_int_equal(d.n_search, 3);
	assert_string_equal(d.search[2], "q");
	assert_int_equal(d.n_options, 1);
	snprintf(p, sizeof(p), "%s/missing", f->dir);
	assert_true(ipam_resolv_conf_parse(p, &d, &f->err) < 0);
}

/* --- delegation --- */

static void write_plugin(struct fixture *f, const char *name, const char *body)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", f->dir, name);
	write_file(p, body);
	assert_int_equal(chmod(p, 0755), 0);
}

static void test_delegate(void **state)
{
	struct fixture *f = *state;
	char path[512], buf[4096], cni_path[512];

	snprintf(f->text, sizeof(f->text),
		 "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"ipam\":{\"type\":\"fakeipam\"}}");
	f->conf = cJSON_Parse(f->text);
	f->req = (struct ipam_request){ .cni_version = "1.0.0",
					.network = "net1",
					.container_id = "c1",
					.ifname = "eth0",
					.conf = section(f, "1.0.0", NULL),
					.conf_text = f->text,
					.conf_len = strlen(f->text) };
	snprintf(cni_path, sizeof(cni_path), "/nonexistent:%s", f->dir);
	f->req.cni_path = "/nonexistent:/also/not";
	assert_true(add(f, "c1", "eth0", NULL, 0) < 0);
	assert_string_equal(f->err.msg,
			    "failed to find plugin \"fakeipam\" in path [/nonexistent /also/not]");
	assert_int_equal(ipam_validate(&f->req, &f->err), 0);

	f->req.cni_path = cni_path;
	snprintf(
		buf, sizeof(buf),
		"#!/bin/sh\ncat > %s/stdin.$CNI_COMMAND\n"
		"if [ \"$CNI_COMMAND\" = ADD ]; then\n"
		"  echo '{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.1.5/24\",\"gateway\":\"10.1.1.1\"}],"
		"\"routes\":[{\"dst\":\"0.0.0.0/0\"}],\"dns\":{\"nameservers\":[\"10.1.1.53\"]}}'\n"
		"  exit 0\nfi\n"
		"if [ \"$CNI_COMMAND\" = CHECK ]; then\n"
		"  echo '{\"code\":11,\"msg\":\"try later\",\"details\":\"busy\"}'; exit 1\nfi\n"
		"if [ \"$CNI_COMMAND\" = STATUS ]; then exit 3; fi\n"
		"if [ \"$CNI_COMMAND\" = GC ]; then echo 'not json'; exit 1; fi\n"
		"exit 0\n",
		f->dir);
	write_plugin(f, "fakeipam", buf);
	memset(&f->res, 0, sizeof(f->res));
	assert_int_equal(ipam_add(&f->req, &f->res, &f->err), 0);
	assert_int_equal(f->res.n_ips, 1);
	assert_int_equal(f->res.ips[0].iface, -1);
	assert_int_equal(f->res.n_routes, 1);
	assert_int_equal(f->res.dns.n_nameservers, 1);
	snprintf(path, sizeof(path), "%s/stdin.ADD", f->dir);
	read_file(path, buf, sizeof(buf));
	assert_string_equal(buf, f->text);

	assert_int_equal(ipam_del(&f->req, &f->err), 0);
	snprintf(path, sizeof(path), "%s/stdin.DEL", f->dir);
	assert_int_equal(access(path, F_OK), 0);
	assert_true(ipam_check(&f->req, &f->err) < 0);
	assert_int_equal(f->err.code, 11);
	assert_string_equal(f->err.msg, "try later");
	assert_string_equal(f->err.details, "busy");
	assert_true(ipam_status(&f->req, &f->err) < 0);
	assert_string_equal(f->err.msg, "netplugin failed with no error message: exit status 3");
	assert_true(ipam_gc(&f->req, &f->err) < 0);
	assert_non_null(strstr(f->err.msg, "error parsing its diagnostic message"));

	/* a plugin that ignores stdin and exits early must not hurt us (SIGPIPE) */
	write_plugin(f, "fakeipam", "#!/bin/sh\nexit 0\n");
	assert_int_equal(ipam_del(&f->req, &f->err), 0);

	cJSON_Delete(f->conf);
	snprintf(f->text, sizeof(f->text), "{\"name\":\"n\",\"ipam\":{\"type\":\"../bin/x\"}}");
	f->conf = cJSON_Parse(f->text);
	f->req.conf = section(f, "1.0.0", NULL);
	assert_true(ipam_validate(&f->req, &f->err) < 0);
	assert_string_equal(f->err.msg, "invalid plugin name: ../bin/x");
	assert_true(ipam_del(&f->req, &f->err) < 0);

	/* no IPAM at all: DEL/CHECK/GC/STATUS have nothing to do */
	cJSON_Delete(f->conf);
	f->conf = cJSON_Parse("{\"name\":\"n\",\"ipam\":{}}");
	f->req.conf = section(f, "1.0.0", NULL);
	assert_int_equal(ipam_del(&f->req, &f->err), 0);
	assert_int_equal(ipam_check(&f->req, &f->err), 0);
	assert_int_equal(ipam_gc(&f->req, &f->err), 0);
	assert_int_equal(ipam_status(&f->req, &f->err), 0);
	assert_true(add(f, "c1", "eth0", NULL, 0) < 0);
	assert_string_equal(f->err.msg, "no IP ranges specified");
}

static void test_status(void **state)
{
	struct fixture *f = *state;

	conf_set(f, "1.1.0", "\"subnet\":\"10.10.0.0/24\"", NULL);
	assert_int_equal(ipam_status(&f->req, &f->err), 0);
	conf_set(f, "1.1.0", "\"subnet\":\"10.10.0.0/31\"", NULL);
	assert_true(ipam_status(&f->req, &f->err) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_conf_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf_paths_and_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conf_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_args, setup, teardown),
		cmocka_unit_test(test_version_ge),
		cmocka_unit_test(test_iter),
		cmocka_unit_test_setup_teardown(test_add_order_and_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_stack_rollback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_requested, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_request, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resolv_conf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delegate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
