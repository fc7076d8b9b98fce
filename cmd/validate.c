/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.c: "sriov validate FILE...": every sriov config in a CNI config, a conflist or a
 * NetworkAttachmentDefinition YAML file, checked with the plugin's own ADD checks (conf_check
 * and IPAM's validation) before anything would be touched. One line per problem, naming the field.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/ipam.h"
#include "sriov/json.h"

#include "cli.h"
#include "nad.h"

/* A YAML file may hold many NetworkAttachmentDefinitions, each as large as a config. */
#define VALIDATE_MAX_FILE (4 * CONF_MAX_INPUT)
/*
 * A config file without "name" is what a NetworkAttachmentDefinition's spec.config often is:
 * Multus sets the name from the NetworkAttachmentDefinition, so check with a stand-in.
 */
#define VALIDATE_STAND_IN_NAME "name-set-by-multus"

/* Where the config being checked came from, for the report lines. */
struct vctx {
	const char *file;
	unsigned long line; /* 0: no line to show */
	char where[384]; /* "NetworkAttachmentDefinition ns/name, plugins[0]" or "" */
	int problems;
};

static void put_prefix(const struct vctx *v)
{
	cli_put_clean(stdout, v->file);
	if (v->line)
		printf(":%lu", v->line);
	fputs(": ", stdout);
	if (v->where[0]) {
		cli_put_clean(stdout, v->where);
		fputs(": ", stdout);
	}
}

/* Does @msg start with a field name ("vlanQoS: ...", "ipam.ranges[0]: ...")? */
static bool names_field(const char *msg)
{
	size_t n = strcspn(msg, ": ");

	return n > 0 && msg[n] == ':';
}

/* A details text that is a field path such as "ipam.ranges[0][1]" (no spaces). */
static bool is_path(const char *s)
{
	return s[0] && !strchr(s, ' ');
}

/* One problem: "FILE[:LINE]: [WHERE: ]FIELD: message[ (details)]". */
static void problem(struct vctx *v, const char *field, const struct cni_err *e)
{
	put_prefix(v);
	if (names_field(e->msg)) {
		cli_put_clean(stdout, e->msg);
	} else if (is_path(e->details)) {
		cli_put_clean(stdout, e->details);
		fputs(": ", stdout);
		cli_put_clean(stdout, e->msg);
	} else {
		if (field) {
			cli_put_clean(stdout, field);
			fputs(": ", stdout);
		}
		cli_put_clean(stdout, e->msg);
	}
	if (e->details[0] && !is_path(e->details)) {
		fputs(" (", stdout);
		cli_put_clean(stdout, e->details);
		fputs(")", stdout);
	}
	putchar('\n');
	v->problems++;
}

static void report(void *ctx, const char *field, const struct cni_err *e)
{
	problem(ctx, field, e);
}

/* A problem found here rather than by the plugin's checks (the file's own structure). */
static void problem_text(struct vctx *v, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem_text(struct vctx *v, const char *field, const char *fmt, ...)
{
	struct cni_err e = { 0 };
	size_t n = field ? (size_t)snprintf(e.msg, sizeof(e.msg), "%s: ", field) : 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e.msg + n, sizeof(e.msg) - n, fmt, ap);
	va_end(ap);
	problem(v, NULL, &e);
}

/*
 * One sriov plugin config, as the plugin would receive it on stdin: conf_check() for every
 * sriov field, then IPAM's own validation, exactly what ADD runs before it touches anything.
 */
static void check_config(struct vctx *v, const char *text, size_t len, const char *default_name)
{
	_cleanup_conf_ struct sriov_conf conf;
	int before = v->problems, n;

	n = conf_check(text, len, default_name, report, v, &conf);
	if (n < 0)
		return;
	if (conf.ipam.type[0]) {
		struct ipam_request req = {
			.cni_version = conf.cni_version[0] ? conf.cni_version : "0.1.0",
			.network = conf.name[0] ? conf.name : default_name,
			.conf = &conf.ipam,
			.conf_text = text,
			.conf_len = len,
		};
		struct cni_err e = { 0 };

		if (ipam_validate(&req, &e) < 0)
			problem(v, "ipam", &e);
	}
	if (v->problems == before) {
		put_prefix(v);
		fputs("valid sriov config for network ", stdout);
		/* conf.name is the config's own, else @default_name (conf_check) */
		if (strcmp(conf.name, VALIDATE_STAND_IN_NAME) != 0)
			cli_put_clean(stdout, conf.name);
		else
			fputs("(name set by Multus)", stdout);
		printf(" (cniVersion %s, %s", conf.cni_version,
		       conf.ipam.type[0] ? "ipam " : "no IPAM");
		cli_put_clean(stdout, conf.ipam.type);
		puts(")");
	}
}

/* JSON text that failed to parse: say where, as line and column of @text. */
static void problem_json_syntax(struct vctx *v, const char *text, size_t len)
{
	const char *at = cJSON_GetErrorPtr();
	unsigned long line = 1, col = 1;

	if (!at || at < text || at > text + len)
		at = text + len;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	problem_text(v, NULL, "invalid JSON at line %lu, column %lu of the config", line, col);
}

/*
 * A conflist: libcni hands each plugin its entry with the list's "name" and "cniVersion"
 * injected (libcni/api.go buildOneConfig), and so do we before checking the sriov entries.
 */
static void check_list(struct vctx *v, cJSON *list, const char *default_name)
{
	const cJSON *plugins = json_get(list, "plugins"), *name = json_get(list, "name");
	const cJSON *version = json_get(list, "cniVersion");
	size_t where_len = strlen(v->where);
	int i = 0, sriov = 0;
	cJSON *p;

	if (!cJSON_IsArray(plugins) || cJSON_GetArraySize(plugins) == 0) {
		problem_text(v, "plugins", "must be a non-empty list of plugin configs");
		return;
	}
	if (name && !cJSON_IsString(name)) {
		problem_text(v, "name", "must be a string");
		return;
	}
	if (version && !cJSON_IsString(version)) {
		problem_text(v, "cniVersion", "must be a string");
		return;
	}
	cJSON_ArrayForEach(p, plugins) {
		_cleanup_cjson_ cJSON *one = NULL;
		_cleanup_free_ char *text = NULL;
		const cJSON *type = json_get(p, "type");

		snprintf(v->where + where_len, sizeof(v->where) - where_len, "%splugins[%d]",
			 where_len ? ", " : "", i++);
		if (!cJSON_IsObject(p) || !cJSON_IsString(type) || !type->valuestring[0]) {
			problem_text(v, "type", "every plugin needs a \"type\"");
			continue;
		}
		if (strcmp(type->valuestring, "sriov") != 0)
			continue;
		sriov++;
		one = cJSON_Duplicate(p, true);
		if (!one)
			goto oom;
		cJSON_DeleteItemFromObject(one, "name");
		cJSON_DeleteItemFromObject(one, "cniVersion");
		if (!cJSON_AddStringToObject(one, "name", name ? name->valuestring : "") ||
		    !cJSON_AddStringToObject(one, "cniVersion",
					     version ? version->valuestring : ""))
			goto oom;
		text = cJSON_PrintUnformatted(one);
		if (!text)
			goto oom;
		check_config(v, text, strlen(text), default_name);
	}
	v->where[where_len] = '\0';
	if (!sriov)
		problem_text(v, "plugins", "no plugin of type \"sriov\"");
	return;
oom:
	v->where[where_len] = '\0';
	problem_text(v, NULL, "out of memory");
}

/* A config or a conflist (the text of a file, or a NetworkAttachmentDefinition's spec.config). */
static void check_json(struct vctx *v, const char *text, size_t len, const char *default_name)
{
	_cleanup_cjson_ cJSON *root = cJSON_ParseWithLength(text, len);
	const cJSON *type;

	if (!root) {
		problem_json_syntax(v, text, len);
		return;
	}
	if (json_get(root, "plugins")) {
		check_list(v, root, default_name);
		return;
	}
	/* The plugin never looks at "type"; a runtime does, to pick the plugin it runs. */
	type = json_get(root, "type");
	if (cJSON_IsString(type) && strcmp(type->valuestring, "sriov") != 0) {
		put_prefix(v);
		fputs("warning: type: \"", stdout);
		cli_put_clean(stdout, type->valuestring);
		fputs("\" is not \"sriov\": a runtime runs the plugin \"type\" names; checked as an "
		      "sriov config all the same\n",
		      stdout);
	}
	check_config(v, text, len, default_name);
}

static void visit_nad(void *ctx, const struct nad *nad)
{
	struct vctx *v = ctx;

	v->line = nad->line;
	snprintf(v->where, sizeof(v->where), "NetworkAttachmentDefinition %s%s%.253s",
		 nad->namespace ? nad->namespace : "", nad->namespace ? "/" : "",
		 nad->name ? nad->name : "(no name)");
	if (!nad->name || !nad->name[0]) {
		problem_text(v, "metadata.name", "missing");
	} else if (!nad->config || !nad->config_len) {
		/* Multus then reads a file of that name from the node's CNI config directory. */
		problem_text(v, "spec.config",
			     "missing: validate the config file on the node instead");
	} else {
		check_json(v, nad->config, nad->config_len, nad->name);
	}
	v->where[0] = '\0';
	v->line = 0;
}

static void check_file(struct vctx *v, const char *text, size_t len)
{
	size_t i = strspn(text, " \t\r\n");
	char why[256];
	int n;

	if (i < len && text[i] == '{') {
		check_json(v, text, len, VALIDATE_STAND_IN_NAME);
		return;
	}
	n = nad_scan(text, len, visit_nad, v, why, sizeof(why));
	if (n < 0)
		problem_text(v, NULL, "neither JSON nor YAML: %s", why);
	else if (n == 0)
		problem_text(
			v, NULL,
			"no CNI config (JSON) and no NetworkAttachmentDefinition (YAML) found");
}

static void usage(FILE *f)
{
	fputs("usage: sriov validate FILE...\n"
	      "Check each sriov config in FILE (a CNI config or conflist in JSON, or YAML holding\n"
	      "NetworkAttachmentDefinitions; - reads stdin) as CNI ADD would check it. Prints one\n"
	      "line per problem, naming the field. Exit status: 0 all valid, 1 a problem found,\n"
	      "2 bad usage or an unreadable file. A missing deviceID or name is accepted: Multus\n"
	      "sets them.\n",
	      f);
}

int validate_main(int argc, char **argv)
{
	struct vctx v = { 0 };
	bool unreadable = false;
	int first = 1;

	if (argc > 1 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return CLI_OK;
	}
	if (argc > 1 && strcmp(argv[1], "--") == 0)
		first = 2;
	if (first >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	for (int i = first; i < argc; i++) {
		_cleanup_free_ char *text = NULL;
		char why[256];
		size_t len;

		v.file = argv[i];
		if (cli_read_file(argv[i], VALIDATE_MAX_FILE, &text, &len, why, sizeof(why)) < 0) {
			fputs("sriov validate: ", stderr);
			cli_put_clean(stderr, argv[i]);
			fprintf(stderr, ": %s\n", why);
			unreadable = true;
			continue;
		}
		check_file(&v, text, len);
	}
	fflush(stdout);
	if (unreadable)
		return CLI_USAGE;
	return v.problems ? CLI_INVALID : CLI_OK;
}
