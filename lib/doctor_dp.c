/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_dp.c: the SR-IOV network device plugin's config.json ("resourceList") read into plain
 * structs, and its netDevice selectors applied to a VF as the plugin applies them
 * (k8snetworkplumbingwg/sriov-network-device-plugin pkg/resources/deviceSelectors.go).
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sriov/cleanup.h"
#include "sriov/doctor.h"
#include "sriov/json.h"

#define DP_MAX_RESOURCES 1024
#define DP_MAX_SELECTORS 64
#define DP_MAX_LIST 1024
#define DP_MAX_STRING 256

static void free_list(char **l)
{
	for (char **p = l; p && *p; p++)
		free(*p);
	free(l);
}

static void free_selector(struct doctor_dp_selector *s)
{
	free_list(s->vendors);
	free_list(s->devices);
	free_list(s->drivers);
	free_list(s->pf_names);
	free_list(s->root_devices);
	free_list(s->pci_addresses);
}

void doctor_dp_free(struct doctor_dp *dp)
{
	if (!dp)
		return;
	for (size_t i = 0; i < dp->n_resources; i++) {
		for (size_t s = 0; s < dp->resources[i].n_selectors; s++)
			free_selector(&dp->resources[i].selectors[s]);
		free(dp->resources[i].selectors);
	}
	free(dp->resources);
	free(dp);
}

/*
 * A list of strings under @key of @obj into *@ret (NULL-terminated); absent, null or empty:
 * NULL, as an empty list filters nothing in the plugin ("if len(list) > 0").
 */
static int get_list(const cJSON *obj, const char *key, const char *where, char ***ret,
		    struct cni_err *err)
{
	const cJSON *a = NULL, *it;
	char what[128];
	char **l;
	size_t n = 0;
	int r;

	*ret = NULL;
	snprintf(what, sizeof(what), "%s.%s", where, key);
	r = json_get_string_list(obj, key, what, DP_MAX_LIST, DP_MAX_STRING + 1, &a, err);
	r = json_config_err(r, NULL, err);
	if (r <= 0 || cJSON_GetArraySize(a) == 0)
		return r < 0 ? r : 0;
	l = calloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*l));
	if (!l)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	cJSON_ArrayForEach(it, a) {
		l[n] = strdup(it->valuestring);
		if (!l[n++]) {
			free_list(l);
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
		}
	}
	*ret = l;
	return 0;
}

static int get_selector(const cJSON *o, const char *where, struct doctor_dp_selector *s,
			struct cni_err *err)
{
	int r;

	if (!cJSON_IsObject(o))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s: must be an object", where);
	r = get_list(o, "vendors", where, &s->vendors, err);
	if (r == 0)
		r = get_list(o, "devices", where, &s->devices, err);
	if (r == 0)
		r = get_list(o, "drivers", where, &s->drivers, err);
	if (r == 0)
		r = get_list(o, "pfNames", where, &s->pf_names, err);
	if (r == 0)
		r = get_list(o, "rootDevices", where, &s->root_devices, err);
	if (r == 0)
		r = get_list(o, "pciAddresses", where, &s->pci_addresses, err);
	return r;
}

static int get_resource(const cJSON *o, size_t idx, struct doctor_dp_resource *res,
			struct cni_err *err)
{
	const cJSON *sel = json_get(o, "selectors"), *it;
	const char *type = NULL;
	char where[64], what[96];
	size_t n;
	int r;

	snprintf(where, sizeof(where), "resourceList[%zu]", idx);
	if (!cJSON_IsObject(o))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s: must be an object", where);
	snprintf(what, sizeof(what), "%s.resourceName", where);
	r = json_config_err(json_get_strbuf(o, "resourceName", what, res->name, sizeof(res->name),
					    err),
			    NULL, err);
	if (r < 0)
		return r;
	if (r == 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "%s: must be a string", what);
	snprintf(what, sizeof(what), "%s.deviceType", where);
	r = json_config_err(json_get_string(o, "deviceType", what, &type, err), NULL, err);
	if (r < 0)
		return r;
	/* accelerator and auxNetDevice resources select other devices than VFs of a NIC. */
	if (type && type[0] && strcmp(type, "netDevice") != 0)
		return 1;
	if (!sel || cJSON_IsNull(sel))
		return 0; /* no selector: the plugin selects nothing */
	/* Older plugins take one selector object, newer ones also a list of them (ORed). */
	n = cJSON_IsArray(sel) ? (size_t)cJSON_GetArraySize(sel) : 1;
	if (n > DP_MAX_SELECTORS)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "%s.selectors: more than %d selectors", where, DP_MAX_SELECTORS);
	res->selectors = calloc(n ? n : 1, sizeof(*res->selectors));
	if (!res->selectors)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	if (!cJSON_IsArray(sel)) {
		res->n_selectors = 1;
		snprintf(where + strlen(where), sizeof(where) - strlen(where), ".selectors");
		return get_selector(sel, where, &res->selectors[0], err);
	}
	cJSON_ArrayForEach(it, sel) {
		char w[96];

		snprintf(w, sizeof(w), "%s.selectors[%zu]", where, res->n_selectors);
		r = get_selector(it, w, &res->selectors[res->n_selectors++], err);
		if (r < 0)
			return r;
	}
	return 0;
}

int doctor_dp_parse(const char *text, size_t len, struct doctor_dp **ret, struct cni_err *err)
{
	_cleanup_cjson_ cJSON *root = NULL;
	struct doctor_dp *dp = NULL;
	const cJSON *list = NULL, *it;
	size_t i = 0;
	int r;

	r = json_parse(text, len, "device plugin config", &root, err);
	if (r < 0)
		return r;
	r = json_get_array(root, "resourceList", "resourceList", &list, err);
	if (json_config_err(r, NULL, err) < 0)
		return r;
	if (r == 0 || cJSON_GetArraySize(list) > DP_MAX_RESOURCES)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "resourceList: must be a list of at most %d resources",
			       DP_MAX_RESOURCES);
	dp = calloc(1, sizeof(*dp));
	if (dp)
		dp->resources =
			calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof(*dp->resources));
	if (!dp || !dp->resources) {
		doctor_dp_free(dp);
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	}
	cJSON_ArrayForEach(it, list) {
		struct doctor_dp_resource *res = &dp->resources[dp->n_resources];

		r = get_resource(it, i++, res, err);
		if (r < 0) {
			dp->n_resources++; /* so that what it holds is freed */
			doctor_dp_free(dp);
			return r;
		}
		if (r == 0)
			dp->n_resources++;
	}
	*ret = dp;
	return 0;
}

static bool in_list(char **l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

/* Is VF @index in "<start>-<end>,<n>,..." (the part after '#')? */
static bool index_selected(const char *ranges, unsigned int index)
{
	const char *p = ranges;

	while (*p) {
		char *end;
		long a, b;

		/* A number that does not fit fails the selector, as strconv.Atoi does. */
		errno = 0;
		a = b = strtol(p, &end, 10);
		if (end == p || errno)
			return false;
		if (*end == '-') {
			p = end + 1;
			b = strtol(p, &end, 10);
			if (end == p || errno)
				return false;
		}
		if (*end && *end != ',')
			return false;
		if ((long)index >= a && (long)index <= b)
			return true;
		p = *end ? end + 1 : end;
	}
	return false;
}

/*
 * Would Go's regexp compile @re? The device plugin's regular expressions are Go's (RE2), which
 * refuses nested repetition ("a++", "a**") and repeat counts whose product passes 1000, and
 * matches in linear time. glibc's regcomp() takes exponential memory on the same input ("0+"
 * followed by twenty '+' takes gigabytes), so such a pattern is refused here before it gets
 * there, as Go refuses it: it selects nothing. Conservative: every brace count in the pattern
 * counts towards the product, nested or not; and groups nest at most 8 deep (glibc's memory
 * also doubles with each repeated group around another, "((a+)+)+": Go has no such limit, but
 * no PF name pattern needs it).
 */
static bool go_regex_plausible(const char *re)
{
	unsigned long product = 1;
	bool after_rep = false, lazy = false;
	int depth = 0;

	for (const char *p = re; *p; p++) {
		bool rep = *p == '*' || *p == '+' || *p == '?';

		if (*p == '{' && p[1] >= '0' && p[1] <= '9') {
			char *end;
			unsigned long n = strtoul(p + 1, &end, 10);

			if (*end == ',' && end[1] >= '0' && end[1] <= '9')
				n = strtoul(end + 1, &end, 10);
			else if (*end == ',')
				end++;
			if (*end == '}') {
				if (n > 1000 || (product *= n ? n : 1) > 1000)
					return false;
				rep = true;
				p = end;
			}
		}
		if (rep && after_rep && *p == '?' && !lazy) {
			lazy = true; /* "a+?": the lazy form, one repetition */
			continue;
		}
		if (rep && after_rep)
			return false;
		after_rep = rep;
		lazy = false;
		if (*p == '(' && ++depth > 8)
			return false;
		if (*p == ')')
			depth--;
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '[') { /* a bracket expression: "[]a]" and "[^]a]" hold a ']' */
			p += p[1] == '^' ? 2 : 1;
			if (*p == ']')
				p++;
			while (*p && *p != ']')
				p++;
			if (!*p)
				return false;
		}
	}
	return true;
}

/*
 * pfNames / rootDevices: "<name>[#ranges]", where the name matches exactly (ignoring case) or
 * as an unanchored regular expression, as getItem() does; only the first entry that matches
 * the name counts.
 */
static bool pf_selected(char **l, const char *key, unsigned int index)
{
	for (; *l; l++) {
		char name[DP_MAX_STRING + 1];
		const char *hash = strchr(*l, '#');
		size_t n = hash ? (size_t)(hash - *l) : strlen(*l);
		bool match;

		memcpy(name, *l, n);
		name[n] = '\0';
		match = strcasecmp(name, key) == 0;
		if (!match) {
			regex_t re;

			if (go_regex_plausible(name) &&
			    regcomp(&re, name, REG_EXTENDED | REG_NOSUB) == 0) {
				match = regexec(&re, key, 0, NULL, 0) == 0;
				regfree(&re);
			}
		}
		if (match)
			return !hash || index_selected(hash + 1, index);
	}
	return false;
}

bool doctor_dp_selects(const struct doctor_dp_selector *s, const struct doctor_vf *vf,
		       const struct doctor_pf *pf)
{
	char vendor[8] = "", device[8] = "";
	const char *colon = strchr(vf->id, ':');

	if (colon && colon - vf->id < (long)sizeof(vendor)) {
		memcpy(vendor, vf->id, (size_t)(colon - vf->id));
		snprintf(device, sizeof(device), "%s", colon + 1);
	}
	if (s->vendors && !in_list(s->vendors, vendor))
		return false;
	if (s->devices && !in_list(s->devices, device))
		return false;
	if (s->drivers && !in_list(s->drivers, vf->driver))
		return false;
	if (s->pci_addresses && !in_list(s->pci_addresses, vf->pci))
		return false;
	if (s->pf_names && (!pf->name[0] || !pf_selected(s->pf_names, pf->name, vf->index)))
		return false;
	if (s->root_devices && !pf_selected(s->root_devices, pf->pci, vf->index))
		return false;
	return true;
}
