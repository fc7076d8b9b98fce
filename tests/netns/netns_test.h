/* SPDX-License-Identifier: Apache-2.0 */
/* netns_test.h: helpers for root tests that build throwaway network namespaces with veths. */
#ifndef SRIOV_NETNS_TEST_H
#define SRIOV_NETNS_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Skip (77) unless root and able to create network namespaces; under CI=true a skip is a
 * failure. On success the whole test process lives in a private netns, so nothing it does
 * touches the host's devices.
 */
static inline void nt_require_root(void)
{
	const char *ci = getenv("CI");
	const char *why = NULL;

	if (geteuid() != 0)
		why = "requires root";
	else if (unshare(CLONE_NEWNET) < 0)
		why = "cannot create a network namespace";
	if (!why)
		return;
	fprintf(stderr, "skip: %s\n", why);
	exit(ci && !strcmp(ci, "true") ? 1 : 77);
}

static inline int nt_current_netns(void)
{
	return open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
}

/* A new, empty network namespace (with lo up), held by the returned fd only. */
static inline int nt_netns_new(void)
{
	int home = nt_current_netns();
	int fd = -1;

	if (home < 0)
		return -1;
	if (unshare(CLONE_NEWNET) == 0) {
		fd = nt_current_netns();
		if (system("ip link set lo up") != 0)
			fprintf(stderr, "nt_netns_new: cannot set lo up\n");
	}
	if (setns(home, CLONE_NEWNET) < 0)
		abort();
	close(home);
	return fd;
}

/* Run a shell command inside netns @ns_fd (-1: the current one); returns its exit status. */
static inline __attribute__((format(printf, 2, 3))) int nt_sh(int ns_fd, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int home = -1, r;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (ns_fd >= 0) {
		home = nt_current_netns();
		if (home < 0 || setns(ns_fd, CLONE_NEWNET) < 0)
			abort();
	}
	r = system(cmd);
	if (home >= 0) {
		if (setns(home, CLONE_NEWNET) < 0)
			abort();
		close(home);
	}
	if (r != 0)
		fprintf(stderr, "command failed (%d): %s\n", r, cmd);
	return r;
}

#endif
