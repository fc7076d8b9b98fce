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

/* "major.minor.micro", each part decimal digits (at most 1000000): 0, or -EINVAL. */
static int version_parse(const char *v, long out[3])
{
	for (int i = 0; i < 3; i++) {
		char *end;

		if (!v || *v < '0' || *v > '9')
			return -EINVAL;
		out[i] = strtol(v, &end, 10);
		if (out[i] > 1000000 || *end != (i < 2 ? '.' : '\0'))
			return -EINVAL;
		v = end + 1;
	}
	return 0;
}

int cni_version_cmp(const char *a, const char *b)
{
	long x[3], y[3];
	bool xa = version_parse(a, x) == 0, yb = version_parse(b, y) == 0;

	if (!xa || !yb)
		return xa - yb; /* what does not parse sorts lowest */
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

int cni_args_walk(const char *args, int (*fn)(const struct cni_arg *a, void *ctx), void *ctx,
		  struct cni_arg *ret_bad)
{
	const char *p = args;

	if (!args || !*args)
		return 0;
	for (;;) {
		const char *end = strchrnul(p, ';');
		struct cni_arg a = { .pair = p, .plen = (size_t)(end - p), .key = p };
		const char *eq = memchr(p, '=', a.plen);
		int r;

		/* Exactly one '=' per piece, as strings.Split(pair, "=") must give two parts. */
		if (!eq || memchr(eq + 1, '=', (size_t)(end - eq - 1))) {
			*ret_bad = a;
			return -EINVAL;
		}
		a.klen = (size_t)(eq - p);
		a.val = eq + 1;
		a.vlen = a.plen - a.klen - 1;
		r = fn(&a, ctx);
		if (r < 0)
			return r;
		if (!*end)
			return 0;
		p = end + 1;
	}
}

int cni_args_bool(const char *v, size_t n, bool *ret)
{
	if ((n == 1 && v[0] == '1') || (n == 4 && strncasecmp(v, "true", 4) == 0))
		*ret = true;
	else if ((n == 1 && v[0] == '0') || (n == 5 && strncasecmp(v, "false", 5) == 0))
		*ret = false;
	else
		return -EINVAL;
	return 0;
}

static bool arg_is(const struct cni_arg *a, const char *key)
{
	return a->klen == strlen(key) && memcmp(a->key, key, a->klen) == 0;
}

struct args_get {
	const char *const *known;
	const char *key;
	char *buf;
	size_t len;
	struct cni_err *err; /* set by args_get_one(), which then returns < 0 */
	bool failed;
	bool ignore_unknown;
	const char *unknown;
	size_t unknown_len;
	int found;
};

static int args_get_one(const struct cni_arg *a, void *ctx)
{
	struct args_get *g = ctx;
	bool known = arg_is(a, "IgnoreUnknown");

	for (size_t i = 0; g->known && g->known[i]; i++)
		known = known || arg_is(a, g->known[i]);
	g->failed = true;
	if (arg_is(a, "IgnoreUnknown") && cni_args_bool(a->val, a->vlen, &g->ignore_unknown) < 0)
		return err_set(g->err, EINVAL, CNI_ERR_INVALID_ENV,
			       "CNI_ARGS: IgnoreUnknown: invalid boolean %s",
			       QUOTE_N(a->val, a->vlen));
	if (!known && !g->unknown) {
		g->unknown = a->key;
		g->unknown_len = a->klen;
	}
	if (arg_is(a, g->key)) {
		if (a->vlen >= g->len)
			return err_set(g->err, ENAMETOOLONG, CNI_ERR_INVALID_ENV,
				       "CNI_ARGS: %s: value too long", g->key);
		memcpy(g->buf, a->val, a->vlen);
		g->buf[a->vlen] = '\0';
		g->found = 1;
	}
	g->failed = false;
	return 0;
}

int cni_args_get(const char *args, const char *const *known, const char *key, char *buf, size_t len,
		 struct cni_err *err)
{
	struct args_get g = { .known = known, .key = key, .buf = buf, .len = len, .err = err };
	struct cni_arg bad;
	int r = cni_args_walk(args, args_get_one, &g, &bad);

	if (r < 0 && !g.failed)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "CNI_ARGS: invalid pair %s",
			       QUOTE_N(bad.pair, bad.plen));
	if (r < 0)
		return r;
	if (g.unknown && !g.ignore_unknown)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "CNI_ARGS: unknown args [%s]",
			       ESCAPED_N(g.unknown, g.unknown_len));
	return g.found;
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
