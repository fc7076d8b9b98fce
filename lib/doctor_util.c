/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_util.c: what lib/doctor.c (sysfs, netlink) and lib/doctor_state.c (the state
 * directory, locks, namespaces) both use to gather: growing arrays, reading small text files.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sriov/fs.h"

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
	ssize_t n = fs_read_kernel_text_at(dirfd, path, buf, len);

	if (n < 0)
		return (int)n;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}
