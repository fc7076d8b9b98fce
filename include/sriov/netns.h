/* SPDX-License-Identifier: Apache-2.0 */
/* netns.h: open, verify and temporarily enter network namespaces. */
#ifndef SRIOV_NETNS_H
#define SRIOV_NETNS_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/err.h"

/*
 * Open a netns path (e.g. /var/run/netns/x or /proc/<pid>/ns/net) O_RDONLY|O_CLOEXEC once it is
 * known to be an nsfs file (looked at with O_PATH first: a FIFO or device is never opened). -ENOENT when the path is missing, -EINVAL when it exists but is not
 * a network namespace; both mean "gone" to DEL.
 */
int netns_open(const char *path, int *ret_fd, struct cni_err *err);
/* Is @fd the calling thread's own netns (the host's, for the plugin)? */
bool netns_is_current(int fd);
/* Open the caller's current netns: a new fd, O_RDONLY|O_CLOEXEC; CNI_ERR_INTERNAL on failure. */
int netns_open_current(int *ret_fd, struct cni_err *err);
/*
 * The netns the process started in (the host's, for the plugin): *ret_fd gets an fd that the
 * process keeps open, which the caller must not close. Opened at the first call; call it only
 * while not inside a netns_enter(). 0, or as netns_open_current().
 */
int netns_home(int *ret_fd, struct cni_err *err);

/*
 * Switch the calling thread into @fd; *ret_saved gets an fd of the previous netns, which only
 * netns_leave() may close (the process's own netns is opened at the first enter and kept).
 * netns_leave() never fails silently: it aborts only if returning is impossible, because
 * continuing in the wrong namespace would configure the wrong devices. 0 or a negative errno
 * with CNI_ERR_INTERNAL (the current netns cannot be opened, setns(2) refused).
 */
int netns_enter(int fd, int *ret_saved, struct cni_err *err);
void netns_leave(int *saved);
/* Exit status of the process when netns_leave() cannot return to the original netns. */
#define NETNS_EXIT_LOST 97

/* Write @value to /proc/sys/<key> inside netns @fd (e.g. "net/ipv4/conf/net1/arp_notify"). */
int netns_sysctl_write(int fd, const char *key, const char *value, struct cni_err *err);
/*
 * Write @value to each of the @n_keys sysctls @keys inside netns @fd, entering it once. Every
 * key is checked before anything is written; a key that fails does not stop the others, and
 * the first failure is the one returned (errors as netns_sysctl_write()).
 */
int netns_sysctl_write_all(int fd, const char *const *keys, size_t n_keys, const char *value,
			   struct cni_err *err);

#endif
