/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ipam_range.c: host-local ranges at the edges of both address families: ranges that
 * run backwards or wrap, the first and last addresses, and a lease whose ADD failed late.
 */
#include <errno.h>
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
#include "sriov/ipaddr.h"
#include "sriov/ipam.h"
#include "../../ipam/ipam_int.h"

struct fixture {
	char dir[64];
	char data[128];
	const char *roots[2]; /* the scratch directory stands in for /var/lib/cni and /run */
	char text[2048];
	cJSON *conf;
	struct ipam_request req;
	struct cni_result res;
	struct cni_err err;
	struct ipam_conf section; /* the ipam section of conf, parsed once */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/test_ipam_range.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->data, sizeof(f->data), "%s/data", f->dir);
	f->roots[0] = f->dir;
	f->roots[1] = NULL;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[256];

	if (f->conf)
		cJSON_Delete(f->conf);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* A config whose ipam section is @ipam_members (dataDir added). */
static void conf_set(struct fixture *f, const char *ipam_members)
{
	snprintf(f->text, sizeof(f->text),
		 "{\"cniVersion\":\"1.0.0\",\"name\":\"net1\",\"ipam\":{\"type\":\"host-local\","
		 "\"dataDir\":\"%s\",%s}}",
		 f->data, ipam_members);
	if (f->conf)
		cJSON_Delete(f->conf);
	f->conf = cJSON_Parse(f->text);
	assert_non_null(f->conf);
	assert_int_equal(ipam_section_parse(f->conf, "1.0.0", NULL, &f->section, &f->err), 0);
	f->req = (struct ipam_request){ .cni_version = "1.0.0",
					.network = "net1",
					.container_id = "c0",
					.ifname = "eth0",
					.conf = &f->section,
					.conf_text = f->text,
					.conf_len = strlen(f->text),
					.cni_path = "/nonexistent",
					.data_roots = f->roots };
}

/* ADD for container @id: 0 and the first address in @buf, or the error. */
static int add(struct fixture *f, const char *id, char buf[IPPREFIX_STRLEN])
{
	int r;

	f->req.container_id = id;
	memset(&f->res, 0, sizeof(f->res));
	err_clear(&f->err);
	r = ipam_add(&f->req, &f->res, &f->err);
	buf[0] = '\0';
	if (r == 0) {
		assert_int_equal(f->res.n_ips, 1);
		ipprefix_str(&f->res.ips[0].address, buf);
	}
	return r;
}

static const struct {
	const char *ipam;
	const char *msg;
} bad_ranges[] = {
	/* the two configs host-local used to accept: broadcast, then 0.0.0.0 handed out */
	{ "\"subnet\":\"10.56.238.0/24\",\"rangeStart\":\"10.56.238.255\"",
	  "invalid range set 0: RangeStart 10.56.238.255 is after RangeEnd 10.56.238.254 in network 10.56.238.0/24" },
	{ "\"subnet\":\"255.255.255.252/30\",\"rangeStart\":\"255.255.255.255\",\"gateway\":\"255.255.255.255\"",
	  "invalid range set 0: RangeStart 255.255.255.255 is after RangeEnd 255.255.255.254 in network 255.255.255.252/30" },
	{ "\"subnet\":\"10.0.0.0/24\",\"rangeEnd\":\"10.0.0.255\"",
	  "invalid range set 0: RangeEnd 10.0.0.255 is the broadcast address of 10.0.0.0/24" },
	{ "\"subnet\":\"10.0.0.0/24\",\"rangeStart\":\"10.0.0.0\"",
	  "invalid range set 0: RangeStart 10.0.0.0 is the network address of 10.0.0.0/24" },
	{ "\"subnet\":\"0.0.0.0/30\",\"rangeStart\":\"0.0.0.0\"",
	  "invalid range set 0: RangeStart 0.0.0.0 is the network address of 0.0.0.0/30" },
	{ "\"subnet\":\"::/126\",\"rangeStart\":\"::\"",
	  "invalid range set 0: RangeStart :: is the network address of ::/126" },
	{ "\"subnet\":\"fd00::/120\",\"rangeStart\":\"fd00::ff\",\"rangeEnd\":\"fd00::fe\"",
	  "invalid range set 0: RangeStart fd00::ff not in network fd00::/120" },
	{ "\"ranges\":[[{\"subnet\":\"10.1.0.0/24\"},{\"subnet\":\"10.2.0.0/24\",\"rangeStart\":\"10.2.0.255\"}]]",
	  "invalid range set 0: RangeStart 10.2.0.255 is after RangeEnd 10.2.0.254 in network 10.2.0.0/24" },
};

static void test_bad_ranges(void **state)
{
	struct fixture *f = *state;
	char got[IPPREFIX_STRLEN];

	for (size_t i = 0; i < ARRAY_SIZE(bad_ranges); i++) {
		conf_set(f, bad_ranges[i].ipam);
		if (add(f, "c1", got) == 0)
			fail_msg("case %zu (%s) handed out %s", i, bad_ranges[i].ipam, got);
		if (strcmp(f->err.msg, bad_ranges[i].msg) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, f->err.msg,
				 bad_ranges[i].msg);
		assert_int_equal(f->err.code, CNI_ERR_INVALID_CONFIG);
		/* The details name the range in the config. */
		assert_true(strncmp(f->err.details, "ipam", 4) == 0);
		assert_true(ipam_validate(&f->req, &f->err) < 0);
	}
	/* Refused before the store was touched. */
	assert_int_not_equal(access(f->data, F_OK), 0);
}

/* Allocate until exhaustion: the addresses handed out, space separated, into @out. */
static void drain(struct fixture *f, const char *ipam, char *out, size_t size)
{
	char id[16], got[IPPREFIX_STRLEN], cmd[256];
	size_t o = 0;

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->data);
	assert_int_equal(system(cmd), 0);
	conf_set(f, ipam);
	out[0] = '\0';
	for (int i = 0; i < 8; i++) {
		snprintf(id, sizeof(id), "c%d", i);
		if (add(f, id, got) < 0) {
			if (!strstr(f->err.msg, "no IP addresses available"))
				fail_msg("%s: after \"%s\": %s", ipam, out, f->err.msg);
			return;
		}
		o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", got);
	}
	fail_msg("%s: more than 8 addresses: %s", ipam, out);
}

static void test_edges(void **state)
{
	struct fixture *f = *state;
	char out[1024];

	/* The top of IPv4: the walk stops at .254, never steps over to 0.0.0.0. */
	drain(f, "\"subnet\":\"255.255.255.252/30\"", out, sizeof(out));
	assert_string_equal(out, "255.255.255.254/30");
	drain(f, "\"subnet\":\"255.255.255.248/29\",\"gateway\":\"255.255.255.254\"", out,
	      sizeof(out));
	assert_string_equal(out, "255.255.255.249/29 255.255.255.250/29 255.255.255.251/29 "
				 "255.255.255.252/29 255.255.255.253/29");
	/* The bottom of IPv4. */
	drain(f, "\"subnet\":\"0.0.0.0/30\"", out, sizeof(out));
	assert_string_equal(out, "0.0.0.2/30");
	/* The top of IPv6: ffff...ffff is a valid address (no broadcast), and the last one. */
	drain(f, "\"subnet\":\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc/126\"", out, sizeof(out));
	assert_string_equal(out, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/126 "
				 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/126");
	/* The bottom of IPv6. */
	drain(f, "\"subnet\":\"::/126\"", out, sizeof(out));
	assert_string_equal(out, "::2/126 ::3/126");
	/* An explicit range ending at the last address, starting after a wrap point. */
	drain(f,
	      "\"subnet\":\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124\","
	      "\"rangeStart\":\"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe\"",
	      out, sizeof(out));
	assert_string_equal(out, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/124 "
				 "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/124");
}

static void test_ipaddr_edges(void **state)
{
	struct ipaddr a;
	char b[IPADDR_STRLEN];

	(void)state;
	assert_int_equal(ipaddr_parse("255.255.255.255", &a), 0);
	assert_false(ipaddr_next(&a)); /* reports the wrap */
	assert_int_equal(ipaddr_parse("0.0.0.0", &a), 0);
	assert_false(ipaddr_prev(&a));
	assert_int_equal(ipaddr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &a), 0);
	assert_false(ipaddr_next(&a));
	assert_int_equal(ipaddr_parse("::", &a), 0);
	assert_false(ipaddr_prev(&a));
	assert_int_equal(ipaddr_parse("10.0.0.255", &a), 0);
	assert_true(ipaddr_next(&a));
	assert_string_equal(ipaddr_str(&a, b), "10.0.1.0");
	assert_true(ipaddr_prev(&a));
	assert_string_equal(ipaddr_str(&a, b), "10.0.0.255");
	assert_int_equal(ipaddr_parse("::ffff:ffff", &a), 0);
	assert_true(ipaddr_next(&a));
	assert_string_equal(ipaddr_str(&a, b), "::1:0:0");
}

/* last_reserved_ip.N cannot be written after the lease was created: the lease goes again. */
static void test_last_reserved_failure(void **state)
{
	struct fixture *f = *state;
	char got[IPPREFIX_STRLEN], p[256];

	conf_set(f, "\"subnet\":\"10.9.0.0/29\"");
	assert_int_equal(add(f, "c1", got), 0);
	assert_string_equal(got, "10.9.0.2/29");
	/* A directory in its place: the rename over it fails with EISDIR. */
	snprintf(p, sizeof(p), "%s/net1/last_reserved_ip.0", f->data);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_true(add(f, "c2", got) < 0);
	assert_non_null(strstr(f->err.msg, "last_reserved_ip.0"));
	snprintf(p, sizeof(p), "%s/net1/10.9.0.3", f->data);
	assert_int_not_equal(access(p, F_OK), 0);
	/* The earlier lease is untouched. */
	snprintf(p, sizeof(p), "%s/net1/10.9.0.2", f->data);
	assert_int_equal(access(p, F_OK), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_ranges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edges, setup, teardown),
		cmocka_unit_test(test_ipaddr_edges),
		cmocka_unit_test_setup_teardown(test_last_reserved_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
