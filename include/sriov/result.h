/* SPDX-License-Identifier: Apache-2.0 */
/* result.h: a CNI result as plain structs (the 1.x shape); lib/cni_result.c renders and parses it. */
#ifndef SRIOV_RESULT_H
#define SRIOV_RESULT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <net/if.h>

#include <cjson/cJSON.h>

#include "sriov/err.h"
#include "sriov/ipaddr.h"

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

struct cni_route {
	struct ipprefix dst;
	struct ipaddr gw; /* family 0 = none */
	int mtu, advmss, priority, table, scope; /* -1 = unset */
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

void result_route_init(struct cni_route *r);
bool result_dns_empty(const struct cni_dns *d);

/*
 * Render @r in the shape of CNI version @version ("0.3.0" .. "1.1.0"; 0.1.0/0.2.0 get the
 * ip4/ip6 shape). Returns a new cJSON tree or NULL with @err set.
 */
cJSON *result_to_json(const struct cni_result *r, const char *version, struct cni_err *err);
/* Parse a result of any version (e.g. a delegated IPAM plugin's or a prevResult) into @ret. */
int result_from_json(const cJSON *j, const char *version, struct cni_result *ret,
		     struct cni_err *err);

#endif
