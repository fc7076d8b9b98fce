/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json.c: JSON read as Go's encoding/json reads it. The expectations for numbers,
 * duplicate keys and trailing data were checked against a Go CNI plugin's decoder
 * (containernetworking/plugins' vlan: "cannot unmarshal number 5.0 into ... of type int").
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/gojson.h"
#include "sriov/json.h"

static int parse(const char *text, size_t len, cJSON **ret, struct cni_err *err)
{
	memset(err, 0, sizeof(*err));
	return json_parse(text, len, "input", ret, err);
}

static void expect_refused(const char *text, size_t len, const char *why)
{
	_cleanup_cjson_ cJSON *j = NULL;
	struct cni_err err;

	if (parse(text, len, &j, &err) == 0)
		fail_msg("accepted: %.*s", (int)len, text);
	assert_int_equal(err.code, CNI_ERR_DECODE);
	if (!strstr(err.msg, why))
		fail_msg("\"%s\" does not say \"%s\"", err.msg, why);
}

#define LIT(s) s, sizeof(s) - 1
#define REFUSED(lit, why) expect_refused(lit, sizeof(lit) - 1, why)

static void test_refused_like_go(void **state)
{
	/* What Go refuses too. */
	REFUSED("{\"a\":1} x", "data after the JSON value");
	REFUSED("{\"a\":1}{}", "data after the JSON value");
	REFUSED("\xef\xbb\xbf{}", "invalid character"); /* a BOM */
	REFUSED("{\x01\"a\":1}", "object key is not a string"); /* cJSON skips any byte <= 32 */
	REFUSED("{\"a\":\"x\ny\"}", "control character in a string");
	REFUSED("{\"a\":01}", "missing ','");
	REFUSED("{\"a\":1.}", "invalid number");
	REFUSED("{\"a\":.5}", "invalid character");
	REFUSED("{\"a\":+1}", "invalid character");
	REFUSED("{\"a\":1,}", "object key is not a string");
	REFUSED("[1,]", "invalid character");
	REFUSED("{\"a\":\"\\x41\"}", "invalid escape");
	REFUSED("{\"a\":\"\\uZZZZ\"}", "invalid \\u escape"); /* cJSON reads it as U+0000 */
	REFUSED("{\"a\":tru}", "invalid character");
	REFUSED("", "unexpected end of input");
	REFUSED("{\"a\":\"x", "unterminated string");
}

static void test_refused_unlike_go(void **state)
{
	char deep[2 * JSON_MAX_DEPTH + 8], num[80];
	size_t n = 0;

	/* Go reads these differently from C, so they are refused (documented in README). */
	REFUSED("{\"name\":\"n\\u0000/../x\"}", "embedded NUL");
	REFUSED("{\"a\\u0000b\":1}", "embedded NUL");
	REFUSED("{\"a\":\"\xff\"}", "invalid UTF-8");
	REFUSED("{\"a\":\"\xc0\xaf\"}", "invalid UTF-8"); /* overlong '/' */
	REFUSED("{\"a\":\"\xed\xa0\x80\"}", "invalid UTF-8"); /* a surrogate in UTF-8 */
	REFUSED("{\"a\":\"\\ud800\"}", "unpaired UTF-16 surrogate");
	REFUSED("{\"a\":\"\\udc00\"}", "unpaired UTF-16 surrogate");
	REFUSED("{\"a\":\"\\ud800\\u0041\"}", "unpaired UTF-16 surrogate");
	/* A raw NUL byte is a control character. */
	expect_refused("{\"a\":\"x\0y\"}", 10, "control character");
	expect_refused("{\"a\":1}\0", 8, "data after the JSON value");
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (int i = 0; i <= JSON_MAX_DEPTH; i++)
		deep[n++] = ']';
	expect_refused(deep, n, "nested deeper than 128 levels");
	memset(num, '1', sizeof(num));
	num[0] = '[';
	num[JSON_MAX_NUMBER_LEN + 2] = ']';
	expect_refused(num, JSON_MAX_NUMBER_LEN + 3, "longer than 63");
}

static void test_accepted(void **state)
{
	static const char *const ok[] = {
		"{}",
		" \t\r\n{\"a\" : [ 1 , -0 , 0.5e+3 , 1E-2 , true , false , null ] } \n",
		"{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}",
		"{\"u\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"}",
		"\"top-level string\"",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"{\"big\":1e400}", /* Go keeps an unused field's number unparsed */
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		_cleanup_cjson_ cJSON *j = NULL;
		struct cni_err err;

		if (parse(ok[i], strlen(ok[i]), &j, &err) < 0)
			fail_msg("refused %s: %s", ok[i], err.msg);
	}
}

static void test_number_literals(void **state)
{
	static const struct {
		const char *v;
		int r; /* 1 ok, else the code */
		long long want;
	} cases[] = {
		{ "5", 1, 5 },
		{ "-0", 1, 0 },
		{ "4094", 1, 4094 },
		{ "5.0", CNI_ERR_DECODE, 0 },
		{ "1e3", CNI_ERR_DECODE, 0 },
		{ "1E2", CNI_ERR_DECODE, 0 },
		{ "1e-400", CNI_ERR_DECODE, 0 },
		{ "0.5", CNI_ERR_DECODE, 0 },
		{ "99999999999999999999", CNI_ERR_DECODE, 0 },
		{ "4095", CNI_ERR_INVALID_CONFIG, 0 },
		{ "-1", CNI_ERR_INVALID_CONFIG, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		_cleanup_cjson_ cJSON *j = NULL;
		struct cni_err err;
		char text[64];
		long long v = -7;
		int r;

		snprintf(text, sizeof(text), "{\"x\":1.5,\"vlan\":%s,\"y\":[2e9]}", cases[i].v);
		assert_int_equal(parse(text, strlen(text), &j, &err), 0);
		r = json_get_int(j, "vlan", "vlan", 0, 4094, &v, &err);
		if (cases[i].r == 1) {
			assert_int_equal(r, 1);
			assert_int_equal(v, cases[i].want);
			continue;
		}
		if (r >= 0)
			fail_msg("vlan %s accepted as %lld", cases[i].v, v);
		assert_int_equal(err.code, cases[i].r);
		if (!strstr(err.msg, "vlan"))
			fail_msg("\"%s\" does not name the field", err.msg);
	}
}

static void test_duplicates_and_folding(void **state)
{
	_cleanup_cjson_ cJSON *j = NULL;
	struct cni_err err;
	const char *s = NULL;
	long long v = 0;

	/* Every occurrence goes through Go's decoder: a wrong type anywhere is an error. */
	assert_int_equal(parse(LIT("{\"vlan\":\"x\",\"VLAN\":5}"), &j, &err), 0);
	assert_true(json_get_int(j, "vlan", "vlan", 0, 4094, &v, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_DECODE);
	cJSON_Delete(j);
	j = NULL;
	assert_int_equal(parse(LIT("{\"vlan\":5.5,\"vlan\":5}"), &j, &err), 0);
	assert_true(json_get_int(j, "vlan", "vlan", 0, 4094, &v, &err) < 0);
	cJSON_Delete(j);
	j = NULL;
	/* The last non-null occurrence wins; a null leaves a string field as it was. */
	{
		const char t[] = "{\"logFile\":\"/a\",\"LOGFILE\":\"/b\",\"logfile\":null}";

		assert_int_equal(parse(t, sizeof(t) - 1, &j, &err), 0);
		assert_int_equal(json_get_string(j, "logFile", "logFile", &s, &err), 1);
		assert_string_equal(s, "/b");
		cJSON_Delete(j);
		j = NULL;
	}
	/* Go folds K (U+212A) to k and ſ (U+017F) to s, as bytes.EqualFold does. */
	{
		const char t[] = "{\"\xc5\xbfpoofch\xe2\x84\xaa\":\"on\",\"vlanK\":1}";

		assert_int_equal(parse(t, sizeof(t) - 1, &j, &err), 0);
		assert_int_equal(json_get_string(j, "spoofchk", "spoofchk", &s, &err), 1);
		assert_string_equal(s, "on");
		assert_int_equal(json_get_int(j, "vlan", "vlan", 0, 9, &v, &err), 0);
	}
}

static cJSON *doc(const char *text)
{
	cJSON *j = NULL;
	struct cni_err err;

	if (parse(text, strlen(text), &j, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return j;
}

/* A getter's failure: its CNI code and exact message. */
#define FAILS(call, want_code, want_msg)                  \
	do {                                              \
		memset(&err, 0, sizeof(err));             \
		assert_true((call) < 0);                  \
		assert_int_equal(err.code, (want_code));  \
		assert_string_equal(err.msg, (want_msg)); \
	} while (0)

static void test_container_getters(void **state)
{
	_cleanup_cjson_ cJSON *j = doc("{\"List\":[1],\"obj\":{\"a\":1},\"bad\":5,"
				       "\"dup\":[1],\"DUP\":7,\"last\":[1],\"LAST\":null}");
	const cJSON *r = NULL;
	struct cni_err err;

	assert_int_equal(json_get_array(j, "list", "list", &r, &err), 1); /* folded */
	assert_true(cJSON_IsArray(r));
	assert_int_equal(json_get_object(j, "OBJ", "obj", &r, &err), 1);
	assert_true(cJSON_IsObject(r));
	r = NULL;
	assert_int_equal(json_get_array(j, "none", "none", &r, &err), 0);
	assert_null(r);
	assert_int_equal(json_get_array(j, "last", "last", &r, &err), 1); /* a later null */
	FAILS(json_get_array(j, "bad", "x.bad", &r, &err), CNI_ERR_DECODE, "x.bad: must be a list");
	FAILS(json_get_object(j, "list", "list", &r, &err), CNI_ERR_DECODE,
	      "list: must be an object");
	/* Every occurrence of a duplicated key must have the type. */
	FAILS(json_get_array(j, "dup", "dup", &r, &err), CNI_ERR_DECODE, "dup: must be a list");
	assert_int_equal(json_get_array(NULL, "list", "list", &r, &err), 0);
}

static void test_string_getters(void **state)
{
	_cleanup_cjson_ cJSON *j = doc("{\"S3\":\"abc\",\"s4\":\"abcd\",\"n\":1,"
				       "\"l\":[\"a\",\"b\"],\"l3\":[\"a\",\"b\",\"c\"],"
				       "\"lt\":[\"a\",1],\"ll\":[\"a\",\"abcd\"]}");
	const cJSON *r = NULL;
	struct cni_err err;
	char buf[4] = "zz";

	assert_int_equal(json_get_strbuf(j, "s3", "s3", buf, sizeof(buf), &err), 1);
	assert_string_equal(buf, "abc");
	assert_int_equal(json_get_strbuf(j, "none", "none", buf, sizeof(buf), &err), 0);
	FAILS(json_get_strbuf(j, "s4", "name", buf, sizeof(buf), &err), CNI_ERR_INVALID_CONFIG,
	      "name: 4 bytes long, at most 3 are supported");
	assert_int_equal(err.errnum, ENAMETOOLONG);
	assert_string_equal(buf, "abc"); /* untouched */
	FAILS(json_get_strbuf(j, "n", "n", buf, sizeof(buf), &err), CNI_ERR_DECODE,
	      "n: must be a string");

	assert_int_equal(json_get_string_list(j, "L", "l", 2, 4, &r, &err), 1);
	assert_int_equal(cJSON_GetArraySize(r), 2);
	FAILS(json_get_string_list(j, "l3", "dns.l3", 2, 4, &r, &err), CNI_ERR_INVALID_CONFIG,
	      "dns.l3: too many entries (3), at most 2 are supported");
	FAILS(json_get_string_list(j, "lt", "lt", 2, 4, &r, &err), CNI_ERR_DECODE,
	      "lt[1]: must be a string");
	FAILS(json_get_string_list(j, "ll", "ll", 2, 4, &r, &err), CNI_ERR_INVALID_CONFIG,
	      "ll[1]: 4 bytes long, at most 3 are supported");
	FAILS(json_get_string_list(j, "s3", "s3", 2, 4, &r, &err), CNI_ERR_DECODE,
	      "s3: must be a list");
}

static void test_mac_getter(void **state)
{
	_cleanup_cjson_ cJSON *j =
		doc("{\"mac\":\"0A:1b:2c:3d:4e:5f\",\"none\":\"\",\"short\":\"0a:1b:2c:3d:4e\","
		    "\"dash\":\"0a-1b-2c-3d-4e-5f\",\"n\":5,\"ctl\":\"a\\nb\"}");
	static const uint8_t want[6] = { 0x0a, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f };
	uint8_t mac[6] = { 9, 9, 9, 9, 9, 9 };
	struct cni_err err;

	assert_int_equal(json_get_mac(j, "none", "none", mac, &err), 0); /* Go's "" */
	assert_int_equal(mac[0], 9);
	assert_int_equal(json_get_mac(j, "MAC", "mac", mac, &err), 1);
	assert_memory_equal(mac, want, 6);
	FAILS(json_get_mac(j, "short", "orig.mac", mac, &err), CNI_ERR_DECODE,
	      "orig.mac: invalid MAC address \"0a:1b:2c:3d:4e\"");
	FAILS(json_get_mac(j, "dash", "dash", mac, &err), CNI_ERR_DECODE,
	      "dash: invalid MAC address \"0a-1b-2c-3d-4e-5f\"");
	FAILS(json_get_mac(j, "ctl", "ctl", mac, &err), CNI_ERR_DECODE,
	      "ctl: invalid MAC address \"a\\nb\"");
	FAILS(json_get_mac(j, "n", "n", mac, &err), CNI_ERR_DECODE, "n: must be a string");
	assert_memory_equal(mac, want, 6);
}

static void test_net_getters(void **state)
{
	_cleanup_cjson_ cJSON *j =
		doc("{\"ip\":\"10.0.0.1\",\"empty\":\"\",\"bad\":\"x\\n\",\"cidr\":\"10.0.0.7/24\","
		    "\"mapped\":\"::ffff:10.0.0.0/104\",\"mask\":\"10.0.0.0/33\"}");
	struct ipaddr a = { 0 };
	struct ipprefix p = { 0 };
	struct cni_err err;
	char buf[IPPREFIX_STRLEN];

	assert_int_equal(json_get_ipaddr(j, "IP", "ip", JSON_NET_GO, &a, &err), 1);
	assert_int_equal(a.family, AF_INET);
	/* net.IP's UnmarshalText: "" is no address. */
	assert_int_equal(json_get_ipaddr(j, "empty", "empty", JSON_NET_QUOTED, &a, &err), 0);
	FAILS(json_get_ipaddr(j, "bad", "routes[0].gw", JSON_NET_QUOTED, &a, &err), CNI_ERR_DECODE,
	      "routes[0].gw: invalid IP address \"x\\n\"");
	assert_string_equal(err.details, "");
	FAILS(json_get_ipaddr(j, "bad", "routes[0].gw", JSON_NET_GO, &a, &err), CNI_ERR_DECODE,
	      "invalid IP address: x\\x0a");
	assert_string_equal(err.details, "routes[0].gw");
	FAILS(json_get_ipaddr(j, "cidr", "gw", JSON_NET_GO, &a, &err), CNI_ERR_DECODE,
	      "invalid IP address: 10.0.0.7/24");

	assert_int_equal(json_get_prefix(j, "CIDR", "cidr", JSON_NET_GO, &p, &err), 1);
	assert_string_equal(ipprefix_str(&p, buf), "10.0.0.7/24"); /* host bits kept */
	assert_int_equal(json_get_prefix(j, "mapped", "m", JSON_NET_GO, &p, &err), 1);
	assert_true(ipaddr_is_v4mapped(&p.addr));
	FAILS(json_get_prefix(j, "empty", "subnet", JSON_NET_GO, &p, &err), CNI_ERR_DECODE,
	      "invalid CIDR address: ");
	FAILS(json_get_prefix(j, "mask", "dst", JSON_NET_QUOTED, &p, &err), CNI_ERR_DECODE,
	      "dst: invalid CIDR address \"10.0.0.0/33\"");
	FAILS(json_get_prefix(j, "ip", "ip", JSON_NET_GO, &p, &err), CNI_ERR_DECODE,
	      "invalid CIDR address: 10.0.0.1");
}

static void test_config_err(void **state)
{
	struct cni_err err = { 0 };

	assert_int_equal(json_config_err(1, "ipam.x", &err), 1);
	assert_int_equal(err.code, 0);
	err_set(&err, EINVAL, CNI_ERR_DECODE, "ipam.x: must be a string");
	assert_int_equal(json_config_err(-EINVAL, "ipam.x", &err), -EINVAL);
	assert_int_equal(err.code, CNI_ERR_INVALID_CONFIG);
	assert_string_equal(err.msg, "ipam.x: must be a string");
	assert_string_equal(err.details, "ipam.x");
}

static const struct cni_env del_env = { .cmd = CNI_CMD_DEL, .container_id = "c1", .ifname = "n1" };

static void test_conf_go_exact(void **state)
{
	static const struct {
		const char *text;
		unsigned int code;
		const char *needle;
	} cases[] = {
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\\u0000/../x\"}", CNI_ERR_DECODE, "NUL" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"a\\u0000b\"}}",
		  CNI_ERR_DECODE, "NUL" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"vlan\":5.0}", CNI_ERR_DECODE,
		  "vlan" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"vlan\":1e-400}", CNI_ERR_DECODE,
		  "vlan" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"vlan\":1e3}", CNI_ERR_DECODE,
		  "vlan" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"max_tx_rate\":1.5e2}", CNI_ERR_DECODE,
		  "max_tx_rate" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"vlan\":0,\"vlanQoS\":0.0}",
		  CNI_ERR_DECODE, "vlanQoS" },
		{ "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"} trailing", CNI_ERR_DECODE,
		  "error unmarshall network config: data after the JSON value" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sriov_conf c;
		struct cni_err err = { 0 };

		if (conf_parse(cases[i].text, strlen(cases[i].text), &del_env, &c, &err) == 0)
			fail_msg("accepted: %s", cases[i].text);
		assert_int_equal(err.code, cases[i].code);
		if (!strstr(err.msg, cases[i].needle))
			fail_msg("\"%s\" does not name \"%s\"", err.msg, cases[i].needle);
	}
}

static void test_echoed_input_escaped(void **state)
{
	struct sriov_conf c;
	struct cni_err err = { 0 };
	const char *t = "{\"cniVersion\":\"1.0.0\\n\",\"name\":\"n\"}";

	/* As Go's %q: config is "1.0.0\n" with a backslash, never a raw newline. */
	assert_true(conf_parse(t, strlen(t), &del_env, &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_INCOMPATIBLE_VERSION);
	assert_non_null(strstr(err.details, "config is \"1.0.0\\n\", plugin supports"));
	assert_null(strchr(err.details, '\n'));
	t = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"trust\":\"on\\u001b[2J\\r\"}";
	assert_true(conf_parse(t, strlen(t), &del_env, &c, &err) < 0);
	assert_non_null(strstr(err.msg, "trust: invalid value \"on\\x1b[2J\\r\""));
	t = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"host-local\"},"
	    "\"deviceID\":\"\xe2\x80\xa8x\"}";
	assert_true(conf_parse(t, strlen(t), &del_env, &c, &err) < 0);
	assert_non_null(strstr(err.msg, "deviceID: \"\\xe2\\x80\\xa8x\""));
}

/* Numbers as Go's json.Marshal prints float64s (strconv 'f' below 1e21, else 'e'). */
static void test_gojson_numbers(void **state)
{
	static const char *in = "[0,-0,1,-1,4095,-123456789012,9007199254740993,9199999999999999"
				"000,9.2e18,-9.3e18,1e20,123456789e12,1e21,1.5e22,0.5,-1.5,0.1,"
				"1.5e-6,1e-7,-2.5e-10,1e-100,1e300,123.456,7.120236347223045e-307,"
				"6.386688990511104e+293]";
	/*
	 * What Go 1.19's json.Marshal prints for the same []interface{}; the last two are 2^-1017
	 * and 2^976, whose shortest decimals lie above them (tests/gocompat/test_numbers.sh
	 * compares 350,000 values with Go itself).
	 */
	static const char *want = "[0,-0,1,-1,4095,-123456789012,9007199254740992,91999999999999"
				  "99000,9200000000000000000,-9300000000000000000,"
				  "100000000000000000000,123456789000000000000,1e+21,1.5e+22,0.5,"
				  "-1.5,0.1,0.0000015,1e-7,-2.5e-10,1e-100,1e+300,123.456,"
				  "7.120236347223045e-307,6.386688990511104e+293]";
	_cleanup_cjson_ cJSON *j = cJSON_Parse(in);
	_cleanup_free_ char *out = NULL;
	char mac[18];

	assert_non_null(j);
	out = gojson_print(j);
	assert_non_null(out);
	assert_string_equal(out, want);
	assert_string_equal(conf_mac_str((const uint8_t[6]){ 0xde, 0xad, 0xbe, 0xef, 0x00, 0x0a },
					 mac),
			    "de:ad:be:ef:00:0a");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_like_go),
		cmocka_unit_test(test_refused_unlike_go),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_number_literals),
		cmocka_unit_test(test_duplicates_and_folding),
		cmocka_unit_test(test_container_getters),
		cmocka_unit_test(test_string_getters),
		cmocka_unit_test(test_mac_getter),
		cmocka_unit_test(test_net_getters),
		cmocka_unit_test(test_config_err),
		cmocka_unit_test(test_conf_go_exact),
		cmocka_unit_test(test_echoed_input_escaped),
		cmocka_unit_test(test_gojson_numbers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
