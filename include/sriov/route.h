/* SPDX-License-Identifier: Apache-2.0 */
/* route.h: one route as a CNI result and host-local's ipam.routes give it, a plain value. */
#ifndef SRIOV_ROUTE_H
#define SRIOV_ROUTE_H

#include "sriov/ipaddr.h"

struct cni_route {
	struct ipprefix dst;
	struct ipaddr gw; /* family 0 = none */
	int mtu, advmss, priority, table, scope; /* -1 = unset */
};

/* Everything unset: no gateway, every optional field -1. */
void result_route_init(struct cni_route *r);

#endif
