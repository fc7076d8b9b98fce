/* SPDX-License-Identifier: Apache-2.0 */
/* podnet.c: the pod side of an ADD: IPAM's addresses and routes on the VF netdev. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "sriov/fault.h"
#include "sriov/netns.h"
#include "sriov/podnet.h"

int podnet_configure(struct netlink *pod, int ifindex, int netns_fd, const char *ifname,
		     struct cni_result *res, struct cni_err *err)
{
	struct cni_err ignored = { 0 };
	bool v6 = false;
	int r;

	for (int i = 0; i < res->n_ips; i++)
		v6 |= res->ips[i].address.addr.family == AF_INET6;
	if (v6) {
		char key[96];

		(void)netns_sysctl_write(netns_fd, "net/ipv6/conf/lo/disable_ipv6", "0", &ignored);
		snprintf(key, sizeof(key), "net/ipv6/conf/%s/disable_ipv6", ifname);
		(void)netns_sysctl_write(netns_fd, key, "0", &ignored);
	}
	for (int i = 0; i < res->n_ips; i++) {
		r = fault_fail("add address", err);
		if (r == 0)
			r = netlink_addr_add(pod, ifindex, &res->ips[i].address, err);
		if (r < 0 && r != -EEXIST) {
			char buf[IPPREFIX_STRLEN];

			return err_wrap(err, "add address %s to %s",
					ipprefix_str(&res->ips[i].address, buf), ifname);
		}
	}
	for (int i = 0; i < res->n_routes; i++) {
		struct cni_route rt = res->routes[i];

		/* A route without gw goes via the first gateway of its family, as sriov-cni does. */
		if (rt.gw.family == 0)
			for (int k = 0; k < res->n_ips; k++)
				if (res->ips[k].gateway.family == rt.dst.addr.family) {
					rt.gw = res->ips[k].gateway;
					break;
				}
		r = fault_fail("add route", err);
		if (r == 0)
			r = netlink_route_add(pod, ifindex, &rt, err);
		if (r < 0 && r != -EEXIST) {
			char buf[IPPREFIX_STRLEN];

			return err_wrap(err, "add route %s via %s", ipprefix_str(&rt.dst, buf),
					ifname);
		}
	}
	return 0;
}
