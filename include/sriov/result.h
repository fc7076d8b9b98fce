/* SPDX-License-Identifier: Apache-2.0 */
/* result.h: a CNI result as plain structs (the 1.x shape); lib/cni_result.c renders and parses it. */
#ifndef SRIOV_RESULT_H
#define SRIOV_RESULT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"
#include "sriov/route.h"

#define RESULT_MAX_IFACES 4
#define RESULT_MAX_IPS 32
#define RESULT_MAX_ROUTES 128
#define RESULT_MAX_DNS 16
#define RESULT_DNS_STRLEN 256

struct cni_iface {
	char name[IFNAMSIZ];
	char mac[18]; /* "" when unknown */
	int mtu; /* 0 = not reported */
	char sandbox[PATH_MAX]; /* "" = host */
	char pci_id[32]; /* "" = none (CNI 1.1 pciID) */
	char socket_path[PATH_MAX];
};

struct cni_ip {
	struct ipprefix address; /* host address with the subnet's prefix length */
	struct ipaddr gateway; /* family 0 = none */
	int iface; /* index into ifaces, -1 = none */
};

struct cni_dns {
	char nameservers[RESULT_MAX_DNS][RESULT_DNS_STRLEN];
	int n_nameservers;
	char domain[RESULT_DNS_STRLEN];
	char search[RESULT_MAX_DNS][RESULT_DNS_STRLEN];
	int n_search;
	char options[RESULT_MAX_DNS][RESULT_DNS_STRLEN];
	int n_options;
};

struct cni_result {
	struct cni_iface ifaces[RESULT_MAX_IFACES];
	int n_ifaces;
	struct cni_ip ips[RESULT_MAX_IPS];
	int n_ips;
	struct cni_route routes[RESULT_MAX_ROUTES];
	int n_routes;
	struct cni_dns dns;
};

bool result_dns_empty(const struct cni_dns *d);

/* Rendering and parsing (cJSON) are in cni_json.h, for the files that print or parse JSON. */

#endif
