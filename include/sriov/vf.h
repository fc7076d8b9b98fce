/* SPDX-License-Identifier: Apache-2.0 */
/* vf.h: find a VF from its PCI address: its PF, VF index, netdev or userspace driver (sysfs). */
#ifndef SRIOV_VF_H
#define SRIOV_VF_H

#include <stdbool.h>
#include <stddef.h>
#include <net/if.h>

#include "sriov/err.h"

struct vf_dev {
	char pci[32];
	char pf_pci[32];
	char pf_name[IFNAMSIZ];
	int pf_ifindex;
	unsigned int index; /* VF index on the PF */
	char netdev[IFNAMSIZ]; /* "" when the VF has no netdev in the host netns */
	int ifindex; /* of netdev, 0 when none */
	char driver[64]; /* bound driver, "" when none */
	bool dpdk; /* bound to vfio-pci, uio_pci_generic or igb_uio */
};

/* Resolve @pci. -ENODEV when the device does not exist, -EINVAL when it is not a VF. */
int vf_resolve(const char *pci, struct vf_dev *ret, struct cni_err *err);
/* vf_resolve() up to the PF and the VF index (pf_pci, pf_name, pf_ifindex, index): what a
 * PF-side write needs; driver, netdev and ifindex are left unset. */
int vf_resolve_pf(const char *pci, struct vf_dev *ret, struct cni_err *err);

/*
 * Is @drv (a driver name as sysfs' driver link names it) a userspace driver: vfio-pci,
 * uio_pci_generic or igb_uio? Then the VF is for DPDK and has no netdev.
 */
bool vf_userspace_driver(const char *drv);

/*
 * The basename of the sysfs symlink @path (relative to @dirfd, or AT_FDCWD) into @buf of @len
 * bytes: a PCI address or driver name. 0; -errno from readlinkat(); -EINVAL when it is empty,
 * too long or not a plain name ([A-Za-z0-9_.:-]).
 */
int vf_link_base_at(int dirfd, const char *path, char *buf, size_t len);

/* Does the PCI device still exist? */
bool vf_exists(const char *pci);

/* The VF's netdev in the host netns, from /sys/bus/pci/devices/<pci>/net/ (0 = found). */
int vf_host_netdev(const char *pci, char name[IFNAMSIZ], int *ret_ifindex);

/*
 * Find the netdev of PCI device @pci inside netns @netns_fd, trying @hint_ifindex and
 * @hint_name first, then every link there. The match is the driver's bus-info (ethtool),
 * never a name alone. -ENODEV when it is not there.
 */
int vf_netdev_in_netns(int netns_fd, const char *pci, int hint_ifindex, const char *hint_name,
		       int *ret_ifindex, char ret_name[IFNAMSIZ], struct cni_err *err);

#endif
