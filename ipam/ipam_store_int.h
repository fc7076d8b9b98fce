/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_store_int.h: what the lease store's modules share, private to them:
 *   ipam_store.c  open (the lock) and close, small-file reads, names
 *   ipam_lease.c  one owner's leases: claim, look up, release
 *   ipam_scan.c   reading every file of the store (host-local's walk), and GC
 *   ipam_index.c  the optional index of owners under the state dir
 */
#ifndef SRIOV_IPAM_STORE_INT_H
#define SRIOV_IPAM_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipam_int.h"

#define IPAM_LAST_IP_PREFIX "last_reserved_ip."
/* What a lease holds: "<containerID>\r\n<ifname>" (host-local's disk.go) or the old "<id>". */
#define IPAM_OWNER_MAX (IPAM_LEASE_ID_MAX + 32)

struct ipam_store {
	int root_fd; /* dataDir */
	int dir_fd; /* dataDir/network */
	int lock_fd;
	int idx_fd; /* index directory, -1 = none */
	int tmp_fd; /* prepared O_TMPFILE lease, -1 = none */
	char tmp_owner[IPAM_OWNER_MAX];
	bool idx_checked; /* stamp looked at during this session */
	bool idx_valid; /* index covers the whole store */
	bool dirty; /* store or index changed: refresh the stamp on close */
	bool used_index;
	char boot_id[64];
	void *bulk; /* mapped bulk file */
	size_t bulk_len;
	bool bulk_mapped;
};

/* --- ipam_store.c --- */

/*
 * Read the small regular file @name of @dfd whole into @buf (NUL-terminated); its length or
 * -errno. A FIFO, device, directory or symlink is never opened (-EINVAL, -EISDIR, -ELOOP);
 * a file longer than @size - 1 bytes is -EFBIG (Go reads a lease whole: a cut-off prefix must
 * not pass for an owner).
 */
ssize_t ipam_store_read(int dfd, const char *name, char *buf, size_t size);
/* strings.TrimSpace for ASCII whitespace, in place; @len updated. */
char *ipam_store_trim(char *s, size_t *len);
/* The store changed: the index stamp must be refreshed (or, without a usable index, dropped). */
void ipam_store_touched(struct ipam_store *s);

/* --- ipam_scan.c --- */

/* Is @name the canonical text of an IP (how host-local names a lease)? The IP into @ret. */
bool ipam_lease_name(const char *name, struct ipaddr *ret);
/*
 * Split a lease's trimmed @content into the owner's ID (into @id) and ifname (*@ret_ifname
 * points into @content, "" for the old ID-only format). False unless both have the
 * characters CNI allows: GC deletes nothing else and the index lists nothing else.
 */
bool ipam_owner_split(const char *content, char id[IPAM_LEASE_ID_MAX + 1], const char **ret_ifname);

/* Scan callback: @name is a regular file of the store, @ip its IP when named as a lease
 * (family 0 otherwise), @content its trimmed text. A negative return stops the scan. */
typedef int (*ipam_scan_fn_t)(struct ipam_store *s, const char *name, const struct ipaddr *ip,
			      const char *content, void *data);
/*
 * Read every regular file of the store directory once, as host-local's filepath.Walk does.
 * 0, or a negative errno with @err filled (code 5 for I/O, 999 when @fn failed for memory).
 */
int ipam_store_scan(struct ipam_store *s, ipam_scan_fn_t fn, void *data, struct cni_err *err);

/* --- ipam_index.c --- */

/* Open the index of the store (s->dir_fd) below @state_dir; any failure means "no index". */
int ipam_index_open(struct ipam_store *s, const char *state_dir, const char *network);
/* Refresh the stamp when dirty, unmap, close (part of ipam_store_close()). */
void ipam_index_close(struct ipam_store *s);
/* Is the index usable for this operation? Rebuilds it (one scan) once when stale. */
bool ipam_index_ready(struct ipam_store *s);
/* Forget the index until the next rebuild. */
void ipam_index_invalidate(struct ipam_store *s);
/* IPs listed for the owner whose ipam_index_name() is @name: count (<= @max). */
int ipam_index_read(struct ipam_store *s, const char *name, struct ipaddr *ips, int max);
/* List @ips (none: the owner holds nothing) for @name. 0 or -errno. */
int ipam_index_write(struct ipam_store *s, const char *name, const struct ipaddr *ips, int n);
/* Add @ip to what (@id, @ifname) holds. 0 or -errno. */
int ipam_index_add(struct ipam_store *s, const char *id, const char *ifname,
		   const struct ipaddr *ip);

/*
 * The owners of a whole scan, collected compactly for the bulk file: 12 bytes an IPv4
 * lease, 24 an IPv6 one.
 */
struct ipam_index_entry4;
struct ipam_index_entry6;
struct ipam_index_builder {
	struct ipam_index_entry4 *v4; /* mmap()ed, grown with mremap(): never copied */
	size_t n4, cap4;
	struct ipam_index_entry6 *v6;
	size_t n6, cap6;
};
/* Note that (@id, @ifname) holds @ip. 0 or -ENOMEM. */
int ipam_index_builder_add(struct ipam_index_builder *b, const char *id, const char *ifname,
			   const struct ipaddr *ip);
/* Longest line of the bulk file or a per-owner file that is read. */
#define IPAM_INDEX_LINE_MAX 8192
/* The index file name of @hash: IPAM_INDEX_NAME_LEN - 1 lowercase hex digits. */
void ipam_index_hash_name(uint64_t hash, char buf[IPAM_INDEX_NAME_LEN]);
/* The 56-bit hash naming the owner (@id, @ifname; "" for an old ID-only lease) in the index. */
uint64_t ipam_index_owner_hash(const char *id, const char *ifname);
/* Does the stamp say the index covers the store? Looked at once per session; never rebuilds. */
bool ipam_index_fresh(struct ipam_store *s);
/* Map the bulk file into s->bulk / s->bulk_len (NULL, 0 when absent): 0 or -errno. */
int ipam_index_bulk_map(struct ipam_store *s);
/* Parse "ip ip ..." (blank or newline separated, in place) into @ips: how many, <= @max. */
int ipam_index_parse_ips(char *text, struct ipaddr *ips, int max);
/*
 * Call @fn for each file of the index directory but the bulk file and the stamp: the
 * per-owner files (and anything else found there). Stops at @fn's first negative return,
 * which it returns; 0 or -errno of the listing otherwise.
 */
int ipam_index_each_override(struct ipam_store *s,
			     int (*fn)(struct ipam_store *s, const char *name, void *data),
			     void *data);
/*
 * After ipam_index_invalidate(): write the new bulk file through @fill (its lines sorted by
 * hash, as bulk_fill() writes them; the old one is still mapped while @fill runs), then drop
 * the per-owner files, and mark the index valid (the stamp follows on close). 0, or -errno
 * with no bulk file left. ipam_index_commit() is this with a builder's sorted entries.
 */
int ipam_index_commit_with(struct ipam_store *s, int (*fill)(int fd, void *data), void *data);
/*
 * GC from the index alone, when its stamp says it covers the store: every lease listed under
 * an owner that @valid does not keep is unlinked without being read, and the survivors become
 * the new index. The stamp is the proof: any lease created or removed by anybody but us since
 * our last operation changes the store directory's mtime, and nothing rewrites a lease in
 * place (host-local and we only create and unlink them). *@ret_removed counts the leases
 * removed. 0 when done; -ESTALE when the caller must finish with a scan of the files: no
 * valid stamp, or an index it cannot read whole (the index is then invalidated, and what was
 * removed before was stale all the same).
 */
int ipam_index_gc(struct ipam_store *s, const struct ipam_attachment *valid, size_t n_valid,
		  int *ret_removed);
void ipam_index_builder_free(struct ipam_index_builder *b);
/*
 * Make @b, the owners of every lease now in the store, the whole index: the bulk file
 * replaced, per-owner files dropped, the stamp written on close. 0 or a negative errno with
 * @err filled; the index is then invalid (scans until the next rebuild).
 */
int ipam_index_commit(struct ipam_store *s, struct ipam_index_builder *b, struct cni_err *err);

#endif
