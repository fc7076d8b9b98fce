/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json.c: JSON read as Go's encoding/json reads it. The expectations for numbers,
 * duplicate keys and trailing data were checked against a Go CNI plugin's decoder
 * (containernetworking/plugins' vlan: "cannot unmarshal number 5.0 into ... of type int").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_like_go),
		cmocka_unit_test(test_refused_unlike_go),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_number_literals),
		cmocka_unit_test(test_duplicates_and_folding),
		cmocka_unit_test(test_conf_go_exact),
		cmocka_unit_test(test_echoed_input_escaped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
