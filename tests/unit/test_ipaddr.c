/* SPDX-License-Identifier: Apache-2.0 */
/* test_ipaddr.c: address parse/print against Go's net.IP text forms, prefixes and arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/ipaddr.h"

/* input, expected canonical text ("" = must not parse), expected family */
static const struct {
	const char *in;
	const char *out;
	int family;
} parse_cases[] = {
	{ "10.1.2.3", "10.1.2.3", AF_INET },
	{ "0.0.0.0", "0.0.0.0", AF_INET },
	{ "255.255.255.255", "255.255.255.255", AF_INET },
	{ "256.1.1.1", "", 0 },
	{ "010.1.1.1", "", 0 }, /* Go >= 1.17 refuses leading zeros */
	{ "1.1.1", "", 0 },
	{ "1.1.1.1.1", "", 0 },
	{ "1.1.1.1 ", "", 0 },
	{ " 1.1.1.1", "", 0 },
	{ "1..1.1", "", 0 },
	{ "", "", 0 },
	{ "::", "::", AF_INET6 },
	{ "::1", "::1", AF_INET6 },
	{ "1::", "1::", AF_INET6 },
	{ "FD00:0:0:0:0:0:0:1", "fd00::1", AF_INET6 },
	{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1", AF_INET6 }, /* first of equal runs */
	{ "2001:0:0:1:0:0:0:1", "2001:0:0:1::1", AF_INET6 }, /* longest run */
	{ "2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", AF_INET6 }, /* one zero: not :: */
	{ "fd00:0abc::0010", "fd00:abc::10", AF_INET6 },
	{ "::ffff:10.1.2.3", "10.1.2.3", AF_INET }, /* mapped: IPv4 */
	{ "::ffff:a01:203", "10.1.2.3", AF_INET },
	{ "::10.1.2.3", "::a01:203", AF_INET6 }, /* compatible: stays v6 */
	{ "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304", AF_INET6 },
	{ "1:2:3:4:5:1.2.3.4", "", 0 },
	{ "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", AF_INET6 },
	{ "1:2:3:4:5:6:7:8:9", "", 0 },
	{ "1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0", AF_INET6 },
	{ "1:2:3:4:5:6:7:8::", "", 0 },
	{ "::1:2:3:4:5:6:7:8", "", 0 },
	{ "1::2::3", "", 0 },
	{ ":1::", "", 0 },
	{ "1:", "", 0 },
	{ "12345::", "", 0 },
	{ "fe80::1%eth0", "", 0 },
	{ "g::", "", 0 },
	{ "0:0:0:0:0:0:0:0", "::", AF_INET6 },
	{ "1:0:0:0:0:0:0:0", "1::", AF_INET6 },
	{ "0:0:1:0:0:0:1:0", "0:0:1::1:0", AF_INET6 },
};

static void test_parse_print(void **state)
{
	for (size_t i = 0; i < ARRAY_SIZE(parse_cases); i++) {
		struct ipaddr a;
		char buf[IPADDR_STRLEN];
		int r = ipaddr_parse(parse_cases[i].in, &a);

		if (!parse_cases[i].out[0]) {
			if (r == 0)
				fail_msg("%s: parsed but must not", parse_cases[i].in);
			continue;
		}
		if (r < 0)
			fail_msg("%s: did not parse", parse_cases[i].in);
		assert_int_equal(a.family, parse_cases[i].family);
		assert_string_equal(ipaddr_str(&a, buf), parse_cases[i].out);
		/* Printing is canonical: reparsing gives the same value. */
		struct ipaddr b;

		assert_int_equal(ipaddr_parse(buf, &b), 0);
		assert_true(ipaddr_eq(&a, &b));
	}
}

static void test_prefix(void **state)
{
	struct ipprefix p;
	struct ipaddr a, n;
	char buf[IPPREFIX_STRLEN];

	assert_int_equal(ipprefix_parse("10.1.2.3/24", &p), 0);
	assert_string_equal(ipprefix_str(&p, buf), "10.1.2.3/24"); /* host bits kept */
	n = ipprefix_network(&p);
	assert_string_equal(ipaddr_str(&n, buf), "10.1.2.0");
	assert_int_equal(ipprefix_parse("10.1.2.3/024", &p), 0); /* Go's dtoi allows this */
	assert_int_equal(p.len, 24);
	assert_int_equal(ipprefix_parse("10.1.2.3/33", &p), -EINVAL);
	assert_int_equal(ipprefix_parse("10.1.2.3/", &p), -EINVAL);
	assert_int_equal(ipprefix_parse("10.1.2.3", &p), -EINVAL);
	assert_int_equal(ipprefix_parse("10.1.2.3/-1", &p), -EINVAL);
	assert_int_equal(ipprefix_parse("fd00::/129", &p), -EINVAL);
	assert_int_equal(ipprefix_parse("fd00::5/120", &p), 0);
	assert_int_equal(p.addr.family, AF_INET6);
	assert_string_equal(ipprefix_str(&p, buf), "fd00::5/120");
	/* An IPv4-mapped prefix keeps its 128-bit length (host-local refuses it later). */
	assert_int_equal(ipprefix_parse("::ffff:10.0.0.0/104", &p), 0);
	assert_int_equal(p.addr.family, AF_INET6);
	assert_int_equal(p.len, 104);

	assert_int_equal(ipprefix_parse("10.0.0.0/8", &p), 0);
	assert_int_equal(ipaddr_parse("10.255.255.255", &a), 0);
	assert_true(ipprefix_contains(&p, &a));
	assert_int_equal(ipaddr_parse("11.0.0.0", &a), 0);
	assert_false(ipprefix_contains(&p, &a));
	assert_int_equal(ipaddr_parse("::ffff:10.0.0.1", &a), 0);
	assert_true(ipprefix_contains(&p, &a));
	assert_int_equal(ipaddr_parse("fd00::1", &a), 0);
	assert_false(ipprefix_contains(&p, &a));
	assert_int_equal(ipprefix_parse("0.0.0.0/0", &p), 0);
	assert_int_equal(ipaddr_parse("1.2.3.4", &a), 0);
	assert_true(ipprefix_contains(&p, &a));
}

static void test_next_prev_cmp(void **state)
{
	struct ipaddr a, b;
	char buf[IPADDR_STRLEN];

	assert_int_equal(ipaddr_parse("10.0.0.255", &a), 0);
	assert_true(ipaddr_next(&a));
	assert_string_equal(ipaddr_str(&a, buf), "10.0.1.0");
	assert_true(ipaddr_prev(&a));
	assert_string_equal(ipaddr_str(&a, buf), "10.0.0.255");
	assert_int_equal(ipaddr_parse("255.255.255.255", &a), 0);
	assert_false(ipaddr_next(&a));
	assert_int_equal(ipaddr_parse("0.0.0.0", &a), 0);
	assert_false(ipaddr_prev(&a));
	assert_int_equal(ipaddr_parse("fd00::ffff", &a), 0);
	assert_true(ipaddr_next(&a));
	assert_string_equal(ipaddr_str(&a, buf), "fd00::1:0");
	assert_int_equal(ipaddr_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", &a), 0);
	assert_false(ipaddr_next(&a));

	assert_int_equal(ipaddr_parse("10.0.0.1", &a), 0);
	assert_int_equal(ipaddr_parse("10.0.0.2", &b), 0);
	assert_int_equal(ipaddr_cmp(&a, &b), -1);
	assert_int_equal(ipaddr_cmp(&b, &a), 1);
	assert_int_equal(ipaddr_cmp(&a, &a), 0);
	assert_int_equal(ipaddr_parse("::1", &b), 0);
	assert_int_not_equal(ipaddr_cmp(&a, &b), 0);
	assert_int_equal(ipaddr_len(&a), 4);
	assert_int_equal(ipaddr_len(&b), 16);
	memset(&b, 0, sizeof(b));
	assert_true(ipaddr_is_unset(&b));
	assert_int_equal(ipaddr_len(&b), 0);
	assert_string_equal(ipaddr_str(&b, buf), "<nil>");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_print),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_next_prev_cmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
