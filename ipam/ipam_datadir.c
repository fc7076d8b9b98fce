/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_datadir.c: where host-local's dataDir may be. The config names it, so a tenant does:
 * only below /var/lib/cni or /run (real configs use /run/<orchestrator>/...), with no
 * symlink below that root (a user who can write somewhere under /run must not redirect the
 * store to /etc), and directories are created only by ADD, only below the root.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "sriov/text.h"
#include "ipam_int.h"

static const char *const default_roots[] = { IPAM_DATA_ROOT_CNI, IPAM_DATA_ROOT_RUN, NULL };

/* The root @data_dir lies below, and the rest after "root/" into *ret_rel. */
static const char *find_root(const char *data_dir, const char *const *roots, char *norm,
			     size_t size, const char **ret_rel)
{
	if (!text_path_normalize(data_dir, norm, size))
		return NULL;
	/* /var/run is /run's compatibility symlink: host-local reaches the same files. */
	if (!roots && strncmp(norm, "/var/run/", 9) == 0)
		memmove(norm, norm + 4, strlen(norm + 4) + 1);
	for (const char *const *r = roots ? roots : default_roots; *r; r++) {
		const char *rel = text_path_below(norm, *r);

		if (rel) {
			*ret_rel = rel;
			return *r;
		}
	}
	return NULL;
}

static int refused(const char *data_dir, struct cni_err *err)
{
	err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
		"ipam.dataDir: %s must be a directory below " IPAM_DATA_ROOT_CNI
		" or " IPAM_DATA_ROOT_RUN,
		QUOTE(data_dir));
	err_details(err, "ipam.dataDir");
	return err_ret(err);
}

int ipam_data_dir_check(const char *data_dir, const char *const *roots, struct cni_err *err)
{
	char norm[PATH_MAX];
	const char *rel;

	return find_root(data_dir, roots, norm, sizeof(norm), &rel) ? 0 : refused(data_dir, err);
}

int ipam_data_dir_open(const char *data_dir, const char *const *roots, bool create, int *ret_fd,
		       struct cni_err *err)
{
	_cleanup_close_ int rfd = -1;
	char norm[PATH_MAX];
	const char *rel = NULL, *root;
	int fd;

	root = find_root(data_dir, roots, norm, sizeof(norm), &rel);
	if (!root)
		return refused(data_dir, err);
	/* The root itself is the administrator's: symlinks in its own path are followed. */
	rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rfd < 0 && errno == ENOENT && create) {
		if (mkdir(root, 0755) < 0 && errno != EEXIST)
			return err_set(err, errno, CNI_ERR_IO, "ipam.dataDir: create %s: %s", root,
				       strerror(errno));
		rfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (rfd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return err_set(err, errno, CNI_ERR_IO, "ipam.dataDir: open %s: %s", root,
			       strerror(errno));
	}
	fd = create ? fs_mkdir_beneath(rfd, rel, 0755) :
		      fs_open_beneath(rfd, rel, O_RDONLY | O_DIRECTORY, 0);
	if (fd == -ENOENT && !create)
		return -ENOENT;
	if (fd == -ELOOP || fd == -ENOTDIR) {
		err_set(err, -fd, CNI_ERR_INVALID_CONFIG,
			"ipam.dataDir: %s: %s below %s; the store is never reached through one",
			QUOTE(data_dir), fd == -ELOOP ? "a symlink" : "not a directory", root);
		err_details(err, "ipam.dataDir");
		return err_ret(err);
	}
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "ipam.dataDir: %s: %s", QUOTE(data_dir),
			       strerror(-fd));
	*ret_fd = fd;
	return 0;
}
