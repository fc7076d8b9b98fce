/* SPDX-License-Identifier: Apache-2.0 */
/* podnet.h: addresses and routes of an IPAM result on the pod's interface. */
#ifndef SRIOV_PODNET_H
#define SRIOV_PODNET_H

#include "sriov/err.h"
#include "sriov/netlink.h"
#include "sriov/result.h"

/*
 * Inside the pod (@pod bound to netns @netns_fd): enable IPv6 on lo and @ifname when an IPv6
 * address comes, add every address of @res to link @ifindex, then every route, a route
 * without gw going via the first gateway of its family (as sriov-cni does). Addresses or
 * routes already there count as added. The first failure is returned, naming what failed.
 */
int podnet_configure(struct netlink *pod, int ifindex, int netns_fd, const char *ifname,
		     struct cni_result *res, struct cni_err *err);

#endif
