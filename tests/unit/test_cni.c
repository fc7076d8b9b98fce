/* SPDX-License-Identifier: Apache-2.0 */
/* test_cni.c: CNI_* environment checks, CNI_ARGS, versions, error and VERSION JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/json.h"

static const char *fake_env[16][2];

static char *fake_getenv(const char *name)
{
	for (int i = 0; fake_env[i][0]; i++)
		if (strcmp(fake_env[i][0], name) == 0)
			return (char *)fake_env[i][1];
	return NULL;
}

static void set_env(const char *cmd, const char *cid, const char *netns, const char *ifname)
{
	int n = 0;

	memset(fake_env, 0, sizeof(fake_env));
	if (cmd) {
		fake_env[n][0] = "CNI_COMMAND";
		fake_env[n++][1] = cmd;
	}
	if (cid) {
		fake_env[n][0] = "CNI_CONTAINERID";
		fake_env[n++][1] = cid;
	}
	if (netns) {
		fake_env[n][0] = "CNI_NETNS";
		fake_env[n++][1] = netns;
	}
	if (ifname) {
		fake_env[n][0] = "CNI_IFNAME";
		fake_env[n++][1] = ifname;
	}
}

static void test_env(void **state)
{
	struct cni_env env;
	struct cni_err err = { 0 };

	set_env("ADD", "abc", "/var/run/netns/x", "net1");
	assert_int_equal(cni_env_load(fake_getenv, &env, &err), 0);
	assert_int_equal(env.cmd, CNI_CMD_ADD);
	assert_string_equal(env.ifname, "net1");

	set_env("ADD", NULL, NULL, "net1");
	assert_true(cni_env_load(fake_getenv, &env, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_INVALID_ENV);
	assert_non_null(strstr(err.msg, "CNI_CONTAINERID,CNI_NETNS"));

	/* DEL may come without a netns (it is gone). */
	set_env("DEL", "abc", NULL, "net1");
	assert_int_equal(cni_env_load(fake_getenv, &env, &err), 0);

	set_env("ADD", "../../etc", "/x", "net1");
	assert_true(cni_env_load(fake_getenv, &env, &err) < 0);
	assert_non_null(strstr(err.msg, "containerID"));

	set_env("ADD", "abc", "/x", "a/b");
	assert_true(cni_env_load(fake_getenv, &env, &err) < 0);
	assert_non_null(strstr(err.msg, "CNI_IFNAME"));
	set_env("ADD", "abc", "/x", "0123456789abcdef");
	assert_true(cni_env_load(fake_getenv, &env, &err) < 0);

	set_env("FROB", NULL, NULL, NULL);
	assert_true(cni_env_load(fake_getenv, &env, &err) < 0);
	assert_non_null(strstr(err.msg, "unknown CNI_COMMAND: FROB"));

	set_env("VERSION", NULL, NULL, NULL);
	assert_int_equal(cni_env_load(fake_getenv, &env, &err), 0);
	set_env("GC", NULL, NULL, NULL);
	assert_int_equal(cni_env_load(fake_getenv, &env, &err), 0);
}

static void test_valid_names(void **state)
{
	assert_true(cni_valid_id("a"));
	assert_true(cni_valid_id("0f3e_x.y-z"));
	assert_false(cni_valid_id(""));
	assert_false(cni_valid_id("-a"));
	assert_false(cni_valid_id("a/b"));
	assert_false(cni_valid_id(".."));
	assert_true(cni_valid_ifname("net1"));
	assert_true(cni_valid_ifname("0123456789abcde"));
	assert_false(cni_valid_ifname("."));
	assert_false(cni_valid_ifname("a:b"));
	assert_false(cni_valid_ifname("a b"));
}

static void test_args(void **state)
{
	static const char *const known[] = { "MAC", "IP", NULL };
	struct cni_err err = { 0 };
	char buf[64];

	assert_int_equal(
		cni_args_get("MAC=02:00:00:00:00:01", known, "MAC", buf, sizeof(buf), &err), 1);
	assert_string_equal(buf, "02:00:00:00:00:01");
	assert_int_equal(cni_args_get("IP=1.2.3.4", known, "MAC", buf, sizeof(buf), &err), 0);
	assert_int_equal(cni_args_get(NULL, known, "MAC", buf, sizeof(buf), &err), 0);
	/* Multus repeats keys; the last one wins. */
	assert_int_equal(
		cni_args_get("IgnoreUnknown=true;K8S_POD_NAME=;IgnoreUnknown=1;K8S_POD_NAME=p",
			     known, "K8S_POD_NAME", buf, sizeof(buf), &err),
		1);
	assert_string_equal(buf, "p");
	assert_true(cni_args_get("K8S_POD_NAME=p", known, "MAC", buf, sizeof(buf), &err) < 0);
	assert_non_null(strstr(err.msg, "unknown args [K8S_POD_NAME]"));
	assert_true(cni_args_get("MAC=a=b", known, "MAC", buf, sizeof(buf), &err) < 0);
	assert_non_null(strstr(err.msg, "invalid pair"));
	assert_true(cni_args_get("MAC=x;", known, "MAC", buf, sizeof(buf), &err) < 0);
	assert_true(cni_args_get("IgnoreUnknown=maybe", known, "MAC", buf, sizeof(buf), &err) < 0);
	assert_int_equal(
		cni_args_get("IgnoreUnknown=FALSE;MAC=x", known, "MAC", buf, sizeof(buf), &err), 1);
}

static void test_versions(void **state)
{
	assert_true(cni_version_supported("0.3.1"));
	assert_true(cni_version_supported("1.1.0"));
	assert_false(cni_version_supported("1.2.0"));
	assert_false(cni_version_supported(NULL));
	assert_true(cni_version_cmp("0.4.0", "1.0.0") < 0);
	assert_true(cni_version_cmp("0.10.0", "0.4.0") > 0);
	assert_int_equal(cni_version_cmp("1.1.0", "1.1.0"), 0);
	/* exactly three numbers, as host-local's check needs: anything else sorts lowest */
	assert_true(cni_version_cmp("1.0.0-rc", "0.3.0") < 0);
	assert_true(cni_version_cmp("0.3", "0.3.0") < 0);
	assert_true(cni_version_cmp("", "0.1.0") < 0);
	assert_true(cni_version_cmp("x.y.z", "0.0.0") < 0);
	assert_true(cni_version_cmp("0.3.0.1", "0.3.0") < 0);
	assert_int_equal(cni_version_cmp("", "junk"), 0);
}

static void test_json(void **state)
{
	_cleanup_cjson_ cJSON *v = cni_version_json("0.3.1");
	_cleanup_cjson_ cJSON *e = NULL;
	struct cni_err err = { 0 };
	cJSON *list;
	const char *want[] = { "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0" };

	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(v, "cniVersion")), "0.3.1");
	list = cJSON_GetObjectItem(v, "supportedVersions");
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		bool found = false;
		cJSON *it;

		cJSON_ArrayForEach(it, list) {
			found |= strcmp(it->valuestring, want[i]) == 0;
		}
		assert_true(found);
	}
	err_set(&err, 95, CNI_ERR_INVALID_CONFIG, "trust: bad");
	err_details(&err, "extack");
	err_wrap(&err, "outer");
	e = cni_error_json(&err, "1.0.0");
	assert_int_equal(cJSON_GetObjectItem(e, "code")->valueint, 7);
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "msg")),
			    "outer: trust: bad");
	assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(e, "details")), "extack");
	assert_int_equal(err_ret(&err), -95);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env),  cmocka_unit_test(test_valid_names),
		cmocka_unit_test(test_args), cmocka_unit_test(test_versions),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
