/* SPDX-License-Identifier: Apache-2.0 */
/* plugin_check.h: CNI CHECK for SR-IOV VFs (lib/plugin_check.c). */
#ifndef SRIOV_PLUGIN_CHECK_H
#define SRIOV_PLUGIN_CHECK_H

#include "sriov/err.h"
#include "sriov/plugin.h"

/*
 * CHECK of the attachment @call names: prevResult required (code 7 without it); the VF
 * record (or sriov-cni's cache) must name this attachment, the PF-side settings and the
 * netdev in the pod (up, MAC) must match the config and prevResult, prevResult's addresses
 * and routes must be on it, and IPAM's own CHECK must pass. 0, or the first mismatch.
 */
int plugin_check(const struct plugin_call *call, struct cni_err *err);

#endif
