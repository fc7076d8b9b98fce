/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_dns.c: host-local's resolvConf option: a resolv.conf file into the result's dns. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sriov/cleanup.h"
#include "ipam_int.h"

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Split @line into whitespace-separated fields (strings.Fields), in place. */
static int fields(char *line, char **f, int max)
{
	int n = 0;

	for (char *p = line; *p && n < max;) {
		while (*p && is_space(*p))
			p++;
		if (!*p)
			break;
		f[n++] = p;
		while (*p && !is_space(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static int add(char list[][RESULT_DNS_STRLEN], int *n, const char *v, const char *what,
	       struct cni_err *err)
{
	if (*n >= RESULT_MAX_DNS)
		return err_set(err, E2BIG, CNI_ERR_INVALID_CONFIG,
			       "resolvConf: too many %s entries (at most %d)", what,
			       RESULT_MAX_DNS);
	if (strlen(v) >= RESULT_DNS_STRLEN)
		return err_set(err, E2BIG, CNI_ERR_INVALID_CONFIG, "resolvConf: %s entry too long",
			       what);
	snprintf(list[(*n)++], RESULT_DNS_STRLEN, "%s", v);
	return 0;
}

int ipam_resolv_conf_parse(const char *path, struct cni_dns *ret, struct cni_err *err)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	struct cni_dns d = { 0 };
	char line[4096];

	if (!f)
		return err_set(err, errno, CNI_ERR_IO, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *fv[64];
		int n = fields(line, fv, (int)ARRAY_SIZE(fv));
		int r = 0;

		if (n < 2 || fv[0][0] == '#' || fv[0][0] == ';')
			continue;
		if (strcmp(fv[0], "nameserver") == 0) {
			r = add(d.nameservers, &d.n_nameservers, fv[1], "nameserver", err);
		} else if (strcmp(fv[0], "domain") == 0) {
			if (strlen(fv[1]) >= sizeof(d.domain))
				return err_set(err, E2BIG, CNI_ERR_INVALID_CONFIG,
					       "resolvConf: domain too long");
			snprintf(d.domain, sizeof(d.domain), "%s", fv[1]);
		} else if (strcmp(fv[0], "search") == 0) {
			for (int i = 1; i < n && r >= 0; i++)
				r = add(d.search, &d.n_search, fv[i], "search", err);
		} else if (strcmp(fv[0], "options") == 0) {
			for (int i = 1; i < n && r >= 0; i++)
				r = add(d.options, &d.n_options, fv[i], "options", err);
		}
		if (r < 0)
			return r;
	}
	if (ferror(f))
		return err_set(err, EIO, CNI_ERR_IO, "read %s: I/O error", path);
	*ret = d;
	return 0;
}
