/* SPDX-License-Identifier: Apache-2.0 */
/*
 * doctor.c: gather what "sriov doctor" reports: the SR-IOV PFs and their VFs from sysfs, the
 * PFs' link state and VF tables through netlink; the state directory in doctor_state.c.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sriov/cleanup.h"
#include "sriov/conf.h"
#include "sriov/doctor.h"
#include "sriov/text.h"
#include "sriov/vf.h"

#include "doctor_gather.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* <linux/if.h>, which clashes with <net/if.h> */
#endif

#define PCI_DEVICES "/sys/bus/pci/devices"
#define IOMMU_GROUPS "/sys/kernel/iommu_groups"
#define DOCTOR_MAX_VFS 65536

static int read_long_at(int dirfd, const char *path, int base, long *ret)
{
	char buf[32], *end;
	long v;
	int r = doctor_read_text_at(dirfd, path, buf, sizeof(buf));

	if (r < 0)
		return r;
	errno = 0;
	v = strtol(buf, &end, base);
	if (end == buf || *end || errno)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* The driver bound to PCI device @pci: "" when none, "?" when its name is odd. */
static void driver_of(int devfd, const char *pci, char *buf, size_t len)
{
	char path[96];
	int r;

	snprintf(path, sizeof(path), "%s/driver", pci);
	r = vf_link_base_at(devfd, path, buf, len);
	if (r == -EINVAL)
		snprintf(buf, len, "?");
	else if (r < 0)
		buf[0] = '\0';
}

/* "vendor:device" in hex without 0x, "" when unreadable. */
static void id_of(int devfd, const char *pci, char id[16])
{
	char path[96];
	long vendor, device;

	id[0] = '\0';
	snprintf(path, sizeof(path), "%s/vendor", pci);
	if (read_long_at(devfd, path, 16, &vendor) < 0 || vendor < 0 || vendor > 0xffff)
		return;
	snprintf(path, sizeof(path), "%s/device", pci);
	if (read_long_at(devfd, path, 16, &device) < 0 || device < 0 || device > 0xffff)
		return;
	snprintf(id, 16, "%04lx:%04lx", vendor, device);
}

/*
 * The netdev of PCI device @pci in the netns sysfs was mounted in (the host's): the first
 * entry of <pci>/net/. The name is as the kernel has it: a pod may have renamed the VF to
 * anything before its netns died, so it is only ever printed escaped.
 */
static int netdev_of(int devfd, const char *pci, char name[IFNAMSIZ])
{
	_cleanup_closedir_ DIR *d = NULL;
	char path[96];
	struct dirent *de;
	int fd;

	snprintf(path, sizeof(path), "%s/net", pci);
	fd = openat(devfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		(void)close(fd);
		return -errno;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strlen(de->d_name) < IFNAMSIZ) {
			strcpy(name, de->d_name);
			return 0;
		}
	return -ENOENT;
}

static int pf_cmp(const void *a, const void *b)
{
	return strcmp(((const struct doctor_pf *)a)->pci, ((const struct doctor_pf *)b)->pci);
}

/* Every network PF that can have VFs (class 02xxxx with sriov_totalvfs), sorted by address. */
static int gather_pfs(struct doctor_report *r, int devfd, struct cni_err *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;
	size_t cap = 0;
	int fd = dup(devfd);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			(void)close(fd);
		return err_set(err, errno, CNI_ERR_IO, "list " PCI_DEVICES);
	}
	while ((de = readdir(d))) {
		struct doctor_pf *pf;
		char path[96], name[IFNAMSIZ], pci[32];
		long total, num, cls, ifindex;

		if (strlen(de->d_name) >= sizeof(pci) || !conf_valid_pci(de->d_name))
			continue;
		strcpy(pci, de->d_name);
		snprintf(path, sizeof(path), "%s/sriov_totalvfs", pci);
		if (read_long_at(devfd, path, 10, &total) < 0 || total <= 0)
			continue;
		snprintf(path, sizeof(path), "%s/class", pci);
		if (read_long_at(devfd, path, 16, &cls) < 0 || (cls >> 16) != 0x02)
			continue; /* not a network controller (NVMe, accelerators) */
		if (doctor_grow(&r->pfs, &cap, r->n_pfs, sizeof(*r->pfs)) < 0)
			return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
		pf = &r->pfs[r->n_pfs++];
		strcpy(pf->pci, pci);
		pf->totalvfs = total > 65535 ? 65535 : (int)total;
		snprintf(path, sizeof(path), "%s/sriov_numvfs", pci);
		pf->numvfs = read_long_at(devfd, path, 10, &num) == 0 && num >= 0 && num <= 65535 ?
				     (int)num :
				     0;
		driver_of(devfd, pf->pci, pf->driver, sizeof(pf->driver));
		id_of(devfd, pf->pci, pf->id);
		if (netdev_of(devfd, pf->pci, name) == 0) {
			snprintf(path, sizeof(path), "%s/net/%s/ifindex", pf->pci, name);
			if (read_long_at(devfd, path, 10, &ifindex) == 0 && ifindex > 0 &&
			    ifindex <= INT32_MAX) {
				snprintf(pf->name, sizeof(pf->name), "%s", name);
				pf->ifindex = (int)ifindex;
			}
		}
	}
	if (r->n_pfs)
		qsort(r->pfs, r->n_pfs, sizeof(*r->pfs), pf_cmp);
	return 0;
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
	if (strlen(s) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = text_hexval(s[i * 3]), lo = text_hexval(s[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[i * 3 + 2] != ':'))
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* The VFs of each PF: virtfn0 .. virtfn<numvfs-1>, with driver, netdev and IOMMU group. */
static int gather_vfs(struct doctor_report *r, int devfd, struct cni_err *err)
{
	size_t cap = 0;

	for (size_t p = 0; p < r->n_pfs; p++) {
		for (int i = 0; i < r->pfs[p].numvfs && r->n_vfs < DOCTOR_MAX_VFS; i++) {
			struct doctor_vf *vf;
			char path[128], pci[32], mac[32];

			snprintf(path, sizeof(path), "%s/virtfn%d", r->pfs[p].pci, i);
			if (vf_link_base_at(devfd, path, pci, sizeof(pci)) < 0 ||
			    !conf_valid_pci(pci))
				continue;
			if (doctor_grow(&r->vfs, &cap, r->n_vfs, sizeof(*r->vfs)) < 0)
				return err_set(err, ENOMEM, CNI_ERR_INTERNAL, "out of memory");
			vf = &r->vfs[r->n_vfs++];
			snprintf(vf->pci, sizeof(vf->pci), "%s", pci);
			vf->pf = p;
			vf->index = (unsigned int)i;
			vf->owner = -1;
			driver_of(devfd, pci, vf->driver, sizeof(vf->driver));
			id_of(devfd, pci, vf->id);
			snprintf(path, sizeof(path), "%s/iommu_group", pci);
			vf->iommu_group = faccessat(devfd, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0;
			if (netdev_of(devfd, pci, vf->netdev) < 0)
				continue;
			snprintf(path, sizeof(path), "%s/net/%s/address", pci, vf->netdev);
			if (doctor_read_text_at(devfd, path, mac, sizeof(mac)) == 0)
				vf->has_netdev_mac = parse_mac(mac, vf->netdev_mac);
		}
	}
	return 0;
}

/*
 * Link state of each PF and the VF table it reports, through the netlink verbs every module
 * uses (one RTM_GETLINK per VF: the layer answers for one VF at a time). A PF that does not
 * answer leaves its VFs without settings; only a socket that cannot be opened is fatal.
 */
static int gather_netlink(struct doctor_report *r, struct cni_err *err)
{
	_cleanup_netlink_ struct netlink *nl = NULL;
	int ret = netlink_open(-1, &nl, err);

	if (ret < 0)
		return err_wrap(err, "netlink");
	for (size_t p = 0; p < r->n_pfs; p++) {
		struct doctor_pf *pf = &r->pfs[p];
		struct netlink_link l;
		struct cni_err e = { 0 };

		if (pf->ifindex <= 0 || netlink_link_get(nl, pf->ifindex, NULL, &l, &e) < 0)
			continue;
		pf->link_known = true;
		pf->up = l.flags & IFF_UP;
		pf->carrier = l.flags & IFF_LOWER_UP;
	}
	for (size_t v = 0; v < r->n_vfs; v++) {
		struct doctor_vf *vf = &r->vfs[v];
		const struct doctor_pf *pf = &r->pfs[vf->pf];
		struct cni_err e = { 0 };

		if (pf->ifindex > 0 &&
		    netlink_vf_get(nl, pf->ifindex, vf->index, &vf->info, &e) == 0)
			vf->has_info = true;
	}
	return 0;
}

static int count_iommu_groups(void)
{
	_cleanup_closedir_ DIR *d = opendir(IOMMU_GROUPS);
	struct dirent *de;
	int n = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	return n;
}

int doctor_gather(struct doctor_report *r, struct cni_err *err)
{
	_cleanup_close_ int devfd = -1;
	int ret;

	memset(r, 0, sizeof(*r));
	devfd = open(PCI_DEVICES, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (devfd < 0)
		return err_set(err, errno, CNI_ERR_IO, "open " PCI_DEVICES);
	ret = gather_pfs(r, devfd, err);
	if (ret == 0)
		ret = gather_vfs(r, devfd, err);
	if (ret == 0)
		ret = gather_netlink(r, err);
	if (ret == 0)
		ret = doctor_gather_state(r, devfd, err);
	r->iommu_groups = count_iommu_groups();
	return ret;
}

void doctor_report_free(struct doctor_report *r)
{
	free(r->pfs);
	free(r->vfs);
	free(r->records);
	free(r->bad);
	free(r->locks);
	free(r->problems);
	memset(r, 0, sizeof(*r));
}
