/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_scan.c: reading every file of the lease store once (what host-local does for each
 * lookup, and what we do to rebuild the index), and GC, which is one such scan.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "ipam_store_int.h"

bool ipam_lease_name(const char *name, struct ipaddr *ret)
{
	char canon[IPADDR_STRLEN];

	if (ipaddr_parse(name, ret) < 0)
		return false;
	/* Dotted quads parse only in canonical form (no leading zero, four fields). */
	if (!strchr(name, ':'))
		return ret->family == AF_INET;
	return strcmp(ipaddr_str(ret, canon), name) == 0;
}

bool ipam_owner_split(const char *content, char id[IPAM_LEASE_ID_MAX + 1], const char **ret_ifname)
{
	const char *crlf = strstr(content, "\r\n");
	size_t idlen = crlf ? (size_t)(crlf - content) : strlen(content);

	if (idlen > IPAM_LEASE_ID_MAX)
		return false;
	memcpy(id, content, idlen);
	id[idlen] = '\0';
	if (!cni_valid_name(id, IPAM_LEASE_ID_MAX) || (crlf && !cni_valid_ifname(crlf + 2)))
		return false;
	*ret_ifname = crlf ? crlf + 2 : "";
	return true;
}

/*
 * Read the entry @name that readdir() called a regular file: opened directly, without
 * following a symlink and without blocking (a FIFO swapped in meanwhile is dropped by the
 * fstat() check, whatever a writer holds in it), and read with as few system calls as reading
 * it at all takes. Entries of unknown type go through ipam_store_read(), which never opens
 * anything but a regular file. Only root can make a device node, and linking one in needs it
 * on the store's own file system and, with fs.protected_hardlinks on (systemd's default), read
 * and write access to it: the window between readdir() and open() is no way in for anybody
 * else.
 */
static ssize_t read_entry(int dfd, const struct dirent *de, char *buf, size_t size)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	size_t off = 0;

	if (de->d_type != DT_REG)
		return ipam_store_read(dfd, de->d_name, buf, size);
	fd = openat(dfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fs_fstat(fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	if (st.st_size > (off_t)(size - 1))
		return -EFBIG;
	/*
	 * All of what fstat() saw: every writer (the Go host-local too) writes a lease under the
	 * store's lock, which the scan holds, and nobody appends to one.
	 */
	while ((off_t)off < st.st_size) {
		ssize_t n = read(fd, buf + off, size - 1 - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		off += (size_t)n;
	}
	buf[off] = '\0';
	return (ssize_t)off;
}

unsigned long ipam_scan_reads;

int ipam_store_scan(struct ipam_store *s, ipam_scan_fn_t fn, void *data, struct cni_err *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd, r = 0;

	fd = openat(s->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno, CNI_ERR_IO, "open the IP store: %s", strerror(errno));
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		(void)close(fd);
		return err_set(err, e, CNI_ERR_IO, "read the IP store: %s", strerror(e));
	}
	while ((errno = 0, de = readdir(d))) {
		char buf[IPAM_LEASE_MAX];
		struct ipaddr ip;
		ssize_t n;
		size_t len;
		char *t;

		if (de->d_type != DT_REG && de->d_type != DT_UNKNOWN)
			continue;
		if (de->d_name[0] == '.' &&
		    (!de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		ipam_scan_reads++;
		n = read_entry(s->dir_fd, de, buf, sizeof(buf));
		if (n < 0)
			continue; /* gone, a directory, a symlink: host-local skips those too */
		len = (size_t)n;
		t = ipam_store_trim(buf, &len);
		/* A lease is named by the IP as host-local writes it ("10.1.2.3", "fd00::2"). */
		if (!ipam_lease_name(de->d_name, &ip))
			memset(&ip, 0, sizeof(ip));
		r = fn(s, de->d_name, &ip, t, data);
		if (r < 0)
			return err_set(err, -r, r == -ENOMEM ? CNI_ERR_INTERNAL : CNI_ERR_IO,
				       "scan the IP store: %s", strerror(-r));
	}
	if (errno)
		return err_set(err, errno, CNI_ERR_IO, "read the IP store: %s", strerror(errno));
	return 0;
}

/* --- GC --- */

static int attachment_cmp(const void *a, const void *b)
{
	const struct ipam_attachment *x = a, *y = b;
	int r = strcmp(x->container_id, y->container_id);

	return r ? r : strcmp(x->ifname ? x->ifname : "", y->ifname ? y->ifname : "");
}

/* Is @v sorted for gc_listed(), with every containerID set? (conf_parse() sorts it so.) */
static bool attachments_sorted(const struct ipam_attachment *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!v[i].container_id || (i && attachment_cmp(&v[i - 1], &v[i]) > 0))
			return false;
	}
	return true;
}

struct gc_ctx {
	const struct ipam_attachment *valid; /* sorted by (containerID, ifname) */
	size_t n_valid;
	struct ipam_index_builder kept; /* the survivors, when there is an index */
	bool index;
	int removed;
};

/*
 * Does the list name the owner (@id, @ifname)? An old ID-only lease (@ifname "") belongs to
 * any attachment of its container. One binary search: O(log n) per lease.
 */
static bool gc_listed(const struct gc_ctx *g, const char *id, const char *ifname)
{
	size_t lo = 0, hi = g->n_valid;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(g->valid[mid].container_id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < g->n_valid && strcmp(g->valid[lo].container_id, id) == 0; lo++) {
		const char *vif = g->valid[lo].ifname;

		if (!*ifname || (vif && strcmp(vif, ifname) == 0))
			return true;
	}
	return false;
}

static int gc_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		 const char *content, void *data)
{
	struct gc_ctx *g = data;
	char id[IPAM_LEASE_ID_MAX + 1];
	const char *ifname;

	/* lock, last_reserved_ip.N, anything not named or written as a lease stays. */
	if (ipaddr_is_unset(ip) || !ipam_owner_split(content, id, &ifname))
		return 0;
	if (!gc_listed(g, id, ifname) && unlinkat(s->dir_fd, name, 0) == 0) {
		g->removed++;
		return 0;
	}
	return g->index ? ipam_index_builder_add(&g->kept, id, ifname, ip) : 0;
}

int ipam_store_gc(struct ipam_store *s, const struct ipam_attachment *valid, size_t n_valid,
		  struct cni_err *err)
{
	_cleanup_free_ struct ipam_attachment *sorted = NULL;
	struct gc_ctx g = { .index = s->idx_fd >= 0, .valid = valid, .n_valid = n_valid };
	int r, removed = 0;

	/* With an index that covers the store, no lease needs reading: only the stale go. */
	if (g.index) {
		r = ipam_index_gc(s, valid, n_valid, &removed);
		if (removed > 0)
			ipam_store_touched(s);
		if (r == 0)
			return removed;
	}

	/* A list in order is used as it is: a copy of 1 MiB's worth would cost that again. */
	if (!attachments_sorted(valid, n_valid)) {
		sorted = calloc(n_valid + 1, sizeof(*sorted));
		if (!sorted)
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "GC: out of memory");
		g.n_valid = 0;
		for (size_t i = 0; i < n_valid; i++) {
			if (valid[i].container_id)
				sorted[g.n_valid++] = valid[i];
		}
		qsort(sorted, g.n_valid, sizeof(*sorted), attachment_cmp);
		g.valid = sorted;
	}
	/*
	 * One scan: the survivors become the new index (a GC removes thousands of leases at
	 * once, which per-owner index files would only slow down).
	 */
	if (g.index)
		ipam_index_invalidate(s);
	r = ipam_store_scan(s, gc_cb, &g, err);
	if (r >= 0 && g.index) {
		struct cni_err ignored = { 0 };

		(void)ipam_index_commit(s, &g.kept, &ignored);
	}
	ipam_index_builder_free(&g.kept);
	if (r < 0)
		return r;
	if (g.removed > 0)
		ipam_store_touched(s);
	return removed + g.removed;
}
