/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_lease_store.c: the host-local store and our index, read back from disk. The input
 * describes files, one section each:
 *   @lease <name>\n<content>     a file in the store <dataDir>/net/ (a lease if named by an IP)
 *   @index <name>\n<content>     a per-owner index file ("c1:eth0"); @bulk\n<content> the bulk
 * Leases are written first, the index is built and stamped by a first open, then the index
 * files are overwritten, and every store operation runs on what is there.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "../../ipam/ipam_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64], data_dir[96], state_dir[96];
static const char *roots[2];

static void rm_tree(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;
	struct dirent *de;

	if (fd < 0) {
		(void)unlinkat(dfd, name, 0);
		return;
	}
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			rm_tree(dirfd(d), de->d_name);
	}
	closedir(d);
	(void)unlinkat(dfd, name, AT_REMOVEDIR);
}

static void cleanup(void)
{
	rm_tree(AT_FDCWD, root);
}

static void setup(void)
{
	snprintf(root, sizeof(root), "%s/fuzz_store.XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(root))
		abort();
	snprintf(data_dir, sizeof(data_dir), "%s/data", root);
	snprintf(state_dir, sizeof(state_dir), "%s/state", root);
	roots[0] = root;
	atexit(cleanup);
}

/* File names the harness may create: short, no '/', not "." or "..". */
static bool name_ok(const char *s, size_t n)
{
	if (n == 0 || n > 64 || (n == 1 && s[0] == '.') || (n == 2 && !memcmp(s, "..", 2)))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == ':' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void put(int dfd, const char *name, size_t n, const uint8_t *content, size_t len)
{
	char nm[65];
	int fd;

	if (dfd < 0 || !name_ok(name, n))
		return;
	memcpy(nm, name, n);
	nm[n] = '\0';
	fd = openat(dfd, nm, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	if (len)
		(void)!write(fd, content, len);
	close(fd);
}

/* Write every section of @kind ("lease", "index", "bulk") into @dfd. */
static void sections(const uint8_t *data, size_t size, const char *kind, int dfd)
{
	size_t klen = strlen(kind), i = 0;

	while (i < size) {
		const uint8_t *line = data + i, *nl, *next;
		size_t rest = size - i;

		nl = memchr(line, '\n', rest);
		if (!nl)
			return;
		next = memmem(nl + 1, (size_t)(data + size - (nl + 1)), "\n@", 2);
		if (line[0] == '@' && (size_t)(nl - line) >= klen + 1 &&
		    !memcmp(line + 1, kind, klen)) {
			const char *nm = (const char *)line + 1 + klen;
			size_t nlen = (size_t)((const char *)nl - nm);
			const uint8_t *c = nl + 1;
			size_t clen = (size_t)((next ? next : data + size) - c);

			if (nlen && *nm == ' ') {
				nm++;
				nlen--;
			}
			if (!strcmp(kind, "bulk"))
				put(dfd, "bulk", 4, c, clen);
			else
				put(dfd, nm, nlen, c, clen);
		}
		if (!next)
			return;
		i = (size_t)(next + 1 - data);
	}
}

static int open_store(bool create, struct ipam_store **ret)
{
	_cleanup_close_ int data_fd = -1;
	struct cni_err err = { 0 };
	int r = ipam_data_dir_open(data_dir, roots, create, &data_fd, &err);

	if (r < 0)
		return r;
	return ipam_store_open(data_fd, "net", state_dir, create, ret, &err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ipam_attachment valid[] = { { "c1", "eth0" }, { "old", NULL } };
	struct ipam_store *s = NULL;
	struct cni_err err = { 0 };
	struct ipaddr ips[8], ip;
	_cleanup_close_ int nfd = -1, ifd = -1;
	char idx[256];
	struct stat st;

	if (!root[0])
		setup();
	if (size > 65536)
		return 0;
	rm_tree(AT_FDCWD, data_dir);
	rm_tree(AT_FDCWD, state_dir);
	if (open_store(true, &s) < 0)
		abort();
	ipam_store_close(s);
	s = NULL;
	nfd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (nfd < 0)
		abort();
	{
		_cleanup_close_ int sfd = openat(nfd, "net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

		sections(data, size, "lease", sfd);
		if (sfd < 0 || fstat(sfd, &st) < 0)
			abort();
	}
	/* The first open with an index scans the store and stamps the index. */
	if (open_store(false, &s) == 0) {
		(void)ipam_store_get_by_id(s, "c1", "eth0", ips, 8, &err);
		ipam_store_close(s);
		s = NULL;
	}
	snprintf(idx, sizeof(idx), "%s/ipam/net/%llu.%llu", state_dir,
		 (unsigned long long)st.st_dev, (unsigned long long)st.st_ino);
	ifd = open(idx, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sections(data, size, "index", ifd);
	sections(data, size, "bulk", ifd);

	if (open_store(false, &s) < 0)
		return 0;
	(void)ipam_store_get_by_id(s, "c1", "eth0", ips, 8, &err);
	(void)ipam_store_find_by_id(s, "old", "eth1", &err);
	ipam_store_last_reserved(s, 0, &ip);
	if (ipaddr_parse("10.0.0.77", &ip) == 0)
		(void)ipam_store_reserve(s, "c2", "eth0", &ip, 0, &err);
	(void)ipam_store_release_by_id(s, "c1", "eth0", 2, &err);
	(void)ipam_store_gc(s, valid, 1, &err);
	(void)ipam_store_writable(s, &err);
	ipam_store_close(s);
	return 0;
}
