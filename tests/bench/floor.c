/* SPDX-License-Identifier: Apache-2.0 */
/*
 * floor.c: the kernel-work floor of one ADD and one DEL of the benchmark config (vlan,
 * spoofchk, host-local with a default route), for comparison with sriov. A benchmark tool,
 * not a plugin: it does what the kernel must be asked for, in the fewest requests, and
 * nothing that a plugin could skip (no checks, no snapshot, no record, no lock, no rollback,
 * no announcement, no fsync). Statically linked against libc alone, so its exec is the
 * cheapest an exec can be.
 *
 * It is exec'ed as a plugin is: CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME in the
 * environment, the network config on stdin, the result on stdout.
 *   ADD: the VF from "deviceID" through sysfs (PF ifindex, VF index, netdev and its ifindex);
 *        one RTM_SETLINK on the PF with VLAN and spoofchk together; one RTM_SETLINK moving the
 *        netdev into the pod, renaming it to CNI_IFNAME and keeping "<host name> <IP>" in
 *        its ifalias (the state DEL needs, at no extra request); link up, one RTM_NEWADDR,
 *        one RTM_NEWROUTE (default via the gateway) in the pod; one lease file in
 *        host-local's format (O_EXCL), under /var/lib/cni/floor/<network>/ (sriov's store
 *        is left to sriov); the result printed.
 *   DEL: the VF through sysfs as above; one RTM_GETLINK of CNI_IFNAME in the pod (ifindex and
 *        ifalias); one RTM_SETLINK moving it home under its host name, the ifalias cleared;
 *        one RTM_SETLINK on the PF putting VLAN 0 and spoofchk on back; the lease unlinked.
 *        A DEL that finds no CNI_IFNAME in the pod has nothing to do.
 *   VERSION: the bare exec.
 * The config is read with a key lookup that is enough for the benchmark config and nothing
 * else: "deviceID", "name", "vlan", "spoofchk", "subnet", "gateway", "dst". The
 * address is a hash of (containerID, ifname) in the subnet, the next one when taken.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#define SYSPCI "/sys/bus/pci/devices/"
/* Not host-local's /var/lib/cni/networks: a lease written there by anyone but sriov (the
 * floor, run between sriov's calls) makes sriov rebuild its index of the store. */
#define FLOOR_DATA_DIR "/var/lib/cni/floor"

struct req {
	struct nlmsghdr nh;
	char buf[1024];
};

struct conf {
	char device_id[32], name[128], spoofchk[8], subnet[64], gateway[64], data_dir[256];
	char dst[64];
	long vlan;
};

struct vf {
	int pf_ifindex, ifindex;
	unsigned int index;
	char netdev[IFNAMSIZ];
};

static int fail(const char *what, int e)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(e));
	printf("{\"code\":999,\"msg\":\"floor: %s: %s\"}\n", what, strerror(e));
	return 1;
}

/* The value of the first "@key" in @text: a string into @buf, or a number into *num. */
static int conf_get(const char *text, const char *key, char *buf, size_t len, long *num)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	p = strstr(text, pat);
	if (!p)
		return -ENOENT;
	p += strlen(pat);
	while (isspace((unsigned char)*p))
		p++;
	if (*p++ != ':')
		return -EINVAL;
	while (isspace((unsigned char)*p))
		p++;
	if (num) {
		char *end;

		*num = strtol(p, &end, 10);
		return end == p ? -EINVAL : 0;
	}
	if (*p++ != '"')
		return -EINVAL;
	while (*p && *p != '"' && *p != '\\' && n + 1 < len)
		buf[n++] = *p++;
	if (*p != '"')
		return -EINVAL;
	buf[n] = '\0';
	return 0;
}

static int conf_read(struct conf *c)
{
	static char text[1 << 20];
	size_t len = 0;
	ssize_t n;

	while (len + 1 < sizeof(text) && (n = read(0, text + len, sizeof(text) - 1 - len)) > 0)
		len += (size_t)n;
	text[len] = '\0';
	memset(c, 0, sizeof(*c));
	if (conf_get(text, "deviceID", c->device_id, sizeof(c->device_id), NULL) < 0 ||
	    conf_get(text, "name", c->name, sizeof(c->name), NULL) < 0 ||
	    conf_get(text, "subnet", c->subnet, sizeof(c->subnet), NULL) < 0)
		return -EINVAL;
	if (conf_get(text, "vlan", NULL, 0, &c->vlan) < 0)
		c->vlan = 0;
	(void)conf_get(text, "spoofchk", c->spoofchk, sizeof(c->spoofchk), NULL);
	(void)conf_get(text, "gateway", c->gateway, sizeof(c->gateway), NULL);
	(void)conf_get(text, "dst", c->dst, sizeof(c->dst), NULL);
	snprintf(c->data_dir, sizeof(c->data_dir), "%s", FLOOR_DATA_DIR);
	/* The names become paths and ifnames: refuse what the benchmark never sends. */
	if (strchr(c->name, '/') || strchr(c->device_id, '/') || !c->name[0] || c->name[0] == '.')
		return -EINVAL;
	return 0;
}

static int read_int(const char *path, int *ret)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	*ret = atoi(buf);
	return 0;
}

static int first_entry(const char *dir, char name[IFNAMSIZ])
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int r = -ENOENT;

	if (!d)
		return -errno;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && strlen(de->d_name) < IFNAMSIZ) {
			strcpy(name, de->d_name);
			r = 0;
			break;
		}
	closedir(d);
	return r;
}

/* PF ifindex and VF index of @pci; with @netdev, the VF's host netdev and its ifindex too. */
static int vf_resolve(const char *pci, struct vf *v, int netdev)
{
	char path[256], name[IFNAMSIZ], target[256];

	snprintf(path, sizeof(path), SYSPCI "%s/physfn/net", pci);
	if (first_entry(path, name) < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), SYSPCI "%s/physfn/net/%s/ifindex", pci, name);
	if (read_int(path, &v->pf_ifindex) < 0)
		return -ENODEV;
	for (unsigned int i = 0;; i++) {
		const char *base;
		ssize_t n;

		snprintf(path, sizeof(path), SYSPCI "%s/physfn/virtfn%u", pci, i);
		n = readlink(path, target, sizeof(target) - 1);
		if (n < 0)
			return -ENODEV;
		target[n] = '\0';
		base = strrchr(target, '/');
		if (strcmp(base ? base + 1 : target, pci) == 0) {
			v->index = i;
			break;
		}
	}
	if (!netdev)
		return 0;
	snprintf(path, sizeof(path), SYSPCI "%s/net", pci);
	if (first_entry(path, v->netdev) < 0)
		return -ENODEV;
	snprintf(path, sizeof(path), SYSPCI "%s/net/%s/ifindex", pci, v->netdev);
	return read_int(path, &v->ifindex) < 0 ? -ENODEV : 0;
}

static struct rtattr *put(struct nlmsghdr *nh, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)nh + NLMSG_ALIGN(nh->nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nest_end(struct nlmsghdr *nh, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)nh + nh->nlmsg_len - (char *)a);
}

/* Send one request, read its answer into @reply (the ACK or the object); 0 or -errno. */
static int talk(int fd, struct nlmsghdr *nh, char *reply, size_t len)
{
	static unsigned int seq;
	struct nlmsghdr *h = (struct nlmsghdr *)reply;
	ssize_t n;

	nh->nlmsg_flags |= NLM_F_REQUEST;
	nh->nlmsg_seq = ++seq;
	if (send(fd, nh, nh->nlmsg_len, 0) < 0)
		return -errno;
	n = recv(fd, reply, len, 0);
	if (n < 0)
		return -errno;
	if ((size_t)n < sizeof(*h) || h->nlmsg_seq != seq)
		return -EBADMSG;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	return 0;
}

static int ack(int fd, struct nlmsghdr *nh)
{
	char buf[1024];

	nh->nlmsg_flags |= NLM_F_ACK;
	return talk(fd, nh, buf, sizeof(buf));
}

static struct ifinfomsg *link_req(struct req *r, int type, int ifindex)
{
	struct ifinfomsg *ifi;

	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(*ifi));
	r->nh.nlmsg_type = (unsigned short)type;
	ifi = NLMSG_DATA(&r->nh);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return ifi;
}

/* VLAN (802.1Q) and spoofchk of VF @vf on PF @pf, in one request. */
static int set_vf(int fd, int pf, unsigned int vf, unsigned int vlan, unsigned int spoofchk)
{
	struct ifla_vf_vlan_info vi = { .vf = vf, .vlan = vlan, .vlan_proto = htons(0x8100) };
	struct ifla_vf_spoofchk sc = { .vf = vf, .setting = spoofchk };
	struct rtattr *list, *info, *vl;
	struct req r;

	link_req(&r, RTM_SETLINK, pf);
	list = put(&r.nh, IFLA_VFINFO_LIST | NLA_F_NESTED, NULL, 0);
	info = put(&r.nh, IFLA_VF_INFO | NLA_F_NESTED, NULL, 0);
	vl = put(&r.nh, IFLA_VF_VLAN_LIST | NLA_F_NESTED, NULL, 0);
	put(&r.nh, IFLA_VF_VLAN_INFO, &vi, sizeof(vi));
	nest_end(&r.nh, vl);
	put(&r.nh, IFLA_VF_SPOOFCHK, &sc, sizeof(sc));
	nest_end(&r.nh, info);
	nest_end(&r.nh, list);
	return ack(fd, &r.nh);
}

/* Move @ifindex into the netns @nsfd as @name, with @alias as its ifalias ("" clears it). */
static int move_link(int fd, int ifindex, int nsfd, const char *name, const char *alias)
{
	uint32_t ns = (uint32_t)nsfd;
	struct req r;

	link_req(&r, RTM_SETLINK, ifindex);
	put(&r.nh, IFLA_NET_NS_FD, &ns, sizeof(ns));
	put(&r.nh, IFLA_IFNAME, name, strlen(name) + 1);
	put(&r.nh, IFLA_IFALIAS, alias, strlen(alias)); /* length 0 drops it */
	return ack(fd, &r.nh);
}

static int link_up(int fd, int ifindex)
{
	struct req r;
	struct ifinfomsg *ifi = link_req(&r, RTM_SETLINK, ifindex);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	return ack(fd, &r.nh);
}

/* @name's ifindex and ifalias in the netns of socket @fd. */
static int get_link(int fd, const char *name, int *ifindex, char *alias, size_t len)
{
	char buf[8192];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	uint32_t mask = RTEXT_FILTER_SKIP_STATS;
	struct ifinfomsg *ifi;
	struct rtattr *a;
	struct req r;
	int rem, e;

	link_req(&r, RTM_GETLINK, 0);
	put(&r.nh, IFLA_IFNAME, name, strlen(name) + 1);
	put(&r.nh, IFLA_EXT_MASK, &mask, sizeof(mask));
	e = talk(fd, &r.nh, buf, sizeof(buf));
	if (e < 0)
		return e;
	ifi = NLMSG_DATA(h);
	*ifindex = ifi->ifi_index;
	alias[0] = '\0';
	rem = (int)h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi));
	for (a = IFLA_RTA(ifi); RTA_OK(a, rem); a = RTA_NEXT(a, rem))
		if (a->rta_type == IFLA_IFALIAS)
			snprintf(alias, len, "%.*s", (int)RTA_PAYLOAD(a), (char *)RTA_DATA(a));
	return 0;
}

static int add_addr(int fd, int ifindex, uint32_t ip, int plen)
{
	uint32_t brd = ip | htonl(plen ? 0xffffffffu >> plen : 0xffffffffu);
	struct ifaddrmsg *ifa;
	struct req r;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*ifa));
	r.nh.nlmsg_type = RTM_NEWADDR;
	r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	ifa = NLMSG_DATA(&r.nh);
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (unsigned char)plen;
	ifa->ifa_index = (unsigned int)ifindex;
	put(&r.nh, IFA_LOCAL, &ip, 4);
	put(&r.nh, IFA_ADDRESS, &ip, 4);
	put(&r.nh, IFA_BROADCAST, &brd, 4);
	return ack(fd, &r.nh);
}

static int add_route(int fd, int ifindex, uint32_t gw)
{
	uint32_t oif = (uint32_t)ifindex;
	struct rtmsg *rtm;
	struct req r;

	memset(&r, 0, sizeof(r));
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(*rtm));
	r.nh.nlmsg_type = RTM_NEWROUTE;
	r.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	rtm = NLMSG_DATA(&r.nh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_BOOT;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	put(&r.nh, RTA_GATEWAY, &gw, 4);
	put(&r.nh, RTA_OIF, &oif, 4);
	return ack(fd, &r.nh);
}

/* A netlink socket in the netns @ns, entered from (and back to) the netns @self. */
static int nl_socket_in(int ns, int self)
{
	int fd;

	if (setns(ns, CLONE_NEWNET) < 0)
		return -1;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (setns(self, CLONE_NEWNET) < 0)
		_exit(2); /* never go on in the wrong netns */
	return fd;
}

static uint32_t fnv1a(const char *a, const char *b)
{
	uint32_t h = 2166136261u;

	for (const char *p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	h = (h ^ 0xff) * 16777619u;
	for (const char *p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h;
}

/* One lease in host-local's format: <dataDir>/<network>/<ip>, "<containerID>\r\n<ifname>". */
static int lease_create(const struct conf *c, const char *id, const char *ifname, uint32_t net,
			int plen, uint32_t gw, uint32_t *ret)
{
	uint32_t size = plen >= 31 ? 1 : (1u << (32 - plen)) - 3, h = fnv1a(id, ifname);
	char path[512], content[512], a[INET_ADDRSTRLEN];
	int len = snprintf(content, sizeof(content), "%s\r\n%s", id, ifname);
	int made = 0;

	for (uint32_t i = 0; i < 64; i++) {
		uint32_t ip = htonl(ntohl(net) + 2 + (h + i) % size);
		int fd;

		if (ip == gw)
			continue;
		inet_ntop(AF_INET, &ip, a, sizeof(a));
		snprintf(path, sizeof(path), "%s/%s/%s", c->data_dir, c->name, a);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno == ENOENT && !made++) {
			/* First lease of this network: the directories, then again. */
			snprintf(path, sizeof(path), "%s/%s", c->data_dir, c->name);
			(void)mkdir(c->data_dir, 0755);
			(void)mkdir(path, 0755);
			i--;
			continue;
		}
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return -errno;
		if (write(fd, content, (size_t)len) != len || close(fd) < 0)
			return -EIO;
		*ret = ip;
		return 0;
	}
	return -ENOSPC;
}

/*
 * What both verbs start with: the VF through sysfs (@netdev: its netdev too), the host's and
 * the pod's netns, a netlink socket in each. 0, or what fail() returned.
 */
static int open_all(const struct conf *c, const char *netns, int netdev, struct vf *v, int *self,
		    int *podfd, int *host, int *pod)
{
	int e = vf_resolve(c->device_id, v, netdev);

	if (e < 0)
		return fail("deviceID", -e);
	*self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	*podfd = open(netns, O_RDONLY | O_CLOEXEC);
	if (*self < 0 || *podfd < 0)
		return fail("open netns", errno);
	*host = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	*pod = nl_socket_in(*podfd, *self);
	if (*host < 0 || *pod < 0)
		return fail("netlink socket", errno);
	return 0;
}

static int cmd_add(const struct conf *c, const char *id, const char *netns, const char *ifname)
{
	char alias[64], a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN], *slash;
	char subnet[64];
	int self, podfd, host, pod, e, plen, ifindex;
	uint32_t net, gw, ip;
	struct vf v;

	snprintf(subnet, sizeof(subnet), "%s", c->subnet);
	slash = strchr(subnet, '/');
	if (slash)
		*slash = '\0';
	if (!slash || inet_pton(AF_INET, subnet, &net) != 1)
		return fail("ipam.subnet", EINVAL);
	plen = atoi(slash + 1);
	if (plen < 1 || plen > 30)
		return fail("ipam.subnet", EINVAL);
	net &= htonl(0xffffffffu << (32 - plen));
	gw = htonl(ntohl(net) + 1);
	if (c->gateway[0] && inet_pton(AF_INET, c->gateway, &gw) != 1)
		return fail("ipam.gateway", EINVAL);
	if ((e = open_all(c, netns, 1, &v, &self, &podfd, &host, &pod)) != 0)
		return e;
	if ((e = set_vf(host, v.pf_ifindex, v.index, (unsigned int)c->vlan,
			strcmp(c->spoofchk, "off") != 0)) < 0)
		return fail("set VF vlan + spoofchk", -e);
	if ((e = lease_create(c, id, ifname, net, plen, gw, &ip)) < 0)
		return fail("lease", -e);
	inet_ntop(AF_INET, &ip, a, sizeof(a));
	snprintf(alias, sizeof(alias), "%s %s", v.netdev, a);
	if ((e = move_link(host, v.ifindex, podfd, ifname, alias)) < 0)
		return fail("move + rename", -e);
	/* The kernel keeps the ifindex unless the pod has it taken: only then ask for it. */
	ifindex = v.ifindex;
	e = link_up(pod, ifindex);
	if (e == -ENODEV && get_link(pod, ifname, &ifindex, alias, sizeof(alias)) == 0)
		e = link_up(pod, ifindex);
	if (e < 0)
		return fail("link up", -e);
	if ((e = add_addr(pod, ifindex, ip, plen)) < 0)
		return fail("address", -e);
	if (strcmp(c->dst, "0.0.0.0/0") == 0 && (e = add_route(pod, ifindex, gw)) < 0)
		return fail("route", -e);
	inet_ntop(AF_INET, &gw, g, sizeof(g));
	printf("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"%s\",\"sandbox\":\"%s\"}],"
	       "\"ips\":[{\"address\":\"%s/%d\",\"gateway\":\"%s\",\"interface\":0}]}\n",
	       ifname, netns, a, plen, g);
	return 0;
}

static int cmd_del(const struct conf *c, const char *netns, const char *ifname)
{
	char alias[IFNAMSIZ + INET_ADDRSTRLEN + 8], path[512], *ip;
	int self, podfd, host, pod, e, ifindex;
	struct vf v;

	if ((e = open_all(c, netns, 0, &v, &self, &podfd, &host, &pod)) != 0)
		return e;
	e = get_link(pod, ifname, &ifindex, alias, sizeof(alias));
	if (e == -ENODEV)
		return 0; /* nothing of ours in the pod */
	ip = strchr(alias, ' ');
	if (e < 0 || !ip)
		return fail("find CNI_IFNAME in the pod", e < 0 ? -e : ENOENT);
	*ip++ = '\0';
	if ((e = move_link(pod, ifindex, self, alias, "")) < 0)
		return fail("move home", -e);
	if ((e = set_vf(host, v.pf_ifindex, v.index, 0, 1)) < 0)
		return fail("restore VF vlan + spoofchk", -e);
	snprintf(path, sizeof(path), "%s/%s/%s", c->data_dir, c->name, ip);
	if (unlink(path) < 0 && errno != ENOENT)
		return fail("lease", errno);
	return 0;
}

int main(void)
{
	const char *cmd = getenv("CNI_COMMAND"), *id = getenv("CNI_CONTAINERID");
	const char *netns = getenv("CNI_NETNS"), *ifname = getenv("CNI_IFNAME");
	struct conf c;

	if (cmd && strcmp(cmd, "VERSION") == 0) {
		printf("{\"cniVersion\":\"1.0.0\",\"supportedVersions\":[\"1.0.0\"]}\n");
		return 0;
	}
	if (!cmd || !id || !netns || !ifname || strlen(ifname) >= IFNAMSIZ || strchr(id, '/'))
		return fail("CNI_COMMAND, CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME", EINVAL);
	if (conf_read(&c) < 0)
		return fail("config (deviceID, name, ipam.subnet)", EINVAL);
	if (strcmp(cmd, "ADD") == 0)
		return cmd_add(&c, id, netns, ifname);
	if (strcmp(cmd, "DEL") == 0)
		return cmd_del(&c, netns, ifname);
	return fail("CNI_COMMAND must be ADD, DEL or VERSION", EINVAL);
}
