/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_index.c: an optional index of the lease store under the private state dir, which
 * makes lookups by owner O(1). For ADD, DEL and CHECK it is a hint: every IP read from it is
 * verified by opening the lease of that name and comparing the content (ipam_lease.c). GC,
 * which would have to read thousands, trusts it when the stamp matches (ipam_index_gc()).
 *
 * <state_dir>/ipam/<network>/<dev>.<ino>/ holds a "bulk" file written by the last full scan
 * and one small file per owner changed since then, which overrides the bulk line (empty:
 * holds nothing now). Owners are named by a 56-bit hash of "<containerID>:<ifname>"
 * ("<containerID>:" for old ID-only leases), 14 hex digits: every name has the same short
 * length whatever the ID, and the bulk file costs 12 bytes of memory an IPv4 lease to build
 * (24 an IPv6 one). Its lines, "<hash> <ip> <ip>...", are sorted and looked up by binary
 * search over a mapping. Two owners of one hash share a line; the verification drops the
 * other's IPs.
 *
 * A "stamp" file says the index covers every lease: it records the format, the boot ID and
 * the store directory's identity and mtime. After each of our operations (under the lock)
 * the directory's mtime is set to a sentinel, one second in the past with random
 * nanoseconds; any later create or unlink by anybody else (the Go host-local after a switch,
 * an admin) sets it to the current time, the stamp no longer matches, and the next operation
 * rebuilds the index with one full scan. Without a valid index every lookup scans the
 * directory as host-local does.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/cni.h"
#include "sriov/fs.h"
#include "sriov/text.h"
#include "ipam_store_int.h"

#define STAMP_NAME "stamp"
#define DISABLED_NAME "disabled"
#define BULK_NAME "bulk"
#define STAMP_MAGIC "sriov-ipam-index 2"

/*
 * One lease of a rebuild: the owner's hash, then the address; an IPv4 lease in 12 bytes
 * (the hash in two words, so that the array needs 4-byte alignment only), IPv6 in 24.
 */
struct ipam_index_entry4 {
	uint32_t hash_hi, hash_lo;
	uint8_t a[4];
};
struct ipam_index_entry6 {
	uint64_t hash;
	uint8_t a[16];
};

uint64_t ipam_index_owner_hash(const char *id, const char *ifname)
{
	uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a over "<id>:<ifname>" */

	for (const char *p = id; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	h = (h ^ ':') * 0x100000001b3ULL;
	for (const char *p = ifname ? ifname : ""; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	/* splitmix64's finaliser: every input bit moves the top 56 bits we keep */
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return (h ^ (h >> 31)) >> 8;
}

void ipam_index_hash_name(uint64_t hash, char buf[IPAM_INDEX_NAME_LEN])
{
	static const char hex[] = "0123456789abcdef";

	/* "%014" PRIx64 of a 56-bit hash, without snprintf() (once per lease in a rebuild). */
	for (int i = IPAM_INDEX_NAME_LEN - 2; i >= 0; i--, hash >>= 4)
		buf[i] = hex[hash & 0xf];
	buf[IPAM_INDEX_NAME_LEN - 1] = '\0';
}

void ipam_index_name(const char *id, const char *ifname, char buf[IPAM_INDEX_NAME_LEN])
{
	ipam_index_hash_name(ipam_index_owner_hash(id, ifname), buf);
}

int ipam_index_open(struct ipam_store *s, const char *state_dir, const char *network)
{
	_cleanup_close_ int sfd = -1;
	char rel[sizeof("ipam//") + CNI_ID_MAX + 48];
	struct stat st;
	ssize_t n;
	size_t len;

	if (!text_path_clean_abs(state_dir))
		return -EINVAL;
	/* The kernel's file: no lease-store name, so no fs_open_regular_at() dance. */
	n = fs_read_kernel_text_at(AT_FDCWD, "/proc/sys/kernel/random/boot_id", s->boot_id,
				   sizeof(s->boot_id));
	if (n <= 0)
		return n < 0 ? (int)n : -EIO;
	len = (size_t)n;
	ipam_store_trim(s->boot_id, &len);
	sfd = fs_mkdir_p(state_dir, 0700, 0700);
	if (sfd < 0)
		return sfd;
	if (fs_fstat(s->dir_fd, &st) < 0)
		return -errno;
	if (!cni_valid_id(network))
		return -EINVAL;
	snprintf(rel, sizeof(rel), "ipam/%s/%llu.%llu", network, (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	s->idx_fd = fs_mkdir_beneath(sfd, rel, 0700);
	if (s->idx_fd < 0)
		return s->idx_fd;
	/* A filesystem that cannot hold the sentinel mtime: scans only, no rebuild each time. */
	if (faccessat(s->idx_fd, DISABLED_NAME, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return -EOPNOTSUPP;
	return 0;
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

	if (fs_fstat(s->dir_fd, &st) < 0)
		return false;
	stamp_text(s, &st, want, sizeof(want));
	n = ipam_store_read(s->idx_fd, STAMP_NAME, have, sizeof(have));
	return n > 0 && strcmp(want, have) == 0;
}

/* Mark the store directory with a sentinel mtime and record it in the stamp. */
static int stamp_write(struct ipam_store *s)
{
	_cleanup_close_ int fd = -1;
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
	if (futimens(s->dir_fd, ts) < 0 || fs_fstat(s->dir_fd, &st) < 0)
		return -EIO;
	/* A filesystem that drops the nanoseconds still gets a time no writer can produce now. */
	if (st.st_mtim.tv_sec != ts[1].tv_sec)
		return -EIO;
	stamp_text(s, &st, text, sizeof(text));
	/*
	 * Rewritten in place: a torn stamp cannot match any directory state (the sentinel is
	 * random), so a crash here only costs a rebuild, and no entry is added to the index dir.
	 */
	fd = fs_open_regular_at(s->idx_fd, STAMP_NAME, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fd;
	return fs_write_all(fd, text, strlen(text));
}

void ipam_index_invalidate(struct ipam_store *s)
{
	if (s->idx_fd < 0)
		return;
	(void)unlinkat(s->idx_fd, STAMP_NAME, 0);
	s->idx_valid = false;
	s->idx_checked = true;
	s->dirty = false;
}

/* Parse "ip ip ..." (separated by blanks or newlines) into @ips. */
int ipam_index_parse_ips(char *text, struct ipaddr *ips, int max)
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

static void bulk_unmap(struct ipam_store *s)
{
	if (s->bulk)
		(void)munmap(s->bulk, s->bulk_len);
	s->bulk = NULL;
	s->bulk_len = 0;
	s->bulk_mapped = false;
}

/* Map the bulk file (written by the last rebuild); an absent one is empty. */
int ipam_index_bulk_map(struct ipam_store *s)
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
	if (fs_fstat(fd, &st) < 0)
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

/*
 * Binary search of the bulk file, sorted lines "<name> <ip> <ip>...\n". Returns the line's IP
 * text into @buf and true when @name is listed.
 */
static bool bulk_lookup(struct ipam_store *s, const char *name, char *buf, size_t size)
{
	const char *b;
	size_t lo = 0, hi, klen = strlen(name);

	if (ipam_index_bulk_map(s) < 0 || !s->bulk)
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
		c = memcmp(b + start, name, n < klen ? n : klen);
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

int ipam_index_read(struct ipam_store *s, const char *name, struct ipaddr *ips, int max)
{
	char buf[IPAM_INDEX_LINE_MAX];
	ssize_t n = ipam_store_read(s->idx_fd, name, buf, sizeof(buf));

	/* A per-owner file (written since the last rebuild) overrides the bulk line. */
	if (n >= 0)
		return ipam_index_parse_ips(buf, ips, max);
	if (bulk_lookup(s, name, buf, sizeof(buf)))
		return ipam_index_parse_ips(buf, ips, max);
	return 0;
}

int ipam_index_write(struct ipam_store *s, const char *name, const struct ipaddr *ips, int n)
{
	_cleanup_close_ int fd = -1;
	char buf[IPAM_INDEX_LINE_MAX];
	size_t off = 0;

	if (n == 0) {
		/* Only a bulk entry needs an empty file to mask it; otherwise no file at all. */
		if (!bulk_lookup(s, name, buf, sizeof(buf))) {
			if (unlinkat(s->idx_fd, name, 0) < 0 && errno != ENOENT)
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
	fd = fs_open_regular_at(s->idx_fd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return fd;
	return fs_write_all(fd, buf, off);
}

int ipam_index_add(struct ipam_store *s, const char *id, const char *ifname,
		   const struct ipaddr *ip)
{
	struct ipaddr ips[RESULT_MAX_IPS + 1];
	char name[IPAM_INDEX_NAME_LEN];
	int n;

	ipam_index_name(id, ifname, name);
	n = ipam_index_read(s, name, ips, RESULT_MAX_IPS);
	for (int i = 0; i < n; i++) {
		if (ipaddr_eq(&ips[i], ip))
			return 0;
	}
	ips[n++] = *ip;
	return ipam_index_write(s, name, ips, n);
}

/* --- rebuild --- */

/* Room for one more entry of @size bytes in *@v: mmap()ed, grown with mremap(), never copied. */
static int builder_grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t c = *cap ? *cap * 2 : 4096;
	void *p;

	if (n < *cap)
		return 0;
	p = *v ? mremap(*v, *cap * size, c * size, MREMAP_MAYMOVE) :
		 mmap(NULL, c * size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

/* One lease of the owner hashed @hash into @b. */
static int builder_add_hash(struct ipam_index_builder *b, uint64_t hash, const struct ipaddr *ip)
{
	if (ip->family == AF_INET6) {
		struct ipam_index_entry6 *e;

		if (builder_grow((void **)&b->v6, b->n6, &b->cap6, sizeof(*e)) < 0)
			return -ENOMEM;
		e = &b->v6[b->n6++];
		e->hash = hash;
		memcpy(e->a, ip->a, sizeof(e->a));
	} else {
		struct ipam_index_entry4 *e;

		if (builder_grow((void **)&b->v4, b->n4, &b->cap4, sizeof(*e)) < 0)
			return -ENOMEM;
		e = &b->v4[b->n4++];
		e->hash_hi = (uint32_t)(hash >> 32);
		e->hash_lo = (uint32_t)hash;
		memcpy(e->a, ip->a, sizeof(e->a));
	}
	return 0;
}

int ipam_index_builder_add(struct ipam_index_builder *b, const char *id, const char *ifname,
			   const struct ipaddr *ip)
{
	return builder_add_hash(b, ipam_index_owner_hash(id, ifname), ip);
}

void ipam_index_builder_free(struct ipam_index_builder *b)
{
	if (b->v4)
		(void)munmap(b->v4, b->cap4 * sizeof(*b->v4));
	if (b->v6)
		(void)munmap(b->v6, b->cap6 * sizeof(*b->v6));
	*b = (struct ipam_index_builder){ 0 };
}

static uint64_t hash4(const struct ipam_index_entry4 *e)
{
	return (uint64_t)e->hash_hi << 32 | e->hash_lo;
}

static int entry4_cmp(const void *a, const void *b)
{
	const struct ipam_index_entry4 *x = a, *y = b;

	if (hash4(x) != hash4(y))
		return hash4(x) < hash4(y) ? -1 : 1;
	return memcmp(x->a, y->a, sizeof(x->a));
}

static int entry6_cmp(const void *a, const void *b)
{
	const struct ipam_index_entry6 *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return memcmp(x->a, y->a, sizeof(x->a));
}

/* Copy one entry of @size bytes: 12 or 24, each with a fixed-size copy the compiler inlines. */
static void entry_copy(char *dst, const char *src, size_t size)
{
	if (size == sizeof(struct ipam_index_entry4))
		memcpy(dst, src, sizeof(struct ipam_index_entry4));
	else
		memcpy(dst, src, sizeof(struct ipam_index_entry6));
}

/*
 * Put @x back into the heap v[@i..@n) whose top, v[@i], is free: the hole goes down along
 * the larger children to a leaf, then @x goes up from there as far as it must (Floyd's
 * bottom-up heap sort). Most entries belong near a leaf, so this takes about one comparison
 * a level where sifting @x down takes two, and one copy a level where swapping takes three.
 */
static inline __attribute__((always_inline)) void sift_hole(char *v, size_t size,
							    int (*cmp)(const void *, const void *),
							    size_t i, size_t n, const char *x)
{
	size_t top = i, c;

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n && cmp(v + c * size, v + (c + 1) * size) < 0)
			c++;
		entry_copy(v + i * size, v + c * size, size);
		i = c;
	}
	while (i > top) {
		size_t parent = (i - 1) / 2;

		if (cmp(v + parent * size, x) >= 0)
			break;
		entry_copy(v + i * size, v + parent * size, size);
		i = parent;
	}
	entry_copy(v + i * size, x, size);
}

/* Heap sort: in place, where qsort() would allocate a copy of all the entries. */
static inline __attribute__((always_inline)) void
entries_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	union {
		struct ipam_index_entry4 e4;
		struct ipam_index_entry6 e6;
	} x;
	char *v = base;

	for (size_t i = n / 2; i-- > 0;) {
		entry_copy((char *)&x, v + i * size, size);
		sift_hole(v, size, cmp, i, n, (const char *)&x);
	}
	for (size_t end = n; end-- > 1;) {
		entry_copy((char *)&x, v + end * size, size);
		entry_copy(v + end * size, v, size);
		sift_hole(v, size, cmp, 0, end, (const char *)&x);
	}
}

int ipam_index_each_override(struct ipam_store *s,
			     int (*fn)(struct ipam_store *s, const char *name, void *data),
			     void *data)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	int fd = openat(s->idx_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC), r;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		int e = errno;

		(void)close(fd);
		return -e;
	}
	while ((errno = 0, de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, STAMP_NAME) == 0 || strcmp(de->d_name, BULK_NAME) == 0)
			continue;
		r = fn(s, de->d_name, data);
		if (r < 0)
			return r;
	}
	return errno ? -errno : 0;
}

static int drop_one(struct ipam_store *s, const char *name, void *data)
{
	(void)data;
	(void)unlinkat(s->idx_fd, name, 0);
	return 0;
}

/* Remove every per-owner file (the bulk file and the stamp stay). */
static int drop_overrides(struct ipam_store *s)
{
	return ipam_index_each_override(s, drop_one, NULL);
}

/* Flush @buf when fewer than @need bytes are left in it. */
static int bulk_room(int fd, char *buf, size_t size, size_t *off, size_t need)
{
	int r;

	if (*off + need <= size)
		return 0;
	r = fs_write_all(fd, buf, *off);
	*off = 0;
	return r;
}

/*
 * Write the sorted entries as bulk lines through a small buffer (fs_replace_at_with()): one
 * line a hash, in increasing order, with its IPv4 addresses and then its IPv6 ones.
 */
/* Append " <address>" (@len bytes of @family at @bytes) to the line being written. */
static int bulk_addr(int fd, char *buf, size_t size, size_t *off, int family, const void *bytes,
		     size_t len)
{
	struct ipaddr ip = { .family = family };
	int r = bulk_room(fd, buf, size, off, IPADDR_STRLEN + 2);

	if (r < 0)
		return r;
	memcpy(ip.a, bytes, len);
	buf[(*off)++] = ' ';
	*off += strlen(ipaddr_str(&ip, buf + *off));
	return 0;
}

static int bulk_fill(int fd, void *data)
{
	const struct ipam_index_builder *b = data;
	char buf[65536];
	size_t off = 0, i4 = 0, i6 = 0;
	int r;

	while (i4 < b->n4 || i6 < b->n6) {
		uint64_t hash = i4 < b->n4 ? hash4(&b->v4[i4]) : UINT64_MAX;
		int n = 0;

		if (i6 < b->n6 && (i4 == b->n4 || b->v6[i6].hash < hash))
			hash = b->v6[i6].hash;
		r = bulk_room(fd, buf, sizeof(buf), &off, IPAM_INDEX_NAME_LEN);
		if (r < 0)
			return r;
		ipam_index_hash_name(hash, buf + off);
		off += IPAM_INDEX_NAME_LEN - 1;
		/* more than RESULT_MAX_IPS: more than one owner can list them, stay on scans */
		for (; i4 < b->n4 && hash4(&b->v4[i4]) == hash; i4++, n++) {
			if (n >= RESULT_MAX_IPS)
				return -E2BIG;
			r = bulk_addr(fd, buf, sizeof(buf), &off, AF_INET, b->v4[i4].a,
				      sizeof(b->v4[i4].a));
			if (r < 0)
				return r;
		}
		for (; i6 < b->n6 && b->v6[i6].hash == hash; i6++, n++) {
			if (n >= RESULT_MAX_IPS)
				return -E2BIG;
			r = bulk_addr(fd, buf, sizeof(buf), &off, AF_INET6, b->v6[i6].a,
				      sizeof(b->v6[i6].a));
			if (r < 0)
				return r;
		}
		buf[off++] = '\n';
	}
	return fs_write_all(fd, buf, off);
}

int ipam_index_commit_with(struct ipam_store *s, int (*fill)(int fd, void *data), void *data)
{
	int r = fs_replace_at_with(s->idx_fd, BULK_NAME, 0600, 0, fill, data);

	/* The old bulk file stayed mapped for @fill to read; gone now, or no longer the index. */
	bulk_unmap(s);
	if (r >= 0)
		r = drop_overrides(s);
	if (r < 0) {
		(void)unlinkat(s->idx_fd, BULK_NAME, 0);
		return r;
	}
	s->idx_valid = true;
	/* The stamp is written on close, after the sentinel mtime. */
	s->dirty = true;
	return 0;
}

int ipam_index_commit(struct ipam_store *s, struct ipam_index_builder *b, struct cni_err *err)
{
	int r;

	ipam_index_invalidate(s);
	entries_sort(b->v4, b->n4, sizeof(*b->v4), entry4_cmp);
	entries_sort(b->v6, b->n6, sizeof(*b->v6), entry6_cmp);
	r = ipam_index_commit_with(s, bulk_fill, b);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_IO, "write the IP store's index: %s", strerror(-r));
	return 0;
}

static int rebuild_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		      const char *content, void *data)
{
	char id[IPAM_LEASE_ID_MAX + 1];
	const char *ifname;

	if (ipaddr_is_unset(ip) || !ipam_owner_split(content, id, &ifname))
		return 0;
	return ipam_index_builder_add(data, id, ifname, ip);
}

/*
 * One full scan of the store into a new bulk file: a single write however many leases there
 * are, so the one-time cost after a switch or a reboot stays close to reading every lease.
 */
static int index_rebuild(struct ipam_store *s, struct cni_err *err)
{
	struct ipam_index_builder b = { 0 };
	int r;

	ipam_index_invalidate(s);
	r = ipam_store_scan(s, rebuild_cb, &b, err);
	if (r >= 0)
		r = ipam_index_commit(s, &b, err);
	ipam_index_builder_free(&b);
	return r;
}

/* Does the stamp say the index covers the store? Looked at once; never rebuilds. */
bool ipam_index_fresh(struct ipam_store *s)
{
	if (s->idx_fd < 0)
		return false;
	if (!s->idx_checked) {
		s->idx_checked = true;
		s->idx_valid = stamp_matches(s);
	}
	return s->idx_valid;
}

bool ipam_index_ready(struct ipam_store *s)
{
	struct cni_err ignored = { 0 };

	if (s->idx_fd < 0)
		return false;
	if (!s->idx_checked && !ipam_index_fresh(s))
		(void)index_rebuild(s, &ignored); /* a hint: without it, scans */
	s->used_index = s->idx_valid;
	return s->idx_valid;
}

void ipam_index_close(struct ipam_store *s)
{
	if (s->idx_fd >= 0 && s->idx_valid && s->dirty) {
		int r = stamp_write(s);

		if (r < 0)
			(void)unlinkat(s->idx_fd, STAMP_NAME, 0);
		if (r == -EIO)
			(void)fs_replace_at(s->idx_fd, DISABLED_NAME, "", 0, 0600, 0);
	}
	bulk_unmap(s);
	if (s->idx_fd >= 0)
		(void)close(s->idx_fd);
	s->idx_fd = -1;
}
