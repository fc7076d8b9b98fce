/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_lease.c: one owner's leases in the store, as host-local's disk backend keeps them
 * (plugins/ipam/host-local/backend/disk/backend.go): a file named by the IP holding
 * "<containerID>\r\n<ifname>", claimed with an exclusive create; last_reserved_ip.<set>.
 * Lookups use the index when it is valid (verified against the lease files), else a scan.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fault.h"
#include "sriov/fs.h"
#include "ipam_store_int.h"

static void lease_owner(const char *id, const char *ifname, char *buf, size_t size)
{
	snprintf(buf, size, "%s\r\n%s", id, ifname);
}

/* A lease file whose content is already on disk, not yet visible under any name. */
static int lease_prepare(struct ipam_store *s, const char *owner)
{
	_cleanup_close_ int fd = -1;
	int r;

	if (s->tmp_fd >= 0 && strcmp(s->tmp_owner, owner) == 0)
		return 0;
	if (s->tmp_fd >= 0) {
		(void)close(s->tmp_fd);
		s->tmp_fd = -1;
	}
	fd = openat(s->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	r = fs_write_all(fd, owner, strlen(owner));
	/* Durable before it gets a name: a crash cannot leave an empty or torn lease behind. */
	if (r >= 0 && fdatasync(fd) < 0)
		r = -errno;
	if (r < 0)
		return r;
	s->tmp_fd = TAKE_FD(fd);
	snprintf(s->tmp_owner, sizeof(s->tmp_owner), "%s", owner);
	return 0;
}

/* Give the prepared file the name @name; -EEXIST when taken. */
static int lease_link(struct ipam_store *s, const char *name)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->tmp_fd);
	if (linkat(AT_FDCWD, proc, s->dir_fd, name, AT_SYMLINK_FOLLOW) < 0)
		return -errno;
	(void)close(s->tmp_fd);
	s->tmp_fd = -1;
	return 0;
}

/* Fallback without O_TMPFILE or /proc: a hidden named temp file, linked, then removed. */
static int lease_create_named(struct ipam_store *s, const char *name, const char *owner)
{
	char tmp[NAME_MAX + 1];
	unsigned int rnd = 0;
	int r;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
		rnd = 0; /* only a uniqueness salt: the pid and O_EXCL still apply */
	snprintf(tmp, sizeof(tmp), ".lease.%d.%08x.tmp", (int)getpid(), rnd);
	{
		_cleanup_close_ int fd = openat(
			s->dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

		if (fd < 0)
			return -errno;
		r = fs_write_all(fd, owner, strlen(owner));
		if (r >= 0 && fdatasync(fd) < 0)
			r = -errno;
	}
	if (r >= 0 && linkat(s->dir_fd, tmp, s->dir_fd, name, 0) < 0)
		r = -errno;
	(void)unlinkat(s->dir_fd, tmp, 0);
	return r;
}

int ipam_store_reserve(struct ipam_store *s, const char *id, const char *ifname,
		       const struct ipaddr *ip, int set, struct cni_err *err)
{
	char owner[IPAM_OWNER_MAX], name[IPADDR_STRLEN], last[32];
	int r;

	if (!ipam_name_valid(id) || !ipam_ifname_valid(ifname))
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "invalid container ID or ifname");
	lease_owner(id, ifname, owner, sizeof(owner));
	ipaddr_str(ip, name);
	r = lease_prepare(s, owner);
	if (r >= 0) {
		r = lease_link(s, name);
		if (r == -ENOENT || r == -EPERM || r == -EXDEV)
			r = lease_create_named(s, name, owner);
	} else if (r == -EOPNOTSUPP || r == -EISDIR || r == -EINVAL) {
		r = lease_create_named(s, name, owner);
	}
	if (r == -EEXIST)
		return 0;
	if (r < 0)
		return err_set(err, -r, CNI_ERR_IO, "create lease %s: %s", name, strerror(-r));
	fault_point("ipam: lease file created");
	if (s->idx_fd >= 0 && ipam_index_ready(s) && ipam_index_add(s, id, ifname, ip) < 0)
		ipam_index_invalidate(s);
	ipam_store_touched(s);
	fault_point("ipam: index updated");
	snprintf(last, sizeof(last), IPAM_LAST_IP_PREFIX "%d", set);
	/* No fsync: a hint; a torn one does not parse and the search starts over, as in Go. */
	r = fs_replace_at(s->dir_fd, last, name, strlen(name), 0600, 0);
	if (r < 0) {
		struct cni_err ignored = { 0 };

		/* Nobody would release a lease whose ADD failed here: give it back now. */
		(void)ipam_store_release_by_id(s, id, ifname, 1, &ignored);
		return err_set(err, -r, CNI_ERR_IO, "write %s: %s", last, strerror(-r));
	}
	fault_point("ipam: last_reserved_ip written");
	return 1;
}

void ipam_store_last_reserved(struct ipam_store *s, int set, struct ipaddr *ret)
{
	char name[32], buf[128];

	memset(ret, 0, sizeof(*ret));
	snprintf(name, sizeof(name), IPAM_LAST_IP_PREFIX "%d", set);
	/* Go parses the whole content: a trailing newline makes it unusable, as there. */
	if (ipam_store_read(s->dir_fd, name, buf, sizeof(buf)) > 0)
		(void)ipaddr_parse(buf, ret);
}

/* Content check of one lease: 2 = (id, ifname), 1 = bare id, 0 = other owner or missing. */
static int lease_match(struct ipam_store *s, const struct ipaddr *ip, const char *id,
		       const char *full)
{
	char name[IPADDR_STRLEN], buf[IPAM_LEASE_MAX];
	ssize_t n;
	size_t len;
	char *t;

	n = ipam_store_read(s->dir_fd, ipaddr_str(ip, name), buf, sizeof(buf));
	if (n < 0)
		return 0;
	len = (size_t)n;
	t = ipam_store_trim(buf, &len);
	if (strcmp(t, full) == 0)
		return 2;
	if (strcmp(t, id) == 0)
		return 1;
	return 0;
}

struct match_ctx {
	const char *id;
	const char *full;
	struct ipaddr *ips;
	int max, n;
	bool found_full, found_old;
	int mode; /* 0 = collect, 1 = unlink full matches, 2 = unlink bare-id matches */
	int removed;
};

static int match_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		    const char *content, void *data)
{
	struct match_ctx *m = data;
	bool full = strcmp(content, m->full) == 0;
	bool old = strcmp(content, m->id) == 0;

	m->found_full |= full;
	m->found_old |= old;
	if (m->mode == 0) {
		if ((full || old) && !ipaddr_is_unset(ip) && m->n < m->max)
			m->ips[m->n++] = *ip;
	} else if (((m->mode == 1 && full) || (m->mode == 2 && old)) && !ipaddr_is_unset(ip)) {
		/* Only leases: host-local would also delete any other file holding the owner. */
		if (unlinkat(s->dir_fd, name, 0) == 0)
			m->removed++;
	}
	return 0;
}

int ipam_store_get_by_id(struct ipam_store *s, const char *id, const char *ifname,
			 struct ipaddr *ret, int max, struct cni_err *err)
{
	char full[IPAM_OWNER_MAX];
	struct match_ctx m = { .id = id, .full = full, .ips = ret, .max = max };
	int r;

	lease_owner(id, ifname, full, sizeof(full));
	if (ipam_index_ready(s)) {
		struct ipaddr cand[RESULT_MAX_IPS];
		const char *ifs[2] = { ifname, "" };
		int n = 0;

		for (int k = 0; k < 2; k++) {
			char name[IPAM_INDEX_NAME_LEN];
			int c;

			ipam_index_name(id, ifs[k], name);
			c = ipam_index_read(s, name, cand, RESULT_MAX_IPS);
			for (int i = 0; i < c && n < max; i++) {
				if (lease_match(s, &cand[i], id, full))
					ret[n++] = cand[i];
			}
		}
		return n;
	}
	r = ipam_store_scan(s, match_cb, &m, err);
	return r < 0 ? r : m.n;
}

int ipam_store_find_by_id(struct ipam_store *s, const char *id, const char *ifname,
			  struct cni_err *err)
{
	char full[IPAM_OWNER_MAX];
	struct match_ctx m = { .id = id, .full = full };
	int r;

	lease_owner(id, ifname, full, sizeof(full));
	if (ipam_index_ready(s)) {
		struct ipaddr ips[RESULT_MAX_IPS];
		int n = ipam_store_get_by_id(s, id, ifname, ips, RESULT_MAX_IPS, err);

		if (n != 0)
			return n < 0 ? n : 1;
		/* Only files that are not leases (host-local's quirk) remain: not indexed. */
		return 0;
	}
	r = ipam_store_scan(s, match_cb, &m, err);
	if (r < 0)
		return r;
	return m.found_full || m.found_old;
}

/* Is the lease @ip held by an owner whose index name is @name (one sharing the hash)? */
static bool lease_listed_under(struct ipam_store *s, const struct ipaddr *ip, const char *name)
{
	char ipname[IPADDR_STRLEN], buf[IPAM_LEASE_MAX], id[IPAM_ID_MAX + 1];
	char have[IPAM_INDEX_NAME_LEN];
	const char *ifname;
	ssize_t n;
	size_t len;

	n = ipam_store_read(s->dir_fd, ipaddr_str(ip, ipname), buf, sizeof(buf));
	if (n < 0)
		return false;
	len = (size_t)n;
	if (!ipam_owner_split(ipam_store_trim(buf, &len), id, &ifname))
		return false;
	ipam_index_name(id, ifname, have);
	return strcmp(have, name) == 0;
}

/*
 * Remove the leases listed under @name whose content is @want (2 full, 1 bare id); the
 * index keeps only what another owner of the same hash still holds.
 */
static int index_release(struct ipam_store *s, const char *name, const char *id, const char *full,
			 int want)
{
	struct ipaddr ips[RESULT_MAX_IPS];
	int n = ipam_index_read(s, name, ips, RESULT_MAX_IPS);
	int removed = 0, kept = 0;

	for (int i = 0; i < n; i++) {
		char ipname[IPADDR_STRLEN];

		if (lease_match(s, &ips[i], id, full) != want) {
			if (lease_listed_under(s, &ips[i], name))
				ips[kept++] = ips[i];
			continue;
		}
		if (unlinkat(s->dir_fd, ipaddr_str(&ips[i], ipname), 0) == 0)
			removed++;
	}
	if (n > 0 && ipam_index_write(s, name, ips, kept) < 0)
		ipam_index_invalidate(s);
	return removed;
}

int ipam_store_release_by_id(struct ipam_store *s, const char *id, const char *ifname, int passes,
			     struct cni_err *err)
{
	char full[IPAM_OWNER_MAX];
	int total = 0;

	lease_owner(id, ifname, full, sizeof(full));
	for (int p = 0; p < passes; p++) {
		if (ipam_index_ready(s)) {
			char name[IPAM_INDEX_NAME_LEN], oname[IPAM_INDEX_NAME_LEN];
			int n;

			ipam_index_name(id, ifname, name);
			n = index_release(s, name, id, full, 2);
			if (n == 0) {
				ipam_index_name(id, "", oname);
				n = index_release(s, oname, id, full, 1);
			}
			total += n;
		} else {
			struct match_ctx m = { .id = id, .full = full, .mode = 1 };
			int r = ipam_store_scan(s, match_cb, &m, err);

			if (r < 0)
				return r;
			if (m.removed == 0) {
				m.mode = 2;
				r = ipam_store_scan(s, match_cb, &m, err);
				if (r < 0)
					return r;
			}
			total += m.removed;
		}
	}
	if (total > 0) {
		ipam_store_touched(s);
		fault_point("ipam: leases released");
	}
	return total;
}
