/* SPDX-License-Identifier: Apache-2.0 */
/* test_ipam_store.c: the lease store: old-format leases, GC (also at scale), the index. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "sriov/cleanup.h"
#include "sriov/ipam.h"

#include "ipam_fixture.h"
#include "../../ipam/ipam_store_int.h"

static void test_del_check_old_format(void **state)
{
	struct fixture *f = *state;
	char p[512];

	conf_set(f, "0.4.0", "\"subnet\":\"10.6.0.0/24\"", NULL);
	assert_int_equal(add(f, "a", "eth0", NULL, 0), 0);
	assert_int_equal(add(f, "a", "net1", NULL, 0), 0);
	assert_int_equal(check(f, "a", "eth0"), 0);
	assert_int_equal(del(f, "a", "eth0"), 0);
	assert_false(exists(f, "10.6.0.2"));
	assert_true(exists(f, "10.6.0.3"));
	assert_true(check(f, "a", "eth0") < 0);
	assert_string_equal(f->err.msg, "host-local: Failed to find address added by container a");
	assert_int_equal(del(f, "a", "eth0"), 0); /* nothing held: success */

	/* an old ID-only lease, with surrounding whitespace */
	snprintf(p, sizeof(p), "%s/net1/10.6.0.77", f->data);
	write_file(p, " old\n");
	assert_int_equal(check(f, "old", "eth5"), 0);
	assert_true(add(f, "old", "eth5", NULL, 0) < 0);
	assert_int_equal(del(f, "old", "eth5"), 0);
	assert_false(exists(f, "10.6.0.77"));
}

static void test_gc(void **state)
{
	struct fixture *f = *state;
	struct ipam_attachment valid[] = { { "keep", "eth0" }, { "oldkeep", "x" } };
	char p[512];

	conf_set(f, "1.1.0", "\"subnet\":\"10.7.0.0/24\"", NULL);
	f->req.state_dir = f->state;
	assert_int_equal(add(f, "keep", "eth0", NULL, 0), 0); /* .2 */
	assert_int_equal(add(f, "keep", "net1", NULL, 0), 0); /* .3 */
	assert_int_equal(add(f, "gone", "eth0", NULL, 0), 0); /* .4 */
	snprintf(p, sizeof(p), "%s/net1/10.7.0.100", f->data);
	write_file(p, "oldkeep");
	snprintf(p, sizeof(p), "%s/net1/10.7.0.101", f->data);
	write_file(p, "oldgone");
	assert_int_equal(gc(f, valid, ARRAY_SIZE(valid)), 0);
	assert_true(exists(f, "10.7.0.2"));
	assert_false(exists(f, "10.7.0.3"));
	assert_false(exists(f, "10.7.0.4"));
	assert_true(exists(f, "10.7.0.100"));
	assert_false(exists(f, "10.7.0.101"));
	assert_true(exists(f, "lock"));
	assert_true(exists(f, "last_reserved_ip.0"));
	/* the index agrees afterwards */
	assert_int_equal(check(f, "keep", "eth0"), 0);
	assert_true(check(f, "gone", "eth0") < 0);
	assert_int_equal(add(f, "gone", "eth0", NULL, 0), 0);
}

/*
 * The Go host-local writes any container ID libcni lets through into the lease, without a
 * length limit. GC judges a 300-byte owner by the valid list as the Go one does (kept when
 * listed, deleted when not); an owner longer than it reads back is never deleted. An input
 * ID of 300 bytes is refused, naming the containerID, and no lease is written.
 */
static void test_long_owner(void **state)
{
	struct fixture *f = *state;
	static char keep[301], gone[301], huge[IPAM_LEASE_ID_MAX + 100], content[1200];
	struct ipam_attachment valid[] = { { keep, "eth0" } };
	char p[512];

	memset(keep, 'k', 300);
	memset(gone, 'g', 300);
	memset(huge, 'h', sizeof(huge) - 1);
	conf_set(f, "1.1.0", "\"subnet\":\"10.8.0.0/24\"", NULL);
	f->req.state_dir = f->state;
	assert_int_equal(add(f, "short", "eth0", NULL, 0), 0); /* .2, makes the store */
	snprintf(p, sizeof(p), "%s/net1/10.8.0.50", f->data);
	snprintf(content, sizeof(content), "%s\r\neth0", keep);
	write_file(p, content);
	snprintf(p, sizeof(p), "%s/net1/10.8.0.51", f->data);
	snprintf(content, sizeof(content), "%s\r\neth0", gone);
	write_file(p, content);
	snprintf(p, sizeof(p), "%s/net1/10.8.0.52", f->data);
	write_file(p, huge);

	assert_true(add(f, keep, "eth1", NULL, 0) < 0);
	assert_int_equal(f->err.code, CNI_ERR_INVALID_ENV);
	assert_non_null(strstr(f->err.msg, "containerID"));
	assert_false(exists(f, "10.8.0.3"));

	assert_int_equal(gc(f, valid, ARRAY_SIZE(valid)), 0);
	assert_true(exists(f, "10.8.0.50"));
	assert_false(exists(f, "10.8.0.51"));
	assert_true(exists(f, "10.8.0.52"));
	assert_false(exists(f, "10.8.0.2"));
}

/* --- the index --- */

static bool used_index(struct fixture *f)
{
	_cleanup_ipam_store_ struct ipam_store *s = NULL;
	_cleanup_close_ int data_fd = -1;
	struct ipaddr ips[4];

	assert_int_equal(ipam_data_dir_open(f->data, f->roots, false, &data_fd, &f->err), 0);
	assert_int_equal(ipam_store_open(data_fd, "net1", f->state, false, &s, &f->err), 0);
	assert_true(ipam_store_get_by_id(s, "probe", "eth0", ips, 4, &f->err) >= 0);
	return ipam_store_used_index(s);
}

/*
 * An index GC cannot read whole (here a per-owner file turned into a directory) hands over to
 * the scan of the files, which decides as it always did; the index is rebuilt.
 */
static void test_gc_index_unreadable(void **state)
{
	struct fixture *f = *state;
	struct ipam_attachment valid[] = { { "keep", "eth0" } };
	char p[512], name[IPAM_INDEX_NAME_LEN], idx[1024] = "";
	unsigned long reads;
	struct dirent *de;
	DIR *d;

	conf_set(f, "1.1.0", "\"subnet\":\"10.8.0.0/24\"", NULL);
	f->req.state_dir = f->state;
	assert_int_equal(add(f, "keep", "eth0", NULL, 0), 0); /* .2 */
	assert_int_equal(add(f, "gone", "eth0", NULL, 0), 0); /* .3 */
	snprintf(p, sizeof(p), "%s/ipam/net1", f->state);
	d = opendir(p);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			snprintf(idx, sizeof(idx), "%s/%s", p, de->d_name);
	closedir(d);
	assert_true(idx[0]);
	ipam_index_name("gone", "eth0", name);
	assert_true(strlen(idx) + strlen(name) + 2 < sizeof(idx));
	strcat(idx, "/");
	strcat(idx, name);
	assert_int_equal(unlink(idx), 0);
	assert_int_equal(mkdir(idx, 0700), 0);
	reads = ipam_scan_reads;
	assert_int_equal(gc(f, valid, ARRAY_SIZE(valid)), 0);
	assert_true(ipam_scan_reads - reads > 0);
	assert_true(exists(f, "10.8.0.2"));
	assert_false(exists(f, "10.8.0.3"));
	assert_int_equal(check(f, "keep", "eth0"), 0);
	assert_true(check(f, "gone", "eth0") < 0);
}

/*
 * GC with thousands of leases and attachments, in the three lease formats, against a plain
 * linear reading of the rule: a lease "<id>\r\n<ifname>" stays when the list names (id,
 * ifname); an old "<id>" lease when the list names any attachment of id; nothing else that
 * GC may delete stays. With the index and without.
 */
#define GC_LEASES 3000

static void gc_lease(long i, char name[32], char content[64])
{
	long a = i + 10; /* the ADD of "first" took 10.9.0.2 */

	snprintf(name, 32, "10.9.%ld.%ld", a / 256, a % 256);
	if (i % 7 == 0)
		snprintf(content, 64, "c%ld", i); /* old ID-only format */
	else
		snprintf(content, 64, "c%ld\r\n%s", i, i % 2 ? "eth0" : "net1");
}

static bool gc_reference(const struct ipam_attachment *v, size_t n, const char *content)
{
	const char *crlf = strstr(content, "\r\n");
	size_t idlen = crlf ? (size_t)(crlf - content) : strlen(content);

	for (size_t i = 0; i < n; i++) {
		if (strlen(v[i].container_id) != idlen ||
		    strncmp(v[i].container_id, content, idlen) != 0)
			continue;
		if (!crlf || strcmp(v[i].ifname, crlf + 2) == 0)
			return true;
	}
	return false;
}

static void gc_many(struct fixture *f, bool index)
{
	static struct ipam_attachment valid[2 * GC_LEASES];
	static char ids[2 * GC_LEASES][16];
	unsigned long reads;
	size_t n = 0;
	long kept = 0;
	char p[512];

	conf_set(f, "1.1.0", "\"subnet\":\"10.9.0.0/16\"", NULL);
	f->req.state_dir = index ? f->state : NULL;
	/* the store, made by an ADD, then filled as the Go host-local writes leases */
	assert_int_equal(add(f, "first", "eth0", NULL, 0), 0);
	for (long i = 0; i < GC_LEASES; i++) {
		char name[32], content[64];

		gc_lease(i, name, content);
		snprintf(p, sizeof(p), "%s/net1/%s", f->data, name);
		write_file(p, content);
	}
	snprintf(p, sizeof(p), "%s/net1/not-a-lease", f->data);
	write_file(p, "c1\r\neth0");
	snprintf(p, sizeof(p), "%s/net1/10.9.250.1", f->data);
	write_file(p, "not an owner!");
	if (index) {
		assert_int_equal(check(f, "first", "eth0"), 0); /* the index built and used */
		/* Owners written since that rebuild live in their own index files. */
		assert_int_equal(add(f, "late-kept", "eth0", NULL, 0), 0);
		assert_int_equal(add(f, "late-gone", "eth0", NULL, 0), 0);
	}
	/* the list, in no order, with duplicates: listed ids on the right or the wrong ifname */
	for (long i = GC_LEASES - 1; i >= 0; i--) {
		if (i % 3 == 0 || i % 5 == 0) {
			snprintf(ids[n], sizeof(ids[n]), "c%ld", i);
			valid[n].container_id = ids[n];
			valid[n].ifname = i % 5 == 0 ? "eth0" : "net1";
			n++;
		}
		if (i % 11 == 0) {
			snprintf(ids[n], sizeof(ids[n]), "c%ld", i);
			valid[n].container_id = ids[n];
			valid[n].ifname = "eth0";
			n++;
		}
	}
	if (index) {
		valid[n].container_id = "late-kept";
		valid[n].ifname = "eth0";
		n++;
	}
	reads = ipam_scan_reads;
	assert_int_equal(gc(f, valid, n), 0);
	/* With an index that covers the store, GC reads no lease at all; without, each once. */
	if (index)
		assert_int_equal(ipam_scan_reads - reads, 0);
	else
		assert_true(ipam_scan_reads - reads > GC_LEASES);
	for (long i = 0; i < GC_LEASES; i++) {
		char name[32], content[64];
		bool want;

		gc_lease(i, name, content);
		want = gc_reference(valid, n, content);
		if (want != exists(f, name))
			fail_msg("lease %s (%s): want %s", name, content, want ? "kept" : "gone");
		kept += want;
	}
	assert_true(kept > GC_LEASES / 4 && kept < GC_LEASES * 3 / 4);
	assert_true(exists(f, "not-a-lease"));
	assert_true(exists(f, "10.9.250.1"));
	assert_false(exists(f, "10.9.0.2")); /* "first" is not listed */
	if (index) {
		assert_int_equal(check(f, "late-kept", "eth0"), 0);
		assert_int_not_equal(check(f, "late-gone", "eth0"), 0);
	}
	assert_true(exists(f, "lock"));
	/* what survived is found by owner afterwards, what went is not */
	for (long i = 0; i < GC_LEASES; i += 97) {
		char name[32], content[64], id[16];
		const char *ifname = i % 7 == 0 ? "eth9" : i % 2 ? "eth0" : "net1";

		gc_lease(i, name, content);
		snprintf(id, sizeof(id), "c%ld", i);
		assert_int_equal(check(f, id, ifname) == 0, exists(f, name));
		if (index)
			assert_true(used_index(f));
	}
}

static void test_gc_many(void **state)
{
	gc_many(*state, false);
}

static void test_gc_many_index(void **state)
{
	gc_many(*state, true);
}

#define DUAL_OWNERS 700

/* Owner o<i>'s leases: an IPv4 one, an IPv6 one and, for every ninth, a second IPv6 one. */
static int dual_leases(long i, char names[3][64])
{
	snprintf(names[0], 64, "10.7.%ld.%ld", (i + 10) / 256, (i + 10) % 256);
	snprintf(names[1], 64, "fd00::%lx", i + 0x100);
	if (i % 9)
		return 2;
	snprintf(names[2], 64, "fd00::1:%lx", i);
	return 3;
}

/*
 * Hundreds of dual-stack owners, written as the Go host-local writes leases: the index the
 * first lookup builds sorts both families' entries by owner, and each owner is then found
 * through it with exactly its own addresses.
 */
static void test_index_many_dual(void **state)
{
	struct fixture *f = *state;
	_cleanup_ipam_store_ struct ipam_store *s = NULL;
	_cleanup_close_ int data_fd = -1;
	char p[512];

	conf_set(f, "1.0.0",
		 "\"ranges\":[[{\"subnet\":\"10.7.0.0/16\"}],[{\"subnet\":\"fd00::/64\"}]]", NULL);
	f->req.state_dir = f->state;
	assert_int_equal(add(f, "first", "eth0", NULL, 0), 0);
	for (long i = 0; i < DUAL_OWNERS; i++) {
		char names[3][64], content[64];
		int n = dual_leases(i, names);

		snprintf(content, sizeof(content), "o%ld\r\neth0", i);
		for (int k = 0; k < n; k++) {
			snprintf(p, sizeof(p), "%s/net1/%s", f->data, names[k]);
			write_file(p, content);
		}
	}
	assert_int_equal(ipam_data_dir_open(f->data, f->roots, false, &data_fd, &f->err), 0);
	assert_int_equal(ipam_store_open(data_fd, "net1", f->state, false, &s, &f->err), 0);
	for (long i = 0; i < DUAL_OWNERS; i++) {
		char names[3][64], id[16];
		struct ipaddr ips[4];
		int n = dual_leases(i, names);

		snprintf(id, sizeof(id), "o%ld", i);
		assert_int_equal(ipam_store_get_by_id(s, id, "eth0", ips, 4, &f->err), n);
		assert_true(ipam_store_used_index(s));
		for (int k = 0; k < n; k++) {
			struct ipaddr want;
			bool found = false;

			assert_int_equal(ipaddr_parse(names[k], &want), 0);
			for (int j = 0; j < n; j++)
				found = found || ipaddr_eq(&ips[j], &want);
			if (!found)
				fail_msg("owner %s: %s not found through the index", id, names[k]);
		}
	}
}

struct swap_ctx {
	struct fixture *f;
	char first[64]; /* the entry visited first, when the others were swapped */
	char swapped[3][64];
	int writer; /* holds the FIFO with an owner's text open */
	bool seen[3];
};

/* Replace the lease @name of the store by a FIFO (holding @text when not NULL) or a directory. */
static void swap_one(struct swap_ctx *c, const char *name, int kind)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/net1/%s", c->f->data, name);
	assert_int_equal(unlink(p), 0);
	if (kind == 2) {
		assert_int_equal(mkdir(p, 0755), 0);
		return;
	}
	assert_int_equal(mkfifo(p, 0644), 0);
	if (kind == 0) {
		c->writer = open(p, O_RDWR | O_NONBLOCK | O_CLOEXEC);
		assert_true(c->writer >= 0);
		assert_int_equal(write(c->writer, "c7\r\neth0", 8), 8);
	}
}

static int swap_cb(struct ipam_store *s, const char *name, const struct ipaddr *ip,
		   const char *content, void *data)
{
	struct swap_ctx *c = data;

	(void)s;
	(void)ip;
	(void)content;
	if (!c->first[0]) {
		int k = 0;

		snprintf(c->first, sizeof(c->first), "%s", name);
		for (int i = 0; k < 3; i++) {
			snprintf(c->swapped[k], sizeof(c->swapped[k]), "10.6.0.%d", 10 + i);
			if (strcmp(c->swapped[k], c->first) != 0) {
				swap_one(c, c->swapped[k], k);
				k++;
			}
		}
		return 0;
	}
	for (int k = 0; k < 3; k++)
		c->seen[k] = c->seen[k] || strcmp(name, c->swapped[k]) == 0;
	return 0;
}

/*
 * A scan reads every entry readdir() listed as a regular file; what is swapped in after that
 * (a FIFO whose writer holds an owner's text, a FIFO without a writer, a directory) never
 * reaches the callbacks, which are promised regular files.
 */
static void test_scan_swapped(void **state)
{
	struct fixture *f = *state;
	_cleanup_ipam_store_ struct ipam_store *s = NULL;
	_cleanup_close_ int data_fd = -1;
	struct swap_ctx c = { .f = f, .writer = -1 };
	char p[512];

	conf_set(f, "1.0.0", "\"subnet\":\"10.6.0.0/16\"", NULL);
	assert_int_equal(add(f, "first", "eth0", NULL, 0), 0);
	for (int i = 10; i < 200; i++) {
		snprintf(p, sizeof(p), "%s/net1/10.6.0.%d", f->data, i);
		write_file(p, "c1\r\neth0");
	}
	assert_int_equal(ipam_data_dir_open(f->data, f->roots, false, &data_fd, &f->err), 0);
	assert_int_equal(ipam_store_open(data_fd, "net1", NULL, false, &s, &f->err), 0);
	assert_int_equal(ipam_store_scan(s, swap_cb, &c, &f->err), 0);
	assert_true(c.writer >= 0);
	(void)close(c.writer);
	for (int k = 0; k < 3; k++) {
		if (c.seen[k])
			fail_msg("%s (swapped in as %s) reached the scan's callback", c.swapped[k],
				 k == 0 ? "a FIFO holding a lease" :
				 k == 1 ? "a FIFO" :
					  "a directory");
	}
}

/* A /24 store with an index, holding a (10.8.0.2) and b (10.8.0.3) on eth0. */
static void index_with_a_b(struct fixture *f)
{
	conf_set(f, "1.0.0", "\"subnet\":\"10.8.0.0/24\"", NULL);
	f->req.state_dir = f->state;
	assert_int_equal(add(f, "a", "eth0", NULL, 0), 0);
	assert_int_equal(add(f, "b", "eth0", NULL, 0), 0);
	assert_true(used_index(f));
}

static void test_index(void **state)
{
	struct fixture *f = *state;
	char p[512], ips[256];

	index_with_a_b(f);

	/* a lease written behind our back (host-local after a switch) is seen: stamp mismatch */
	snprintf(p, sizeof(p), "%s/net1/10.8.0.50", f->data);
	write_file(p, "foreign\r\neth0");
	assert_true(add(f, "foreign", "eth0", NULL, 0) < 0);
	assert_non_null(strstr(f->err.msg, "10.8.0.50 has been allocated to foreign"));
	assert_int_equal(check(f, "foreign", "eth0"), 0);
	assert_int_equal(del(f, "foreign", "eth0"), 0);
	assert_false(exists(f, "10.8.0.50"));
	assert_true(used_index(f));

	/* a stale hint is verified against the lease, never trusted */
	snprintf(p, sizeof(p), "%s/net1/10.8.0.2", f->data);
	assert_int_equal(unlink(p), 0);
	write_file(p, "other\r\neth0");
	assert_int_equal(del(f, "a", "eth0"), 0);
	assert_true(exists(f, "10.8.0.2"));

	/* without a state dir the same store works by scanning */
	f->req.state_dir = NULL;
	assert_int_equal(check(f, "other", "eth0"), 0);
	assert_int_equal(add(f, "c", "eth0", ips, sizeof(ips)), 0);
	assert_string_equal(ips, "10.8.0.4/24(10.8.0.1)");
	f->req.state_dir = f->state;
	assert_int_equal(check(f, "c", "eth0"), 0);
	assert_int_equal(del(f, "c", "eth0"), 0);
	assert_false(exists(f, "10.8.0.4"));

	/* layout: owners from the last scan live in "bulk", one line "<name> <ip>..." each,
	 * named by ipam_index_name(); later changes in per-owner files of that name, an empty
	 * one masking a bulk line, none at all for an owner the bulk never listed */
	{
		char idx[384], buf[256], line[64], nb[IPAM_INDEX_NAME_LEN], nc[IPAM_INDEX_NAME_LEN],
			nd[IPAM_INDEX_NAME_LEN];
		struct stat st;

		ipam_index_name("b", "eth0", nb);
		ipam_index_name("c", "eth0", nc);
		ipam_index_name("d", "eth0", nd);
		assert_int_equal(strlen(nb), 14);
		assert_string_not_equal(nb, nc);
		snprintf(p, sizeof(p), "%s/net1", f->data);
		assert_int_equal(stat(p, &st), 0);
		snprintf(idx, sizeof(idx), "%s/ipam/net1/%llu.%llu", f->state,
			 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
		snprintf(p, sizeof(p), "%s/bulk", idx);
		read_file(p, buf, sizeof(buf));
		snprintf(line, sizeof(line), "%s 10.8.0.3\n", nb);
		assert_non_null(strstr(buf, line));
		snprintf(line, sizeof(line), "%s 10.8.0.4\n", nc);
		assert_non_null(strstr(buf, line));
		/* sorted: b's and c's lines in the order of their names */
		assert_true((strstr(buf, nb) < strstr(buf, nc)) == (strcmp(nb, nc) < 0));
		snprintf(p, sizeof(p), "%s/%s", idx, nc);
		read_file(p, buf, sizeof(buf));
		assert_string_equal(buf, "");
		assert_int_equal(add(f, "d", "eth0", NULL, 0), 0);
		snprintf(p, sizeof(p), "%s/%s", idx, nd);
		read_file(p, buf, sizeof(buf));
		assert_string_equal(buf, "10.8.0.5\n");
		assert_int_equal(del(f, "d", "eth0"), 0);
		assert_int_not_equal(access(p, F_OK), 0);
		assert_true(used_index(f));
	}
}

/*
 * A copy of the store put back with its times (rsync -a, cp -a, tar) after later operations
 * must not match the stamp: the index describes the later state, and DEL or GC would miss the
 * leases the copy brings back.
 */
static void test_index_restored_copy(void **state)
{
	struct fixture *f = *state;
	char dir[512], lease[600];
	struct timespec times[2];
	struct stat copy;

	index_with_a_b(f);
	snprintf(dir, sizeof(dir), "%s/net1", f->data);
	assert_int_equal(stat(dir, &copy), 0); /* the copy: a's lease, b's, this mtime */

	assert_int_equal(del(f, "a", "eth0"), 0);
	assert_false(exists(f, "10.8.0.2"));

	/* put back: a's lease as it was, the directory's mtime as the copy had it */
	snprintf(lease, sizeof(lease), "%s/10.8.0.2", dir);
	write_file(lease, "a\r\neth0");
	times[0].tv_nsec = UTIME_OMIT;
	times[1] = copy.st_mtim;
	assert_int_equal(utimensat(AT_FDCWD, dir, times, 0), 0);

	assert_int_equal(del(f, "a", "eth0"), 0);
	assert_false(exists(f, "10.8.0.2"));
}

static void test_names(void **state)
{
	assert_true(cni_valid_id("abc-1.2_3"));
	assert_false(cni_valid_id("-abc"));
	assert_false(cni_valid_id("../x"));
	assert_false(cni_valid_id("a/b"));
	assert_false(cni_valid_id(""));
	assert_false(cni_valid_id(NULL));
	assert_true(cni_valid_ifname("eth0"));
	assert_false(cni_valid_ifname("a:b"));
	assert_false(cni_valid_ifname(".."));
	assert_false(cni_valid_ifname("0123456789abcdef"));
	assert_false(cni_valid_ifname("a b"));
}

/* A lease is named by its IP exactly as host-local prints it; nothing else is a lease. */
static void test_lease_names(void **state)
{
	static const char *const good[] = { "10.1.2.3", "0.0.0.0", "255.255.255.255", "fd00::2",
					    "2001:db8::1:0:0:1" };
	static const char *const bad[] = { "010.1.2.3",
					   "10.01.2.3",
					   "10.1.2.03",
					   "10.1.2",
					   "10.1.2.3.4",
					   "10.1.2.256",
					   " 10.1.2.3",
					   "10.1.2.3 ",
					   "::ffff:10.1.2.3",
					   "FD00::2",
					   "fd00:0::2",
					   "fd00::02",
					   "2001:db8:0:0:1:0:0:1",
					   "lock",
					   "last_reserved_ip.0",
					   "" };
	struct ipaddr ip;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!ipam_lease_name(good[i], &ip))
			fail_msg("\"%s\" is a lease name", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ipam_lease_name(bad[i], &ip))
			fail_msg("\"%s\" is not a lease name", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_del_check_old_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_index_unreadable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gc_many_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_restored_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_many_dual, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_swapped, setup, teardown),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_lease_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
