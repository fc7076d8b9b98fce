/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_dns.c: host-local's resolvConf option: a resolv.conf file into the result's dns. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
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

/*
 * The one message for every file that cannot be used: it must not tell a tenant whether a
 * path exists, what it is, or how big (host-local's "open X: no such file" does).
 */
static int refused(struct cni_err *err)
{
	return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
		       "ipam.resolvConf: cannot be used: it must name a regular file that every "
		       "user may read, of at most %d bytes",
		       IPAM_RESOLV_CONF_MAX);
}

/*
 * Read @path into @buf: a regular file (symlinks followed, as host-local does: resolv.conf is
 * often one), at most IPAM_RESOLV_CONF_MAX bytes, readable by any user, so that the result,
 * which Multus copies into the pod's annotations, never shows what the tenant could not read.
 * It is looked at through O_PATH and only then opened, non-blocking: a FIFO or a device
 * (/dev/zero, a watchdog) is never opened for reading.
 */
static ssize_t read_resolv_conf(const char *path, char *buf, struct cni_err *err)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	struct stat st;
	size_t off = 0;

	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0 || fs_fstat(pfd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > IPAM_RESOLV_CONF_MAX || !fs_world_readable(pfd))
		return refused(err);
	fd = fs_reopen(pfd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return refused(err);
	for (;;) {
		ssize_t n = read(fd, buf + off, IPAM_RESOLV_CONF_MAX + 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return refused(err);
		if (n == 0)
			break;
		off += (size_t)n;
		if (off > IPAM_RESOLV_CONF_MAX)
			return refused(err); /* grew since fstat() */
	}
	buf[off] = '\0';
	return (ssize_t)off;
}

int ipam_resolv_conf_parse(const char *path, struct cni_dns *ret, struct cni_err *err)
{
	_cleanup_free_ char *text = malloc(IPAM_RESOLV_CONF_MAX + 2);
	struct cni_dns d = { 0 };
	char *save = NULL;
	ssize_t len;

	if (!text)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	len = read_resolv_conf(path, text, err);
	if (len < 0)
		return (int)len;
	/* host-local (parseResolvConf): strings.Fields of each line, '#' and ';' comments. */
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
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
	*ret = d;
	return 0;
}
