/* SPDX-License-Identifier: Apache-2.0 */
/* main.c: the sriov CNI plugin: read CNI_* and stdin, run one verb, print the result or error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/cni_json.h"
#include "sriov/conf.h"
#include "sriov/json.h"
#include "sriov/log.h"
#include "sriov/plugin.h"
#include "sriov/plugin_check.h"
#include "sriov/result.h"

#include "cli.h"

/*
 * Read all of stdin, at most CONF_MAX_INPUT + 1 bytes (so an oversized input is detected),
 * NUL-terminated, into malloc'ed *@ret (*@ret_len bytes). A config of less than 64 KiB (every
 * ADD and DEL) is read into a buffer of that size from malloc's heap; one buffer of the
 * maximum size was an mmap and an munmap on every exec. A larger one (a GC list) moves once
 * into a buffer of the maximum size, its own mapping, which is only address space until
 * read() fills it: the text takes its own size in memory.
 */
static int read_stdin(char **ret, size_t *ret_len, struct cni_err *err)
{
	size_t cap = 64 * 1024, len = 0;
	_cleanup_free_ char *buf = malloc(cap);

	if (!buf)
		return err_set(err, ENOMEM, CNI_ERR_IO, "reading stdin: out of memory");
	for (;;) {
		ssize_t n;

		if (len + 1 == cap) {
			char *p;

			if (cap == CONF_MAX_INPUT + 2)
				break; /* CONF_MAX_INPUT + 1 bytes: too long, the parser says so */
			p = malloc(CONF_MAX_INPUT + 2);
			if (!p)
				return err_set(err, ENOMEM, CNI_ERR_IO,
					       "reading stdin: out of memory");
			memcpy(p, buf, len);
			free(buf);
			buf = p;
			cap = CONF_MAX_INPUT + 2;
		}
		n = read(STDIN_FILENO, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return err_set(err, errno, CNI_ERR_IO, "error reading from stdin");
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*ret = TAKE_PTR(buf);
	*ret_len = len;
	return 0;
}

static int print_json(cJSON *j)
{
	int r = j ? json_print(stdout, j) : -ENOMEM;

	cJSON_Delete(j);
	return r;
}

static int fail(const struct cni_err *err, const char *version)
{
	log_error("%s%s%s", err->msg, err->details[0] ? ": " : "", err->details);
	if (print_json(cni_error_json(err, version)) < 0)
		fprintf(stderr, "sriov: %s\n", err->msg);
	return 1;
}

/*
 * DEL with a config that does not validate (a string "vlan", a name missing, not JSON at
 * all, larger than we read): its ADD failed the same way, unless the config changed since.
 * When no VF record of this (network, containerID, ifname) exists, nothing can be released
 * and a retry could not help: succeed. Without a usable network name, a record of this
 * (containerID, ifname) in any network counts. Otherwise keep the config error, so that the
 * runtime retries once it is fixed.
 */
static int del_invalid_conf(const struct cni_env *env, const char *text, size_t len, int r,
			    struct cni_err *err)
{
	_cleanup_cjson_ cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *name =
		cJSON_IsObject(root) ? cJSON_GetObjectItemCaseSensitive(root, "name") : NULL;
	struct cni_err e = { 0 };

	if (plugin_del_holds(env, cJSON_IsString(name) ? name->valuestring : NULL, &e) != 0)
		return r;
	log_warn("DEL: the config is invalid (%s), and nothing of container %s/%s is recorded: "
		 "nothing to do",
		 err->msg, env->container_id ? env->container_id : "",
		 env->ifname ? env->ifname : "");
	err_clear(err);
	return 0;
}

/* @*text may pass to the parsed config (conf_parse_owned()): then it is NULL on return. */
static int run(const struct cni_env *env, char **text, size_t len, struct cni_err *err,
	       char version[16])
{
	_cleanup_free_ struct cni_result *res = NULL;
	_cleanup_conf_ struct sriov_conf conf;
	struct plugin_call call;
	int r;

	r = conf_parse_owned(text, len, env, &conf, err);
	if (r < 0 && env->cmd == CNI_CMD_DEL)
		return del_invalid_conf(env, *text, len, r, err);
	if (r < 0)
		return r;
	strcpy(version, conf.cni_version);
	log_open(conf.log_level, conf.log_file);
	call = (struct plugin_call){ env, &conf, *text, *text ? len : 0 };
	log_debug("%s container %s ifname %s netns %s deviceID %s", cni_cmd_name(env->cmd),
		  env->container_id ? env->container_id : "", env->ifname ? env->ifname : "",
		  env->netns ? env->netns : "", conf.device_id);
	switch (env->cmd) {
	case CNI_CMD_ADD:
		res = calloc(1, sizeof(*res));
		if (!res)
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
		r = plugin_add(&call, res, err);
		if (r < 0)
			return r;
		r = print_json(result_to_json(res, conf.cni_version, err));
		if (r < 0)
			return err_set(err, -r, CNI_ERR_IO, "writing the result");
		return 0;
	case CNI_CMD_DEL:
		return plugin_del(&call, err);
	case CNI_CMD_CHECK:
		return plugin_check(&call, err);
	case CNI_CMD_GC:
		return plugin_gc(&call, err);
	case CNI_CMD_STATUS:
		return plugin_status(&call, err);
	case CNI_CMD_VERSION:
		break;
	}
	return 0;
}

int main(int argc, char **argv)
{
	_cleanup_free_ char *text = NULL;
	struct cni_err err = { 0 };
	struct cni_env env;
	char version[16] = "";
	size_t len = 0;
	int r;

	/* Runtimes set CNI_COMMAND and pass no arguments; a person types "sriov validate ...". */
	if (argc > 1 && !(getenv("CNI_COMMAND") && *getenv("CNI_COMMAND")))
		return cli_main(argc, argv);
	r = cni_env_load(getenv, &env, &err);
	if (r < 0)
		return fail(&err, NULL);
	r = read_stdin(&text, &len, &err);
	if (r < 0)
		return fail(&err, NULL);
	if (env.cmd == CNI_CMD_VERSION) {
		conf_peek_version(text, len, version);
		return print_json(cni_version_json(version)) < 0 ? 1 : 0;
	}
	r = plugin_refuse_delegated(&err);
	if (r == 0)
		r = run(&env, &text, len, &err, version);
	if (r < 0) {
		if (!version[0] && text)
			conf_peek_version(text, len, version);
		r = fail(&err, version);
	}
	log_close();
	return r;
}
