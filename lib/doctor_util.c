/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_util.c: what lib/doctor.c (sysfs, netlink) and lib/doctor_state.c (the state
 * directory, locks, namespaces) both use to gather: growing arrays, reading small text files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sriov/cleanup.h"

#include "doctor_gather.h"

int doctor_grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void **a = arr;
	size_t c = *cap ? *cap * 2 : 16;
	void *na;

	if (n < *cap)
		return 0;
	na = reallocarray(*a, c, size);
	if (!na)
		return -ENOMEM;
	memset((char *)na + *cap * size, 0, (c - *cap) * size);
	*a = na;
	*cap = c;
	return 0;
}

int doctor_read_text_at(int dirfd, const char *path, char *buf, size_t len)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	do
		n = read(fd, buf, len - 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}
