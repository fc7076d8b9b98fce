/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hostlocal_shim.c: the embedded host-local behind the CNI IPAM protocol (CNI_* env, config on
 * stdin, result or error JSON on stdout), so it can be run side by side with the Go binary.
 * SRIOV_IPAM_STATE_DIR, when set, enables the index (as the plugin's state dir does).
 * SRIOV_IPAM_DATA_ROOT, when set, is where dataDir may be instead of /var/lib/cni and /run
 * (the plugin has no such switch: a tenant must not be able to move the store).
 * CNI_VALID_ATTACHMENTS ("id/ifname,id/ifname") stands in for GC's cni.dev/valid-attachments.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/ipam.h"
#include "sriov/ipam_parse.h"
#include "sriov/json.h"

#define STDIN_MAX (1024 * 1024)

static int print_error(const char *version, const struct cni_err *e)
{
	_cleanup_cjson_ cJSON *j = cJSON_CreateObject();

	cJSON_AddStringToObject(j, "cniVersion", version);
	cJSON_AddNumberToObject(j, "code", e->code);
	cJSON_AddStringToObject(j, "msg", e->msg);
	if (e->details[0])
		cJSON_AddStringToObject(j, "details", e->details);
	json_print(stdout, j);
	return 1;
}

static size_t parse_valid(char *s, struct ipam_attachment *v, size_t max)
{
	size_t n = 0;

	for (char *tok = strtok(s, ","); tok && n < max; tok = strtok(NULL, ",")) {
		char *slash = strchr(tok, '/');

		if (!slash)
			continue;
		*slash = '\0';
		v[n].container_id = tok;
		v[n].ifname = slash + 1;
		n++;
	}
	return n;
}

int main(void)
{
	static char in[STDIN_MAX];
	static struct cni_result res;
	static struct ipam_attachment valid[4096];
	static const char *roots[2];
	static struct ipam_conf section;
	struct cni_err err = { 0 };
	struct ipam_request req = { 0 };
	_cleanup_cjson_ cJSON *conf = NULL;
	const char *cmd = getenv("CNI_COMMAND");
	const char *version = "0.1.0";
	_cleanup_free_ char *valid_s = NULL;
	size_t len;
	cJSON *v, *name;
	int r;

	if (!cmd) {
		err_set(&err, EINVAL, CNI_ERR_INVALID_ENV, "CNI_COMMAND missing");
		return print_error(version, &err);
	}
	if (strcmp(cmd, "VERSION") == 0) {
		puts("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"0.1.0\",\"0.2.0\",\"0.3.0\","
		     "\"0.3.1\",\"0.4.0\",\"1.0.0\"]}");
		return 0;
	}
	len = fread(in, 1, sizeof(in) - 1, stdin);
	in[len] = '\0';
	if (json_parse(in, len, "error unmarshall network config", &conf, &err) < 0)
		return print_error(version, &err);
	if (!cJSON_IsObject(conf)) {
		err_set(&err, EINVAL, CNI_ERR_DECODE, "error unmarshall network config");
		return print_error(version, &err);
	}
	v = json_get(conf, "cniVersion");
	if (cJSON_IsString(v) && v->valuestring[0])
		version = v->valuestring;
	name = json_get(conf, "name");
	req.cni_version = version;
	req.network = cJSON_IsString(name) ? name->valuestring : "";
	req.container_id = getenv("CNI_CONTAINERID");
	req.ifname = getenv("CNI_IFNAME");
	req.netns = getenv("CNI_NETNS");
	req.cni_args = getenv("CNI_ARGS");
	req.cni_path = getenv("CNI_PATH");
	/* The section is parsed once, as conf_parse() does for the plugin. */
	if (ipam_section_parse(conf, version, req.cni_args, &section, &err) < 0)
		return print_error(version, &err);
	req.conf = &section;
	req.conf_text = in;
	req.conf_len = len;
	req.state_dir = getenv("SRIOV_IPAM_STATE_DIR");
	roots[0] = getenv("SRIOV_IPAM_DATA_ROOT");
	if (roots[0])
		req.data_roots = roots;
	if (getenv("CNI_VALID_ATTACHMENTS")) {
		valid_s = strdup(getenv("CNI_VALID_ATTACHMENTS"));
		if (valid_s) {
			req.n_valid = parse_valid(valid_s, valid, sizeof(valid) / sizeof(valid[0]));
			req.valid = valid;
		}
	}

	if (strcmp(cmd, "ADD") == 0) {
		_cleanup_cjson_ cJSON *out = NULL;

		r = ipam_add(&req, &res, &err);
		if (r < 0)
			return print_error(version, &err);
		out = result_to_json(&res, version, &err);
		if (!out)
			return print_error(version, &err);
		json_print(stdout, out);
		return 0;
	}
	if (strcmp(cmd, "DEL") == 0)
		r = ipam_del(&req, &err);
	else if (strcmp(cmd, "CHECK") == 0)
		r = ipam_check(&req, &err);
	else if (strcmp(cmd, "GC") == 0)
		r = ipam_gc(&req, &err);
	else if (strcmp(cmd, "STATUS") == 0)
		r = ipam_status(&req, &err);
	else
		r = err_set(&err, EINVAL, CNI_ERR_INVALID_ENV, "unknown CNI_COMMAND: %s", cmd);
	if (r < 0)
		return print_error(version, &err);
	return 0;
}
