/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ipam_store.c: host-local's lease directory <dataDir>/<network> (same files, same lock):
 * opening it under its lock, closing it, and the small-file reads the other store modules
 * share. Leases are in ipam_lease.c, the full scan and GC in ipam_scan.c, the optional index
 * of owners in ipam_index.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "ipam_store_int.h"

/*
 * How long ADD, DEL, CHECK and GC wait for the store's lock (the Go host-local waits without
 * limit). Then code 11: another call holds the store and will finish, so a retry succeeds.
 */
#define IPAM_LOCK_TIMEOUT_MS 60000

char *ipam_store_trim(char *s, size_t *len)
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

ssize_t ipam_store_read(int dfd, const char *name, char *buf, size_t size)
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

/* <@data_fd>/<@network>, made when @create; -ENOENT (err untouched) when missing otherwise. */
static int open_dir(int data_fd, const char *network, bool create, struct cni_err *err)
{
	int fd;

	if (create)
		fd = fs_subdir_at(data_fd, network, 0755);
	else if ((fd = openat(data_fd, network, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
		 0)
		fd = -errno;
	if (fd == -ENOENT && !create)
		return -ENOENT;
	if (fd == -ENOTDIR || fd == -ELOOP) {
		err_set(err, -fd, CNI_ERR_INVALID_CONFIG,
			"ipam.dataDir: %s in it is a symlink or not a directory", network);
		err_details(err, "ipam.dataDir");
		return err_ret(err);
	}
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_IO, "open the IP store of %s: %s", network,
			       strerror(-fd));
	return fd;
}

int ipam_store_open(int data_fd, const char *network, const char *state_dir, bool create,
		    struct ipam_store **ret, struct cni_err *err)
{
	_cleanup_(ipam_store_closep) struct ipam_store *s = NULL;
	char what[NAME_MAX + 32];
	int r;

	if (!cni_valid_id(network))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "invalid characters found in network name");
	/* The store is the directory <dataDir>/<network>. */
	if (strlen(network) > NAME_MAX)
		return err_set(err, ENAMETOOLONG, CNI_ERR_INVALID_CONFIG,
			       "network name is %zu bytes long, a directory name holds at most %d",
			       strlen(network), NAME_MAX);
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
	s->root_fd = s->dir_fd = s->lock_fd = s->idx_fd = s->tmp_fd = -1;

	s->root_fd = fcntl(data_fd, F_DUPFD_CLOEXEC, 3);
	if (s->root_fd < 0)
		return err_set(err, errno, CNI_ERR_IO, "open the IP store: %s", strerror(errno));
	r = open_dir(s->root_fd, network, create, err);
	if (r < 0)
		return r;
	s->dir_fd = r;
	/* go-filemutex creates the lock with mode 0750; a FIFO planted there is refused. */
	snprintf(what, sizeof(what), "of the IP store of %.200s", network);
	r = fs_lock_at(s->dir_fd, "lock", 0750, IPAM_LOCK_TIMEOUT_MS, what, err);
	if (r < 0)
		return r;
	s->lock_fd = r;
	if (state_dir && ipam_index_open(s, state_dir, network) < 0) {
		if (s->idx_fd >= 0)
			(void)close(s->idx_fd);
		s->idx_fd = -1;
	}
	*ret = TAKE_PTR(s);
	return 0;
}

bool ipam_store_used_index(const struct ipam_store *s)
{
	return s->used_index;
}

void ipam_store_close(struct ipam_store *s)
{
	ipam_index_close(s);
	if (s->tmp_fd >= 0)
		(void)close(s->tmp_fd);
	if (s->lock_fd >= 0) {
		(void)flock(s->lock_fd, LOCK_UN);
		(void)close(s->lock_fd);
	}
	if (s->dir_fd >= 0)
		(void)close(s->dir_fd);
	if (s->root_fd >= 0)
		(void)close(s->root_fd);
	free(s);
}

void ipam_store_touched(struct ipam_store *s)
{
	if (s->idx_fd < 0)
		return;
	if (!s->idx_checked || !s->idx_valid) {
		ipam_index_invalidate(s);
		return;
	}
	s->dirty = true;
}

int ipam_store_writable(struct ipam_store *s, struct cni_err *err)
{
	if (faccessat(s->dir_fd, ".", W_OK, AT_EACCESS) < 0)
		return err_set(err, errno, CNI_ERR_NOT_AVAILABLE, "IP store not writable: %s",
			       strerror(errno));
	return 0;
}
