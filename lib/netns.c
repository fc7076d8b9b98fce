/* SPDX-License-Identifier: Apache-2.0 */
/* netns.c: open, verify and temporarily enter network namespaces; per-netns sysctl writes. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <linux/magic.h>
#include <linux/nsfs.h>

#include "sriov/cleanup.h"
#include "sriov/fs.h"
#include "sriov/netns.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif

int netns_open(const char *path, int *ret_fd, struct cni_err *err)
{
	_cleanup_close_ int pfd = -1, fd = -1;
	struct statfs sfs;
	int type;

	if (!path || !*path)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV, "netns path is empty");

	/*
	 * No O_NOFOLLOW: /proc/<pid>/ns/net is a magic link and must be followed. O_PATH first:
	 * a FIFO or a device node at the path is looked at, never opened (it then fails the nsfs
	 * check below); only an nsfs file is opened for real, through /proc/self/fd.
	 */
	pfd = open(path, O_PATH | O_CLOEXEC);
	if (pfd < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INVALID_ENV, "open netns %s: %s", path, strerror(e));
	}
	if (fstatfs(pfd, &sfs) < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "statfs netns %s: %s", path, strerror(e));
	}
	/*
	 * After "ip netns del" the bind mount is gone and the path is an empty file on tmpfs:
	 * that is a netns that no longer exists, not a usable one.
	 */
	if (sfs.f_type != NSFS_MAGIC)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "%s is not a network namespace (not an nsfs file)", path);
	fd = fs_reopen(pfd, O_RDONLY);
	if (fd < 0)
		return err_set(err, -fd, CNI_ERR_INTERNAL, "open netns %s: %s", path,
			       strerror(-fd));

	/* NS_GET_NSTYPE needs Linux 4.11; older kernels answer ENOTTY and we trust nsfs. */
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type >= 0 && type != CLONE_NEWNET)
		return err_set(err, EINVAL, CNI_ERR_INVALID_ENV,
			       "%s is a namespace but not a network namespace", path);

	*ret_fd = TAKE_FD(fd);
	return 0;
}

/*
 * The netns the process started in, opened at first use (netns_home()): an enter from there
 * saves this fd instead of opening /proc/thread-self/ns/net once more (ADD and DEL enter the
 * pod's netns several times). home_depth counts the enters not yet left; only at depth 0 is
 * the current netns known to be this one.
 */
static int home_fd = -1;
static unsigned int home_depth;

/*
 * An fd of the calling thread's netns in *@ret_fd: the kept one at depth 0, else a new one
 * that is also put in *@ret_owned for the caller to close or keep. 0 or as
 * netns_open_current().
 */
static int current_netns(int *ret_fd, int *ret_owned, struct cni_err *err)
{
	int r;

	if (home_depth == 0)
		return netns_home(ret_fd, err);
	r = netns_open_current(ret_owned, err);
	if (r == 0)
		*ret_fd = *ret_owned;
	return r;
}

bool netns_is_current(int fd)
{
	struct stat a, b;
	_cleanup_close_ int owned = -1;
	struct cni_err ignored = { 0 };
	int cur = -1;

	return current_netns(&cur, &owned, &ignored) == 0 && fs_fstat(fd, &a) == 0 &&
	       fs_fstat(cur, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int netns_home(int *ret_fd, struct cni_err *err)
{
	if (home_fd < 0) {
		int r = netns_open_current(&home_fd, err);

		if (r < 0)
			return r;
	}
	*ret_fd = home_fd;
	return 0;
}

int netns_open_current(int *ret_fd, struct cni_err *err)
{
	int fd;

	/* The netns is per thread; /proc/thread-self needs Linux 3.17, fall back to self. */
	fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "open current netns: %s", strerror(e));
	}
	*ret_fd = fd;
	return 0;
}

int netns_enter(int fd, int *ret_saved, struct cni_err *err)
{
	_cleanup_close_ int owned = -1;
	int saved = -1, r;

	r = current_netns(&saved, &owned, err);
	if (r < 0)
		return r;
	if (setns(fd, CLONE_NEWNET) < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "enter netns: %s", strerror(e));
	}
	home_depth++;
	(void)TAKE_FD(owned); /* *ret_saved now, for netns_leave() to close */
	*ret_saved = saved;
	return 0;
}

void netns_leave(int *saved)
{
	int e = errno;

	if (!saved || *saved < 0)
		return;
	if (setns(*saved, CLONE_NEWNET) < 0) {
		/*
		 * Every later step would configure devices, addresses and sysctls of the pod
		 * instead of the host (or the reverse). Stop the process here; the runtime sees a
		 * failed plugin and calls DEL, which starts from a fresh process.
		 */
		dprintf(STDERR_FILENO,
			"sriov: cannot return to the original network namespace: %s\n",
			strerror(errno));
		_exit(NETNS_EXIT_LOST);
	}
	if (*saved != home_fd)
		(void)close(*saved);
	*saved = -1;
	if (home_depth > 0)
		home_depth--;
	errno = e;
}

/* A sysctl key is a relative path below /proc/sys without empty, "." or ".." components. */
static bool netns_sysctl_key_valid(const char *key)
{
	const char *p = key;

	if (!*key || strlen(key) > 256)
		return false;
	while (*p) {
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);

		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		for (const char *c = p; c < end; c++)
			if (*c <= ' ' || *c == 0x7f)
				return false;
		p = *end ? end + 1 : end;
		if (*end && !*p)
			return false;
	}
	return true;
}

/* Write @value to /proc/sys/<key> in the netns this thread is in. */
static int netns_sysctl_write_here(const char *key, const char *value, struct cni_err *err)
{
	_cleanup_close_ int f = -1;
	char path[PATH_MAX];
	size_t len;
	ssize_t n;

	if (!key || !netns_sysctl_key_valid(key))
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG, "invalid sysctl key \"%s\"",
			       key ? key : "");
	if (!value)
		return err_set(err, EINVAL, CNI_ERR_INTERNAL, "sysctl %s: no value", key);
	snprintf(path, sizeof(path), "/proc/sys/%s", key);
	f = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (f < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "sysctl %s: open %s: %s", key, path,
			       strerror(e));
	}
	len = strlen(value);
	n = write(f, value, len);
	if (n < 0) {
		int e = errno;

		return err_set(err, e, CNI_ERR_INTERNAL, "sysctl %s = %s: %s", key, value,
			       strerror(e));
	}
	if ((size_t)n != len)
		return err_set(err, EIO, CNI_ERR_INTERNAL, "sysctl %s = %s: short write", key,
			       value);
	return 0;
}

int netns_sysctl_write(int fd, const char *key, const char *value, struct cni_err *err)
{
	return netns_sysctl_write_all(fd, &key, 1, value, err);
}

int netns_sysctl_write_all(int fd, const char *const *keys, size_t n_keys, const char *value,
			   struct cni_err *err)
{
	_cleanup_(netns_leave) int saved = -1;
	struct cni_err first = { 0 };
	int r, first_r = 0;

	for (size_t i = 0; i < n_keys; i++)
		if (!keys[i] || !netns_sysctl_key_valid(keys[i]))
			return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
				       "invalid sysctl key \"%s\"", keys[i] ? keys[i] : "");
	/* /proc/sys/net resolves against the netns of the calling thread, so enter first. */
	r = netns_enter(fd, &saved, err);
	if (r < 0)
		return err_wrap(err, "sysctl %s", n_keys ? keys[0] : "");
	for (size_t i = 0; i < n_keys; i++) {
		r = netns_sysctl_write_here(keys[i], value, err);
		if (r < 0 && first_r == 0) {
			first = *err;
			first_r = r;
		}
	}
	if (first_r < 0)
		*err = first;
	return first_r;
}
