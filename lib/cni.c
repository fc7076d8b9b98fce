/* SPDX-License-Identifier: Apache-2.0 */
/* cni.c: CNI_* environment checks, version negotiation, CNI_ARGS, error/VERSION JSON. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/text.h"

const char *const cni_versions[] = { "0.1.0", "0.2.0", "0.3.0", "0.3.1",
				     "0.4.0", "1.0.0", "1.1.0", NULL };

static const char *const cmd_names[] = {
	[CNI_CMD_ADD] = "ADD",	       [CNI_CMD_DEL] = "DEL", [CNI_CMD_CHECK] = "CHECK",
	[CNI_CMD_VERSION] = "VERSION", [CNI_CMD_GC] = "GC",   [CNI_CMD_STATUS] = "STATUS",
};

const char *cni_cmd_name(enum cni_cmd cmd)
{
	return cmd_names[cmd];
}

bool cni_version_supported(const char *v)
{
	for (size_t i = 0; v && cni_versions[i]; i++)
		if (strcmp(v, cni_versions[i]) == 0)
			return true;
	return false;
}

static void version_split(const char *v, long out[3])
{
	out[0] = out[1] = out[2] = -1;
	for (int i = 0; v && i < 3; i++) {
		char *end;

		out[i] = strtol(v, &end, 10);
		if (end == v)
			return;
		v = *end == '.' ? end + 1 : NULL;
	}
}

int cni_version_cmp(const char *a, const char *b)
{
	long x[3], y[3];

	version_split(a, x);
	version_split(b, y);
	for (int i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool cni_valid_id(const char *s)
{
	size_t n;

	if (!s || !is_alnum(s[0]))
		return false;
	for (n = 1; s[n]; n++)
		if (!is_alnum(s[n]) && s[n] != '_' && s[n] != '.' && s[n] != '-')
			return false;
	return n <= CNI_ID_MAX;
}

bool cni_valid_ifname(const char *s)
{
	size_t n;

	if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (n = 0; s[n]; n++)
		if (s[n] == '/' || s[n] == ':' || s[n] == ' ' || (s[n] >= '\t' && s[n] <= '\r'))
			return false;
	return n < 16;
}

int cni_env_load(char *(*getenv_fn)(const char *), struct cni_env *ret, struct cni_err *err)
{
	struct cni_env env = { 0 };
	const char *cmd = getenv_fn("CNI_COMMAND");
	char missing[128] = "";
	size_t i;

	if (!cmd || !*cmd)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "required env variables [CNI_COMMAND] missing");
	for (i = 0; i < ARRAY_SIZE(cmd_names); i++)
		if (strcmp(cmd, cmd_names[i]) == 0)
			break;
	if (i == ARRAY_SIZE(cmd_names))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "unknown CNI_COMMAND: %s",
			       ESCAPED(cmd));
	env.cmd = (enum cni_cmd)i;
	env.container_id = getenv_fn("CNI_CONTAINERID");
	env.netns = getenv_fn("CNI_NETNS");
	env.ifname = getenv_fn("CNI_IFNAME");
	env.args = getenv_fn("CNI_ARGS");
	env.path = getenv_fn("CNI_PATH");

	if (env.cmd == CNI_CMD_ADD || env.cmd == CNI_CMD_DEL || env.cmd == CNI_CMD_CHECK) {
		if (!env.container_id || !*env.container_id)
			strcat(missing, missing[0] ? ",CNI_CONTAINERID" : "CNI_CONTAINERID");
		if (env.cmd != CNI_CMD_DEL && (!env.netns || !*env.netns))
			strcat(missing, missing[0] ? ",CNI_NETNS" : "CNI_NETNS");
		if (!env.ifname || !*env.ifname)
			strcat(missing, missing[0] ? ",CNI_IFNAME" : "CNI_IFNAME");
		if (missing[0])
			return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
				       "required env variables [%s] missing", missing);
		if (!cni_valid_id(env.container_id))
			return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
				       "CNI_CONTAINERID: invalid characters in containerID %s",
				       QUOTE(env.container_id));
		if (!cni_valid_ifname(env.ifname))
			return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
				       "CNI_IFNAME: invalid interface name %s", QUOTE(env.ifname));
	}
	*ret = env;
	return 0;
}

static bool known_key(const char *const *known, const char *key, size_t klen)
{
	if (klen == strlen("IgnoreUnknown") && strncmp(key, "IgnoreUnknown", klen) == 0)
		return true;
	for (size_t i = 0; known && known[i]; i++)
		if (strlen(known[i]) == klen && strncmp(known[i], key, klen) == 0)
			return true;
	return false;
}

int cni_args_get(const char *args, const char *const *known, const char *key, char *buf, size_t len,
		 struct cni_err *err)
{
	const char *p = args, *unknown = NULL;
	size_t unknown_len = 0;
	bool ignore_unknown = false;
	int found = 0;

	if (!args || !*args)
		return 0;
	while (p) {
		const char *end = strchr(p, ';');
		size_t plen = end ? (size_t)(end - p) : strlen(p);
		const char *eq = memchr(p, '=', plen);
		size_t klen, vlen;

		/* Exactly one '=' per piece, as libcni's strings.Split(pair, "=") demands. */
		if (!eq || memchr(eq + 1, '=', plen - (size_t)(eq - p) - 1))
			return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
				       "CNI_ARGS: invalid pair %s", QUOTE_N(p, plen));
		klen = (size_t)(eq - p);
		vlen = plen - klen - 1;
		if (klen == strlen("IgnoreUnknown") && strncmp(p, "IgnoreUnknown", klen) == 0) {
			if ((vlen == 1 && eq[1] == '1') ||
			    (vlen == 4 && strncasecmp(eq + 1, "true", 4) == 0))
				ignore_unknown = true;
			else if ((vlen == 1 && eq[1] == '0') ||
				 (vlen == 5 && strncasecmp(eq + 1, "false", 5) == 0))
				ignore_unknown = false;
			else
				return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
					       "CNI_ARGS: IgnoreUnknown: invalid boolean %s",
					       QUOTE_N(eq + 1, vlen));
		} else if (!known_key(known, p, klen) && !unknown) {
			unknown = p;
			unknown_len = klen;
		}
		if (klen == strlen(key) && strncmp(p, key, klen) == 0) {
			if (vlen >= len)
				return err_set(err, ENAMETOOLONG, CNI_ERR_INVALID_ENV,
					       "CNI_ARGS: %s: value too long", key);
			memcpy(buf, eq + 1, vlen);
			buf[vlen] = '\0';
			found = 1;
		}
		p = end ? end + 1 : NULL;
	}
	if (unknown && !ignore_unknown)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "CNI_ARGS: unknown args [%s]",
			       ESCAPED_N(unknown, unknown_len));
	return found;
}

cJSON *cni_version_json(const char *cni_version)
{
	cJSON *j = cJSON_CreateObject();
	cJSON *list;

	if (!j)
		return NULL;
	if (!cJSON_AddStringToObject(j, "cniVersion",
				     cni_version && *cni_version ? cni_version : "1.1.0") ||
	    !(list = cJSON_AddArrayToObject(j, "supportedVersions"))) {
		cJSON_Delete(j);
		return NULL;
	}
	for (size_t i = 0; cni_versions[i]; i++) {
		cJSON *s = cJSON_CreateString(cni_versions[i]);

		if (!s || !cJSON_AddItemToArray(list, s)) {
			cJSON_Delete(s);
			cJSON_Delete(j);
			return NULL;
		}
	}
	return j;
}

cJSON *cni_error_json(const struct cni_err *e, const char *cni_version)
{
	cJSON *j = cJSON_CreateObject();

	if (!j)
		return NULL;
	if (!cJSON_AddStringToObject(j, "cniVersion",
				     cni_version && *cni_version ? cni_version : "1.1.0") ||
	    !cJSON_AddNumberToObject(j, "code", e->code ? e->code : CNI_ERR_INTERNAL) ||
	    !cJSON_AddStringToObject(j, "msg", e->msg) ||
	    (e->details[0] && !cJSON_AddStringToObject(j, "details", e->details))) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}
