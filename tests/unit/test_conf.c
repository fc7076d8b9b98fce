/* SPDX-License-Identifier: Apache-2.0 */
/* test_conf.c: network config parsing and validation, including the real-world corpus. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/ipam.h"
#include "sriov/json.h"

static const struct cni_env add_env = { .cmd = CNI_CMD_ADD,
					.container_id = "c1",
					.netns = "/var/run/netns/p",
					.ifname = "net1" };

static int parse_env(const struct cni_env *env, const char *text, struct sriov_conf *c,
		     struct cni_err *err)
{
	memset(err, 0, sizeof(*err));
	conf_release(c); /* a test may parse into the same struct again */
	return conf_parse(text, strlen(text), env, c, err);
}

static int parse(const char *text, struct sriov_conf *c, struct cni_err *err)
{
	return parse_env(&add_env, text, c, err);
}

#define BASE \
	"\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"sriov\",\"deviceID\":\"0000:3b:02.1\""

static void assert_rejected(const char *text, unsigned int code, const char *needle)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	assert_true(parse(text, &c, &err) < 0);
	assert_int_equal(err.code, code);
	if (!strstr(err.msg, needle))
		fail_msg("message \"%s\" does not name \"%s\"", err.msg, needle);
}

static void test_minimal(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	assert_int_equal(parse("{" BASE "}", &c, &err), 0);
	assert_string_equal(c.cni_version, "1.0.0");
	assert_string_equal(c.name, "n");
	assert_string_equal(c.device_id, "0000:3b:02.1");
	assert_false(c.has_vlan);
	assert_false(c.has_mac);
	assert_int_equal(c.spoofchk, TRI_UNSET);
	assert_int_equal(c.trust, TRI_UNSET);
	assert_int_equal(c.link_state, -1);
	assert_int_equal(c.min_tx_rate, -1);
	assert_int_equal(c.max_tx_rate, -1);
	assert_string_equal(c.ipam.type, "");
	assert_int_equal(c.log_level, LOG_LEVEL_INFO);
}

static void test_all_fields(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;
	char mac[18];

	assert_int_equal(
		parse("{" BASE ",\"vlan\":1000,\"vlanQoS\":4,\"vlanProto\":\"802.1AD\","
		      "\"mac\":\"CA:FE:C0:FF:EE:00\",\"spoofchk\":\"off\",\"trust\":\"on\","
		      "\"link_state\":\"disable\",\"min_tx_rate\":100,\"max_tx_rate\":200,"
		      "\"logLevel\":\"debug\",\"logFile\":\"/tmp/x.log\","
		      "\"ipam\":{\"type\":\"host-local\"}}",
		      &c, &err),
		0);
	assert_true(c.has_vlan);
	assert_int_equal(c.vlan, 1000);
	assert_int_equal(c.qos, 4);
	assert_int_equal(c.vlan_proto, 0x88a8);
	assert_true(c.has_mac);
	assert_string_equal(conf_mac_str(c.mac, mac), "ca:fe:c0:ff:ee:00");
	assert_int_equal(c.spoofchk, TRI_OFF);
	assert_int_equal(c.trust, TRI_ON);
	assert_int_equal(c.link_state, 2);
	assert_int_equal(c.min_tx_rate, 100);
	assert_int_equal(c.max_tx_rate, 200);
	assert_int_equal(c.log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(c.log_file, "/tmp/x.log");
	assert_string_equal(c.ipam.type, "host-local");
}

static void test_case_insensitive_keys(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	/* Go's decoder folds case: "LogLevel", "DeviceID" and "VLAN" work. */
	assert_int_equal(
		parse("{\"cniVersion\":\"0.3.0\",\"Name\":\"n\",\"DeviceID\":\"0000:3b:02.1\","
		      "\"VLAN\":7,\"LogLevel\":\"debug\",\"LogFile\":\"/tmp/l\"}",
		      &c, &err),
		0);
	assert_int_equal(c.vlan, 7);
	assert_int_equal(c.log_level, LOG_LEVEL_DEBUG);
	assert_string_equal(c.log_file, "/tmp/l");
}

static void test_defaults_vlan_proto(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	assert_int_equal(parse("{" BASE ",\"vlan\":0,\"vlanQoS\":0}", &c, &err), 0);
	assert_true(c.has_vlan);
	assert_int_equal(c.vlan_proto, 0x8100);
	assert_int_equal(c.qos, 0);
}

static void test_rates_one_given(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	assert_int_equal(parse("{" BASE ",\"max_tx_rate\":300}", &c, &err), 0);
	assert_int_equal(c.min_tx_rate, 0);
	assert_int_equal(c.max_tx_rate, 300);
	/* max 0 means uncapped, so any min is fine with it */
	assert_int_equal(parse("{" BASE ",\"min_tx_rate\":50}", &c, &err), 0);
	assert_int_equal(c.max_tx_rate, 0);
}

static void test_rejections(void **state)
{
	assert_rejected("{" BASE ",\"trust\":\"maybe\"}", CNI_ERR_INVALID_CONFIG, "trust");
	assert_rejected("{" BASE ",\"spoofchk\":\"ON\"}", CNI_ERR_INVALID_CONFIG, "spoofchk");
	assert_rejected("{" BASE ",\"spoofchk\":true}", CNI_ERR_DECODE, "spoofchk");
	assert_rejected("{" BASE ",\"vlan\":4095}", CNI_ERR_INVALID_CONFIG, "vlan");
	assert_rejected("{" BASE ",\"vlan\":-1}", CNI_ERR_INVALID_CONFIG, "vlan");
	assert_rejected("{" BASE ",\"vlan\":\"28\"}", CNI_ERR_DECODE, "vlan");
	assert_rejected("{" BASE ",\"vlan\":1.5}", CNI_ERR_DECODE, "vlan");
	assert_rejected("{" BASE ",\"vlanQoS\":1}", CNI_ERR_INVALID_CONFIG, "vlanQoS");
	assert_rejected("{" BASE ",\"vlan\":0,\"vlanQoS\":3}", CNI_ERR_INVALID_CONFIG, "vlanQoS");
	assert_rejected("{" BASE ",\"vlan\":5,\"vlanQoS\":8}", CNI_ERR_INVALID_CONFIG, "vlanQoS");
	assert_rejected("{" BASE ",\"vlanProto\":\"802.1q\"}", CNI_ERR_INVALID_CONFIG, "vlanProto");
	assert_rejected("{" BASE ",\"vlan\":5,\"vlanProto\":\"qinq\"}", CNI_ERR_INVALID_CONFIG,
			"vlanProto");
	assert_rejected("{" BASE ",\"vlan\":0,\"vlanProto\":\"802.1ad\"}", CNI_ERR_INVALID_CONFIG,
			"vlanProto");
	assert_rejected("{" BASE ",\"mac\":\"zz:00:00:00:00:01\"}", CNI_ERR_INVALID_CONFIG, "mac");
	assert_rejected("{" BASE ",\"mac\":\"01:00:5e:00:00:01\"}", CNI_ERR_INVALID_CONFIG, "mac");
	assert_rejected("{" BASE ",\"mac\":\"00:00:00:00:00:00\"}", CNI_ERR_INVALID_CONFIG, "mac");
	assert_rejected("{" BASE ",\"mac\":\"02:00:00:00:00\"}", CNI_ERR_INVALID_CONFIG, "mac");
	assert_rejected("{" BASE ",\"link_state\":\"Enable\"}", CNI_ERR_INVALID_CONFIG,
			"link_state");
	assert_rejected("{" BASE ",\"min_tx_rate\":-1}", CNI_ERR_INVALID_CONFIG, "min_tx_rate");
	assert_rejected("{" BASE ",\"max_tx_rate\":-5}", CNI_ERR_INVALID_CONFIG, "max_tx_rate");
	assert_rejected("{" BASE ",\"min_tx_rate\":300,\"max_tx_rate\":200}",
			CNI_ERR_INVALID_CONFIG, "min_tx_rate");
	assert_rejected("{" BASE ",\"logLevel\":\"chatty\"}", CNI_ERR_INVALID_CONFIG, "logLevel");
	/* A wrong type is refused as Go refuses it; a bad path only sends the log to stderr. */
	assert_rejected("{" BASE ",\"logFile\":5}", CNI_ERR_DECODE, "logFile");
	assert_rejected("{" BASE ",\"ipam\":[]}", CNI_ERR_DECODE, "ipam");
	assert_rejected("{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", CNI_ERR_INVALID_CONFIG,
			"deviceID");
	assert_rejected("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"deviceID\":\"../../etc\"}",
			CNI_ERR_INVALID_CONFIG, "deviceID");
	assert_rejected("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"deviceID\":\"0000:3b:02.8\"}",
			CNI_ERR_INVALID_CONFIG, "deviceID");
	assert_rejected("{\"cniVersion\":\"1.0.0\",\"deviceID\":\"0000:3b:02.1\"}",
			CNI_ERR_INVALID_CONFIG, "name");
	assert_rejected("{\"cniVersion\":\"1.0.0\",\"name\":\"../../tmp/evil\"}",
			CNI_ERR_INVALID_CONFIG, "name");
	assert_rejected("{\"cniVersion\":\"9.9.9\",\"name\":\"n\"}", CNI_ERR_INCOMPATIBLE_VERSION,
			"incompatible");
	assert_rejected("{\"cniVersion\":\"1.0.0\",", CNI_ERR_DECODE, "unmarshall");
	assert_rejected("[1]", CNI_ERR_DECODE, "object");
}

static void test_log_file_never_fails(void **state)
{
	static const char *const files[] = { "relative.log", "/var/log/../../etc/x", "/dev/sda",
					     "/root/.ssh/authorized_keys" };
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	/* log_open() decides (and falls back to stderr); the config itself stays valid. */
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char text[256];

		snprintf(text, sizeof(text), "{" BASE ",\"logFile\":\"%s\"}", files[i]);
		assert_int_equal(parse(text, &c, &err), 0);
		assert_string_equal(c.log_file, files[i]);
	}
}

static void test_mac_precedence(void **state)
{
	struct cni_env env = add_env;
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;
	char mac[18];
	const char *with_rc = "{" BASE ",\"mac\":\"02:00:00:00:00:01\","
			      "\"runtimeConfig\":{\"mac\":\"02:00:00:00:00:03\"}}";
	const char *no_rc = "{" BASE ",\"mac\":\"02:00:00:00:00:01\"}";

	env.args = "IgnoreUnknown=1;K8S_POD_NAME=p;MAC=02:00:00:00:00:02";
	assert_int_equal(parse_env(&env, no_rc, &c, &err), 0);
	assert_string_equal(conf_mac_str(c.mac, mac), "02:00:00:00:00:02");
	assert_int_equal(parse_env(&env, with_rc, &c, &err), 0);
	assert_string_equal(conf_mac_str(c.mac, mac), "02:00:00:00:00:03");
	env.args = NULL;
	assert_int_equal(parse_env(&env, no_rc, &c, &err), 0);
	assert_string_equal(conf_mac_str(c.mac, mac), "02:00:00:00:00:01");
	env.args = "K8S_POD_NAME=p";
	assert_true(parse_env(&env, no_rc, &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_INVALID_ENV);
	env.args = "MAC=02:00:00:00:00:0g";
	assert_true(parse_env(&env, no_rc, &c, &err) < 0);
	assert_non_null(strstr(err.msg, "MAC"));
}

static void test_versions_per_command(void **state)
{
	struct cni_env env = add_env;
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	env.cmd = CNI_CMD_CHECK;
	assert_true(
		parse_env(&env,
			  "{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"deviceID\":\"0000:3b:02.1\"}",
			  &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_INCOMPATIBLE_VERSION);
	env.cmd = CNI_CMD_GC;
	assert_true(parse_env(&env, "{\"cniVersion\":\"1.0.0\",\"name\":\"n\"}", &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_INCOMPATIBLE_VERSION);
	assert_int_equal(parse_env(&env, "{\"cniVersion\":\"1.1.0\",\"name\":\"n\"}", &c, &err), 0);
	assert_string_equal(c.device_id, "");
	env.cmd = CNI_CMD_DEL;
	/* DEL works without deviceID (the record knows it) and without a version (0.1.0). */
	assert_int_equal(parse_env(&env, "{\"name\":\"n\"}", &c, &err), 0);
	assert_string_equal(c.cni_version, "0.1.0");
}

static void test_runtime_device_id(void **state)
{
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err;

	assert_int_equal(parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\","
			       "\"runtimeConfig\":{\"deviceID\":\"0000:AF:00.2\"}}",
			       &c, &err),
			 0);
	assert_string_equal(c.device_id, "0000:af:00.2");
}

/*
 * The corpus: real configs from public projects. Each is fed as Multus/libcni deliver it
 * (a conflist's first plugin with the list's name and version; "name" and "deviceID"
 * injected when absent). sriov-cni accepts all of them except a string-typed vlan and a
 * file that is not JSON; so must we.
 */
/*
 * Parse, then validate an embedded host-local section as ADD does before touching the VF
 * (delegated IPAM types are the delegate's business).
 */
static int parse_ipam(const char *text, struct sriov_conf *c, struct cni_err *err)
{
	struct ipam_request req = { 0 };
	int r;

	memset(err, 0, sizeof(*err));
	r = conf_parse(text, strlen(text), &add_env, c, err);
	if (r < 0 || strcmp(c->ipam.type, "host-local") != 0)
		return r;
	req.cni_version = c->cni_version;
	req.network = c->name;
	req.container_id = add_env.container_id;
	req.ifname = add_env.ifname;
	req.conf = &c->ipam;
	req.conf_text = text;
	req.conf_len = strlen(text);
	return ipam_validate(&req, err);
}

static char *corpus_input(const char *path, bool *ret_json_ok)
{
	_cleanup_free_ char *text = NULL;
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_cjson_ cJSON *root = NULL;
	cJSON *conf, *plugins;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
	root = cJSON_Parse(text);
	*ret_json_ok = root != NULL;
	if (!root)
		return TAKE_PTR(text);
	plugins = json_get(root, "plugins");
	if (plugins) {
		cJSON *list_name = json_get(root, "name"), *list_ver = json_get(root, "cniVersion");

		conf = cJSON_DetachItemFromArray(plugins, 0);
		if (list_name)
			cJSON_AddItemToObject(conf, "name", cJSON_Duplicate(list_name, 1));
		if (list_ver)
			cJSON_AddItemToObject(conf, "cniVersion", cJSON_Duplicate(list_ver, 1));
	} else {
		conf = cJSON_Duplicate(root, 1);
	}
	if (!json_get(conf, "name"))
		cJSON_AddStringToObject(conf, "name", "corpus-net");
	if (!json_get(conf, "deviceID") ||
	    strcmp(cJSON_GetStringValue(json_get(conf, "deviceID")), "@VF@") == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(conf, "deviceID");
		cJSON_AddStringToObject(conf, "deviceID", "0000:3b:02.1");
	}
	char *out = cJSON_PrintUnformatted(conf);
	cJSON_Delete(conf);
	return out;
}

static void test_corpus(void **state)
{
	_cleanup_closedir_ DIR *d = opendir(SRIOV_CORPUS_DIR);
	struct dirent *de;
	int n = 0;

	if (!d) {
		if (getenv("CI") && strcmp(getenv("CI"), "true") == 0)
			fail_msg("corpus missing at %s under CI", SRIOV_CORPUS_DIR);
		skip();
	}
	while ((de = readdir(d))) {
		char path[4096];
		_cleanup_free_ char *in = NULL;
		_cleanup_conf_ struct sriov_conf c = { 0 };
		struct cni_err err;
		bool json_ok, want_ok;
		int r;

		if (!strstr(de->d_name, ".json") && !strstr(de->d_name, ".conflist"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", SRIOV_CORPUS_DIR, de->d_name);
		in = corpus_input(path, &json_ok);
		/* 45: a string vlan; 41: host-local values left as placeholders ("subnet/mask"). */
		want_ok = json_ok && strncmp(de->d_name, "45-", 3) != 0 &&
			  strncmp(de->d_name, "41-", 3) != 0;
		r = parse_ipam(in, &c, &err);
		if ((r == 0) != want_ok)
			fail_msg("%s: expected %s, got %s (%s)", de->d_name,
				 want_ok ? "accept" : "reject", r == 0 ? "accept" : "reject",
				 r == 0 ? "" : err.msg);
		if (r < 0)
			assert_true(err.code == CNI_ERR_DECODE ||
				    err.code == CNI_ERR_INVALID_CONFIG);
		if (strncmp(de->d_name, "41-", 3) == 0 && !strstr(err.msg, "subnet"))
			fail_msg("41: the error should name the subnet: %s", err.msg);
		n++;
	}
	assert_int_equal(n, 52);
}

struct reports {
	int n;
	char fields[16][32];
	char msgs[16][512];
};

static void collect(void *ctx, const char *field, const struct cni_err *e)
{
	struct reports *r = ctx;

	assert_true(r->n < 16);
	snprintf(r->fields[r->n], sizeof(r->fields[0]), "%s", field ? field : "");
	snprintf(r->msgs[r->n], sizeof(r->msgs[0]), "%s", e->msg);
	r->n++;
}

/* conf_check: every wrong field once, in field order; deviceID and (with a default) name optional. */
static void test_check_all_problems(void **state)
{
	static const char text[] =
		"{\"cniVersion\":\"0.3.1\",\"name\":\"n\",\"vlan\":5000,\"trust\":\"maybe\","
		"\"max_tx_rate\":-3,\"logLevel\":\"loud\"}";
	struct reports r = { 0 };
	_cleanup_conf_ struct sriov_conf c = { 0 };

	assert_int_equal(conf_check(text, strlen(text), NULL, collect, &r, &c), 4);
	assert_int_equal(r.n, 4);
	assert_string_equal(r.fields[0], "vlan");
	assert_string_equal(r.fields[1], "trust");
	assert_string_equal(r.fields[2], "min_tx_rate");
	assert_non_null(strstr(r.msgs[2], "max_tx_rate"));
	assert_string_equal(r.fields[3], "logLevel");
	assert_string_equal(c.name, "n"); /* filled as far as the fields allowed */
	conf_release(&c);

	/* No deviceID, no name: fine when a default name stands in for Multus's. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(conf_check("{\"vlan\":3}", 10, "nad", collect, &r, &c), 0);
	assert_string_equal(c.name, "nad");
	assert_string_equal(c.device_id, "");
	assert_true(c.has_vlan);
	conf_release(&c);
	assert_int_equal(conf_check("{\"vlan\":3}", 10, NULL, collect, &r, &c), 1);
	assert_string_equal(r.fields[0], "name");
	conf_release(&c);

	/* Not JSON: reported once, negative, nothing returned. */
	memset(&r, 0, sizeof(r));
	assert_true(conf_check("{", 1, NULL, collect, &r, &c) < 0);
	assert_int_equal(r.n, 1);
	assert_false(c.has_vlan); /* zeroed */
	assert_string_equal(c.name, "");

	/* conf_parse still stops at the first problem, with the same message. */
	{
		struct cni_err err;

		assert_true(parse(text, &c, &err) < 0);
		assert_non_null(strstr(err.msg, "deviceID"));
	}
}

/*
 * The ipam section is parsed with the config, once, into struct ipam_conf: host-local's
 * ranges (canonicalised), routes, dataDir, resolvConf and the requested IPs of CNI_ARGS,
 * args.cni.ips and runtimeConfig.ips, in host-local's order.
 */
static void test_ipam_parsed_once(void **state)
{
	static const struct cni_env env = { .cmd = CNI_CMD_ADD,
					    .container_id = "c1",
					    .netns = "/var/run/netns/p",
					    .ifname = "net1",
					    .args = "IgnoreUnknown=1;IP=10.1.0.7" };
	static const char text[] =
		"{" BASE ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"/run/ipam-x\","
		"\"resolvConf\":\"/etc/resolv.conf\",\"ranges\":[[{\"subnet\":\"10.1.0.0/24\","
		"\"rangeStart\":\"10.1.0.5\",\"rangeEnd\":\"10.1.0.50\"}],[{\"subnet\":\"fd00::/120\"}]],"
		"\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"10.9.0.0/16\",\"gw\":\"10.1.0.1\","
		"\"mtu\":1400}]},\"args\":{\"cni\":{\"ips\":[\"fd00::9\"]}}}";
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err = { 0 };
	const struct ipam_conf *ip = &c.ipam;
	char b[IPPREFIX_STRLEN];

	assert_int_equal(parse_env(&env, text, &c, &err), 0);
	assert_string_equal(ip->type, "host-local");
	assert_int_equal(ip->parse_r, 0);
	assert_string_equal(ip->data_dir, "/run/ipam-x");
	assert_string_equal(ip->resolv_conf, "/etc/resolv.conf");
	assert_int_equal(ip->n_sets, 2);
	assert_int_equal(ip->n_ranges, 2);
	assert_string_equal(ipprefix_str(&ip->ranges[0].subnet, b), "10.1.0.0/24");
	assert_string_equal(ipaddr_str(&ip->ranges[0].start, b), "10.1.0.5");
	assert_string_equal(ipaddr_str(&ip->ranges[0].end, b), "10.1.0.50");
	assert_string_equal(ipaddr_str(&ip->ranges[0].gw, b), "10.1.0.1");
	assert_string_equal(ipaddr_str(&ip->ranges[1].end, b), "fd00::ff"); /* no broadcast */
	assert_int_equal(ip->n_routes, 2);
	assert_string_equal(ipprefix_str(&ip->routes[1].dst, b), "10.9.0.0/16");
	assert_string_equal(ipaddr_str(&ip->routes[1].gw, b), "10.1.0.1");
	assert_int_equal(ip->routes[1].mtu, 1400);
	assert_int_equal(ip->routes[0].mtu, -1);
	/* CNI_ARGS IP first, then args.cni.ips */
	assert_int_equal(ip->n_req_ips, 2);
	assert_string_equal(ipaddr_str(&ip->req_ips[0], b), "10.1.0.7");
	assert_string_equal(ipaddr_str(&ip->req_ips[1], b), "fd00::9");
	/* the default dataDir; a delegated type is not parsed beyond its name */
	assert_int_equal(parse("{" BASE
			       ",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.2.0.0/16\"}}",
			       &c, &err),
			 0);
	assert_string_equal(c.ipam.data_dir, "/var/lib/cni/networks");
	assert_int_equal(
		parse("{" BASE ",\"ipam\":{\"type\":\"whereabouts\",\"range\":7}}", &c, &err), 0);
	assert_string_equal(c.ipam.type, "whereabouts");
	assert_int_equal(c.ipam.n_sets, 0);
}

/*
 * A host-local section that host-local refuses: the config still parses (DEL of a pod must
 * not fail on it before its VF is given back), and the IPAM verbs give host-local's error,
 * with its code and the field in details, where they gave it before. A wrong ipam.type is the
 * config's own error.
 */
static void test_ipam_parse_error_kept(void **state)
{
	static const struct {
		const char *ipam, *args;
		unsigned int code;
		const char *msg, *details;
	} cases[] = {
		{ "\"ranges\":[[{\"subnet\":\"10.0.0.0/33\"}]]", NULL, CNI_ERR_INVALID_CONFIG,
		  "invalid CIDR address: 10.0.0.0/33", "ipam.ranges[0][0].subnet" },
		{ "\"subnet\":\"10.0.0.0/24\",\"routes\":[{\"gw\":\"10.0.0.1\"}]", NULL,
		  CNI_ERR_INVALID_CONFIG, "ipam.routes[0].dst: missing", "ipam.routes[0].dst" },
		{ "\"ranges\":[[{\"subnet\":\"10.0.0.0/24\"}],[{\"subnet\":\"10.0.0.0/25\"}]]",
		  NULL, CNI_ERR_INVALID_CONFIG, "range set 0 overlaps with 1", "ipam.ranges[1]" },
		{ "", NULL, CNI_ERR_INVALID_CONFIG, "no IP ranges specified", "ipam.ranges" },
		{ "\"subnet\":\"10.0.0.0/24\"", "IP=10.0.0.300", CNI_ERR_INVALID_ENV,
		  "ARGS: error parsing value of pair \"IP=10.0.0.300\": invalid IP address 10.0.0.300",
		  "" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct cni_env env = add_env;
		_cleanup_conf_ struct sriov_conf c = { 0 };
		struct ipam_request req = { 0 };
		struct cni_err err = { 0 };
		char text[512];

		snprintf(text, sizeof(text),
			 "{" BASE ",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\"/run/x\"%s%s}}",
			 cases[i].ipam[0] ? "," : "", cases[i].ipam);
		env.args = cases[i].args;
		assert_int_equal(parse_env(&env, text, &c, &err), 0);
		assert_true(c.ipam.parse_r < 0);
		req = (struct ipam_request){ .cni_version = c.cni_version,
					     .network = c.name,
					     .container_id = env.container_id,
					     .ifname = env.ifname,
					     .conf = &c.ipam };
		assert_true(ipam_validate(&req, &err) < 0);
		if (strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("case %zu: \"%s\", want \"%s\"", i, err.msg, cases[i].msg);
		assert_int_equal(err.code, cases[i].code);
		assert_string_equal(err.details, cases[i].details);
		err_clear(&err);
		assert_true(ipam_del(&req, &err) < 0);
		assert_string_equal(err.msg, cases[i].msg);
	}
	assert_rejected("{" BASE ",\"ipam\":{\"type\":5}}", CNI_ERR_INVALID_CONFIG, "ipam.type");
}

/* prevResult is parsed once into struct cni_result; one that does not parse is CHECK's error. */
static void test_prev_result_parsed(void **state)
{
	static const struct cni_env check = { .cmd = CNI_CMD_CHECK,
					      .container_id = "c1",
					      .netns = "/var/run/netns/p",
					      .ifname = "net1" };
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err = { 0 };
	char b[IPPREFIX_STRLEN];

	assert_int_equal(
		parse_env(
			&check,
			"{" BASE
			",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":"
			"\"net1\",\"mac\":\"02:00:00:00:00:01\"}],\"ips\":[{\"address\":\"10.1.0.5/24\","
			"\"interface\":0}],\"routes\":[{\"dst\":\"0.0.0.0/0\",\"gw\":\"10.1.0.1\"}]}}",
			&c, &err),
		0);
	assert_non_null(c.prev_result);
	assert_int_equal(c.prev_result_r, 0);
	assert_int_equal(c.prev_result->n_ifaces, 1);
	assert_string_equal(c.prev_result->ifaces[0].mac, "02:00:00:00:00:01");
	assert_int_equal(c.prev_result->n_ips, 1);
	assert_string_equal(ipprefix_str(&c.prev_result->ips[0].address, b), "10.1.0.5/24");
	assert_int_equal(c.prev_result->n_routes, 1);
	conf_release(&c);
	assert_null(c.prev_result);

	assert_int_equal(parse_env(&check, "{" BASE ",\"prevResult\":{\"ips\":[{\"address\":5}]}}",
				   &c, &err),
			 0);
	assert_true(c.prev_result_r < 0);
	assert_true(c.prev_result_err.msg[0] != '\0');
	conf_release(&c);
	assert_int_equal(parse_env(&check, "{" BASE "}", &c, &err), 0);
	assert_null(c.prev_result);
	assert_rejected("{" BASE ",\"prevResult\":[]}", CNI_ERR_DECODE, "prevResult");
}

/* GC's cni.dev/valid-attachments into a plain array that outlives the JSON. */
static void test_valid_attachments(void **state)
{
	static const struct cni_env gc = { .cmd = CNI_CMD_GC };
	_cleanup_conf_ struct sriov_conf c = { 0 };
	struct cni_err err = { 0 };

	assert_int_equal(
		parse_env(&gc,
			  "{\"cniVersion\":\"1.1.0\",\"name\":\"n\",\"cni.dev/valid-attachments\":["
			  "{\"containerID\":\"a\",\"ifname\":\"net1\"},{\"ContainerID\":\"b\","
			  "\"IFNAME\":\"net2\"}]}",
			  &c, &err),
		0);
	assert_int_equal(c.n_valid, 2);
	assert_string_equal(c.valid[0].container_id, "a");
	assert_string_equal(c.valid[0].ifname, "net1");
	assert_string_equal(c.valid[1].container_id, "b");
	assert_string_equal(c.valid[1].ifname, "net2");
	conf_release(&c);
	assert_null(c.valid);
	assert_int_equal(c.n_valid, 0);

	/* its exact key, as libcni writes it; a list of the wrong shape is code 6 */
	assert_int_equal(parse_env(&gc,
				   "{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
				   "\"CNI.dev/valid-attachments\":[{\"containerID\":\"a\"}]}",
				   &c, &err),
			 0);
	assert_int_equal(c.n_valid, 0);
	assert_true(parse_env(&gc,
			      "{\"cniVersion\":\"1.1.0\",\"name\":\"n\","
			      "\"cni.dev/valid-attachments\":[{\"containerID\":\"a\"}]}",
			      &c, &err) < 0);
	assert_int_equal(err.code, CNI_ERR_DECODE);
	assert_string_equal(err.msg,
			    "cni.dev/valid-attachments[0]: needs containerID and ifname strings");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_case_insensitive_keys),
		cmocka_unit_test(test_defaults_vlan_proto),
		cmocka_unit_test(test_rates_one_given),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_log_file_never_fails),
		cmocka_unit_test(test_mac_precedence),
		cmocka_unit_test(test_versions_per_command),
		cmocka_unit_test(test_runtime_device_id),
		cmocka_unit_test(test_corpus),
		cmocka_unit_test(test_check_all_problems),
		cmocka_unit_test(test_ipam_parsed_once),
		cmocka_unit_test(test_ipam_parse_error_kept),
		cmocka_unit_test(test_prev_result_parsed),
		cmocka_unit_test(test_valid_attachments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
