/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor_gather.h: what lib/doctor.c (sysfs, netlink) and lib/doctor_state.c (the state
 * directory, locks, namespaces) share; not an interface of the library.
 */
#ifndef SRIOV_DOCTOR_GATHER_H
#define SRIOV_DOCTOR_GATHER_H

#include <stdbool.h>
#include <stddef.h>

#include "sriov/doctor.h"

/* Grow *@arr (of @size-byte items, room for *@cap) so that item @n fits: 0 or -ENOMEM. */
int doctor_grow(void *arr, size_t *cap, size_t n, size_t size);
/* A small sysfs or procfs text file below @dirfd, without its trailing newline: 0 or -errno. */
int doctor_read_text_at(int dirfd, const char *path, char *buf, size_t len);
/*
 * The records, damaged records, quarantine and held locks under the state directory, each
 * record matched with its VF in r->vfs (filled before) and its owner's netns looked at.
 * @devfd is /sys/bus/pci/devices. 0, or -errno with @err filled (code 4, 5 or 999).
 */
int doctor_gather_state(struct doctor_report *r, int devfd, struct cni_err *err);

#endif
