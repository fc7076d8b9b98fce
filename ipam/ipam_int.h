/* SPDX-License-Identifier: Apache-2.0 */
/* ipam_int.h: private types of the embedded host-local: config, ranges, lease store, index. */
#ifndef SRIOV_IPAM_INT_H
#define SRIOV_IPAM_INT_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "sriov/cni.h"
#include "sriov/err.h"
#include "sriov/ipaddr.h"
#include "sriov/ipam.h"
#include "sriov/ipam_parse.h"
#include "sriov/result.h"

#define IPAM_DEFAULT_DATA_DIR "/var/lib/cni/networks"
_Static_assert(IPAM_MAX_SETS == RESULT_MAX_IPS, "one address per range set");
_Static_assert(IPAM_MAX_ROUTES == RESULT_MAX_ROUTES, "host-local's routes go into the result");
/*
 * The longest owner ID read back from a lease. The Go host-local writes any container ID
 * libcni lets through (no length limit) inside the file, so this is larger than what we take
 * as input (CNI_ID_MAX): GC judges such a lease by its owner like the Go one does; a longer
 * owner is not understood and its lease is never deleted by GC nor listed in the index.
 */
#define IPAM_LEASE_ID_MAX 1024
#define IPAM_LEASE_MAX 4096 /* bytes read from one lease file */

/* --- ipam_conf.c: the only cJSON user of ipam/ (ipam_section_parse() in ipam_parse.h) --- */

/* How many host-local sections were parsed in this process (for tests). */
extern unsigned int ipam_conf_parses;
/* Lease files a scan of the store has read (tests: GC from the index reads none). */
extern unsigned long ipam_scan_reads;
/* Parse and validate a host-local config (whole network config + raw CNI_ARGS): the errors
 * ipam_section_parse() keeps in parse_err are returned here. *ret is malloc'ed. */
int ipam_conf_parse(const cJSON *conf, const char *cni_version, const char *cni_args,
		    struct ipam_conf **ret, struct cni_err *err);
/* Same from text (fuzzing, tools). @cni_version NULL: taken from the text, "0.1.0" if absent. */
int ipam_conf_parse_text(const char *text, size_t len, const char *cni_args, struct ipam_conf **ret,
			 struct cni_err *err);
void ipam_conf_free(struct ipam_conf *c);
/* The configured ipam.type into @buf ("" when there is no IPAM). 0 or -errno (bad type). */
int ipam_type(const cJSON *conf, char buf[IPAM_TYPE_MAX], struct cni_err *err);
static inline void ipam_conf_freep(struct ipam_conf **c)
{
	if (*c)
		ipam_conf_free(*c);
}
#define _cleanup_ipam_conf_ __attribute__((cleanup(ipam_conf_freep)))

/* CNI_ARGS as Go's types.LoadArgs reads it into host-local's {IgnoreUnknown, IP}. */
int ipam_args_parse(const char *args, struct ipaddr *ret_ip, bool *ret_has_ip, struct cni_err *err);
/* A delegate's stdout: after a failure its error object becomes @err; else a result (@ret may
 * be NULL when none is wanted). @exit_desc: "exit status 1" and the like. */
int ipam_conf_parse_delegate_output(const char *out, size_t len, bool failed, const char *exit_desc,
				    const char *cni_version, struct cni_result *ret,
				    struct cni_err *err);
/* host-local's version.GreaterThanOrEqualTo: false when either does not parse. */
static inline bool ipam_version_ge(const char *v, const char *min)
{
	return cni_version_cmp(v, min) >= 0 && cni_version_cmp(min, "0.0.0") >= 0;
}

/* --- ipam_range.c: host-local's range math --- */

/* Range.Canonicalize(): fill defaults and validate; the message matches host-local's. */
int ipam_range_canonicalize(struct ipam_range *r, const struct ipaddr *start,
			    const struct ipaddr *end, const struct ipaddr *gw, bool subnet_v4mapped,
			    struct cni_err *err);
bool ipam_range_contains(const struct ipam_range *r, const struct ipaddr *a);
bool ipam_range_overlaps(const struct ipam_range *a, const struct ipam_range *b);
/* "start-end" */
void ipam_range_str(const struct ipam_range *r, char *buf, size_t size);
/* Validate set @i of @c (RangeSet.Canonicalize after each range was canonicalised). */
int ipam_set_check(const struct ipam_conf *c, int i, struct cni_err *err);
/* Index of the range of set @s containing @a, or -1. */
int ipam_set_find(const struct ipam_conf *c, int s, const struct ipaddr *a);
/* "r1start-r1end,r2start-r2end" */
void ipam_set_str(const struct ipam_conf *c, int s, char *buf, size_t size);
int ipam_set_family(const struct ipam_conf *c, int s);

/* Round-robin cursor over one set (allocator.go RangeIter). */
struct ipam_iter {
	const struct ipam_conf *c;
	int set;
	int ri; /* range index within the set */
	struct ipaddr cur; /* family 0 = not started */
	struct ipaddr start; /* family 0 = not recorded yet */
};
void ipam_iter_init(struct ipam_iter *it, const struct ipam_conf *c, int set,
		    const struct ipaddr *last_reserved);
/* Next candidate into *ret_ip with its range's index; false when the set is exhausted. */
bool ipam_iter_next(struct ipam_iter *it, struct ipaddr *ret_ip, int *ret_range);

/* --- ipam_datadir.c: where dataDir may be --- */

#define IPAM_DATA_ROOT_CNI "/var/lib/cni"
#define IPAM_DATA_ROOT_RUN "/run"

/*
 * Is @data_dir (absolute, no "..") strictly below one of @roots (NULL: /var/lib/cni and /run,
 * "/var/run/..." read as "/run/...")? 0, or code 7 naming ipam.dataDir. Looks at no file.
 */
int ipam_data_dir_check(const char *data_dir, const char *const *roots, struct cni_err *err);
/*
 * Open @data_dir as checked above: the root is opened as it is, everything below it without
 * following a symlink (code 7 when one is there). @create (ADD only): missing directories
 * below the root are made 0755, and the root itself if missing; otherwise a missing one is
 * -ENOENT with @err untouched. *@ret_fd is an O_DIRECTORY fd.
 */
int ipam_data_dir_open(const char *data_dir, const char *const *roots, bool create, int *ret_fd,
		       struct cni_err *err);

/* --- ipam_store.c, ipam_lease.c, ipam_scan.c, ipam_index.c: the host-local directory
 * <dataDir>/<network> and the optional index --- */

struct ipam_store;

/*
 * Open the store <@data_fd>/<@network> (@data_fd from ipam_data_dir_open(), not consumed) and
 * take its lock. @create: make the network's directory when missing; otherwise a missing one
 * is -ENOENT with @err untouched. @state_dir NULL: no index (pure host-local).
 */
int ipam_store_open(int data_fd, const char *network, const char *state_dir, bool create,
		    struct ipam_store **ret, struct cni_err *err);
/* Update the index stamp, drop the lock, close. */
void ipam_store_close(struct ipam_store *s);
static inline void ipam_store_closep(struct ipam_store **s)
{
	if (*s)
		ipam_store_close(*s);
}
#define _cleanup_ipam_store_ __attribute__((cleanup(ipam_store_closep)))

/* Claim @ip for (id, ifname) exclusively; 1 = reserved, 0 = taken, < 0 = error. Writes
 * last_reserved_ip.<set> as host-local does. */
int ipam_store_reserve(struct ipam_store *s, const char *id, const char *ifname,
		       const struct ipaddr *ip, int set, struct cni_err *err);
/* last_reserved_ip.<set>; family 0 when missing or unparsable. */
void ipam_store_last_reserved(struct ipam_store *s, int set, struct ipaddr *ret);
/* IPs leased to (id, ifname) or to the bare id (old format). Returns the count or -errno. */
int ipam_store_get_by_id(struct ipam_store *s, const char *id, const char *ifname,
			 struct ipaddr *ret, int max, struct cni_err *err);
/* host-local's ReleaseByID called @passes times; returns the number of files removed. */
int ipam_store_release_by_id(struct ipam_store *s, const char *id, const char *ifname, int passes,
			     struct cni_err *err);
/* host-local's FindByID. 1 found, 0 not, < 0 error. */
int ipam_store_find_by_id(struct ipam_store *s, const char *id, const char *ifname,
			  struct cni_err *err);
/* Remove leases whose owner is not in @valid. Returns the number removed or -errno. */
int ipam_store_gc(struct ipam_store *s, const struct ipam_attachment *valid, size_t n_valid,
		  struct cni_err *err);
/* Is the store usable for ADD (writable directory)? */
int ipam_store_writable(struct ipam_store *s, struct cni_err *err);
/* For tests and the benchmark: did the last operation use the index (true) or a scan? */
bool ipam_store_used_index(const struct ipam_store *s);
/* The name of the owner (@id, @ifname; "" for an old ID-only lease) in the index: a file of
 * that name, or a line of the bulk file starting with it (ipam_index.c). */
#define IPAM_INDEX_NAME_LEN 15
void ipam_index_name(const char *id, const char *ifname, char buf[IPAM_INDEX_NAME_LEN]);

/* --- ipam_dns.c --- */
#define IPAM_RESOLV_CONF_MAX 65536
/*
 * resolvConf into the result's dns. Only a regular file of at most IPAM_RESOLV_CONF_MAX bytes
 * that any user may read is used; every other case is the same code-7 error naming
 * ipam.resolvConf and nothing about the file (missing, FIFO, device, too big, unreadable).
 */
int ipam_resolv_conf_parse(const char *path, struct cni_dns *ret, struct cni_err *err);

/* --- ipam_delegate.c --- */
/* Run ipam.type from CNI_PATH with CNI_COMMAND=@verb. @ret may be NULL (DEL, CHECK, GC...). */
int ipam_delegate_run(const struct ipam_request *req, const char *type, const char *verb,
		      struct cni_result *ret, struct cni_err *err);
/* Refuse (code 7, naming ipam.type) a delegate @path that is the running executable. */
int ipam_delegate_check_self(const char *type, const char *path, struct cni_err *err);
/* Find @type on the ':'-separated @cni_path into @buf. */
int ipam_delegate_find(const char *type, const char *cni_path, char *buf, size_t size,
		       struct cni_err *err);

#endif
