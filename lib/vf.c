/* SPDX-License-Identifier: Apache-2.0 */
/* vf.c: PCI address to PF, VF index and netdev through sysfs; bus-info matching via ethtool. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "sriov/cleanup.h"
#include "sriov/netns.h"
#include "sriov/vf.h"

#define PCI_DEVICES "/sys/bus/pci/devices"

int vf_link_base_at(int dirfd, const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(dirfd, path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (!*base || strlen(base) >= len)
		return -EINVAL;
	for (const char *p = base; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == ':' || *p == '-'))
			return -EINVAL;
	strcpy(buf, base);
	return 0;
}

static int read_int(const char *path, int *ret)
{
	char buf[32];
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *end;
	long v;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return n < 0 ? -errno : -EIO;
	buf[n] = '\0';
	v = strtol(buf, &end, 10);
	if (end == buf)
		return -EIO;
	*ret = (int)v;
	return 0;
}

/* First entry of directory @path (a sysfs "net" dir) into @name. -ENOENT if empty/missing. */
static int first_entry(const char *path, char name[IFNAMSIZ])
{
	_cleanup_closedir_ DIR *d = opendir(path);
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= IFNAMSIZ)
			continue;
		strcpy(name, de->d_name);
		return 0;
	}
	return -ENOENT;
}

bool vf_exists(const char *pci)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), PCI_DEVICES "/%s", pci);
	return access(path, F_OK) == 0;
}

int vf_host_netdev(const char *pci, char name[IFNAMSIZ], int *ret_ifindex)
{
	char path[PATH_MAX], n[IFNAMSIZ];
	int r, ifindex = 0;

	snprintf(path, sizeof(path), PCI_DEVICES "/%s/net", pci);
	r = first_entry(path, n);
	if (r < 0)
		return r;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/net/%s/ifindex", pci, n);
	r = read_int(path, &ifindex);
	if (r < 0)
		return r;
	strcpy(name, n);
	if (ret_ifindex)
		*ret_ifindex = ifindex;
	return 0;
}

bool vf_userspace_driver(const char *drv)
{
	return strcmp(drv, "vfio-pci") == 0 || strcmp(drv, "uio_pci_generic") == 0 ||
	       strcmp(drv, "igb_uio") == 0;
}

/*
 * Which virtfnN of the PF points at @pci? The kernel makes virtfn0 to virtfn<sriov_numvfs - 1>
 * without gaps, so the first missing link ends the search (4096 at most, PCIe's VF limit).
 */
static int vf_index(const char *pci, unsigned int *ret)
{
	char path[PATH_MAX], base[64];

	for (int i = 0; i < 4096; i++) {
		snprintf(path, sizeof(path), PCI_DEVICES "/%s/physfn/virtfn%d", pci, i);
		if (vf_link_base_at(AT_FDCWD, path, base, sizeof(base)) < 0) {
			if (errno == ENOENT)
				break;
			continue;
		}
		if (strcmp(base, pci) == 0) {
			*ret = (unsigned int)i;
			return 0;
		}
	}
	return -ENOENT;
}

int vf_resolve_pf(const char *pci, struct vf_dev *ret, struct cni_err *err)
{
	struct vf_dev d = { 0 };
	char path[PATH_MAX];
	int r;

	snprintf(d.pci, sizeof(d.pci), "%s", pci);
	if (!vf_exists(pci))
		return err_set(err, ENODEV, CNI_ERR_INVALID_CONFIG,
			       "deviceID: PCI device %s does not exist", pci);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/physfn", pci);
	r = vf_link_base_at(AT_FDCWD, path, d.pf_pci, sizeof(d.pf_pci));
	if (r < 0)
		return err_set(err, EINVAL, CNI_ERR_INVALID_CONFIG,
			       "deviceID: PCI device %s is not an SR-IOV VF (no physfn)", pci);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/physfn/net", pci);
	r = first_entry(path, d.pf_name);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INVALID_CONFIG,
			       "deviceID: VF %s: its PF %s has no network interface", pci,
			       d.pf_pci);
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/physfn/net/%s/ifindex", pci, d.pf_name);
	r = read_int(path, &d.pf_ifindex);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INTERNAL, "VF %s: cannot read ifindex of PF %s",
			       pci, d.pf_name);
	r = vf_index(pci, &d.index);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INVALID_CONFIG,
			       "deviceID: VF %s is not listed among the virtfn links of PF %s", pci,
			       d.pf_name);
	*ret = d;
	return 0;
}

int vf_resolve(const char *pci, struct vf_dev *ret, struct cni_err *err)
{
	struct vf_dev d;
	char path[PATH_MAX];
	int r = vf_resolve_pf(pci, &d, err);

	if (r < 0)
		return r;
	snprintf(path, sizeof(path), PCI_DEVICES "/%s/driver", pci);
	if (vf_link_base_at(AT_FDCWD, path, d.driver, sizeof(d.driver)) < 0)
		d.driver[0] = '\0';
	d.dpdk = vf_userspace_driver(d.driver);
	if (!d.dpdk && vf_host_netdev(pci, d.netdev, &d.ifindex) < 0) {
		d.netdev[0] = '\0';
		d.ifindex = 0;
	}
	*ret = d;
	return 0;
}

/* ethtool bus-info of @name through socket @fd (in the netns that fd was created in). */
static bool bus_info_is(int fd, const char *name, const char *pci)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) < 0)
		return false;
	return strncmp(info.bus_info, pci, sizeof(info.bus_info)) == 0;
}

static bool name_of(int fd, int ifindex, char name[IFNAMSIZ])
{
	struct ifreq ifr = { .ifr_ifindex = ifindex };

	if (ifindex <= 0 || ioctl(fd, SIOCGIFNAME, &ifr) < 0)
		return false;
	snprintf(name, IFNAMSIZ, "%s", ifr.ifr_name);
	return true;
}

int vf_netdev_in_netns(int netns_fd, const char *pci, int hint_ifindex, const char *hint_name,
		       int *ret_ifindex, char ret_name[IFNAMSIZ], struct cni_err *err)
{
	_cleanup_close_ int sock = -1;
	char name[IFNAMSIZ];
	struct if_nameindex *all;
	int saved = -1, r;

	r = netns_enter(netns_fd, &saved, err);
	if (r < 0)
		return r;
	/* The socket belongs to the pod netns; ioctls through it see that namespace's links. */
	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	r = sock < 0 ? -errno : 0;
	netns_leave(&saved);
	if (r < 0)
		return err_set(err, -r, CNI_ERR_INTERNAL, "socket in pod netns");

	if (name_of(sock, hint_ifindex, name) && bus_info_is(sock, name, pci)) {
		*ret_ifindex = hint_ifindex;
		strcpy(ret_name, name);
		return 0;
	}
	if (hint_name && *hint_name && bus_info_is(sock, hint_name, pci)) {
		struct ifreq ifr = { 0 };

		/* Resolve through the pod socket: if_nametoindex() would ask the caller's netns. */
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", hint_name);
		if (ioctl(sock, SIOCGIFINDEX, &ifr) == 0) {
			*ret_ifindex = ifr.ifr_ifindex;
			snprintf(ret_name, IFNAMSIZ, "%s", hint_name);
			return 0;
		}
	}
	/* Slow path (recovery only): walk every link of the pod netns. */
	r = netns_enter(netns_fd, &saved, err);
	if (r < 0)
		return r;
	all = if_nameindex();
	netns_leave(&saved);
	if (!all)
		return err_set(err, errno, CNI_ERR_INTERNAL, "list links in pod netns");
	r = -ENODEV;
	for (struct if_nameindex *i = all; i->if_index; i++) {
		if (bus_info_is(sock, i->if_name, pci)) {
			*ret_ifindex = (int)i->if_index;
			snprintf(ret_name, IFNAMSIZ, "%s", i->if_name);
			r = 0;
			break;
		}
	}
	if_freenameindex(all);
	if (r < 0)
		return err_set(err, ENODEV, CNI_ERR_INTERNAL,
			       "VF %s has no netdev in the pod netns", pci);
	return 0;
}
