/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_store.c: host-local's lease directory <dataDir>/<network> (same files, same lock), plus
 * an optional index under the private state dir that makes lookups by owner O(1).
 *
 * The index is a hint. <state_dir>/ipam/<network>/<dev>.<ino>/ holds a "bulk" file written by
 * the last full scan (sorted lines "<containerID>:<ifname> <ip>...", "<containerID>:" for old
 * ID-only leases, looked up by binary search over a mapping) and one small file per owner
 * changed since then, which overrides the bulk line (empty: holds nothing now). Every IP read
 * from it is verified by opening the lease of that name and comparing the content.
 * A "stamp" file says the index covers every lease: it records the boot ID and the store
 * directory's identity and mtime. After each of our operations (under the lock) the
 * directory's mtime is set to a sentinel, one second in the past with random nanoseconds; any
 * later create or unlink by anybody else (the Go host-local after a switch, an admin) sets it
 * to the current time, the stamp no longer matches, and the next operation rebuilds the index
 * with one full scan. Without a valid index every lookup scans the directory as host-local does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fault.h"
#include "sriov/fs.h"
#include "sriov/text.h"
#include "ipam_int.h"

#define LAST_IP_PREFIX "last_reserved_ip."
#define STAMP_NAME "stamp"
#define DISABLED_NAME "disabled"
#define BULK_NAME "bulk"
#define STAMP_MAGIC "sriov-ipam-index 1"
#define LOCK_TIMEOUT_MS 60000
#define KEY_MAX 255

struct ipam_store {
	int root_fd; /* dataDir */
	int dir_fd; /* dataDir/network */
	int lock_fd;
	int idx_fd; /* index directory, -1 = none */
	int tmp_fd; /* prepared O_TMPFILE lease, -1 = none */
	char tmp_owner[IPAM_ID_MAX + 32];
	bool idx_checked; /* stamp looked at during this session */
	bool idx_valid; /* index covers the whole store */
	bool dirty; /* store or index changed: refresh the stamp on close */
	bool used_index;
	char boot_id[64];
	void *bulk; /* mapped bulk file */
	size_t bulk_len;
	bool bulk_mapped;
};

static void lease_owner(const char *id, const char *ifname, char *buf, size_t size)
{
	snprintf(buf, size, "%s\r\n%s", id, ifname);
}

bool ipam_name_valid(const char *s)
{
	if (!s || !*s)
		return false;
	if (!((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') ||
	      (s[0] >= '0' && s[0] <= '9')))
		return false;
	for (const char *p = s + 1; *p; p++) {
		char ch = *p;

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return strlen(s) <= IPAM_ID_MAX;
}

bool ipam_ifname_valid(const char *s)
{
	size_t n;

	if (!s)
		return false;
	n = strlen(s);
	if (n == 0 || n > 15 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '/' || *p == ':' || *p == ' ' || (*p >= '\t' && *p <= '\r'))
			return false;
	}
	return true;
}

/* strings.TrimSpace for ASCII whitespace, in place. */
static char *trim(char *s, size_t *len)
{
	size_t n = *len;

	while (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		n--;
	while (n && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
		s++;
		n--;
	}
	s[n] = '\0';
	*len = n;
	return s;
}

/*
 * Read a small file relative to @dfd; returns its length, -errno. Only regular files are store
 * files: a FIFO, device, directory or symlink is never opened (-EINVAL, -EISDIR, -ELOOP). A
 * file longer than @size - 1 bytes is -EFBIG: it holds nothing we wrote (Go's host-local
 * reads a lease whole, so a cut-off prefix must not pass for an owner).
 */
static ssize_t read_small(int dfd, const char *name, char *buf, size_t size)
{
	_cleanup_close_ int fd = fs_open_regular_at(dfd, name, O_RDONLY, 0);
	size_t off = 0;

	if (fd < 0)
		return fd;
	for (;;) {
		char extra;
		ssize_t n =
			off < size - 1 ? read(fd, buf + off, size - 1 - off) : read(fd, &extra, 1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			break;
		if (off == size - 1)
			return -EFBIG;
		off += (size_t)n;
	}
	buf[off] = '\0';
	return (ssize_t)off;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Replace @name in @dfd atomically: hidden temp file, then rename over. */
static int replace_file(int dfd, const char *name, const char *data, size_t len, mode_t mode)
{
	char tmp[NAME_MAX + 1];
	unsigned int rnd = 0;
	int r;

	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
		rnd = 0; /* only a uniqueness salt: the pid and O_EXCL still apply */
	snprintf(tmp, sizeof(tmp), ".%.200s.%d.%08x.tmp", name, (int)getpid(), rnd);
	{
		_cleanup_close_ int fd = openat(
			dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

		if (fd < 0)
			return -errno;
		r = write_all(fd, data, len);
		if (r < 0) {
			(void)unlinkat(dfd, tmp, 0);
			return r;
		}
	}
	if (renameat(dfd, tmp, dfd, name) < 0) {
		r = -errno;
		(void)unlinkat(dfd, tmp, 0);
		return r;
	}
	return 0;
}

/* mkdir -p for an absolute admin-controlled path (symlinks in it are followed, as Go does). */
static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

static int open_subdir(int dfd, const char *name, mode_t mode)
{
	if (mkdirat(dfd, name, mode) < 0 && errno != EEXIST)
		return -errno;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

static int lock_store(int fd, struct cni_err *err)
{
	struct timespec start, now;
	long delay_us = 200;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long ms;

		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK)
			return err_set(err, errno, CNI_ERR_IO, "lock the IP store: %s",
				       strerror(errno));
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
		if (ms > LOCK_TIMEOUT_MS)
			return err_set(err, ETIMEDOUT, CNI_ERR_TRY_AGAIN,
				       "timed out waiting for the IP store lock");
		usleep((useconds_t)delay_us);
		if (delay_us < 20000)
			delay_us *= 2;
	}
}

/* Open <state_dir>/ipam/<network>/<dev>.<ino>; any failure just means "no index". */
static int index_open(struct ipam_store *s, const char *state_dir, const char *network)
{
	_cleanup_close_ int sfd = -1, ifd = -1, nfd = -1;
	char name[64];
	struct stat st;
	ssize_t n;
	size_t len;

	if (!text_path_clean_abs(state_dir))
		return -EINVAL;
	n = read_small(AT_FDCWD, "/proc/sys/kernel/random/boot_id", s->boot_id, sizeof(s->boot_id));
	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	len = (size_t)n;
	trim(s->boot_id, &len);
	if (mkdir_p(state_dir, 0700) < 0)
		return -EIO;
	sfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sfd < 0)
		return -errno;
	ifd = open_subdir(sfd, "ipam", 0700);
	if (ifd < 0)
		return ifd;
	nfd = open_subdir(ifd, network, 0700);
	if (nfd < 0)
		return nfd;
	if (fstat(s->dir_fd, &st) < 0)
		return -errno;
	snprintf(name, sizeof(name), "%llu.%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	s->idx_fd = open_subdir(nfd, name, 0700);
	if (s->idx_fd < 0)
		return s->idx_fd;
	/* A filesystem that cannot hold the sentinel mtime: scans only, no rebuild each time. */
	if (faccessat(s->idx_fd, DISABLED_NAME, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return -EOPNOTSUPP;
	return 0;
}

int ipam_store_open(int data_fd, const char *network, const char *state_dir, bool create,
		    struct ipam_store **ret, struct cni_err *err)
{
	_cleanup_(ipam_store_closep) struct ipam_store *s = NULL;
	int r;

	if (!ipam_name_valid(network))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "invalid characters found in network name");
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	s->root_fd = s->dir_fd = s->lock_fd = s->idx_fd = s->tmp_fd = -1;

	s->root_fd = fcntl(data_fd, F_DUPFD_CLOEXEC, 3);
	if (s->root_fd < 0)
		return err_set(err, errno, CNI_ERR_IO, "open the IP store: %s", strerror(errno));
	if (create)
		s->dir_fd = open_subdir(s->root_fd, network, 0755);
	else if ((s->dir_fd = openat(s->root_fd, network,
				     O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		s->dir_fd = -errno;
	if (s->dir_fd == -ENOENT && !create)
		return -ENOENT;
	if (s->dir_fd == -ENOTDIR || s->dir_fd == -ELOOP) {
		err_set(err, -s->dir_fd, CNI_ERR_INVALID_CONFIG,
			"ipam.dataDir: %s in it is a symlink or not a directory", network);
		err_details(err, "ipam.dataDir");
		return err_ret(err);
	}
	if (s->dir_fd < 0)
		return err_set(err, -s->dir_fd, CNI_ERR_IO, "open the IP store of %s: %s", network,
			       strerror(-s->dir_fd));
	/*
	 * go-filemutex creates the lock with mode 0750. Non-blocking and checked: a FIFO planted
	 * as "lock" must neither hang the open nor be taken for the lock.
	 */
	s->lock_fd = fs_open_regular_at(s->dir_fd, "lock", O_RDONLY | O_CREAT, 0750);
	if (s->lock_fd == -ELOOP || s->lock_fd == -EISDIR || s->lock_fd == -EINVAL)
		return err_set(err, -s->lock_fd, CNI_ERR_IO,
			       "the IP store lock of %s is not a regular file", network);
	if (s->lock_fd < 0)
		return err_set(err, -s->lock_fd, CNI_ERR_IO, "open the IP store lock of %s: %s",
			       network, strerror(-s->lock_fd));
	r = lock_store(s->lock_fd, err);
	if (r < 0)
		return r;
	if (state_dir && index_open(s, state_dir, network) < 0) {
		if (s->idx_fd >= 0)
			close(s->idx_fd);
		s->idx_fd = -1;
	}
	*ret = TAKE_PTR(s);
	return 0;
}

/* --- the index --- */

static bool index_key(const char *id, const char *ifname, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s:%s", id, ifname ? ifname : "");

	return n > 0 && (size_t)n < size && n <= KEY_MAX;
}

static void stamp_text(struct ipam_store *s, const struct stat *st, char *buf, size_t size)
{
	snprintf(buf, size, "%s\nboot %s\ndev %llu ino %llu\nmtime %lld %ld\n", STAMP_MAGIC,
		 s->boot_id, (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
		 (long long)st->st_mtim.tv_sec, (long)st->st_mtim.tv_nsec);
}

static bool stamp_matches(struct ipam_store *s)
{
	char want[512], have[512];
	struct stat st;
	ssize_t n;

	if (fstat(s->dir_fd, &st) < 0)
		return false;
	stamp_text(s, &st, want, sizeof(want));
	n = read_small(s->idx_fd, STAMP_NAME, have, sizeof(have));
	return n > 0 && strcmp(want, have) == 0;
}

/* Mark the store directory with a sentinel mtime and record it in the stamp. */
static int stamp_write(struct ipam_store *s)
{
	struct timespec now, ts[2];
	unsigned int rnd = 0;
	char text[512];
	struct stat st;

	clock_gettime(CLOCK_REALTIME, &now);
	if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		rnd = (unsigned int)(now.tv_nsec ^ (getpid() << 8));
	ts[0].tv_sec = 0;
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1].tv_sec = now.tv_sec - 1;
	ts[1].tv_nsec = (long)(rnd % 1000000000u);
	if (futimens(s->dir_fd, ts) < 0 || fstat(s->dir_fd, &st) < 0)
		return -EIO;
	/* A filesystem that drops the nanoseconds still gets a time no writer can produce now. */
	if (st.st_mtim.tv_sec != ts[1].tv_sec)
		return -EIO;
	stamp_text(s, &st, text, sizeof(text));
	/*
	 * Rewritten in place: a torn stamp cannot match any directory state (the sentinel is
	 * random), so a crash here only costs a rebuild, and no entry is added to the index dir.
	 */
	{
		_cleanup_close_ int fd = fs_open_regular_at(s->idx_fd, STAMP_NAME,
							    O_WRONLY | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			return fd;
		return write_all(fd, text, strlen(text));
	}
}

static void index_invalidate(struct ipam_store *s)
{
	if (s->idx_fd < 0)
		return;
	(void)unlinkat(s->idx_fd, STAMP_NAME, 0);
	s->idx_valid = false;
	s->idx_checked = true;
	s->dirty = false;
}

/* Parse "ip ip ..." (separated by blanks or newlines) into @ips. */
static int parse_ip_list(char *text, struct ipaddr *ips, int max)
{
	char *save = NULL;
	int cnt = 0;

	for (char *tok = strtok_r(text, " \n", &save); tok && cnt < max;
	     tok = strtok_r(NULL, " \n", &save)) {
		if (ipaddr_parse(tok, &ips[cnt]) == 0)
			cnt++;
	}
	return cnt;
}

/* Map the bulk file (written by the last rebuild); an absent one is empty. */
static int bulk_map(struct ipam_store *s)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	void *p;

	if (s->bulk_mapped)
		return 0;
	/* A FIFO or device planted as the bulk file must neither hang us nor be mapped. */
	fd = fs_open_regular_at(s->idx_fd, BULK_NAME, O_RDONLY, 0);
	if (fd < 0) {
		if (fd != -ENOENT)
			return fd;
		s->bulk_mapped = true;
		return 0;
	}
	if (fstat(fd, &st) < 0)
		return -errno;
	if (st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			return -errno;
		s->bulk = p;
		s->bulk_len = (size_t)st.st_size;
	}
	s->bulk_mapped = true;
	return 0;
}

static void bulk_unmap(struct ipam_store *s)
{
	if (s->bulk)
		munmap(s->bulk, s->bulk_len);
	s->bulk = NULL;
	s->bulk_len = 0;
	s->bulk_mapped = false;
}

/*
 * Binary search of the bulk file, sorted lines "<key> <ip> <ip>...\n". Returns the line's IP
 * text into @buf and true when @key is listed.
 */
static bool bulk_lookup(struct ipam_store *s, const char *key, char *buf, size_t size)
{
	const char *b;
	size_t lo = 0, hi, klen = strlen(key);

	if (bulk_map(s) < 0 || !s->bulk)
		return false;
	b = s->bulk;
	hi = s->bulk_len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, start = mid, end, n;
		int c;

		while (start > lo && b[start - 1] != '\n')
			start--;
		end = start;
		while (end < s->bulk_len && b[end] != '\n')
			end++;
		n = 0;
		while (start + n < end && b[start + n] != ' ')
			n++;
		c = memcmp(b + start, key, n < klen ? n : klen);
		if (c == 0)
			c = n < klen ? -1 : n > klen;
		if (c == 0) {
			size_t len = end - start - n;

			if (len >= size)
				len = size - 1;
			memcpy(buf, b + start + n, len);
			buf[len] = '\0';
			return true;
		}
		if (c < 0)
			lo = end + 1;
		else
			hi = start;
	}
	return false;
}

/*
 * IPs listed for @key. A per-owner file (written since the last rebuild; empty = the owner
 * holds nothing any more) overrides the bulk file's line.
 */
static int index_read(struct ipam_store *s, const char *key, struct ipaddr *ips, int max)
{
	char buf[8192];
	ssize_t n = read_small(s->idx_fd, key, buf, sizeof(buf));

	if (n >= 0)
		return parse_ip_list(buf, ips, max);
	if (bulk_lookup(s, key, buf, sizeof(buf)))
		return parse_ip_list(buf, ips, max);
	return 0;
}

static int index_write(struct ipam_store *s, const char *key, const struct ipaddr *ips, int n)
{
	char buf[8192];
	size_t off = 0;

	if (n == 0) {
		/* Only a bulk entry needs an empty file to mask it; otherwise no file at all. */
		if (!bulk_lookup(s, key, buf, sizeof(buf))) {
			if (unlinkat(s->idx_fd, key, 0) < 0 && errno != ENOENT)
				return -errno;
			return 0;
		}
	}
	for (int i = 0; i < n && off + IPADDR_STRLEN + 1 < sizeof(buf); i++) {
		char a[IPADDR_STRLEN];

		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s\n",
					ipaddr_str(&ips[i], a));
	}
	/* Written in place, so only into a regular file: never into a FIFO or a device. */
	_cleanup_close_ int fd =
		fs_open_regular_at(s->idx_fd, key, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0)
		return fd;
	return write_all(fd, buf, off);
}

static int index_add(struct ipam_store *s, const char *id, const char *ifname,
		     const struct ipaddr *ip)
{
	struct ipaddr ips[RESULT_MAX_IPS + 1];
	char key[KEY_MAX + 1];
	int n;

	if (!index_key(id, ifname, key, sizeof(key)))
		return -ENAMETOOLONG;
	n = index_read(s, key, ips, RESULT_MAX_IPS);
	for (int i = 0; i < n; i++) {
		if (ipaddr_eq(&ips[i], ip))
			return 0;
	}
	ips[n++] = *ip;
	return index_write(s, key, ips, n);
}

/* Scan callback: @name is a regular file of the store, @content its trimmed text. */
typedef int (*scan_fn_t)(struct ipam_store *s, const char *name, const struct ipaddr *ip,
			 const char *content, void *data);

/* Is @name the canonical text of an IP (how host-local names a lease)? The IP into @ret. */
static bool lease_name(const char *name, struct ipaddr *ret)
{
	char canon[IPADDR_STRLEN];

	return ipaddr_parse(name, ret) == 0 && strcmp(ipaddr_str(ret, canon), name) == 0;
}

/*
 * Is @content (trimmed) a lease owner, "<containerID>\r\n<ifname>" or the old "<containerID>",
 * with the characters CNI allows there? GC deletes nothing else.
 */
static bool owner_format(const char *content)
{
	char id[IPAM_ID_MAX + 1];
	const char *crlf = strstr(content, "\r\n");
	size_t idlen = crlf ? (size_t)(crlf - content) : strlen(content);

	if (idlen >= sizeof(id))
		return false;
	memcpy(id, content, idlen);
	id[idlen] = '\0';
	return ipam_name_valid(id) && (!crlf || ipam_ifname_valid(crlf + 2));
}

/* Read every regular file of the store directory, as host-local's filepath.Walk does. */
static int store_scan(struct ipam_store *s, scan_fn_t fn, void *data, struct cni_err *err)
{
	_cleanup_close_ int fd = openat(s->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (fd < 0)
		return err_set(err, errno, CNI_ERR_IO, "open the IP store: %s", strerror(errno));
	d = fdopendir(fd);
	if (!d)
		return err_set(err, errno, CNI_ERR_IO, "read the IP store: %s", strerror(errno));
	TAKE_FD(fd);
	while (r >= 0 && (errno = 0, de = readdir(d))) {
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
		n = read_small(s->dir_fd, de->d_name, buf, sizeof(buf));
		if (n < 0)
			continue; /* gone, a directory, a symlink: host-local skips those too */
		len = (size_t)n;
		t = trim(buf, &len);
		/* A lease is named by the IP as host-local writes it ("10.1.2.3", "fd00::2"). */
		if (!lease_name(de->d_name, &ip))
			memset(&ip, 0, sizeof(ip));
		r = fn(s, de->d_name, &ip, t, data);
	}
	closedir(d);
	if (r < 0)
		return r;
	return 0;
}

struct rebuild_entry {
	char key[KEY_MAX + 1];
	struct ipaddr ip;
};

struct rebuild_ctx {
	struct rebuild_entry *v;
	size_t n, cap;
	bool incomplete;
};

static int rebuild_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		      const char *content, void *data)
{
	struct rebuild_ctx *x = data;
	char id[IPAM_ID_MAX + 1], ifname[IFNAMSIZ + 1] = "";
	const char *crlf;
	size_t idlen;

	if (ipaddr_is_unset(ip))
		return 0;
	crlf = strstr(content, "\r\n");
	idlen = crlf ? (size_t)(crlf - content) : strlen(content);
	if (idlen >= sizeof(id))
		return 0; /* no valid request can name this owner */
	memcpy(id, content, idlen);
	id[idlen] = '\0';
	if (!ipam_name_valid(id))
		return 0;
	if (crlf) {
		if (strlen(crlf + 2) >= sizeof(ifname) || !ipam_ifname_valid(crlf + 2))
			return 0;
		strcpy(ifname, crlf + 2);
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 1024;
		struct rebuild_entry *v = realloc(x->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		x->v = v;
		x->cap = cap;
	}
	if (!index_key(id, ifname, x->v[x->n].key, sizeof(x->v[x->n].key))) {
		x->incomplete = true;
		return 0;
	}
	x->v[x->n].ip = *ip;
	x->n++;
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct rebuild_entry *x = a, *y = b;
	int r = strcmp(x->key, y->key);

	return r ? r : ipaddr_cmp(&x->ip, &y->ip);
}

/* Remove every per-owner file (the bulk file and the stamp stay). */
static int index_drop_overrides(struct ipam_store *s)
{
	_cleanup_close_ int fd = openat(s->idx_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d)
		return -errno;
	TAKE_FD(fd);
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, STAMP_NAME) == 0 || strcmp(de->d_name, BULK_NAME) == 0)
			continue;
		(void)unlinkat(s->idx_fd, de->d_name, 0);
	}
	closedir(d);
	return 0;
}

/*
 * One full scan of the store into a new bulk file: a single write however many leases there
 * are, so the one-time cost after a switch or a reboot stays close to one host-local ADD.
 */
static int index_rebuild(struct ipam_store *s, struct cni_err *err)
{
	struct rebuild_ctx x = { 0 };
	_cleanup_free_ char *text = NULL;
	size_t off = 0, cap;
	int r;

	(void)unlinkat(s->idx_fd, STAMP_NAME, 0);
	bulk_unmap(s);
	r = store_scan(s, rebuild_cb, &x, err);
	if (r >= 0 && x.incomplete)
		r = -ENAMETOOLONG;
	cap = x.n * (KEY_MAX + IPADDR_STRLEN + 4) + 1;
	if (r >= 0 && !(text = malloc(cap)))
		r = -ENOMEM;
	if (r < 0) {
		free(x.v);
		return r;
	}
	if (x.n > 0)
		qsort(x.v, x.n, sizeof(*x.v), entry_cmp);
	for (size_t i = 0; i < x.n;) {
		size_t j = i;
		int n = 0;

		off += (size_t)snprintf(text + off, cap - off, "%s", x.v[i].key);
		for (; j < x.n && strcmp(x.v[j].key, x.v[i].key) == 0; j++, n++) {
			char a[IPADDR_STRLEN];

			off += (size_t)snprintf(text + off, cap - off, " %s",
						ipaddr_str(&x.v[j].ip, a));
		}
		text[off++] = '\n';
		if (n > RESULT_MAX_IPS)
			r = -E2BIG; /* more leases than one owner can list: stay on scans */
		i = j;
	}
	free(x.v);
	if (r < 0)
		return r;
	r = index_drop_overrides(s);
	if (r >= 0)
		r = replace_file(s->idx_fd, BULK_NAME, text ? text : "", off, 0600);
	return r;
}

/* Is the index usable for this operation? Rebuilds it once when stale. */
static bool index_ready(struct ipam_store *s, struct cni_err *err)
{
	struct cni_err ignored = { 0 };

	if (s->idx_fd < 0)
		return false;
	if (!s->idx_checked) {
		s->idx_checked = true;
		s->idx_valid = stamp_matches(s);
		if (!s->idx_valid) {
			s->idx_valid = index_rebuild(s, &ignored) >= 0;
			/* The stamp is written on close, after the sentinel mtime. */
			s->dirty = s->idx_valid;
		}
	}
	s->used_index = s->idx_valid;
	return s->idx_valid;
}

bool ipam_store_used_index(const struct ipam_store *s)
{
	return s->used_index;
}

void ipam_store_close(struct ipam_store *s)
{
	if (s->idx_fd >= 0 && s->idx_valid && s->dirty) {
		int r = stamp_write(s);

		if (r < 0)
			(void)unlinkat(s->idx_fd, STAMP_NAME, 0);
		if (r == -EIO)
			(void)replace_file(s->idx_fd, DISABLED_NAME, "", 0, 0600);
	}
	if (s->tmp_fd >= 0)
		close(s->tmp_fd);
	bulk_unmap(s);
	if (s->idx_fd >= 0)
		close(s->idx_fd);
	if (s->lock_fd >= 0) {
		(void)flock(s->lock_fd, LOCK_UN);
		close(s->lock_fd);
	}
	if (s->dir_fd >= 0)
		close(s->dir_fd);
	if (s->root_fd >= 0)
		close(s->root_fd);
	free(s);
}

/* The store changed: the stamp must be refreshed (or, without a usable index, dropped). */
static void store_touched(struct ipam_store *s)
{
	if (s->idx_fd < 0)
		return;
	if (!s->idx_checked || !s->idx_valid) {
		index_invalidate(s);
		return;
	}
	s->dirty = true;
}

/* --- leases --- */

/* A lease file whose content is already on disk, not yet visible under any name. */
static int lease_prepare(struct ipam_store *s, const char *owner)
{
	int fd;
	int r;

	if (s->tmp_fd >= 0 && strcmp(s->tmp_owner, owner) == 0)
		return 0;
	if (s->tmp_fd >= 0) {
		close(s->tmp_fd);
		s->tmp_fd = -1;
	}
	fd = openat(s->dir_fd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	r = write_all(fd, owner, strlen(owner));
	/* Durable before it gets a name: a crash cannot leave an empty or torn lease behind. */
	if (r >= 0 && fdatasync(fd) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	s->tmp_fd = fd;
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
	close(s->tmp_fd);
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
		r = write_all(fd, owner, strlen(owner));
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
	char owner[IPAM_ID_MAX + 32], name[IPADDR_STRLEN], last[32];
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
	if (s->idx_fd >= 0 && index_ready(s, err) && index_add(s, id, ifname, ip) < 0)
		index_invalidate(s);
	store_touched(s);
	fault_point("ipam: index updated");
	snprintf(last, sizeof(last), LAST_IP_PREFIX "%d", set);
	r = replace_file(s->dir_fd, last, name, strlen(name), 0600);
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
	snprintf(name, sizeof(name), LAST_IP_PREFIX "%d", set);
	/* Go parses the whole content: a trailing newline makes it unusable, as there. */
	if (read_small(s->dir_fd, name, buf, sizeof(buf)) > 0)
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

	n = read_small(s->dir_fd, ipaddr_str(ip, name), buf, sizeof(buf));
	if (n < 0)
		return 0;
	len = (size_t)n;
	t = trim(buf, &len);
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
	char full[IPAM_ID_MAX + 32];
	struct match_ctx m = { .id = id, .full = full, .ips = ret, .max = max };
	int r;

	lease_owner(id, ifname, full, sizeof(full));
	if (index_ready(s, err)) {
		struct ipaddr cand[RESULT_MAX_IPS];
		const char *ifs[2] = { ifname, "" };
		int n = 0;

		for (int k = 0; k < 2; k++) {
			char key[KEY_MAX + 1];
			int c;

			if (!index_key(id, ifs[k], key, sizeof(key)))
				continue;
			c = index_read(s, key, cand, RESULT_MAX_IPS);
			for (int i = 0; i < c && n < max; i++) {
				if (lease_match(s, &cand[i], id, full))
					ret[n++] = cand[i];
			}
		}
		return n;
	}
	r = store_scan(s, match_cb, &m, err);
	return r < 0 ? r : m.n;
}

int ipam_store_find_by_id(struct ipam_store *s, const char *id, const char *ifname,
			  struct cni_err *err)
{
	char full[IPAM_ID_MAX + 32];
	struct match_ctx m = { .id = id, .full = full };
	int r;

	lease_owner(id, ifname, full, sizeof(full));
	if (index_ready(s, err)) {
		struct ipaddr ips[RESULT_MAX_IPS];
		int n = ipam_store_get_by_id(s, id, ifname, ips, RESULT_MAX_IPS, err);

		if (n != 0)
			return n < 0 ? n : 1;
		/* Only files that are not leases (host-local's quirk) remain: not indexed. */
		return 0;
	}
	r = store_scan(s, match_cb, &m, err);
	if (r < 0)
		return r;
	return m.found_full || m.found_old;
}

/* Remove the leases listed under @key whose content is @want (2 full, 1 bare id). */
static int index_release(struct ipam_store *s, const char *key, const char *id, const char *full,
			 int want)
{
	struct ipaddr ips[RESULT_MAX_IPS];
	int n = index_read(s, key, ips, RESULT_MAX_IPS);
	int removed = 0;

	for (int i = 0; i < n; i++) {
		char name[IPADDR_STRLEN];

		if (lease_match(s, &ips[i], id, full) != want)
			continue;
		if (unlinkat(s->dir_fd, ipaddr_str(&ips[i], name), 0) == 0)
			removed++;
	}
	if (n > 0 && index_write(s, key, NULL, 0) < 0)
		index_invalidate(s);
	return removed;
}

int ipam_store_release_by_id(struct ipam_store *s, const char *id, const char *ifname, int passes,
			     struct cni_err *err)
{
	char full[IPAM_ID_MAX + 32];
	int total = 0;

	lease_owner(id, ifname, full, sizeof(full));
	for (int p = 0; p < passes; p++) {
		if (index_ready(s, err)) {
			char key[KEY_MAX + 1], okey[KEY_MAX + 1];
			int n = 0;

			if (index_key(id, ifname, key, sizeof(key)))
				n = index_release(s, key, id, full, 2);
			if (n == 0 && index_key(id, "", okey, sizeof(okey)))
				n = index_release(s, okey, id, full, 1);
			total += n;
		} else {
			struct match_ctx m = { .id = id, .full = full, .mode = 1 };
			int r = store_scan(s, match_cb, &m, err);

			if (r < 0)
				return r;
			if (m.removed == 0) {
				m.mode = 2;
				r = store_scan(s, match_cb, &m, err);
				if (r < 0)
					return r;
			}
			total += m.removed;
		}
	}
	if (total > 0) {
		store_touched(s);
		fault_point("ipam: leases released");
	}
	return total;
}

struct gc_ctx {
	const struct ipam_attachment *valid;
	size_t n_valid;
	int removed;
};

static int gc_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		 const char *content, void *data)
{
	struct gc_ctx *g = data;
	const char *crlf = strstr(content, "\r\n");
	size_t idlen = crlf ? (size_t)(crlf - content) : strlen(content);
	char key[KEY_MAX + 1];

	/* lock, last_reserved_ip.N, anything not named or written as a lease stays. */
	if (ipaddr_is_unset(ip) || !owner_format(content))
		return 0;
	for (size_t i = 0; i < g->n_valid; i++) {
		const char *vid = g->valid[i].container_id, *vif = g->valid[i].ifname;

		if (!vid || strlen(vid) != idlen || strncmp(vid, content, idlen) != 0)
			continue;
		if (!crlf || (vif && strcmp(vif, crlf + 2) == 0))
			return 0;
	}
	if (unlinkat(s->dir_fd, name, 0) < 0)
		return 0;
	g->removed++;
	if (s->idx_fd >= 0 && s->idx_valid && idlen < IPAM_ID_MAX) {
		char id[IPAM_ID_MAX + 1];

		memcpy(id, content, idlen);
		id[idlen] = '\0';
		if (index_key(id, crlf ? crlf + 2 : "", key, sizeof(key)) &&
		    index_write(s, key, NULL, 0) < 0)
			index_invalidate(s);
	}
	return 0;
}

int ipam_store_gc(struct ipam_store *s, const struct ipam_attachment *valid, size_t n_valid,
		  struct cni_err *err)
{
	struct gc_ctx g = { .valid = valid, .n_valid = n_valid };
	int r;

	(void)index_ready(s, err);
	r = store_scan(s, gc_cb, &g, err);
	if (r < 0)
		return r;
	if (g.removed > 0)
		store_touched(s);
	return g.removed;
}

int ipam_store_writable(struct ipam_store *s, struct cni_err *err)
{
	if (faccessat(s->dir_fd, ".", W_OK, AT_EACCESS) < 0)
		return err_set(err, errno, CNI_ERR_NOT_AVAILABLE, "IP store not writable: %s",
			       strerror(errno));
	return 0;
}
