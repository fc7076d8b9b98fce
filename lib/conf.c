/* SPDX-License-Identifier: Apache-2.0 */
/* conf.c: parse and validate the sriov network configuration from stdin into struct sriov_conf. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/conf.h"
#include "sriov/ipam_parse.h"
#include "sriov/json.h"
#include "sriov/log.h"
#include "sriov/text.h"
#include "conf_int.h"

#define ETH_P_8021Q_ 0x8100
#define ETH_P_8021AD_ 0x88a8

bool conf_valid_pci(const char *s)
{
	size_t n = 0;

	/* domain: 4-8 hex digits, then bus 2, ':', device 2, '.', function 1 (0-7). */
	while (text_hexval(s[n]) >= 0)
		n++;
	if (n < 4 || n > 8 || s[n] != ':')
		return false;
	s += n + 1;
	return text_hexval(s[0]) >= 0 && text_hexval(s[1]) >= 0 && s[2] == ':' &&
	       text_hexval(s[3]) >= 0 && text_hexval(s[4]) >= 0 && s[5] == '.' && s[6] >= '0' &&
	       s[6] <= '7' && s[7] == '\0';
}

int conf_parse_mac(const char *s, uint8_t ret[6])
{
	uint8_t mac[6];
	char sep;

	if (strlen(s) != 17)
		return -EINVAL;
	sep = s[2];
	if (sep != ':' && sep != '-')
		return -EINVAL;
	for (int i = 0; i < 6; i++) {
		int hi = text_hexval(s[i * 3]), lo = text_hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != sep))
			return -EINVAL;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	/* A VF needs a unicast, non-zero address; the kernel would refuse anything else later. */
	if (mac[0] & 1)
		return -EINVAL;
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		return -EINVAL;
	memcpy(ret, mac, 6);
	return 0;
}

const char *conf_mac_str(const uint8_t mac[6], char buf[18])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		buf[3 * i] = hex[mac[i] >> 4];
		buf[3 * i + 1] = hex[mac[i] & 0xf];
		buf[3 * i + 2] = i < 5 ? ':' : '\0';
	}
	return buf;
}

void conf_peek_version(const char *text, size_t len, char buf[16])
{
	_cleanup_cjson_ cJSON *root = NULL;
	struct conf_span list;
	struct cni_err err = { 0 };
	cJSON *v;

	/* Without a tree of GC's list when the text is valid; else as leniently as cJSON reads. */
	if (conf_split(text, len, "config", &root, &list, &err) < 0)
		root = cJSON_ParseWithLength(text, len);
	v = json_get(root, "cniVersion");
	/* Only a version we speak goes back into an error reply. */
	buf[0] = '\0';
	if (cJSON_IsString(v) && cni_version_supported(v->valuestring))
		strcpy(buf, v->valuestring);
}

static int parse_onoff(const cJSON *root, const char *key, enum tristate *ret, struct cni_err *err)
{
	const char *s = NULL;
	int r = json_get_string(root, key, key, &s, err);

	if (r <= 0)
		return r;
	if (strcmp(s, "on") == 0)
		*ret = TRI_ON;
	else if (strcmp(s, "off") == 0)
		*ret = TRI_OFF;
	else
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "%s: invalid value %s: must be \"on\" or \"off\"", key, QUOTE(s));
	return 0;
}

static int parse_mac_field(const char *what, const char *s, struct sriov_conf *c,
			   struct cni_err *err)
{
	if (conf_parse_mac(s, c->mac) < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s: invalid MAC address %s",
			       what, QUOTE(s));
	c->has_mac = true;
	return 0;
}

static int parse_vlan(const cJSON *root, struct sriov_conf *c, struct cni_err *err)
{
	const char *proto = NULL;
	long long v;
	int r;

	r = json_get_int(root, "vlan", "vlan", 0, 4094, &v, err);
	if (r < 0)
		return r;
	if (r > 0) {
		c->has_vlan = true;
		c->vlan = (unsigned int)v;
	}
	r = json_get_int(root, "vlanQoS", "vlanQoS", 0, 7, &v, err);
	if (r < 0)
		return r;
	if (r > 0) {
		if (!c->has_vlan)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "vlanQoS: needs vlan to be set");
		if (v && !c->vlan)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "vlanQoS: %lld needs a non-zero vlan", v);
		c->has_qos = true;
		c->qos = (unsigned int)v;
	}
	r = json_get_string(root, "vlanProto", "vlanProto", &proto, err);
	if (r < 0)
		return r;
	if (r > 0) {
		if (!c->has_vlan)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "vlanProto: needs vlan to be set");
		if (strcasecmp(proto, "802.1q") == 0)
			c->vlan_proto = ETH_P_8021Q_;
		else if (strcasecmp(proto, "802.1ad") == 0)
			c->vlan_proto = ETH_P_8021AD_;
		else
			return err_set(
				err, EINVAL, CNI_ERR_INVALID_CONFIG,
				"vlanProto: invalid value %s: must be \"802.1q\" or \"802.1ad\"",
				QUOTE(proto));
		if (c->vlan_proto == ETH_P_8021AD_ && !c->vlan)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "vlanProto: 802.1ad needs a non-zero vlan");
		c->has_proto = true;
	} else if (c->has_vlan) {
		c->vlan_proto = ETH_P_8021Q_;
	}
	return 0;
}

static int parse_rates(const cJSON *root, struct sriov_conf *c, struct cni_err *err)
{
	int r1, r2;

	c->min_tx_rate = c->max_tx_rate = -1;
	r1 = json_get_int(root, "min_tx_rate", "min_tx_rate", 0, UINT32_MAX, &c->min_tx_rate, err);
	if (r1 < 0)
		return r1;
	r2 = json_get_int(root, "max_tx_rate", "max_tx_rate", 0, UINT32_MAX, &c->max_tx_rate, err);
	if (r2 < 0)
		return r2;
	/* As sriov-cni: one rate given means the other is sent as 0 (no minimum / uncapped). */
	if (r1 > 0 || r2 > 0) {
		if (c->min_tx_rate < 0)
			c->min_tx_rate = 0;
		if (c->max_tx_rate < 0)
			c->max_tx_rate = 0;
		if (c->max_tx_rate && c->min_tx_rate > c->max_tx_rate)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "min_tx_rate: %lld is above max_tx_rate %lld",
				       c->min_tx_rate, c->max_tx_rate);
	}
	return 0;
}

static int parse_logging(const cJSON *root, struct sriov_conf *c, struct cni_err *err)
{
	static const char *const levels[] = { [LOG_LEVEL_PANIC] = "panic",
					      [LOG_LEVEL_ERROR] = "error",
					      [LOG_LEVEL_WARNING] = "warning",
					      [LOG_LEVEL_INFO] = "info",
					      [LOG_LEVEL_DEBUG] = "debug" };
	const char *s = NULL;
	int r;

	c->log_level = LOG_LEVEL_INFO;
	r = json_get_string(root, "logLevel", "logLevel", &s, err);
	if (r < 0)
		return r;
	if (r > 0 && *s) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(levels); i++)
			if (strcasecmp(s, levels[i]) == 0)
				break;
		if (i == ARRAY_SIZE(levels))
			return err_set(
				err, EINVAL, CNI_ERR_INVALID_CONFIG,
				"logLevel: invalid value %s: must be one of panic, error, warning, info, debug",
				QUOTE(s));
		c->log_level = (enum log_level)i;
	}
	s = NULL;
	r = json_get_string(root, "logFile", "logFile", &s, err);
	if (r < 0)
		return r;
	/* Any string: log_open() decides, and a refused logFile only means stderr. */
	if (r > 0 && *s) {
		if (strlen(s) < sizeof(c->log_file))
			strcpy(c->log_file, s);
		else
			log_warn("logFile: longer than %zu bytes; logging to stderr",
				 sizeof(c->log_file) - 1);
	}
	return 0;
}

static int parse_device_id(const cJSON *root, struct sriov_conf *c, bool required,
			   struct cni_err *err)
{
	const char *s = NULL;
	int r = json_get_string(root, "deviceID", "deviceID", &s, err);

	if (r < 0)
		return r;
	if (r == 0 || !*s) {
		/* CNI conventions also allow the device through runtimeConfig. */
		cJSON *rc = json_get(root, "runtimeConfig");

		s = NULL;
		r = json_get_string(rc, "deviceID", "runtimeConfig.deviceID", &s, err);
		if (r < 0)
			return r;
	}
	if (!s || !*s) {
		if (required)
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "deviceID: VF PCI address is required");
		return 0;
	}
	if (!conf_valid_pci(s))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "deviceID: %s is not a PCI address (dddd:bb:dd.f)", QUOTE(s));
	for (size_t i = 0; s[i]; i++)
		c->device_id[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	return 0;
}

static int parse_mac_precedence(const cJSON *root, const struct cni_env *env, struct sriov_conf *c,
				struct cni_err *err)
{
	static const char *const known[] = { "MAC", "IP", NULL };
	const char *s = NULL;
	char buf[64];
	cJSON *rc;
	int r;

	r = json_get_string(root, "mac", "mac", &s, err);
	if (r < 0)
		return r;
	if (r > 0 && *s && (r = parse_mac_field("mac", s, c, err)) < 0)
		return r;
	r = cni_args_get(env->args, known, "MAC", buf, sizeof(buf), err);
	if (r < 0)
		return r;
	if (r > 0 && buf[0] && (r = parse_mac_field("CNI_ARGS MAC", buf, c, err)) < 0)
		return r;
	rc = json_get(root, "runtimeConfig");
	if (rc && !cJSON_IsObject(rc))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "runtimeConfig: must be an object");
	s = NULL;
	r = json_get_string(rc, "mac", "runtimeConfig.mac", &s, err);
	if (r < 0)
		return r;
	if (r > 0 && *s && (r = parse_mac_field("runtimeConfig.mac", s, c, err)) < 0)
		return r;
	return 0;
}

/*
 * One step of the parse: reads its own fields of x->root into @c and fails with an error
 * naming the first of them that is wrong. conf_parse() stops at the first failing step;
 * conf_check() runs them all, so that every wrong field is reported once.
 */
struct conf_ctx {
	const cJSON *root;
	const struct cni_env *env;
	bool device_id_required;
	const char *default_name; /* used when "name" is absent (conf_check only) */
	const char *text; /* the config, where GC's list is read from (conf_split()) */
	struct conf_span list;
	char **own; /* the buffer of @text, when nothing reads it after the parse; else NULL */
};

static int step_version(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	const struct cni_env *env = x->env;
	const char *s = NULL;
	int r;

	r = json_get_string(x->root, "cniVersion", "cniVersion", &s, err);
	if (r < 0)
		return r;
	/* libcni treats a missing version as 0.1.0. */
	if (r == 0 || !*s)
		s = "0.1.0";
	if (!cni_version_supported(s)) {
		err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION, "incompatible CNI versions");
		err_details(
			err,
			"config is %s, plugin supports [0.1.0 0.2.0 0.3.0 0.3.1 0.4.0 1.0.0 1.1.0]",
			QUOTE(s));
		return err_ret(err);
	}
	strcpy(c->cni_version, s);
	if (env->cmd == CNI_CMD_CHECK && cni_version_cmp(s, "0.4.0") < 0)
		return err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION,
			       "config version does not allow CHECK");
	if ((env->cmd == CNI_CMD_GC || env->cmd == CNI_CMD_STATUS) &&
	    cni_version_cmp(s, "1.1.0") < 0)
		return err_set(err, EINVAL, CNI_ERR_INCOMPATIBLE_VERSION,
			       "config version does not allow %s", cni_cmd_name(env->cmd));
	return 0;
}

static int step_name(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	const char *s = NULL;
	int r;

	r = json_get_string(x->root, "name", "name", &s, err);
	if (r < 0)
		return r;
	if ((r == 0 || !*s) && x->default_name)
		s = x->default_name;
	else if (r == 0 || !*s)
		return err_set(
			err, EINVAL, CNI_ERR_INVALID_CONFIG,
			"name: missing network name (Multus sets it from the NetworkAttachmentDefinition)");
	if (strlen(s) > CNI_ID_MAX)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "name: network name is %zu bytes long, at most %d are supported",
			       strlen(s), CNI_ID_MAX);
	if (!cni_valid_id(s))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "name: invalid characters found in network name %s", QUOTE(s));
	strcpy(c->name, s);
	return 0;
}

static int step_device_id(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_device_id(x->root, c, x->device_id_required, err);
}

static int step_vlan(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_vlan(x->root, c, err);
}

static int step_mac(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_mac_precedence(x->root, x->env, c, err);
}

static int step_spoofchk(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_onoff(x->root, "spoofchk", &c->spoofchk, err);
}

static int step_trust(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_onoff(x->root, "trust", &c->trust, err);
}

static int step_link_state(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	const char *s = NULL;
	int r;

	r = json_get_string(x->root, "link_state", "link_state", &s, err);
	if (r <= 0 || !*s)
		return r < 0 ? r : 0;
	if (strcmp(s, "auto") == 0)
		c->link_state = 0;
	else if (strcmp(s, "enable") == 0)
		c->link_state = 1;
	else if (strcmp(s, "disable") == 0)
		c->link_state = 2;
	else
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "link_state: invalid value %s: must be auto, enable or disable",
			       QUOTE(s));
	return 0;
}

static int step_rates(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_rates(x->root, c, err);
}

static int step_logging(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	return parse_logging(x->root, c, err);
}

/* The whole ipam section, once: its type here, host-local's config (or its error) too. */
static int step_ipam(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	cJSON *j = json_get(x->root, "ipam");

	if (j && !cJSON_IsNull(j) && !cJSON_IsObject(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "ipam: must be an object");
	return ipam_section_parse(x->root, c->cni_version[0] ? c->cni_version : "0.1.0",
				  x->env->args, &c->ipam, err);
}

/* prevResult into struct cni_result; a result that does not parse is CHECK's error. */
static int step_prev_result(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	cJSON *j = json_get(x->root, "prevResult");

	if (!j || cJSON_IsNull(j))
		return 0;
	if (!cJSON_IsObject(j))
		return err_set(err, EINVAL, CNI_ERR_DECODE, "prevResult: must be an object");
	free(c->prev_result);
	c->prev_result = calloc(1, sizeof(*c->prev_result));
	if (!c->prev_result)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	err_clear(&c->prev_result_err);
	c->prev_result_r = result_from_json(j, c->cni_version[0] ? c->cni_version : "0.1.0",
					    c->prev_result, &c->prev_result_err);
	return 0;
}

/*
 * GC: "cni.dev/valid-attachments" (its exact key, as libcni writes it) as (containerID,
 * ifname) pairs. The list may be decoded into the config's own buffer when IPAM is ours or
 * absent: only a delegated IPAM plugin reads the text again (its GC gets it on stdin).
 */
static int step_valid(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err)
{
	bool forwarded = c->ipam.type[0] && strcmp(c->ipam.type, "host-local") != 0;

	if (x->env->cmd != CNI_CMD_GC)
		return 0;
	return conf_valid_read(x->root, x->text, x->list, forwarded ? NULL : x->own, c, err);
}

/* In the order ADD reads them, each with the (first) key it owns, for conf_check's reports. */
static const struct {
	int (*run)(const struct conf_ctx *x, struct sriov_conf *c, struct cni_err *err);
	const char *field;
} conf_steps[] = {
	{ step_version, "cniVersion" }, /* first, as libcni checks it before anything else */
	{ step_name, "name" },
	{ step_device_id, "deviceID" }, /* also runtimeConfig.deviceID */
	{ step_vlan, "vlan" }, /* also vlanQoS, vlanProto: each needs vlan */
	{ step_mac, "mac" }, /* also CNI_ARGS MAC, runtimeConfig.mac */
	{ step_spoofchk, "spoofchk" },
	{ step_trust, "trust" },
	{ step_link_state, "link_state" },
	{ step_rates, "min_tx_rate" }, /* also max_tx_rate */
	{ step_logging, "logLevel" }, /* also logFile */
	{ step_ipam, "ipam" }, /* its type; the rest is IPAM's own check */
	{ step_prev_result, "prevResult" },
	{ step_valid, "cni.dev/valid-attachments" }, /* GC only */
};

/* The JSON object in @text, or an error (code 6) saying why there is none. */
static int conf_decode(const char *text, size_t len, cJSON **ret, struct conf_span *ret_list,
		       struct cni_err *err)
{
	_cleanup_cjson_ cJSON *root = NULL;
	int r;

	if (len > CONF_MAX_INPUT)
		return err_set(err, EFBIG, CNI_ERR_DECODE,
			       "error unmarshall network config: input larger than %d bytes",
			       CONF_MAX_INPUT);
	r = conf_split(text, len, "error unmarshall network config", &root, ret_list, err);
	if (r < 0)
		return r;
	if (!cJSON_IsObject(root))
		return err_set(err, EINVAL, CNI_ERR_DECODE,
			       "error unmarshall network config: not a JSON object");
	*ret = TAKE_PTR(root);
	return 0;
}

void conf_release(struct sriov_conf *c)
{
	free(c->prev_result);
	c->prev_result = NULL;
	free(c->valid);
	c->valid = NULL;
	c->n_valid = 0;
	free(c->valid_strings);
	c->valid_strings = NULL;
	cJSON_Delete(c->json);
	c->json = NULL;
}

/* Defaults before any step: nothing set, rates and link state untouched. */
static void conf_init(struct sriov_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->link_state = -1;
	c->min_tx_rate = c->max_tx_rate = -1;
}

static int parse(const char *text, size_t len, char **own, const struct cni_env *env,
		 struct sriov_conf *ret, struct cni_err *err)
{
	_cleanup_cjson_ cJSON *root = NULL;
	struct conf_span list;
	struct conf_ctx x;
	int r;

	conf_init(ret);
	r = conf_decode(text, len, &root, &list, err);
	if (r < 0)
		return r;
	x = (struct conf_ctx){ root, env,  env->cmd == CNI_CMD_ADD || env->cmd == CNI_CMD_CHECK,
			       NULL, text, list,
			       own };
	for (size_t i = 0; i < ARRAY_SIZE(conf_steps); i++) {
		r = conf_steps[i].run(&x, ret, err);
		if (r < 0) {
			conf_release(ret);
			return r;
		}
	}
	/* Only ADD reads it again (the sriov-cni cache); GC's memory goes to its list. */
	if (env->cmd == CNI_CMD_ADD)
		ret->json = TAKE_PTR(root);
	return 0;
}

int conf_parse(const char *text, size_t len, const struct cni_env *env, struct sriov_conf *ret,
	       struct cni_err *err)
{
	return parse(text, len, NULL, env, ret, err);
}

int conf_parse_owned(char **text, size_t len, const struct cni_env *env, struct sriov_conf *ret,
		     struct cni_err *err)
{
	return parse(*text, len, text, env, ret, err);
}

int conf_check(const char *text, size_t len, const char *default_name, conf_report_t report,
	       void *ctx, struct sriov_conf *ret)
{
	static const struct cni_env add = { .cmd = CNI_CMD_ADD };
	_cleanup_cjson_ cJSON *root = NULL;
	struct cni_err err = { 0 };
	struct conf_span list;
	struct conf_ctx x;
	int r, problems = 0;

	conf_init(ret);
	r = conf_decode(text, len, &root, &list, &err);
	if (r < 0) {
		report(ctx, NULL, &err);
		return r;
	}
	x = (struct conf_ctx){ root, &add, false, default_name, text, list, NULL };
	for (size_t i = 0; i < ARRAY_SIZE(conf_steps); i++) {
		err_clear(&err);
		if (conf_steps[i].run(&x, ret, &err) < 0) {
			report(ctx, conf_steps[i].field, &err);
			problems++;
		}
	}
	return problems;
}
